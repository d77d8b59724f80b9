package io.gpualloc.binpack.gang;

import io.gpualloc.binpack.gang.internal.CpSatGangPlacer;
import io.gpualloc.binpack.gang.internal.GreedyGangPlacer;
import io.gpualloc.binpack.packing.internal.OrTools;
import io.gpualloc.core.InvalidSpecException;
import java.util.List;

/** The gang placers by name, baselines first and the most thorough last. */
public final class GangPlacers {
  private static final List<String> BASELINES =
      List.of("kueue-best-fit", "kueue-least-free", "slurm-tree", "volcano-hard");
  private static final List<String> NAMES = List.of("kueue-best-fit", "kueue-least-free",
      "slurm-tree", "volcano-hard", "greedy", "cp-sat");

  private GangPlacers() {}

  /**
   * The registered names: the baselines implemented from their documented behaviour ({@code
   * kueue-best-fit}, {@code kueue-least-free}, {@code slurm-tree}, {@code volcano-hard}, see
   * {@code docs/gangs.md}), then {@code greedy}, then {@code cp-sat}.
   *
   * @return the names, baselines first
   */
  public static List<String> names() {
    return NAMES;
  }

  /**
   * The greedy placer: per-node pod counts summed up the domain tree, the smallest sufficient
   * domain at the constrained level, fewest child domains level by level, tightest nodes first.
   *
   * @param options interconnects and selector
   * @return the placer, named {@code greedy}
   * @throws InvalidSpecException for null options
   */
  public static GangPlacer greedy(GangOptions options) {
    if (options == null) {
      throw InvalidSpecException.of("gang placers", "options", null, "GangOptions");
    }
    return new GreedyGangPlacer(options.interconnects(), options.selector());
  }

  /**
   * The CP-SAT placer: greedy first, then a CP-SAT model hinted with its answer, within the budget
   * of {@link GangOptions#solver()}; never worse than greedy on the objective. Needs OR-Tools.
   *
   * <p>The budget is one deadline from the start of each call: greedy, the model build (abandoned
   * when time runs out) and CP-SAT (given what is left minus a margin) all count. This factory
   * only checks that OR-Tools' classes are there; its native library is loaded by the first call
   * with at least 2 s of its budget left, and a call with less gets the greedy answer with status
   * {@link GangSolveStatus#FALLBACK}. Hosts that want CP-SAT on short budgets call {@link
   * io.gpualloc.binpack.packing.CpSatPacker#preload()} when they start.
   *
   * @param options interconnects, selector and budget
   * @return the placer, named {@code cp-sat}
   * @throws InvalidSpecException for null options
   * @throws io.gpualloc.core.MissingDependencyException when OR-Tools is not on the class path
   *     (its {@code solve} throws it when the native library cannot be loaded)
   */
  public static BudgetedGangPlacer cpSat(GangOptions options) {
    if (options == null) {
      throw InvalidSpecException.of("gang placers", "options", null, "GangOptions");
    }
    OrTools.requireClasses("GangPlacers.cpSat");
    return new CpSatGangPlacer(options.interconnects(), options.selector(), options.solver());
  }

  /**
   * The placer of that name.
   *
   * @param name one of {@link #names()}
   * @param options interconnects and selector
   * @return the placer
   * @throws InvalidSpecException for an unknown name or null options
   * @throws io.gpualloc.core.MissingDependencyException for {@code cp-sat} without OR-Tools
   */
  public static GangPlacer named(String name, GangOptions options) {
    if ("greedy".equals(name)) {
      return greedy(options);
    }
    if ("cp-sat".equals(name)) {
      return cpSat(options);
    }
    if (BASELINES.contains(name)) {
      if (options == null) {
        throw InvalidSpecException.of("gang placers", "options", null, "GangOptions");
      }
      return GreedyGangPlacer.baseline(name, options.interconnects(), options.selector());
    }
    throw InvalidSpecException.of("gang placers", "name", name, String.join(", ", NAMES));
  }
}

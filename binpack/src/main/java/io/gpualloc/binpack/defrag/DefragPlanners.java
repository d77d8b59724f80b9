package io.gpualloc.binpack.defrag;

import io.gpualloc.binpack.defrag.internal.CpSatDefragPlanner;
import io.gpualloc.binpack.defrag.internal.EvictBaseline;
import io.gpualloc.binpack.defrag.internal.GreedyPlanner;
import io.gpualloc.binpack.packing.SolverOptions;
import io.gpualloc.binpack.packing.internal.OrTools;
import io.gpualloc.core.InvalidSpecException;
import java.util.List;

/** The defragmentation planners by name: the baseline first, the exact solver last. */
public final class DefragPlanners {
  private DefragPlanners() {}

  /**
   * The names {@link #named} knows.
   *
   * @return {@code evict-lowest-priority} (the baseline: evicts, never re-places), {@code greedy}
   *     (fast, with a lower bound), {@code cp-sat} (exact on small clusters, anytime on large
   *     ones, never worse than greedy)
   */
  public static List<String> names() {
    return List.of("evict-lowest-priority", "greedy", "cp-sat");
  }

  /**
   * The named planner.
   *
   * <p>For {@code cp-sat} the time limit is one deadline from the start of each {@code plan}
   * call, covering the greedy plan, the native load, the model build and CP-SAT. This factory only
   * checks that OR-Tools' classes are there; the native library is loaded by the first call with
   * at least 2 s of its budget left, and a call with less gets the greedy plan as {@link
   * io.gpualloc.binpack.solver.SolveStatus#TIMEOUT_FALLBACK}. Hosts that want CP-SAT on short
   * budgets call {@link io.gpualloc.binpack.packing.CpSatPacker#preload()} when they start.
   * The greedy plan that starts CP-SAT is computed in full first and is not cut by the budget (on
   * the 1,213-node openb cluster it takes a fraction of a second to a few seconds).
   *
   * @param name one of {@link #names()}
   * @param options the budget (time limit, workers, seed); only {@code cp-sat} reads it
   * @return the planner
   * @throws InvalidSpecException for an unknown name or null options
   * @throws io.gpualloc.core.MissingDependencyException for {@code cp-sat} without OR-Tools'
   *     classes on the class path
   */
  public static DefragPlanner named(String name, SolverOptions options) {
    if (options == null) {
      throw InvalidSpecException.of("defrag planner " + name, "options", null,
          "solver options (SolverOptions.defaults())");
    }
    if ("evict-lowest-priority".equals(name)) {
      return new EvictBaseline();
    }
    if ("greedy".equals(name)) {
      return new GreedyPlanner();
    }
    if ("cp-sat".equals(name)) {
      OrTools.requireClasses("DefragPlanners cp-sat");
      return new CpSatDefragPlanner(options);
    }
    throw InvalidSpecException.of("defrag planner registry", "name", name,
        String.join(", ", names()));
  }
}

package io.gpualloc.binpack.mig;

import io.gpualloc.binpack.mig.internal.CpSatPlanner;
import io.gpualloc.binpack.mig.internal.GreedyPlanner;
import io.gpualloc.binpack.packing.SolverOptions;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.MigInstance;
import io.gpualloc.core.MigLayout;
import io.gpualloc.core.MigProfile;
import java.util.ArrayList;
import java.util.List;

/**
 * The MIG layout planners by name, baseline first and the exact solver last, and the on-demand
 * step.
 */
public final class MigPlanners {
  private MigPlanners() {}

  /**
   * The names {@link #named} knows.
   *
   * @return {@code greedy} (fast, no proof), {@code cp-sat} (exact within a time budget, never
   *     worse than greedy)
   */
  public static List<String> names() {
    return List.of("greedy", "cp-sat");
  }

  /**
   * The named planner.
   *
   * @param name one of {@link #names()}
   * @param options the budget (time limit, workers, seed); {@code greedy} ignores it
   * @return the planner
   * @throws InvalidSpecException for an unknown name or null options
   */
  public static MigPlanner named(String name, SolverOptions options) {
    if (options == null) {
      throw InvalidSpecException.of("MIG planner " + name, "options", null,
          "solver options (SolverOptions.defaults())");
    }
    if ("greedy".equals(name)) {
      return new GreedyPlanner();
    }
    if ("cp-sat".equals(name)) {
      return new CpSatPlanner(options);
    }
    throw InvalidSpecException.of("MIG planner registry", "name", name,
        String.join(", ", names()));
  }

  /**
   * The HAMi-style on-demand step for one instance of {@code profile}: a free existing instance
   * if there is one (lowest GPU position, lowest start slot), otherwise the cheapest
   * reconfiguration of an idle or partly idle GPU (see {@link MigOnDemand.Reconfigure}).
   *
   * @param gpus the fleet
   * @param profile the profile name, as the GPUs' models name it
   * @return the answer; {@link MigOnDemand.Impossible} when no GPU can host one
   * @throws InvalidSpecException for a null fleet or profile
   */
  public static MigOnDemand onDemand(List<MigGpuState> gpus, String profile) {
    if (gpus == null || profile == null) {
      throw InvalidSpecException.of("MIG on-demand step", gpus == null ? "gpus" : "profile", null,
          "a fleet and a profile name");
    }
    for (int g = 0; g < gpus.size(); g++) {
      MigGpuState s = gpus.get(g);
      if (!MigPlanProblem.offers(s.model(), profile)) {
        continue;
      }
      MigProfile p = s.model().migProfile(profile);
      for (MigInstance x : s.current().instances()) {
        if (x.profile().equals(p) && !s.inUse().contains(x)) {
          return new MigOnDemand.Existing(g, x);
        }
      }
    }
    MigOnDemand.Reconfigure best = null;
    int bestDestroy = Integer.MAX_VALUE;
    int bestCreate = Integer.MAX_VALUE;
    for (int g = 0; g < gpus.size(); g++) {
      MigGpuState s = gpus.get(g);
      if (!MigPlanProblem.offers(s.model(), profile)) {
        continue;
      }
      MigProfile p = s.model().migProfile(profile);
      for (int start : p.startSlots()) {
        MigInstance fresh = new MigInstance(p, start);
        List<MigInstance> keep = new ArrayList<>(s.inUse());
        if (!MigLayout.isValid(s.model(), with(keep, fresh))) {
          continue;
        }
        // keep every free instance that still fits beside the new one, in start order
        for (MigInstance x : s.current().instances()) {
          if (!s.inUse().contains(x) && MigLayout.isValid(s.model(), with(with(keep, x), fresh))) {
            keep.add(x);
          }
        }
        MigLayout to = MigLayout.of(s.model(), with(keep, fresh));
        MigReconfiguration step = MigReconfiguration.between(g, s.name(), s.current(), to);
        if (step.destroy().size() < bestDestroy
            || step.destroy().size() == bestDestroy && step.create().size() < bestCreate) {
          best = new MigOnDemand.Reconfigure(step, fresh);
          bestDestroy = step.destroy().size();
          bestCreate = step.create().size();
        }
      }
    }
    if (best != null) {
      return best;
    }
    return new MigOnDemand.Impossible("no GPU of the " + gpus.size() + " can host " + profile
        + " without touching an instance in use");
  }

  private static List<MigInstance> with(List<MigInstance> xs, MigInstance x) {
    List<MigInstance> out = new ArrayList<>(xs);
    out.add(x);
    return out;
  }
}

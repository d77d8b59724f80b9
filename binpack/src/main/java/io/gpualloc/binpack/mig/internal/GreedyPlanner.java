package io.gpualloc.binpack.mig.internal;

import io.gpualloc.binpack.mig.MigPlan;
import io.gpualloc.binpack.mig.MigPlanPhase;
import io.gpualloc.binpack.mig.MigPlanProblem;
import io.gpualloc.binpack.mig.MigPlanStatus;
import io.gpualloc.binpack.mig.MigPlanner;
import java.time.Duration;

/**
 * The greedy planner. First it serves demand from free instances that already exist, GPUs with
 * instances in use first (they are used anyway), then by position. Then, while demand remains, it
 * reconfigures the one GPU (among those serving nothing yet) whose best option serves the most
 * remaining demand, preferring GPUs already in use, then the lowest position.
 */
public final class GreedyPlanner implements MigPlanner {

  @Override
  public String name() {
    return "greedy";
  }

  @Override
  public MigPlan plan(MigPlanProblem problem) {
    long t0 = System.nanoTime();
    PlanModel m = new PlanModel(problem);
    Solution s = solve(m);
    return m.plan(s.option, s.assign, m.trivialBound() == s.objective(m) ? MigPlanStatus.OPTIMAL
        : MigPlanStatus.FEASIBLE, MigPlanPhase.GREEDY, m.trivialBound(),
        Duration.ofNanos(System.nanoTime() - t0));
  }

  /** A solution: an option per GPU and what each serves. */
  public static final class Solution {
    /** Option per GPU. */
    public final int[] option;
    /** Instances served per GPU and profile. */
    public final int[][] assign;

    Solution(int gpus, int profiles) {
      option = new int[gpus];
      assign = new int[gpus][profiles];
    }

    /**
     * The objective.
     *
     * @param m the model
     * @return its value
     */
    public long objective(PlanModel m) {
      long served = 0;
      long used = 0;
      long reconf = 0;
      for (int g = 0; g < m.gpus; g++) {
        int any = 0;
        for (int p = 0; p < m.profiles.length; p++) {
          any += assign[g][p];
        }
        served += any;
        used += any > 0 || m.inUse[g] ? 1 : 0;
        reconf += option[g] != 0 && !m.layout[g][option[g]].equals(m.layout[g][0]) ? 1 : 0;
      }
      return m.objective(served, used, reconf);
    }
  }

  /**
   * The greedy solution.
   *
   * @param m the model
   * @return the solution
   */
  public static Solution solve(PlanModel m) {
    Solution s = new Solution(m.gpus, m.profiles.length);
    int[] rem = m.demand.clone();
    boolean[] serving = new boolean[m.gpus];
    for (int pass = 0; pass < 2; pass++) {
      for (int g = 0; g < m.gpus; g++) {
        if (m.inUse[g] != (pass == 0)) {
          continue;
        }
        for (int p = 0; p < rem.length; p++) {
          int take = Math.min(rem[p], m.free[g][0][p]);
          s.assign[g][p] = take;
          rem[p] -= take;
          serving[g] |= take > 0;
        }
      }
    }
    while (true) {
      int bestG = -1;
      int bestO = -1;
      int bestGain = 0;
      for (int g = 0; g < m.gpus; g++) {
        if (serving[g]) {
          continue;
        }
        for (int o = 1; o < m.free[g].length; o++) {
          int gain = 0;
          for (int p = 0; p < rem.length; p++) {
            gain += Math.min(rem[p], m.free[g][o][p]);
          }
          boolean better = gain > bestGain
              || gain == bestGain && gain > 0 && m.inUse[g] && !m.inUse[bestG];
          if (better) {
            bestG = g;
            bestO = o;
            bestGain = gain;
          }
        }
      }
      if (bestG < 0) {
        break;
      }
      s.option[bestG] = bestO;
      serving[bestG] = true;
      for (int p = 0; p < rem.length; p++) {
        int take = Math.min(rem[p], m.free[bestG][bestO][p]);
        s.assign[bestG][p] = take;
        rem[p] -= take;
      }
    }
    return s;
  }
}

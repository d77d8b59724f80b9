package io.gpualloc.binpack.mig.internal;

import io.gpualloc.binpack.mig.MigPlan;
import io.gpualloc.binpack.mig.MigPlanPhase;
import io.gpualloc.binpack.mig.MigPlanProblem;
import io.gpualloc.binpack.mig.MigPlanStatus;
import io.gpualloc.binpack.mig.MigPlanner;
import java.time.Duration;
import java.util.PriorityQueue;

/**
 * The greedy planner. First it serves demand from free instances that already exist, GPUs with
 * instances in use first (they are used anyway), then by position. Then, while demand remains, it
 * reconfigures the one GPU (among those serving nothing yet) whose best option serves the most
 * remaining demand, preferring GPUs already in use, then the lowest position. It also runs a
 * second order, every GPU with an instance in use first (each taking whichever option, its
 * current layout included, serves the most), then the free instances and reconfigurations of the
 * others, and keeps the better plan: the first order tends to serve more when supply is short,
 * the second uses far fewer GPUs when it is not (on {@code MigPlanBenchmark}'s 1,000 H100s the
 * first order alone used 916 GPUs).
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
    return solve(m, 0, false);
  }

  /**
   * The greedy solution, cut short at a deadline: once {@link System#nanoTime()} passes it, no
   * further GPU is reconfigured (the solution stays feasible, it serves less).
   *
   * @param m the model
   * @param deadline the instant, in {@link System#nanoTime()} terms
   * @param timed whether the deadline applies
   * @return the solution
   */
  public static Solution solve(PlanModel m, long deadline, boolean timed) {
    Solution spread = solve(m, deadline, timed, false);
    Solution packed = solve(m, deadline, timed, true);
    return packed.objective(m) > spread.objective(m) ? packed : spread;
  }

  /**
   * One greedy run. Without {@code inUseFirst}: serve from existing free instances (GPUs with an
   * instance in use first), then repeatedly reconfigure the GPU whose best option serves the most
   * remaining demand (ties to GPUs in use, then the lowest position). With it: first only GPUs
   * with an instance in use (used anyway, at most a reconfiguration to pay), each taking whichever
   * of its options, the current layout included, serves the most; then existing free instances on
   * the other GPUs; then the others' reconfigurations.
   */
  private static Solution solve(PlanModel m, long deadline, boolean timed, boolean inUseFirst) {
    Solution s = new Solution(m.gpus, m.profiles.length);
    int[] rem = m.demand.clone();
    boolean[] serving = new boolean[m.gpus];
    if (inUseFirst) {
      reconfigure(m, s, rem, serving, 1, 0, deadline, timed);
      existing(m, s, rem, serving, false);
    } else {
      existing(m, s, rem, serving, true);
      existing(m, s, rem, serving, false);
    }
    reconfigure(m, s, rem, serving, 0, 1, deadline, timed);
    return s;
  }

  /** Serves remaining demand from the free instances of GPUs in use (or not), by position. */
  private static void existing(PlanModel m, Solution s, int[] rem, boolean[] serving,
      boolean inUse) {
    for (int g = 0; g < m.gpus; g++) {
      if (m.inUse[g] != inUse || serving[g]) {
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

  /**
   * While demand remains and the deadline allows, gives the GPU (not serving yet) whose option
   * from {@code firstOption} on serves the most remaining demand that option (ties: GPUs in use,
   * then the lowest position; per GPU the lowest such option). {@code only}: 1 for GPUs with an
   * instance in use only, 0 for every GPU.
   *
   * <p>Lazy evaluation: a GPU's best gain never grows as demand is served, so a heap keyed by the
   * gain last computed holds upper bounds; the top is recomputed and taken when its gain is still
   * what the heap says (then no other GPU can beat it), else put back with the new gain. The
   * choice is the one a full scan per step would make.
   */
  private static void reconfigure(PlanModel m, Solution s, int[] rem, boolean[] serving,
      int only, int firstOption, long deadline, boolean timed) {
    // entries: {gain, in use (1/0), GPU}; best first: gain, then in use, then lowest GPU
    PriorityQueue<int[]> heap = new PriorityQueue<>((x, y) -> x[0] != y[0]
        ? Integer.compare(y[0], x[0]) : x[1] != y[1] ? Integer.compare(y[1], x[1])
        : Integer.compare(x[2], y[2]));
    for (int g = 0; g < m.gpus; g++) {
      if (serving[g] || only == 1 && !m.inUse[g]) {
        continue;
      }
      int gain = gain(m, g, firstOption, rem)[0];
      if (gain > 0) {
        heap.add(new int[] {gain, m.inUse[g] ? 1 : 0, g});
      }
    }
    while (!heap.isEmpty() && (!timed || System.nanoTime() - deadline < 0)) {
      int[] top = heap.poll();
      int g = top[2];
      int[] best = gain(m, g, firstOption, rem);
      if (best[0] == 0) {
        continue;
      }
      if (best[0] < top[0]) {
        top[0] = best[0];
        heap.add(top);
        continue;
      }
      int o = best[1];
      s.option[g] = o;
      serving[g] = true;
      for (int p = 0; p < rem.length; p++) {
        int take = Math.min(rem[p], m.free[g][o][p]);
        s.assign[g][p] = take;
        rem[p] -= take;
      }
    }
  }

  /** GPU g's best gain from {@code firstOption} on, and the lowest option reaching it. */
  private static int[] gain(PlanModel m, int g, int firstOption, int[] rem) {
    int bestGain = 0;
    int bestO = -1;
    for (int o = firstOption; o < m.free[g].length; o++) {
      int gain = 0;
      for (int p = 0; p < rem.length; p++) {
        gain += Math.min(rem[p], m.free[g][o][p]);
      }
      if (gain > bestGain) {
        bestGain = gain;
        bestO = o;
      }
    }
    return new int[] {bestGain, bestO};
  }
}

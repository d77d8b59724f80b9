package io.gpualloc.binpack.mig.internal;

import io.gpualloc.binpack.solver.SolverInvariantException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The GPUs of a {@link PlanModel} grouped into classes of interchangeable GPUs: the same
 * instances-in-use flag and the same option vectors in the same order (option 0 keeps the layout,
 * every other option reconfigures). Two GPUs of a class contribute the same to the objective in
 * every option, so a plan only has to say how many GPUs of each class take each option. Lives for
 * one run.
 */
public final class PlanClasses {
  /** The model. */
  public final PlanModel m;
  /** Number of classes. */
  public final int size;
  /** {@code classOf[g]}: the class of GPU g. */
  public final int[] classOf;
  /** {@code members[k]}: the GPUs of class k, by position. */
  public final int[][] members;
  /** {@code free[k][o][p]}: free instances of profile p that option o offers on class k's GPUs. */
  public final int[][][] free;
  /** Whether class k's GPUs have an instance in use. */
  public final boolean[] inUse;
  /** GPUs with an instance in use, in total. */
  public final int inUseGpus;

  /**
   * Groups the GPUs.
   *
   * @param m the model
   */
  public PlanClasses(PlanModel m) {
    this.m = m;
    this.classOf = new int[m.gpus];
    Map<String, Integer> byKey = new HashMap<>();
    Map<int[][], String> keys = new IdentityHashMap<>();
    List<List<Integer>> groups = new ArrayList<>();
    int used = 0;
    for (int g = 0; g < m.gpus; g++) {
      used += m.inUse[g] ? 1 : 0;
      String key = m.inUse[g] + keys.computeIfAbsent(m.free[g], Arrays::deepToString);
      Integer k = byKey.get(key);
      if (k == null) {
        k = groups.size();
        byKey.put(key, k);
        groups.add(new ArrayList<>());
      }
      classOf[g] = k;
      groups.get(k).add(g);
    }
    this.inUseGpus = used;
    this.size = groups.size();
    this.members = new int[size][];
    this.free = new int[size][][];
    this.inUse = new boolean[size];
    for (int k = 0; k < size; k++) {
      members[k] = groups.get(k).stream().mapToInt(Integer::intValue).toArray();
      free[k] = m.free[members[k][0]];
      inUse[k] = m.inUse[members[k][0]];
    }
  }

  /**
   * A per-GPU solution as class counts: {@code counts[k][o]} GPUs of class k take option o and
   * are active (serve something, or have an instance in use).
   *
   * @param s the solution
   * @return the counts
   */
  public int[][] counts(GreedyPlanner.Solution s) {
    int[][] counts = new int[size][];
    for (int k = 0; k < size; k++) {
      counts[k] = new int[free[k].length];
    }
    for (int g = 0; g < m.gpus; g++) {
      int any = 0;
      for (int a : s.assign[g]) {
        any += a;
      }
      if (any > 0 || m.inUse[g] || s.option[g] != 0) {
        counts[classOf[g]][s.option[g]]++;
      }
    }
    return counts;
  }

  /**
   * Expands class counts to a per-GPU solution: in each class the lowest positions take the
   * options in option order, each served profile is spread over the class's active GPUs in
   * position order (each up to what its option offers), and a GPU left serving nothing keeps its
   * layout. The expansion serves exactly {@code served} and uses and reconfigures no more GPUs than
   * the counts say.
   *
   * @param counts {@code counts[k][o]}: active GPUs of class k in option o, at most the class size
   *     in total
   * @param served {@code served[k][p]}: instances of profile p class k serves, at most what its
   *     active GPUs offer
   * @return the solution
   * @throws IllegalStateException when the counts exceed a class or the served instances exceed
   *     what the active GPUs offer (a bug of the caller's model)
   */
  public GreedyPlanner.Solution expand(int[][] counts, int[][] served) {
    GreedyPlanner.Solution s = new GreedyPlanner.Solution(m.gpus, m.profiles.length);
    for (int k = 0; k < size; k++) {
      int[] mem = members[k];
      int next = 0;
      int[] option = new int[mem.length];
      int active = 0;
      for (int o = 0; o < counts[k].length; o++) {
        for (int c = 0; c < counts[k][o]; c++) {
          if (next == mem.length) {
            throw new SolverInvariantException("MIG class model: class " + k + " has "
                + mem.length + " GPUs, the counts ask for more");
          }
          option[next++] = o;
        }
      }
      active = next;
      for (int p = 0; p < m.profiles.length; p++) {
        int rem = served[k][p];
        for (int i = 0; i < active && rem > 0; i++) {
          int take = Math.min(rem, free[k][option[i]][p]);
          s.assign[mem[i]][p] = take;
          rem -= take;
        }
        if (rem > 0) {
          throw new SolverInvariantException("MIG class model: class " + k + " serves "
              + served[k][p] + " of profile " + m.profiles[p] + ", its active GPUs offer less");
        }
      }
      for (int i = 0; i < mem.length; i++) {
        int any = 0;
        for (int a : s.assign[mem[i]]) {
          any += a;
        }
        s.option[mem[i]] = i < active && any > 0 ? option[i] : 0;
      }
    }
    return s;
  }
}

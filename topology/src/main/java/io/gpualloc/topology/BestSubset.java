package io.gpualloc.topology;

import java.util.Arrays;

/**
 * The best link quality of {@code k} GPUs among a given list: the lookahead term of the objective.
 * Value only (no tie-break), so the search cuts every subtree whose bound cannot beat the best value
 * found; a greedy set is the first incumbent. With a node budget the value is the best found when
 * the budget ran out (a lower bound; the caller then reports its answer as not proven optimal).
 */
final class BestSubset {
  private final int n;
  private final int[] q;
  private int m;
  private int[] g = new int[0];
  private long[] a = new long[0];
  private long[][] top = new long[0][];
  private long[] scratch = new long[0];
  private long best;
  private long nodes;
  private long budget;
  /** Whether the last {@link #value} call ran out of budget. */
  boolean aborted;

  BestSubset(Problem p) {
    this.n = p.n;
    this.q = p.quality;
  }

  /**
   * The best quality of {@code k} of {@code gpus[0..len)}, or {@link GpuSetChoice.Chosen#NO_SET}
   * when {@code len < k}.
   */
  long value(int[] gpus, int len, int k, long nodeBudget) {
    aborted = false;
    if (len < k) {
      return GpuSetChoice.Chosen.NO_SET;
    }
    if (k <= 1) {
      return 0;
    }
    m = len;
    g = Arrays.copyOf(gpus, len);
    a = new long[m];
    scratch = new long[m];
    top = new long[m][k];
    int[] row = new int[m - 1];
    for (int i = 0; i < m; i++) {
      int c = 0;
      for (int j = 0; j < m; j++) {
        if (j != i) {
          row[c++] = q[g[i] * n + g[j]];
        }
      }
      Arrays.sort(row, 0, c);
      for (int t = 1; t < k && t <= c; t++) {
        top[i][t] = top[i][t - 1] + row[c - t];
      }
    }
    best = greedy(k);
    if (len == k) {
      return best;
    }
    nodes = 0;
    budget = nodeBudget;
    dfs(0, k, 0);
    return best;
  }

  private long greedy(int k) {
    long[] in = new long[m];
    boolean[] taken = new boolean[m];
    long s = 0;
    for (int step = 0; step < k; step++) {
      int pick = -1;
      long key = Long.MIN_VALUE;
      for (int j = 0; j < m; j++) {
        if (!taken[j]) {
          long v = 2 * in[j] + top[j][k - 1 - step];
          if (pick < 0 || v > key) {
            pick = j;
            key = v;
          }
        }
      }
      taken[pick] = true;
      s += in[pick];
      for (int j = 0; j < m; j++) {
        in[j] += q[g[pick] * n + g[j]];
      }
    }
    return s;
  }

  private void dfs(int pos, int slots, long cur) {
    if (++nodes > budget) {
      aborted = true;
      return;
    }
    if (slots == 0) {
      if (cur > best) {
        best = cur;
      }
      return;
    }
    int avail = m - pos;
    if (avail < slots) {
      return;
    }
    for (int j = pos; j < m; j++) {
      scratch[j - pos] = 2 * a[j] + top[j][slots - 1];
    }
    long ub = Math.floorDiv(2 * cur + BranchAndBoundSelector.sumLargest(scratch, avail, slots), 2);
    if (ub <= best) {
      return;
    }
    int base = g[pos] * n;
    for (int j = pos + 1; j < m; j++) {
      a[j] += q[base + g[j]];
    }
    dfs(pos + 1, slots - 1, cur + a[pos]);
    for (int j = pos + 1; j < m; j++) {
      a[j] -= q[base + g[j]];
    }
    if (!aborted) {
      dfs(pos + 1, slots, cur);
    }
  }
}

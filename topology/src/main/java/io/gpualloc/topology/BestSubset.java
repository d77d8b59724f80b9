package io.gpualloc.topology;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

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
  private long[][] own = new long[0][];
  private long[] scratch = new long[0];
  private int[] row = new int[0];
  private long best;
  private long nodes;
  private long budget;
  /** Whether the last {@link #value} call ran out of budget. */
  boolean aborted;
  /**
   * The GPU bit mask of a set reaching the last {@link #value} (nodes of up to 64 GPUs; 0 when
   * the value was {@link GpuSetChoice.Chosen#NO_SET} or the node is larger).
   */
  long bestMask;
  private long upper;

  BestSubset(Problem p) {
    this.n = p.n;
    this.q = p.quality;
  }

  /**
   * The best quality of {@code k} of {@code gpus[0..len)}, or {@link GpuSetChoice.Chosen#NO_SET}
   * when {@code len < k}.
   */
  long value(int[] gpus, int len, int k, long nodeBudget) {
    return value(gpus, len, k, nodeBudget, null);
  }

  /**
   * As {@link #value(int[], int, int, long)}; with {@code nodeTop} (the node's sums of each GPU's
   * largest qualities to all other GPUs, {@link NodeInterconnect#topScores}) the bound uses those
   * instead of sorting each GPU's qualities to the given ones: weaker, never below the true sums.
   */
  long value(int[] gpus, int len, int k, long nodeBudget, long @Nullable [][] nodeTop) {
    return run(gpus, len, k, nodeBudget, nodeTop, false, Long.MAX_VALUE);
  }

  /**
   * As {@link #value(int[], int, int, long, long[][])}, stopping as soon as a set reaches {@code
   * upper}, a known upper bound of the value.
   */
  long value(int[] gpus, int len, int k, long nodeBudget, long @Nullable [][] nodeTop,
      long upper) {
    return run(gpus, len, k, nodeBudget, nodeTop, false, upper);
  }

  /**
   * The quality of the greedy set alone (a lower bound of {@link #value}), its mask in {@link
   * #bestMask}.
   */
  long greedyValue(int[] gpus, int len, int k, long @Nullable [][] nodeTop) {
    return run(gpus, len, k, 0, nodeTop, true, Long.MAX_VALUE);
  }

  private long run(int[] gpus, int len, int k, long nodeBudget, long @Nullable [][] nodeTop,
      boolean greedyOnly, long upper) {
    aborted = false;
    bestMask = 0;
    if (len < k) {
      return GpuSetChoice.Chosen.NO_SET;
    }
    if (k <= 1) {
      bestMask = k == 1 && n <= 64 ? 1L << gpus[0] : 0;
      return 0;
    }
    m = len;
    if (g.length < len) {
      g = new int[len];
      a = new long[len];
      scratch = new long[len];
      row = new int[len];
    }
    System.arraycopy(gpus, 0, g, 0, len);
    Arrays.fill(a, 0, len, 0L);
    if (top.length < len) {
      top = new long[len][];
      own = Arrays.copyOf(own, len);
    }
    for (int i = 0; i < m; i++) {
      if (nodeTop != null) {
        top[i] = nodeTop[g[i]]; // shared with the node: read only
        continue;
      }
      if (own[i] == null || own[i].length < k) {
        own[i] = new long[k];
      }
      top[i] = own[i];
      int c = 0;
      for (int j = 0; j < m; j++) {
        if (j != i) {
          row[c++] = q[g[i] * n + g[j]];
        }
      }
      Arrays.sort(row, 0, c);
      top[i][0] = 0;
      for (int t = 1; t < k && t <= c; t++) {
        top[i][t] = top[i][t - 1] + row[c - t];
      }
    }
    best = greedy(k);
    if (len == k || greedyOnly || best >= upper) {
      return best;
    }
    this.upper = upper;
    nodes = 0;
    budget = nodeBudget;
    dfs(0, k, 0, 0L);
    return best;
  }

  private long greedy(int k) {
    long[] in = new long[m];
    boolean[] taken = new boolean[m];
    long s = 0;
    long mask = 0;
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
      mask |= n <= 64 ? 1L << g[pick] : 0;
      for (int j = 0; j < m; j++) {
        in[j] += q[g[pick] * n + g[j]];
      }
    }
    bestMask = mask;
    return s;
  }

  private void dfs(int pos, int slots, long cur, long mask) {
    if (++nodes > budget) {
      aborted = true;
      return;
    }
    if (slots == 0) {
      if (cur > best) {
        best = cur;
        bestMask = mask;
      }
      return;
    }
    int avail = m - pos;
    if (avail < slots || best >= upper) {
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
    dfs(pos + 1, slots - 1, cur + a[pos], n <= 64 ? mask | 1L << g[pos] : 0);
    for (int j = pos + 1; j < m; j++) {
      a[j] -= q[base + g[j]];
    }
    if (!aborted) {
      dfs(pos + 1, slots, cur, mask);
    }
  }
}

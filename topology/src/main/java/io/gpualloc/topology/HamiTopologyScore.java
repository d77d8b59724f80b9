package io.gpualloc.topology;

import io.gpualloc.core.RejectReason;

/**
 * Baseline: HAMi's topology-aware GPU choice, rewritten from its documented behaviour. When
 * exactly {@code k} GPUs are usable it takes them; for {@code k = 1} it takes the GPU with the
 * lowest total score to the other usable GPUs (first in index order on ties); otherwise it scores
 * every {@code C(n, k)} combination in lexicographic order and keeps the first with the highest sum
 * of pair scores. HAMi has no must-include notion; here combinations without the must-include GPUs
 * are skipped. Its work grows as {@code C(n, k) * k^2}; above {@link #MAX_COMBINATIONS}
 * combinations (for example 36 of 72 GPUs) it rejects the request with reason {@code POLICY}.
 */
final class HamiTopologyScore extends ProblemSelector {
  static final String NAME = "hami-topology-score";
  /** The largest number of combinations this baseline enumerates. */
  static final long MAX_COMBINATIONS = 50_000_000L;

  HamiTopologyScore(LinkScores scores) {
    super(NAME, scores);
  }

  @Override
  GpuSetChoice solve(Problem p, int k) {
    int[] cand = p.candidates;
    int[] set;
    if (cand.length == k) {
      set = cand.clone();
    } else if (k == 1 && p.must.length == 0) {
      int pick = -1;
      long low = Long.MAX_VALUE;
      for (int i : cand) {
        long s = 0;
        for (int j : cand) {
          s += i == j ? 0 : p.w(i, j);
        }
        if (s < low) {
          low = s;
          pick = i;
        }
      }
      set = new int[] {pick};
    } else if (binomial(cand.length, k) > MAX_COMBINATIONS) {
      return new GpuSetChoice.Rejected(RejectReason.POLICY, NAME + " enumerates C("
          + cand.length + ", " + k + ") combinations, above its limit of " + MAX_COMBINATIONS);
    } else {
      set = bestCombination(p, cand, k);
    }
    return p.baselineChoice(set);
  }

  /** C(n, k), saturating at Long.MAX_VALUE. */
  static long binomial(int n, int k) {
    int kk = Math.min(k, n - k);
    long c = 1;
    for (int i = 1; i <= kk; i++) {
      long next = c * (n - kk + i);
      if (next / (n - kk + i) != c) {
        return Long.MAX_VALUE;
      }
      c = next / i;
    }
    return c;
  }

  private static int[] bestCombination(Problem p, int[] cand, int k) {
    int[] idx = new int[k];
    for (int i = 0; i < k; i++) {
      idx[i] = i;
    }
    int[] best = null;
    long bestScore = Long.MIN_VALUE;
    int[] cur = new int[k];
    while (true) {
      for (int i = 0; i < k; i++) {
        cur[i] = cand[idx[i]];
      }
      if (containsAll(cur, p.must)) {
        long s = p.score(cur);
        if (s > bestScore) {
          bestScore = s;
          best = cur.clone();
        }
      }
      int i = k - 1;
      while (i >= 0 && idx[i] == cand.length - k + i) {
        i--;
      }
      if (i < 0) {
        break;
      }
      idx[i]++;
      for (int j = i + 1; j < k; j++) {
        idx[j] = idx[j - 1] + 1;
      }
    }
    return best;
  }

  private static boolean containsAll(int[] sortedSet, int[] must) {
    for (int g : must) {
      if (java.util.Arrays.binarySearch(sortedSet, g) < 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return NAME;
  }
}

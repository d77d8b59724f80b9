package io.gpualloc.binpack.packing.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Heuristic pricing for column generation in several dimensions: many patterns of large dual
 * value, quickly, one per seed type. Each pattern starts with as many copies of its seed type as
 * fit, then adds the other types greedily in decreasing dual value per normalised size (sizes
 * divided by the capacity, summed over the dimensions), as many copies of each as fit the
 * residual and its demand.
 *
 * <p>It proves nothing: column generation uses it to find improving columns between exact
 * pricings, and keeps the exact {@link PatternKnapsack} for Farley's bound and for convergence.
 * Deterministic: ties break by type index, and the patterns come back in decreasing value, ties
 * by seed.
 */
public final class GreedyPricing {
  private GreedyPricing() {}

  /**
   * Patterns whose value {@code sum_t y[t] a[t]} exceeds {@code threshold}, distinct, best first,
   * at most {@code max}.
   *
   * @param y nonnegative dual value per type (others count as 0)
   * @param size size per type and dimension, nonnegative
   * @param cap capacity per dimension, nonnegative
   * @param demand largest number of copies per type
   * @param threshold the value a pattern must exceed (1 for a negative reduced cost)
   * @param max how many patterns at most
   * @return the patterns, copies per type
   */
  public static List<int[]> columns(double[] y, int[][] size, int[] cap, int[] demand,
      double threshold, int max) {
    int nt = y.length;
    int dims = cap.length;
    // The types worth packing, by decreasing value per normalised size (ties by index).
    List<Integer> live = new ArrayList<>();
    double[] key = new double[nt];
    for (int t = 0; t < nt; t++) {
      if (y[t] > 0 && demand[t] > 0 && fits(size[t], cap)) {
        double norm = 0;
        for (int d = 0; d < dims; d++) {
          if (cap[d] > 0) {
            norm += (double) size[t][d] / cap[d];
          }
        }
        key[t] = norm == 0 ? Double.POSITIVE_INFINITY : y[t] / norm;
        live.add(t);
      }
    }
    live.sort((a, b) -> key[a] != key[b] ? Double.compare(key[b], key[a])
        : Integer.compare(a, b));
    int[] order = live.stream().mapToInt(Integer::intValue).toArray();
    List<int[]> found = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    int[] residual = new int[dims];
    for (int seed : order) {
      int[] a = new int[nt];
      System.arraycopy(cap, 0, residual, 0, dims);
      double v = 0;
      v += take(seed, a, residual, size, demand, y);
      for (int t : order) {
        if (t != seed) {
          v += take(t, a, residual, size, demand, y);
        }
      }
      if (v > threshold) {
        // A 64-bit fingerprint of the pattern; a collision only drops a column.
        long sig = 0;
        for (int t = 0; t < nt; t++) {
          if (a[t] != 0) {
            sig += a[t] * mix(t);
          }
        }
        if (seen.add(sig)) {
          found.add(a);
          values.add(v);
        }
      }
    }
    Integer[] idx = new Integer[found.size()];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (p, q) -> !values.get(p).equals(values.get(q))
        ? Double.compare(values.get(q), values.get(p)) : Integer.compare(p, q));
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i < idx.length && out.size() < max; i++) {
      out.add(found.get(idx[i]));
    }
    return out;
  }

  /** Adds as many copies of {@code t} as fit; returns the value added. */
  private static double take(int t, int[] a, int[] residual, int[][] size, int[] demand,
      double[] y) {
    long m = demand[t] - a[t];
    for (int d = 0; d < residual.length && m > 0; d++) {
      if (size[t][d] > 0) {
        m = Math.min(m, residual[d] / size[t][d]);
      }
    }
    if (m <= 0) {
      return 0;
    }
    a[t] += (int) m;
    for (int d = 0; d < residual.length; d++) {
      residual[d] -= (int) m * size[t][d];
    }
    return m * y[t];
  }

  /** A fixed pseudo-random 64-bit word per type (SplitMix64's finaliser). */
  private static long mix(int t) {
    long z = (t + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static boolean fits(int[] s, int[] cap) {
    for (int d = 0; d < cap.length; d++) {
      if (s[d] > cap[d]) {
        return false;
      }
    }
    return true;
  }
}

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
   * Patterns whose value {@code sum_t y[t] a[t]} exceeds {@code threshold}, distinct, best first
   * (ties in seed order), at most {@code max}. Memory stays at {@code max} patterns whatever the
   * number of types; once {@code deadline} passes, no further seed is tried and the patterns found
   * so far come back.
   *
   * @param y nonnegative dual value per type (others count as 0)
   * @param size size per type and dimension, nonnegative
   * @param cap capacity per dimension, nonnegative
   * @param demand largest number of copies per type
   * @param threshold the value a pattern must exceed (1 for a negative reduced cost)
   * @param max how many patterns at most
   * @param deadline {@link System#nanoTime()} after which no further seed is tried
   * @return the patterns, copies per type
   */
  public static List<int[]> columns(double[] y, int[][] size, int[] cap, int[] demand,
      double threshold, int max, long deadline) {
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
    // The best patterns so far, by decreasing value (a later one enters only when strictly
    // better than the last kept).
    double[] keptValue = new double[Math.max(0, max)];
    int[][] keptPattern = new int[Math.max(0, max)][];
    int kept = 0;
    Set<Long> seen = new HashSet<>();
    int[] residual = new int[dims];
    int[] a = new int[nt];
    int[] touched = new int[order.length];
    for (int s = 0; s < order.length && max > 0; s++) {
      if ((s & 63) == 63 && System.nanoTime() - deadline >= 0) {
        break;
      }
      int seed = order[s];
      System.arraycopy(cap, 0, residual, 0, dims);
      int used = 0;
      double v = take(seed, a, residual, size, demand, y);
      if (a[seed] > 0) {
        touched[used++] = seed;
      }
      for (int t : order) {
        if (t != seed) {
          double add = take(t, a, residual, size, demand, y);
          if (a[t] > 0) {
            touched[used++] = t;
            v += add;
          }
        }
      }
      if (v > threshold && (kept < max || v > keptValue[kept - 1])) {
        // A 64-bit fingerprint of the pattern; a collision only drops a column.
        long sig = 0;
        for (int i = 0; i < used; i++) {
          sig += a[touched[i]] * mix(touched[i]);
        }
        if (seen.add(sig)) {
          int pos = Math.min(kept, max - 1);
          while (pos > 0 && keptValue[pos - 1] < v) {
            if (pos < max) {
              keptValue[pos] = keptValue[pos - 1];
              keptPattern[pos] = keptPattern[pos - 1];
            }
            pos--;
          }
          keptValue[pos] = v;
          keptPattern[pos] = a.clone();
          kept = Math.min(max, kept + 1);
        }
      }
      for (int i = 0; i < used; i++) {
        a[touched[i]] = 0;
      }
    }
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i < kept; i++) {
      out.add(keptPattern[i]);
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

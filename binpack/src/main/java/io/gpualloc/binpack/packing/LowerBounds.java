package io.gpualloc.binpack.packing;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Cheap lower bounds on the number of bins. With several bin types every bound is computed against
 * a bin with the largest capacity of any type in every dimension, which relaxes the instance, so
 * the bounds stay valid; availability limits are ignored (also a relaxation).
 *
 * <p>Known relations: {@code l1 <= l2} for one dimension (L2 with {@code K = 0} is L1), and every
 * bound is at most the optimum.
 */
public final class LowerBounds {
  private LowerBounds() {}

  /**
   * All bounds of {@code instance}.
   *
   * @param instance the packing instance
   * @return all bounds of {@code instance}
   */
  public static Bounds of(PackingInstance instance) {
    int l1 = l1(instance);
    int l2 = l2(instance);
    int clique = conflictClique(instance);
    return new Bounds(l1, l2, clique, Math.max(l1, Math.max(l2, clique)));
  }

  /**
   * The continuous bound of dimension {@code d}: {@code ceil(sum_i w_id / C_d)}.
   *
   * @param instance the packing instance
   * @param d the dimension, 0-based
   * @return the continuous bound of dimension {@code d}: {@code ceil(sum_i w_id / C_d)}
   */
  public static int l1(PackingInstance instance, int d) {
    long cap = instance.maxCapacity(d);
    return (int) ceilDiv(instance.totalSize(d), cap);
  }

  /**
   * L1 for vectors: the largest {@link #l1(PackingInstance, int)} over the dimensions.
   *
   * @param instance the packing instance
   * @return the largest {@link #l1(PackingInstance, int)} over the dimensions
   */
  public static int l1(PackingInstance instance) {
    int best = 0;
    for (int d = 0; d < instance.dimensions(); d++) {
      best = Math.max(best, l1(instance, d));
    }
    return best;
  }

  /**
   * Martello-Toth L2 of dimension {@code d} alone: the largest {@code L(K)} over {@code K = 0} and
   * the distinct sizes {@code <= C/2}, where {@code L(K) = |J1| + |J2| + max(0, ceil((sum J3 -
   * (|J2| C - sum J2)) / C))} with {@code J1 = {w > C-K}}, {@code J2 = {C-K >= w > C/2}}, {@code
   * J3 = {C/2 >= w >= K}}.
   *
   * @param instance the packing instance
   * @param d the dimension, 0-based
   * @return L2 of dimension {@code d}
   */
  public static int l2(PackingInstance instance, int d) {
    int n = instance.itemCount();
    long c = instance.maxCapacity(d);
    int[] w = new int[n];
    for (int i = 0; i < n; i++) {
      w[i] = instance.size(i, d);
    }
    Arrays.sort(w);
    long[] prefix = new long[n + 1];
    for (int i = 0; i < n; i++) {
      prefix[i + 1] = prefix[i] + w[i];
    }
    long half = c / 2;
    int best = 0;
    int prevK = -1;
    for (int idx = -1; idx < n; idx++) {
      long k = idx < 0 ? 0 : w[idx];
      if (k > half) {
        break;
      }
      if (k == prevK) {
        continue;
      }
      prevK = (int) k;
      int j1Start = upper(w, c - k); // w > c-k
      int j2Start = upper(w, half); // w > c/2
      int j3Start = lower(w, k); // w >= k
      long j1 = n - j1Start;
      long j2 = j1Start - j2Start;
      long sumJ2 = prefix[j1Start] - prefix[j2Start];
      long sumJ3 = prefix[j2Start] - prefix[j3Start];
      long rest = sumJ3 - (j2 * c - sumJ2);
      long value = j1 + j2 + Math.max(0, ceilDiv(rest, c));
      best = (int) Math.max(best, value);
    }
    return best;
  }

  /**
   * The largest {@link #l2(PackingInstance, int)} over the dimensions.
   *
   * @param instance the packing instance
   * @return the largest {@link #l2(PackingInstance, int)} over the dimensions
   */
  public static int l2(PackingInstance instance) {
    int best = 0;
    for (int d = 0; d < instance.dimensions(); d++) {
      best = Math.max(best, l2(instance, d));
    }
    return best;
  }

  /**
   * The size of a clique of pairwise conflicting items, found greedily over items by decreasing
   * largest normalised size: two items conflict when no bin type holds both. Each needs its own
   * bin, so the size is a lower bound.
   *
   * @param instance the packing instance
   * @return the size of a clique of pairwise conflicting items, found greedily over items by
   *     decreasing largest normalised size: two items conflict when no bin type holds both
   */
  public static int conflictClique(PackingInstance instance) {
    int n = instance.itemCount();
    int dims = instance.dimensions();
    Integer[] order = new Integer[n];
    double[] key = new double[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
      for (int d = 0; d < dims; d++) {
        key[i] = Math.max(key[i], (double) instance.size(i, d) / instance.maxCapacity(d));
      }
    }
    Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -key[i]).thenComparingInt(i -> i));
    int[] clique = new int[n];
    int size = 0;
    for (int cand : order) {
      boolean all = true;
      for (int k = 0; k < size && all; k++) {
        all = conflict(instance, cand, clique[k]);
      }
      if (all) {
        clique[size++] = cand;
      }
    }
    return size;
  }

  /** Whether no bin type can hold items {@code a} and {@code b} together. */
  static boolean conflict(PackingInstance instance, int a, int b) {
    for (BinType t : instance.binTypes()) {
      boolean both = true;
      for (int d = 0; d < instance.dimensions() && both; d++) {
        both = (long) instance.size(a, d) + instance.size(b, d) <= t.capacity(d);
      }
      if (both) {
        return false;
      }
    }
    return true;
  }

  /** Smallest cost any packing of {@code bins} bins can have: bins times the cheapest type. */
  static long costOf(PackingInstance instance, int bins) {
    long min = Long.MAX_VALUE;
    for (BinType t : instance.binTypes()) {
      min = Math.min(min, t.cost());
    }
    return min * bins;
  }

  private static long ceilDiv(long a, long b) {
    return a <= 0 ? 0 : (a + b - 1) / b;
  }

  /** First index with {@code w[i] > x}. */
  private static int upper(int[] w, long x) {
    int lo = 0;
    int hi = w.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (w[mid] <= x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** First index with {@code w[i] >= x}. */
  private static int lower(int[] w, long x) {
    int lo = 0;
    int hi = w.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (w[mid] < x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}

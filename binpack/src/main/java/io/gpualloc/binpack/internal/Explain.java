package io.gpualloc.binpack.internal;

import io.gpualloc.core.ClusterView;
import io.gpualloc.core.NodeRejection;
import io.gpualloc.core.RejectReason;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/** Rejection messages with node names, and the ranking sort of the scored lists. */
public final class Explain {
  /** How many nodes a rejection message names, one per distinct reason. */
  static final int EXAMPLES = 3;

  /** The rejection of a cordoned node. */
  public static final NodeRejection CORDONED = NodeRejection.of(RejectReason.NODE_CORDONED,
      "node cordoned: it takes no new allocation");
  /** The rejection of a removed node id. */
  public static final NodeRejection REMOVED = NodeRejection.of(RejectReason.NODE_REMOVED,
      "node removed");

  private Explain() {}

  /** {@link #CORDONED} or {@link #REMOVED} for a node that takes no placement, else null. */
  public static @Nullable NodeRejection unavailable(ClusterView view, int node) {
    if (view.isSchedulable(node)) {
      return null;
    }
    return view.cluster().isLive(node) ? CORDONED : REMOVED;
  }

  /** The node's name, or {@code #id} for a removed id. */
  public static String name(ClusterView view, int node) {
    return view.cluster().isLive(node) ? view.cluster().node(node).name() : "#" + node;
  }

  /** {@link #message(ClusterView, IntFunction)} over an array of per-node rejections. */
  public static String message(ClusterView view, NodeRejection[] why) {
    return message(view, node -> why[node]);
  }

  /**
   * A sentence naming the first node of each of the first {@link #EXAMPLES} distinct reasons with
   * its numbers, for example {@code node a: cpu: needs 4000m, 2000m free; node c: gpu 3: needs 300
   * milli, 150 free}; empty for an empty cluster.
   */
  public static String message(ClusterView view, IntFunction<NodeRejection> why) {
    return message(view, why, EXAMPLES);
  }

  /**
   * {@link #message(ClusterView, IntFunction)} when the caller knows there are only {@code
   * distinct} distinct reasons (the scan stops once it has named that many).
   */
  public static String message(ClusterView view, IntFunction<NodeRejection> why, int distinct) {
    int want = Math.min(EXAMPLES, distinct);
    int n = view.cluster().nodeIdBound();
    StringBuilder sb = new StringBuilder();
    boolean[] seen = new boolean[RejectReason.values().length];
    int named = 0;
    for (int node = 0; node < n && named < want; node++) {
      NodeRejection r = why.apply(node);
      if (r == null || r.reason() == RejectReason.NODE_REMOVED || seen[r.reason().ordinal()]) {
        continue;
      }
      seen[r.reason().ordinal()] = true;
      if (named++ > 0) {
        sb.append("; ");
      }
      sb.append("node ").append(view.cluster().node(node).name()).append(": ").append(r.detail());
    }
    return sb.toString();
  }

  /**
   * Sorts {@code order[from..to)} (indexes into {@code key} and {@code tie}) by {@code key}
   * descending, then {@code tie} ascending. The ties must be distinct non-negative ints (node ids,
   * node priorities, positions). With fewer than 2^21 entries and ties the sort is a primitive
   * sort of packed {@code (key rank, tie, index)} longs; otherwise a merge sort.
   */
  public static void sortDescending(int[] order, int from, int to, double[] key, int[] tie) {
    int len = to - from;
    if (len < 2) {
      return;
    }
    int maxTie = 0;
    int maxIdx = 0;
    boolean sorted = true;
    for (int j = from; j < to; j++) {
      int i = order[j];
      maxTie = Math.max(maxTie, tie[i]);
      maxIdx = Math.max(maxIdx, i);
      if (j > from) {
        int h = order[j - 1];
        sorted &= key[h] > key[i] || (key[h] == key[i] && tie[h] < tie[i]);
      }
    }
    if (sorted) {
      return; // already in order (equal scores in tie order, as first fit's are)
    }
    if (maxTie < 4L * len + 1024 && bucketSort(order, from, to, key, tie, maxTie)) {
      return;
    }
    if (len >= (1 << 21) || maxTie >= (1 << 21) || maxIdx >= (1 << 21)) {
      mergeSort(order, new int[len], from, to, key, tie);
      return;
    }
    double[] distinct = new double[len];
    for (int j = 0; j < len; j++) {
      distinct[j] = key[order[from + j]] + 0.0; // -0.0 ranks as 0.0
    }
    java.util.Arrays.sort(distinct);
    int m = 0;
    for (int j = 0; j < len; j++) {
      if (m == 0 || distinct[j] != distinct[m - 1]) {
        distinct[m++] = distinct[j];
      }
    }
    long[] packed = new long[len];
    for (int j = 0; j < len; j++) {
      int i = order[from + j];
      long rank = m - 1 - java.util.Arrays.binarySearch(distinct, 0, m, key[i] + 0.0);
      packed[j] = rank << 42 | (long) tie[i] << 21 | i;
    }
    java.util.Arrays.sort(packed);
    for (int j = 0; j < len; j++) {
      order[from + j] = (int) (packed[j] & ((1 << 21) - 1));
    }
  }

  /** Distinct keys a bucket sort handles; more fall back to a comparison sort. */
  private static final int MAX_BUCKETS = 512;

  /**
   * The few-distinct-keys case in linear time: entries visited in tie order (direct addressing
   * by tie), dealt into one bucket per distinct key, buckets in descending key order. False (and
   * {@code order} untouched) when there are too many distinct keys or ties repeat.
   */
  private static boolean bucketSort(int[] order, int from, int to, double[] key, int[] tie,
      int maxTie) {
    int len = to - from;
    int cap = 2 * MAX_BUCKETS;
    long[] slotKey = new long[cap];
    int[] slotId = new int[cap];
    java.util.Arrays.fill(slotId, -1);
    double[] value = new double[MAX_BUCKETS];
    int[] bucketOf = new int[len];
    int m = 0;
    for (int j = 0; j < len; j++) {
      double k = key[order[from + j]] + 0.0;
      long bits = Double.doubleToLongBits(k);
      int h = (int) (bits ^ (bits >>> 29) ^ (bits >>> 43)) * 0x9E3779B9 >>> 22 & (cap - 1);
      while (slotId[h] >= 0 && slotKey[h] != bits) {
        h = (h + 1) & (cap - 1);
      }
      if (slotId[h] < 0) {
        if (m == MAX_BUCKETS) {
          return false;
        }
        slotKey[h] = bits;
        slotId[h] = m;
        value[m++] = k;
      }
      bucketOf[j] = slotId[h];
    }
    boolean ascending = true;
    for (int j = 1; j < len && ascending; j++) {
      ascending = tie[order[from + j - 1]] < tie[order[from + j]];
    }
    int[] byTie = null;
    if (!ascending) {
      byTie = new int[maxTie + 1];
      java.util.Arrays.fill(byTie, -1);
      for (int j = 0; j < len; j++) {
        int t = tie[order[from + j]];
        if (byTie[t] >= 0) {
          return false; // ties must be distinct
        }
        byTie[t] = j;
      }
    }
    // buckets by descending key
    Integer[] ids = new Integer[m];
    for (int b = 0; b < m; b++) {
      ids[b] = b;
    }
    java.util.Arrays.sort(ids, (a, b) -> Double.compare(value[b], value[a]));
    int[] start = new int[m];
    int[] count = new int[m];
    for (int j = 0; j < len; j++) {
      count[bucketOf[j]]++;
    }
    int at = 0;
    for (Integer b : ids) {
      start[b] = at;
      at += count[b];
    }
    int[] copy = java.util.Arrays.copyOfRange(order, from, to);
    if (byTie == null) { // already in tie order
      for (int j = 0; j < len; j++) {
        order[from + start[bucketOf[j]]++] = copy[j];
      }
      return true;
    }
    for (int t = 0; t <= maxTie; t++) {
      int j = byTie[t];
      if (j >= 0) {
        order[from + start[bucketOf[j]]++] = copy[j];
      }
    }
    return true;
  }

  private static int maxIndex(int[] order, int from, int to) {
    int max = 0;
    for (int j = from; j < to; j++) {
      max = Math.max(max, order[j]);
    }
    return max;
  }

  private static void mergeSort(int[] a, int[] tmp, int lo, int hi, double[] key, int[] tie) {
    if (hi - lo <= 16) {
      for (int i = lo + 1; i < hi; i++) {
        int x = a[i];
        int j = i - 1;
        while (j >= lo && before(x, a[j], key, tie)) {
          a[j + 1] = a[j];
          j--;
        }
        a[j + 1] = x;
      }
      return;
    }
    int mid = (lo + hi) >>> 1;
    mergeSort(a, tmp, lo, mid, key, tie);
    mergeSort(a, tmp, mid, hi, key, tie);
    if (!before(a[mid], a[mid - 1], key, tie)) {
      return;
    }
    int base = lo;
    System.arraycopy(a, lo, tmp, 0, mid - lo);
    int i = 0;
    int iend = mid - lo;
    int j = mid;
    int k = lo;
    while (i < iend && j < hi) {
      a[k++] = before(a[j], tmp[i], key, tie) ? a[j++] : tmp[i++];
    }
    while (i < iend) {
      a[k++] = tmp[i++];
    }
    assert base == lo;
  }

  /** Whether x ranks strictly before y. */
  private static boolean before(int x, int y, double[] key, int[] tie) {
    return key[x] > key[y] || (key[x] == key[y] && tie[x] < tie[y]);
  }
}

package io.gpualloc.binpack.gang.internal;

import io.gpualloc.binpack.internal.Fit;
import io.gpualloc.core.ClusterView;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.IntraNodeTopology;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import io.gpualloc.core.Request;
import io.gpualloc.topology.GpuSet;
import io.gpualloc.topology.GpuSetChoice;
import io.gpualloc.topology.GpuSetSelector;
import io.gpualloc.topology.NodeInterconnect;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How many pods of one template a node holds, and the grants of the next pod there. The count is
 * exact for the grants {@link #choose} makes: whole GPUs (any allowed free GPUs), shares (the
 * largest remaining per-GPU pod capacity first, which reaches the bound sum(min(a_i, p)) >= k p)
 * and CPU-only pods by arithmetic; MIG instances and multi-GPU templates whose intra-node topology
 * is REQUIRED by simulating {@link #choose} on the overlay and rolling back.
 */
final class Pods {
  private final Map<String, NodeInterconnect> interconnects;
  private final GpuSetSelector selector;

  Pods(Map<String, NodeInterconnect> interconnects, GpuSetSelector selector) {
    this.interconnects = interconnects;
    this.selector = selector;
  }

  /** Room above this many pods per node (and above the limit) is reported as the larger. */
  static final int PLENTY = 4096;

  /**
   * The pods of {@code t} node {@code node} holds in {@code v}. Counted by arithmetic, the answer
   * is exact up to {@code max(limit, PLENTY)} (so that best fit compares true room); counted by
   * simulation it stops at {@code limit}, which callers set to the pods they need.
   */
  int count(Request t, Overlay v, int node, int limit) {
    if (limit <= 0 || !v.isSchedulable(node)) {
      return 0;
    }
    int cap = Math.max(limit, PLENTY);
    if (t.cpuMilli() > 0) {
      cap = Math.min(cap, Math.max(0, v.freeCpuMilli(node)) / t.cpuMilli());
    }
    if (t.memoryMib() > 0) {
      cap = Math.min(cap, Math.max(0, v.freeMemoryMib(node)) / t.memoryMib());
    }
    if (cap == 0) {
      return 0;
    }
    GpuDemand d = t.gpu();
    if (d instanceof GpuDemand.None) {
      return cap;
    }
    boolean simulate = d instanceof GpuDemand.Mig
        || (t.topology() == IntraNodeTopology.REQUIRED && d.count() >= 2);
    if (simulate) {
      return simulate(t, v, node, Math.min(cap, limit));
    }
    if (d instanceof GpuDemand.Whole w) {
      int free = Fit.hasGpuFilter(t) ? allowedFree(t, v, node) : v.freeWholeGpus(node);
      return Math.min(cap, free / w.count());
    }
    GpuDemand.Shared s = (GpuDemand.Shared) d;
    int[] a = shareCapacities(t, v, node, s);
    int p = 0;
    while (p < cap && fitsShares(a, s.count(), p + 1)) {
      p++;
    }
    return p;
  }

  private static boolean fitsShares(int[] a, int k, int p) {
    long sum = 0;
    for (int x : a) {
      sum += Math.min(x, p);
    }
    return sum >= (long) k * p;
  }

  private int simulate(Request t, Overlay v, int node, int cap) {
    int mark = v.mark();
    int n = 0;
    while (n < cap) {
      List<GpuGrant> g = choose(t, v, node);
      if (g == null) {
        break;
      }
      v.apply(new Placement("count", node, t.cpuMilli(), t.memoryMib(), g));
      n++;
    }
    v.rollback(mark);
    return n;
  }

  private static int allowedFree(Request t, ClusterView v, int node) {
    Node n = v.cluster().node(node);
    int off = v.cluster().gpuOffset(node);
    int f = 0;
    for (int i = 0; i < n.gpuCount(); i++) {
      if (t.allowsGpu(n.gpu(i)) && v.canTakeWhole(off + i)) {
        f++;
      }
    }
    return f;
  }

  /** Per GPU of the node, how many shares of {@code s} it can still take (0 when none). */
  private static int[] shareCapacities(Request t, ClusterView v, int node, GpuDemand.Shared s) {
    Node n = v.cluster().node(node);
    int off = v.cluster().gpuOffset(node);
    boolean filtered = Fit.hasGpuFilter(t);
    int[] a = new int[n.gpuCount()];
    for (int i = 0; i < a.length; i++) {
      if ((filtered && !t.allowsGpu(n.gpu(i)))
          || !v.canShare(off + i, s.computeMilli(), s.memoryMib())) {
        continue;
      }
      int c = s.computeMilli() > 0 ? v.gpuFreeComputeMilli(off + i) / s.computeMilli()
          : Integer.MAX_VALUE;
      int m = s.memoryMib() > 0 ? v.gpuFreeMemoryMib(off + i) / s.memoryMib() : Integer.MAX_VALUE;
      a[i] = Math.min(Math.min(c, m), v.gpuSharesLeft(off + i)); // and its split count
    }
    return a;
  }

  /** The grants of one more pod of {@code t} on the node, or null when it does not fit. */
  @Nullable List<GpuGrant> choose(Request t, Overlay v, int node) {
    if (!v.isSchedulable(node) || v.freeCpuMilli(node) < t.cpuMilli()
        || v.freeMemoryMib(node) < t.memoryMib()) {
      return null;
    }
    GpuDemand d = t.gpu();
    if (d instanceof GpuDemand.None) {
      return List.of();
    }
    boolean required = t.topology() == IntraNodeTopology.REQUIRED && d.count() >= 2;
    Node n = v.cluster().node(node);
    NodeInterconnect ic = interconnects.get(n.name());
    if (ic != null && ic.gpuCount() != n.gpuCount()) {
      ic = null;
    }
    if (d instanceof GpuDemand.Mig) {
      return required ? null : Fit.migGrants(t, v, node);
    }
    if (required && ic == null) {
      return null;
    }
    int off = v.cluster().gpuOffset(node);
    if (d instanceof GpuDemand.Whole w) {
      List<Integer> free = new ArrayList<>();
      for (int i = 0; i < n.gpuCount(); i++) {
        if (t.allowsGpu(n.gpu(i)) && v.canTakeWhole(off + i)) {
          free.add(i);
        }
      }
      if (free.size() < w.count()) {
        return null;
      }
      int[] set = null;
      if (ic != null && w.count() >= 2) {
        GpuSetChoice c = selector.select(ic, GpuSet.of(free), GpuSet.empty(), w.count());
        if (c instanceof GpuSetChoice.Chosen chosen) {
          set = chosen.gpus().toArray();
        }
        if (required && (set == null || !allNvlink(ic, set))) {
          set = clique(ic, free.stream().mapToInt(Integer::intValue).toArray(), w.count());
          if (set == null) {
            return null;
          }
        }
      }
      if (set == null) {
        set = new int[w.count()];
        for (int i = 0; i < set.length; i++) {
          set[i] = free.get(i);
        }
      }
      List<GpuGrant> out = new ArrayList<>(set.length);
      for (int g : set) {
        out.add(GpuGrant.whole(g));
      }
      return out;
    }
    GpuDemand.Shared s = (GpuDemand.Shared) d;
    int[] a = shareCapacities(t, v, node, s);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < a.length; i++) {
      if (a[i] > 0) {
        order.add(i);
      }
    }
    order.sort((x, y) -> a[x] != a[y] ? Integer.compare(a[y], a[x]) : Integer.compare(x, y));
    if (order.size() < s.count()) {
      return null;
    }
    int[] set;
    if (required) {
      set = clique(ic, order.stream().mapToInt(Integer::intValue).toArray(), s.count());
      if (set == null) {
        return null;
      }
    } else {
      set = new int[s.count()];
      for (int i = 0; i < set.length; i++) {
        set[i] = order.get(i);
      }
    }
    List<GpuGrant> out = new ArrayList<>(set.length);
    for (int g : set) {
      out.add(GpuGrant.share(g, s.computeMilli(), s.memoryMib()));
    }
    return out;
  }

  static boolean allNvlink(NodeInterconnect ic, int[] set) {
    for (int i = 0; i < set.length; i++) {
      for (int j = i + 1; j < set.length; j++) {
        if (!ic.locality(set[i], set[j]).isNvLink()) {
          return false;
        }
      }
    }
    return true;
  }

  /** The first k-clique of the NVLink graph among {@code candidates}, in their order, or null. */
  static int @Nullable [] clique(NodeInterconnect ic, int[] candidates, int k) {
    int[] pick = new int[k];
    return extend(ic, candidates, 0, pick, 0, k) ? pick : null;
  }

  private static boolean extend(NodeInterconnect ic, int[] c, int from, int[] pick, int size,
      int k) {
    if (size == k) {
      return true;
    }
    for (int i = from; i <= c.length - (k - size); i++) {
      boolean ok = true;
      for (int j = 0; j < size && ok; j++) {
        ok = ic.locality(pick[j], c[i]).isNvLink();
      }
      if (ok) {
        pick[size] = c[i];
        if (extend(ic, c, i + 1, pick, size + 1, k)) {
          return true;
        }
      }
    }
    return false;
  }
}

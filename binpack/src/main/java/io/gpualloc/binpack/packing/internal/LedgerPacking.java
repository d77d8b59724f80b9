package io.gpualloc.binpack.packing.internal;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.Gpu;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import io.gpualloc.core.Request;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Request placement with per-GPU granularity, checked by the ledger itself: whole GPUs take the
 * lowest-index free allowed GPUs, shares go best-fit (least free compute left, then least free
 * memory, then index) on distinct allowed GPUs.
 */
public final class LedgerPacking {
  private LedgerPacking() {}

  /** A placement of {@code r} on {@code nodeId} given what {@code state} has free, or null. */
  public static @Nullable Placement fit(ClusterState state, int nodeId, Request r) {
    Cluster c = state.cluster();
    if (state.freeCpuMilli(nodeId) < r.cpuMilli() || state.freeMemoryMib(nodeId) < r.memoryMib()) {
      return null;
    }
    Node node = c.node(nodeId);
    Placement.Builder b = Placement.builder(r.name(), nodeId)
        .cpuMilli(r.cpuMilli()).memoryMib(r.memoryMib());
    GpuDemand d = r.gpu();
    if (d instanceof GpuDemand.Whole w) {
      int got = 0;
      for (int i = 0; i < node.gpuCount() && got < w.count(); i++) {
        Gpu g = node.gpu(i);
        if (r.allowsGpu(g) && state.canTakeWhole(c.gpuId(nodeId, i))) {
          b.whole(i);
          got++;
        }
      }
      if (got < w.count()) {
        return null;
      }
    } else if (d instanceof GpuDemand.Shared s) {
      List<Integer> cand = new ArrayList<>();
      for (int i = 0; i < node.gpuCount(); i++) {
        int id = c.gpuId(nodeId, i);
        if (r.allowsGpu(node.gpu(i)) && state.canShare(id, s.computeMilli(), s.memoryMib())) {
          cand.add(i);
        }
      }
      if (cand.size() < s.count()) {
        return null;
      }
      cand.sort(Comparator.<Integer>comparingInt(i -> state.gpuFreeComputeMilli(c.gpuId(nodeId, i)))
          .thenComparingInt(i -> state.gpuFreeMemoryMib(c.gpuId(nodeId, i)))
          .thenComparingInt(i -> i));
      for (int k = 0; k < s.count(); k++) {
        b.share(cand.get(k), s.computeMilli(), s.memoryMib());
      }
    } else if (!(d instanceof GpuDemand.None)) {
      return null;
    }
    return b.build();
  }

  /** Requests ordered by decreasing normalised size, ties by position. */
  public static int[] order(Cluster c, List<Request> requests) {
    double[] max = new double[4];
    for (Node n : c.nodes()) {
      max[0] = Math.max(max[0], n.cpuMilli());
      max[1] = Math.max(max[1], n.memoryMib());
      max[2] = Math.max(max[2], 1000.0 * n.gpuCount());
    }
    double[] key = new double[requests.size()];
    for (int i = 0; i < key.length; i++) {
      Request r = requests.get(i);
      key[i] = r.cpuMilli() / Math.max(1, max[0]) + r.memoryMib() / Math.max(1, max[1])
          + gpuMilli(r) / Math.max(1, max[2]);
    }
    Integer[] idx = new Integer[key.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, Comparator.<Integer>comparingDouble(i -> -key[i]).thenComparingInt(i -> i));
    return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
  }

  /** GPU compute a request takes in milli-GPU (1000 per whole GPU). */
  public static long gpuMilli(Request r) {
    GpuDemand d = r.gpu();
    if (d instanceof GpuDemand.Whole w) {
      return 1000L * w.count();
    }
    if (d instanceof GpuDemand.Shared s) {
      return (long) s.computeMilli() * s.count();
    }
    return 0;
  }

  /**
   * First Fit Decreasing on the ledger: nodes are opened in {@code nodeOrder}; each request goes to
   * the first opened node that takes it, else to the first unopened node that does.
   *
   * @return placements by request position (null where nothing fits)
   */
  public static Placement[] firstFitDecreasing(Cluster c, List<Request> requests, int[] nodeOrder) {
    ClusterState state = new ClusterState(c);
    Placement[] out = new Placement[requests.size()];
    List<Integer> open = new ArrayList<>();
    boolean[] opened = new boolean[c.nodeIdBound()];
    for (int i : order(c, requests)) {
      Request r = requests.get(i);
      Placement p = null;
      for (int n : open) {
        p = fit(state, n, r);
        if (p != null) {
          break;
        }
      }
      if (p == null) {
        for (int n : nodeOrder) {
          if (!opened[n]) {
            p = fit(state, n, r);
            if (p != null) {
              opened[n] = true;
              open.add(n);
              break;
            }
          }
        }
      }
      if (p != null) {
        state.allocate(p);
        out[i] = p;
      }
    }
    return out;
  }

  /**
   * Places each group of requests on its node (requests by decreasing size), all on one ledger.
   *
   * @param groups request positions per node id (empty lists for unused nodes)
   * @return placements by request position, or null when some request does not fit its node
   */
  public static Placement @Nullable [] realise(Cluster c, List<Request> requests,
      List<List<Integer>> groups) {
    ClusterState state = new ClusterState(c);
    Placement[] out = new Placement[requests.size()];
    int[] rank = new int[requests.size()];
    int[] ord = order(c, requests);
    for (int k = 0; k < ord.length; k++) {
      rank[ord[k]] = k;
    }
    for (int n = 0; n < groups.size(); n++) {
      List<Integer> g = new ArrayList<>(groups.get(n));
      g.sort(Comparator.comparingInt(i -> rank[i]));
      for (int i : g) {
        Placement p = fit(state, n, requests.get(i));
        if (p == null) {
          return null;
        }
        state.allocate(p);
        out[i] = p;
      }
    }
    return out;
  }

  /**
   * As {@link #realise}, but a request that does not fit its node (the vector relaxation ignores
   * how shares split over GPUs) is not fatal: the leftovers, largest first, go first-fit onto the
   * nodes already in use, then onto unused nodes in {@code nodeOrder}. Every placement is
   * allocated on one ledger, so the answer is valid; a request that fits nowhere stays null.
   *
   * @param groups request positions per node id (empty lists for unused nodes)
   * @param nodeOrder the order in which unused nodes are opened
   * @return placements by request position (null for a request placed nowhere)
   */
  public static Placement[] realiseWithRepair(Cluster c, List<Request> requests,
      List<List<Integer>> groups, int[] nodeOrder) {
    ClusterState state = new ClusterState(c);
    Placement[] out = new Placement[requests.size()];
    int[] ord = order(c, requests);
    int[] rank = new int[requests.size()];
    for (int k = 0; k < ord.length; k++) {
      rank[ord[k]] = k;
    }
    List<Integer> used = new ArrayList<>();
    boolean[] isUsed = new boolean[c.nodeIdBound()];
    List<Integer> left = new ArrayList<>();
    for (int n = 0; n < groups.size(); n++) {
      List<Integer> g = new ArrayList<>(groups.get(n));
      g.sort(Comparator.comparingInt(i -> rank[i]));
      for (int i : g) {
        Placement p = fit(state, n, requests.get(i));
        if (p == null) {
          left.add(i);
          continue;
        }
        state.allocate(p);
        out[i] = p;
        if (!isUsed[n]) {
          isUsed[n] = true;
          used.add(n);
        }
      }
    }
    left.sort(Comparator.comparingInt(i -> rank[i]));
    for (int i : left) {
      Placement p = null;
      for (int n : used) {
        p = fit(state, n, requests.get(i));
        if (p != null) {
          break;
        }
      }
      if (p == null) {
        for (int n : nodeOrder) {
          if (!isUsed[n]) {
            p = fit(state, n, requests.get(i));
            if (p != null) {
              isUsed[n] = true;
              used.add(n);
              break;
            }
          }
        }
      }
      if (p != null) {
        state.allocate(p);
        out[i] = p;
      }
    }
    return out;
  }
}

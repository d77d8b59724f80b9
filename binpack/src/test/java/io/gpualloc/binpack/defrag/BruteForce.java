package io.gpualloc.binpack.defrag;

import io.gpualloc.core.ClusterState;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.GpuallocException;
import io.gpualloc.core.Placement;
import io.gpualloc.core.Request;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The cheapest plan by enumeration, in the planners' plan space: each movable allocation stays,
 * is evicted (when allowed) or moves once to another schedulable node; moves between nodes form
 * no cycle; every GPU choice of the moved allocations and pending pods is tried on a fork of the
 * ledger. Returns -1 when no plan exists. Only for tiny instances.
 */
final class BruteForce {
  private BruteForce() {}

  static long optimum(DefragProblem p) {
    ClusterState base = p.ledger();
    int nodes = base.cluster().nodeIdBound();
    List<Placement> items = new ArrayList<>();
    for (Placement a : p.allocations()) {
      if (p.isMovable(a.allocationId())) {
        items.add(a);
      }
    }
    int m = items.size();
    // option o of item i: 0 stay, 1 evict, 2 + j move to node j
    int radix = 2 + nodes;
    int total = 1;
    for (int i = 0; i < m; i++) {
      total *= radix;
    }
    List<int[]> combos = new ArrayList<>();
    for (int c = 0; c < total; c++) {
      int[] o = new int[m];
      int x = c;
      boolean ok = true;
      for (int i = 0; i < m; i++) {
        o[i] = x % radix;
        x /= radix;
        if (o[i] == 1 && !p.evictionAllowed()
            || o[i] >= 2 && (o[i] - 2 == items.get(i).nodeId()
                || !base.isSchedulable(o[i] - 2))) {
          ok = false;
        }
      }
      if (ok) {
        combos.add(o);
      }
    }
    long[] cost = new long[combos.size()];
    Integer[] order = new Integer[combos.size()];
    for (int k = 0; k < combos.size(); k++) {
      order[k] = k;
      int[] o = combos.get(k);
      for (int i = 0; i < m; i++) {
        AllocationCost c = p.cost(items.get(i).allocationId());
        cost[k] += o[i] == 0 ? 0 : o[i] == 1 ? c.evict() : c.move();
      }
    }
    Arrays.sort(order, Comparator.comparingLong(k -> cost[k]));
    for (int k : order) {
      int[] o = combos.get(k);
      if (cyclic(o, items, nodes) || !feasible(p, base, items, o)) {
        continue;
      }
      return cost[k];
    }
    return -1;
  }

  static boolean cyclic(int[] o, List<Placement> items, int nodes) {
    boolean[][] edge = new boolean[nodes][nodes];
    for (int i = 0; i < o.length; i++) {
      if (o[i] >= 2) {
        edge[items.get(i).nodeId()][o[i] - 2] = true;
      }
    }
    // Floyd-Warshall reachability on at most 3 nodes
    for (int k = 0; k < nodes; k++) {
      for (int a = 0; a < nodes; a++) {
        for (int b = 0; b < nodes; b++) {
          edge[a][b] |= edge[a][k] && edge[k][b];
        }
      }
    }
    for (int a = 0; a < nodes; a++) {
      if (edge[a][a]) {
        return true;
      }
    }
    return false;
  }

  static boolean feasible(DefragProblem p, ClusterState base, List<Placement> items, int[] o) {
    ClusterState s = base.fork();
    List<Request> goers = new ArrayList<>();
    List<Integer> where = new ArrayList<>();
    for (int i = 0; i < o.length; i++) {
      if (o[i] != 0) {
        s.release(items.get(i).allocationId());
      }
      if (o[i] >= 2) {
        goers.add(p.request(items.get(i).allocationId()));
        where.add(o[i] - 2);
      }
    }
    if (p.goal() instanceof DefragGoal.EmptyNodes e) {
      int empty = 0;
      for (int n = 0; n < s.cluster().nodeIdBound(); n++) {
        boolean receives = where.contains(n);
        if (s.allocationsOn(n).isEmpty() && !receives) {
          empty++;
        }
      }
      if (empty < e.count()) {
        return false;
      }
    } else {
      for (Request pod : ((DefragGoal.Fit) p.goal()).pods()) {
        goers.add(pod);
        where.add(-1);
      }
    }
    return place(s, goers, where, 0);
  }

  static boolean place(ClusterState s, List<Request> goers, List<Integer> where, int i) {
    if (i == goers.size()) {
      return true;
    }
    Request r = goers.get(i);
    int fixed = where.get(i);
    for (int n = 0; n < s.cluster().nodeIdBound(); n++) {
      if (fixed >= 0 && n != fixed || !s.isSchedulable(n)) {
        continue;
      }
      int gpus = s.cluster().node(n).gpuCount();
      int k = r.gpu().count();
      for (int mask = 0; mask < 1 << gpus; mask++) {
        if (Integer.bitCount(mask) != k) {
          continue;
        }
        List<GpuGrant> grants = new ArrayList<>();
        for (int g = 0; g < gpus; g++) {
          if ((mask & 1 << g) != 0) {
            grants.add(r.gpu() instanceof GpuDemand.Shared sd
                ? GpuGrant.share(g, sd.computeMilli(), sd.memoryMib()) : GpuGrant.whole(g));
          }
        }
        Placement pl = new Placement(r.name(), n, r.cpuMilli(), r.memoryMib(), grants);
        try {
          s.allocate(pl);
        } catch (GpuallocException x) {
          continue;
        }
        boolean ok = place(s, goers, where, i + 1);
        s.release(r.name());
        if (ok) {
          return true;
        }
      }
    }
    return false;
  }
}

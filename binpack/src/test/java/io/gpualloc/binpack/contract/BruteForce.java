package io.gpualloc.binpack.contract;

import io.gpualloc.core.ClusterState;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.GpuallocException;
import io.gpualloc.core.MigProfile;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import io.gpualloc.core.Request;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a request fits anywhere, by trying every candidate grant set on a fork of the ledger:
 * independent of the policies' filters.
 */
final class BruteForce {
  private BruteForce() {}

  static boolean feasible(ClusterState s, Request r) {
    for (int node = 0; node < s.cluster().nodeCount(); node++) {
      for (List<GpuGrant> grants : candidates(s.cluster().node(node), r)) {
        ClusterState f = s.fork();
        try {
          f.allocate(new Placement("bf", node, r.cpuMilli(), r.memoryMib(), grants));
          return true;
        } catch (GpuallocException e) {
          // not this one
        }
      }
    }
    return false;
  }

  static List<List<GpuGrant>> candidates(Node n, Request r) {
    List<List<GpuGrant>> out = new ArrayList<>();
    GpuDemand d = r.gpu();
    if (d instanceof GpuDemand.None) {
      out.add(List.of());
      return out;
    }
    List<GpuGrant> units = new ArrayList<>();
    for (int i = 0; i < n.gpuCount(); i++) {
      if (!r.allowsGpu(n.gpu(i))) {
        continue;
      }
      if (d instanceof GpuDemand.Whole) {
        units.add(GpuGrant.whole(i));
      } else if (d instanceof GpuDemand.Shared sh) {
        if (sh.memoryMib() <= n.gpu(i).model().memoryMib()) {
          units.add(GpuGrant.share(i, sh.computeMilli(), sh.memoryMib()));
        }
      } else {
        GpuDemand.Mig m = (GpuDemand.Mig) d;
        for (MigProfile p : n.gpu(i).model().migProfiles()) {
          if (p.name().equals(m.profile())) {
            for (int slot : p.startSlots()) {
              units.add(GpuGrant.mig(i, p.name(), slot));
            }
          }
        }
      }
    }
    combine(units, d.count(), 0, new ArrayList<>(), out);
    return out;
  }

  private static void combine(
      List<GpuGrant> units, int k, int from, List<GpuGrant> cur, List<List<GpuGrant>> out) {
    if (cur.size() == k) {
      out.add(List.copyOf(cur));
      return;
    }
    for (int i = from; i < units.size(); i++) {
      GpuGrant g = units.get(i);
      boolean clash = false;
      for (GpuGrant c : cur) {
        clash |= c.gpuIndex() == g.gpuIndex() && !(g instanceof GpuGrant.Mig);
      }
      if (clash) {
        continue;
      }
      cur.add(g);
      combine(units, k, i + 1, cur, out);
      cur.remove(cur.size() - 1);
    }
  }
}

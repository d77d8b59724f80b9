package io.gpualloc.binpack.gang;

import io.gpualloc.core.ClusterView;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.Request;
import io.gpualloc.topology.ClusterTopology;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides by exhaustive search whether a gang of whole-GPU or CPU-only pod sets has a placement
 * at its minimum counts on a small cluster: every distribution of each pod set's pods over the
 * schedulable nodes, checked against free GPUs, CPU and memory and every REQUIRED constraint,
 * co-location and slice. Independent of the placers' code.
 */
final class BruteForce {
  private final Gang gang;
  private final ClusterView view;
  private final ClusterTopology topo;
  private final int n;
  private final int[] nodes;
  private final int[] freeGpu;
  private final int[] freeCpu;
  private final int[] freeMem;
  private final List<PodSet> sets;
  private final int[][] x;

  BruteForce(Gang gang, ClusterView view, ClusterTopology topo) {
    this.gang = gang;
    this.view = view;
    this.topo = topo;
    List<Integer> ok = new ArrayList<>();
    for (int v = 0; v < view.cluster().nodeIdBound(); v++) {
      if (view.isSchedulable(v)) {
        ok.add(v);
      }
    }
    nodes = ok.stream().mapToInt(Integer::intValue).toArray();
    n = nodes.length;
    freeGpu = new int[n];
    freeCpu = new int[n];
    freeMem = new int[n];
    for (int i = 0; i < n; i++) {
      freeGpu[i] = view.freeWholeGpus(nodes[i]);
      freeCpu[i] = view.freeCpuMilli(nodes[i]);
      freeMem[i] = view.freeMemoryMib(nodes[i]);
    }
    sets = gang.podSets();
    x = new int[sets.size()][n];
  }

  /** Whether some placement of every pod set's minimum satisfies everything. */
  boolean feasible() {
    return assign(0, 0, sets.get(0).minCount());
  }

  private boolean assign(int set, int node, int left) {
    if (node == n - 1 || n == 0) {
      if (n == 0) {
        return false;
      }
      x[set][node] = left;
      boolean ok;
      if (set + 1 < sets.size()) {
        ok = assign(set + 1, 0, sets.get(set + 1).minCount());
      } else {
        ok = check();
      }
      x[set][node] = 0;
      return ok;
    }
    for (int c = 0; c <= left; c++) {
      x[set][node] = c;
      if (assign(set, node + 1, left - c)) {
        x[set][node] = 0;
        return true;
      }
    }
    x[set][node] = 0;
    return false;
  }

  private static int gpus(Request t) {
    return t.gpu() instanceof GpuDemand.Whole w ? w.count() : 0;
  }

  private boolean check() {
    for (int i = 0; i < n; i++) {
      long g = 0;
      long c = 0;
      long m = 0;
      for (int s = 0; s < sets.size(); s++) {
        Request t = sets.get(s).template();
        g += (long) x[s][i] * gpus(t);
        c += (long) x[s][i] * t.cpuMilli();
        m += (long) x[s][i] * t.memoryMib();
      }
      if (g > freeGpu[i] || c > freeCpu[i] || m > freeMem[i]) {
        return false;
      }
    }
    int levels = topo.levels().size();
    if (gang.topology() != null && gang.topology().mode() == TopologyMode.REQUIRED) {
      int l = topo.levels().indexOf(gang.topology().level());
      if (!oneDomain(l, allSets())) {
        return false;
      }
    }
    for (CoLocation co : gang.coLocations()) {
      int a = indexOf(co.first());
      int b = indexOf(co.second());
      if (!oneDomain(topo.levels().indexOf(co.level()), new int[] {a, b})) {
        return false;
      }
    }
    for (int s = 0; s < sets.size(); s++) {
      PodSet p = sets.get(s);
      if (p.topology() != null && p.topology().mode() == TopologyMode.REQUIRED
          && !oneDomain(topo.levels().indexOf(p.topology().level()), new int[] {s})) {
        return false;
      }
      if (p.slices() != null) {
        int l = topo.levels().indexOf(p.slices().level());
        int[] per = new int[topo.domainCount(l)];
        for (int i = 0; i < n; i++) {
          if (x[s][i] == 0) {
            continue;
          }
          int d = topo.domainOf(nodes[i], l);
          if (d < 0) {
            return false;
          }
          per[d] += x[s][i];
        }
        for (int v : per) {
          if (v % p.slices().size() != 0) {
            return false;
          }
        }
      }
    }
    return levels > 0;
  }

  private int[] allSets() {
    int[] all = new int[sets.size()];
    for (int s = 0; s < all.length; s++) {
      all[s] = s;
    }
    return all;
  }

  private int indexOf(String name) {
    for (int s = 0; s < sets.size(); s++) {
      if (sets.get(s).name().equals(name)) {
        return s;
      }
    }
    throw new AssertionError(name);
  }

  private boolean oneDomain(int level, int[] which) {
    int d = -2;
    for (int i = 0; i < n; i++) {
      boolean used = false;
      for (int s : which) {
        used |= x[s][i] > 0;
      }
      if (!used) {
        continue;
      }
      int dd = topo.domainOf(nodes[i], level);
      if (dd < 0 || (d != -2 && dd != d)) {
        return false;
      }
      d = dd;
    }
    return true;
  }
}

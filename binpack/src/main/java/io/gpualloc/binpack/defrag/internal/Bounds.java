package io.gpualloc.binpack.defrag.internal;

import io.gpualloc.binpack.Fragmentation;
import io.gpualloc.binpack.defrag.DefragGoal;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.Gpu;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.GpuMode;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import io.gpualloc.core.Request;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;


/**
 * Lower bounds on the cost of any plan, and proofs that none exists.
 *
 * <p>Fit: a plan puts each pending pod on some node t, and only taking allocations off t frees
 * room on t. Whatever set is taken off must free, in each dimension (host CPU, host memory, and
 * on the GPUs the pod may use: compute and memory that must be freed for enough GPUs to qualify),
 * at least the node's deficit. The cheapest fractional cover of each dimension (a covering
 * knapsack's LP relaxation, rounded up) bounds the cost of freeing t; the bound of the pod is the
 * minimum over t, of the goal the maximum over pods. Empty nodes: each emptied node's allocations
 * all leave, and they are disjoint, so the k cheapest candidates' removal costs bound any plan.
 * Fragmentation: above the target, at least one step is needed.
 */
final class Bounds {
  static final long IMPOSSIBLE = Long.MAX_VALUE;

  private Bounds() {}

  /** The bound of one pod on one node, {@link #IMPOSSIBLE} when no plan puts it there. */
  static long node(Work w, Request r, ClusterState scratch, int t) {
    if (!w.usable(t)) {
      return IMPOSSIBLE;
    }
    if (Work.fitOn(r, scratch, t) != null) {
      return 0;
    }
    List<Placement> items = new ArrayList<>();
    for (Placement p : scratch.allocationsOn(t)) {
      if (w.problem.isMovable(p.allocationId())) {
        items.add(p);
      }
    }
    if (!fitsWithout(r, scratch, t, items)) {
      return IMPOSSIBLE;
    }
    int m = items.size();
    long[] cost = new long[m];
    for (int i = 0; i < m; i++) {
      cost[i] = w.removalCost(items.get(i).allocationId());
    }
    long best = 0;
    // host CPU and memory
    long[] size = new long[m];
    for (int i = 0; i < m; i++) {
      size[i] = items.get(i).cpuMilli();
    }
    best = Math.max(best, cover(size, cost, (long) r.cpuMilli() - scratch.freeCpuMilli(t)));
    for (int i = 0; i < m; i++) {
      size[i] = items.get(i).memoryMib();
    }
    best = Math.max(best, cover(size, cost, (long) r.memoryMib() - scratch.freeMemoryMib(t)));
    GpuDemand d = r.gpu();
    if (d.count() == 0) {
      return best;
    }
    Node node = w.cluster.node(t);
    int g = node.gpuCount();
    int[] usedC = new int[g];
    int[] usedM = new int[g];
    for (Placement p : scratch.allocationsOn(t)) {
      for (GpuGrant x : p.grants()) {
        int cap = node.gpu(x.gpuIndex()).model().memoryMib();
        if (x instanceof GpuGrant.Whole) {
          usedC[x.gpuIndex()] += 1000;
          usedM[x.gpuIndex()] += cap;
        } else if (x instanceof GpuGrant.Share s) {
          usedC[x.gpuIndex()] += s.computeMilli();
          usedM[x.gpuIndex()] += s.memoryMib();
        }
      }
    }
    boolean[] allowed = new boolean[g];
    for (int i = 0; i < g; i++) {
      Gpu gpu = node.gpu(i);
      int id = w.cluster.gpuId(t, i);
      allowed[i] = r.allowsGpu(gpu) && scratch.isGpuHealthy(id) && !gpu.isStaticMig()
          && scratch.gpuMode(id) != GpuMode.MIG;
    }
    int need;
    long[] shortC = new long[g];
    long[] shortM = new long[g];
    int ok = 0;
    int cand = 0;
    if (d instanceof GpuDemand.Whole wd) {
      need = wd.count();
      for (int i = 0; i < g; i++) {
        if (!allowed[i]) {
          continue;
        }
        if (usedC[i] == 0 && usedM[i] == 0) {
          ok++;
        } else {
          shortC[cand] = usedC[i];
          shortM[cand++] = usedM[i];
        }
      }
    } else {
      GpuDemand.Shared sd = (GpuDemand.Shared) d;
      need = sd.count();
      for (int i = 0; i < g; i++) {
        if (!allowed[i]) {
          continue;
        }
        int cap = node.gpu(i).model().memoryMib();
        long sc = Math.max(0, sd.computeMilli() - (1000L - usedC[i]));
        long sm = Math.max(0, sd.memoryMib() - ((long) cap - usedM[i]));
        if (sc == 0 && sm == 0) {
          ok++;
        } else {
          shortC[cand] = sc;
          shortM[cand++] = sm;
        }
      }
    }
    int missing = need - ok;
    if (missing > 0) {
      long[] c = Arrays.copyOf(shortC, cand);
      long[] mm = Arrays.copyOf(shortM, cand);
      Arrays.sort(c);
      Arrays.sort(mm);
      long dc = 0;
      long dm = 0;
      for (int i = 0; i < Math.min(missing, cand); i++) {
        dc += c[i];
        dm += mm[i];
      }
      long[] freedC = new long[m];
      long[] freedM = new long[m];
      for (int i = 0; i < m; i++) {
        for (GpuGrant x : items.get(i).grants()) {
          if (!allowed[x.gpuIndex()]) {
            continue;
          }
          int cap = node.gpu(x.gpuIndex()).model().memoryMib();
          if (x instanceof GpuGrant.Whole) {
            freedC[i] += 1000;
            freedM[i] += cap;
          } else if (x instanceof GpuGrant.Share s) {
            freedC[i] += s.computeMilli();
            freedM[i] += s.memoryMib();
          }
        }
      }
      best = Math.max(best, cover(freedC, cost, dc));
      best = Math.max(best, cover(freedM, cost, dm));
    }
    return best;
  }

  /** Whether r fits on t once every movable allocation there is gone; scratch is restored. */
  static boolean fitsWithout(Request r, ClusterState scratch, int t, List<Placement> items) {
    for (Placement p : items) {
      scratch.release(p.allocationId());
    }
    boolean fits = io.gpualloc.binpack.internal.Fit.check(r, scratch, t) == null;
    scratch.allocateAll(items);
    return fits;
  }

  /**
   * The LP bound of a covering knapsack: the cheapest fractional choice of items whose sizes sum
   * to at least {@code demand}, rounded up; {@link #IMPOSSIBLE} when all of them fall short.
   */
  static long cover(long[] size, long[] cost, long demand) {
    if (demand <= 0) {
      return 0;
    }
    Integer[] order = new Integer[size.length];
    int k = 0;
    long total = 0;
    for (int i = 0; i < size.length; i++) {
      if (size[i] > 0) {
        order[k++] = i;
        total += size[i];
      }
    }
    if (total < demand) {
      return IMPOSSIBLE;
    }
    Integer[] o = Arrays.copyOf(order, k);
    // by cost per unit, cross-multiplied to stay exact
    Arrays.sort(o, (a, b) -> {
      int c = Long.compare(cost[a] * size[b], cost[b] * size[a]);
      return c != 0 ? c : Integer.compare(a, b);
    });
    long paid = 0;
    long left = demand;
    for (int i : o) {
      if (size[i] >= left) {
        return paid + ceilDiv(cost[i] * left, size[i]);
      }
      paid += cost[i];
      left -= size[i];
    }
    return IMPOSSIBLE; // not reached: total >= demand
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  /** The bound of one pod over all nodes, and the per-node bounds. */
  static long pod(Work w, Request r, ClusterState scratch, long[] perNode) {
    long best = IMPOSSIBLE;
    for (int t = 0; t < w.cluster.nodeIdBound(); t++) {
      perNode[t] = w.cluster.isLive(t) ? node(w, r, scratch, t) : IMPOSSIBLE;
      best = Math.min(best, perNode[t]);
    }
    return best;
  }

  /** Why a pod fits on no node whatever moves: the proof, for people. */
  static String whyNoNode(Work w, Request r) {
    int k = r.gpu().count();
    int maxGpus = 0;
    int maxCpu = 0;
    int maxMem = 0;
    int usable = 0;
    for (int t = 0; t < w.cluster.nodeIdBound(); t++) {
      if (!w.usable(t)) {
        continue;
      }
      usable++;
      Node n = w.cluster.node(t);
      int allowed = 0;
      for (int i = 0; i < n.gpuCount(); i++) {
        if (r.allowsGpu(n.gpu(i)) && w.base.isGpuHealthy(w.cluster.gpuId(t, i))
            && !n.gpu(i).isStaticMig()) {
          allowed++;
        }
      }
      maxGpus = Math.max(maxGpus, allowed);
      maxCpu = Math.max(maxCpu, n.cpuMilli());
      maxMem = Math.max(maxMem, n.memoryMib());
    }
    String models = r.modelInclude().isEmpty() ? "" : " of model " + r.modelInclude();
    if (usable == 0) {
      return "pod " + r.name() + " has no schedulable node to go to";
    }
    if (k > maxGpus) {
      return "pod " + r.name() + " needs " + k + " GPUs" + models + " on one node; no node has "
          + k + " such healthy GPUs even when empty (the most on one node: " + maxGpus + ")";
    }
    if (r.cpuMilli() > maxCpu || r.memoryMib() > maxMem) {
      return "pod " + r.name() + " needs " + r.cpuMilli() + "m CPU and " + r.memoryMib()
          + " MiB on one node; the largest node has " + maxCpu + "m and " + maxMem + " MiB";
    }
    return "pod " + r.name() + " fits on no node even with every movable allocation taken off"
        + " it: allocations that may not move hold the room on all " + usable
        + " schedulable nodes";
  }

  /** Cost of emptying each node (IMPOSSIBLE for non-candidates or nodes with immovable pods). */
  static long[] emptyCosts(Work w, DefragGoal.EmptyNodes goal) {
    long[] c = new long[w.cluster.nodeIdBound()];
    for (int n = 0; n < c.length; n++) {
      c[n] = IMPOSSIBLE;
      if (!w.cluster.isLive(n) || !goal.candidates().isEmpty()
          && !goal.candidates().contains(w.nodeName(n))) {
        continue;
      }
      long sum = 0;
      boolean all = true;
      for (Placement p : w.base.allocationsOn(n)) {
        if (!w.problem.isMovable(p.allocationId())) {
          all = false;
          break;
        }
        sum += w.removalCost(p.allocationId());
      }
      if (all) {
        c[n] = sum;
      }
    }
    return c;
  }

  /** Sum of the k smallest finite costs, IMPOSSIBLE when fewer than k are finite. */
  static long kSmallest(long[] costs, int k) {
    long[] s = costs.clone();
    Arrays.sort(s);
    long sum = 0;
    for (int i = 0; i < k; i++) {
      if (i >= s.length || s[i] == IMPOSSIBLE) {
        return IMPOSSIBLE;
      }
      sum += s[i];
    }
    return sum;
  }

  /** The fragmentation bound: 0 when met, the cheapest single step otherwise. */
  static long fragmentation(Work w, DefragGoal.ReduceFragmentation goal, long now) {
    if (now <= goal.targetMilli()) {
      return 0;
    }
    long best = IMPOSSIBLE;
    for (String id : w.problem.movable()) {
      best = Math.min(best, w.removalCost(id));
    }
    return best;
  }

  static long fragmentationNow(Work w, DefragGoal.ReduceFragmentation goal) {
    return Fragmentation.cluster(w.base, goal.workload());
  }

}

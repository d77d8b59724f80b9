package io.gpualloc.binpack.packing.internal;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import io.gpualloc.core.Request;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Consolidation on the ledger: improves a packing of requests onto nodes by emptying used nodes
 * one at a time, with per-GPU granularity (every step is a real placement on a {@link
 * ClusterState}, so the answer needs no realisation step).
 *
 * <p>To empty node {@code n}: its requests go to a pool; the pool's largest request is placed
 * best-fit on another used node when one takes it; otherwise an <em>ejection</em> makes room: on
 * some other used node, one allocation (or two) of strictly smaller total size is taken off,
 * the request is placed there, and what was taken off joins the pool. The ejection that takes off
 * the least size is chosen (ties: node, then allocation order). The pool's total size falls with
 * every step, so the search ends: with an empty pool (node {@code n} is empty and the packing uses
 * one node fewer, at lower or equal cost) or when the pool's largest request can neither be placed
 * nor make room (the node is left as it was). Unused nodes are never opened, so the cost never
 * rises.
 *
 * <p>Nodes are tried most expensive first, then least filled, then by id; after a success the
 * order is recomputed. Sizes are the requests' CPU, memory and GPU compute, each normalised by the
 * largest node's. Deterministic: no randomness; the deadline only cuts the search short.
 */
public final class LedgerConsolidation {
  private LedgerConsolidation() {}

  /**
   * Improves {@code start} until no used node can be emptied, the cost reaches {@code
   * targetCost}, or {@code deadline} (nanoTime) passes.
   *
   * @param c the cluster (its ledger starts empty)
   * @param requests the requests, by position; their names are the allocation ids
   * @param start placements by request position (null: not placed; stays unplaced)
   * @param cost each node's cost, by node id
   * @param targetCost stop as soon as the cost is at most this (a lower bound)
   * @param deadline nanoTime after which no new node is tried
   * @return placements by request position, at most {@code start}'s cost, every request placed
   *     that {@code start} placed
   */
  public static Placement[] improve(Cluster c, List<Request> requests, Placement[] start,
      long[] cost, long targetCost, long deadline) {
    double[] size = sizes(c, requests);
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < requests.size(); i++) {
      index.put(requests.get(i).name(), i);
    }
    Placement[] cur = start.clone();
    ClusterState state = new ClusterState(c);
    for (Placement p : cur) {
      if (p != null) {
        state.allocate(p);
      }
    }
    boolean improved = true;
    while (improved && costOf(cur, cost) > targetCost && System.nanoTime() < deadline) {
      improved = false;
      for (int n : candidates(c, state, cost, size, index)) {
        if (System.nanoTime() >= deadline) {
          break;
        }
        Placement[] next = empty(c, requests, state, cur, n, size, index, deadline);
        if (next != null) {
          cur = next;
          state = new ClusterState(c);
          for (Placement p : cur) {
            if (p != null) {
              state.allocate(p);
            }
          }
          improved = true;
          break;
        }
      }
    }
    return cur;
  }

  /** Used nodes, most expensive first, then least filled, then by id. */
  private static List<Integer> candidates(Cluster c, ClusterState state, long[] cost,
      double[] size, Map<String, Integer> index) {
    List<Integer> used = new ArrayList<>();
    double[] fill = new double[c.nodeIdBound()];
    for (int n : c.nodeIds()) {
      List<Placement> on = state.allocationsOn(n);
      if (!on.isEmpty()) {
        used.add(n);
        for (Placement p : on) {
          fill[n] += size[index.get(p.allocationId())];
        }
      }
    }
    used.sort(Comparator.<Integer>comparingLong(n -> -cost[n])
        .thenComparingDouble(n -> fill[n]).thenComparingInt(n -> n));
    return used;
  }

  /** The placements with node {@code n} emptied, or null when the search fails. */
  private static Placement @Nullable [] empty(Cluster c, List<Request> requests,
      ClusterState base, Placement[] cur, int n, double[] size, Map<String, Integer> index,
      long deadline) {
    ClusterState s = base.fork();
    Placement[] next = cur.clone();
    List<Integer> targets = new ArrayList<>();
    for (int m : c.nodeIds()) {
      if (m != n && !s.allocationsOn(m).isEmpty()) {
        targets.add(m);
      }
    }
    List<Integer> pool = new ArrayList<>();
    for (Placement p : s.allocationsOn(n)) {
      int i = index.get(p.allocationId());
      s.release(p.allocationId());
      next[i] = null;
      pool.add(i);
    }
    Comparator<Integer> largestFirst =
        Comparator.<Integer>comparingDouble(i -> -size[i]).thenComparingInt(i -> i);
    while (!pool.isEmpty()) {
      if (System.nanoTime() >= deadline) {
        return null;
      }
      pool.sort(largestFirst);
      int r = pool.remove(0);
      Request req = requests.get(r);
      Placement direct = bestFit(c, s, targets, req);
      if (direct != null) {
        s.allocate(direct);
        next[r] = direct;
        continue;
      }
      Ejection e = cheapestEjection(s, targets, req, size[r], size, index);
      if (e == null) {
        return null;
      }
      for (Placement out : e.out) {
        int i = index.get(out.allocationId());
        s.release(out.allocationId());
        next[i] = null;
        pool.add(i);
      }
      s.allocate(e.in);
      next[r] = e.in;
    }
    return next;
  }

  /** The used node whose normalised free capacity is least after taking {@code r}, or null. */
  private static @Nullable Placement bestFit(Cluster c, ClusterState s, List<Integer> targets,
      Request r) {
    Placement best = null;
    double bestLeft = Double.MAX_VALUE;
    for (int m : targets) {
      Placement p = LedgerPacking.fit(s, m, r);
      if (p == null) {
        continue;
      }
      double left = freeAfter(c, s, m, r);
      if (left < bestLeft) {
        best = p;
        bestLeft = left;
      }
    }
    return best;
  }

  private static double freeAfter(Cluster c, ClusterState s, int m, Request r) {
    Node node = c.node(m);
    double gpuFree = 0;
    for (int g = 0; g < node.gpuCount(); g++) {
      gpuFree += s.gpuFreeComputeMilli(c.gpuId(m, g));
    }
    double cpu = (s.freeCpuMilli(m) - r.cpuMilli()) / Math.max(1.0, node.cpuMilli());
    double mem = (s.freeMemoryMib(m) - r.memoryMib()) / Math.max(1.0, node.memoryMib());
    double gpu = node.gpuCount() == 0 ? 0
        : (gpuFree - LedgerPacking.gpuMilli(r)) / (1000.0 * node.gpuCount());
    return cpu + mem + gpu;
  }

  /** Allocations taken off one node so that {@code in} fits there. */
  private record Ejection(List<Placement> out, Placement in, double size) {}

  /**
   * The ejection of one or two allocations, of total size strictly below {@code limit}, that
   * lets {@code r} fit on their node, taking off the least size; null when none does.
   */
  private static @Nullable Ejection cheapestEjection(ClusterState s, List<Integer> targets,
      Request r, double limit, double[] size, Map<String, Integer> index) {
    Ejection best = null;
    for (int m : targets) {
      List<Placement> on = new ArrayList<>(s.allocationsOn(m));
      on.sort(Comparator.comparing(Placement::allocationId));
      double[] sz = new double[on.size()];
      for (int k = 0; k < sz.length; k++) {
        sz[k] = size[index.get(on.get(k).allocationId())];
      }
      for (int a = 0; a < on.size(); a++) {
        if (sz[a] >= limit || (best != null && sz[a] >= best.size)) {
          continue;
        }
        Ejection e = tryEject(s, m, r, List.of(on.get(a)), sz[a]);
        if (e != null) {
          best = e;
        }
      }
      for (int a = 0; a < on.size(); a++) {
        for (int b = a + 1; b < on.size(); b++) {
          double both = sz[a] + sz[b];
          if (both >= limit || (best != null && both >= best.size)) {
            continue;
          }
          Ejection e = tryEject(s, m, r, List.of(on.get(a), on.get(b)), both);
          if (e != null) {
            best = e;
          }
        }
      }
    }
    return best;
  }

  private static @Nullable Ejection tryEject(ClusterState s, int m, Request r,
      List<Placement> out, double outSize) {
    for (Placement p : out) {
      s.release(p.allocationId());
    }
    Placement in = LedgerPacking.fit(s, m, r);
    for (Placement p : out) {
      s.allocate(p);
    }
    return in == null ? null : new Ejection(out, in, outSize);
  }

  /** Each request's CPU, memory and GPU compute, normalised by the largest node's, summed. */
  static double[] sizes(Cluster c, List<Request> requests) {
    double[] max = new double[3];
    for (Node n : c.nodes()) {
      max[0] = Math.max(max[0], n.cpuMilli());
      max[1] = Math.max(max[1], n.memoryMib());
      max[2] = Math.max(max[2], 1000.0 * n.gpuCount());
    }
    double[] out = new double[requests.size()];
    for (int i = 0; i < out.length; i++) {
      Request r = requests.get(i);
      out[i] = r.cpuMilli() / Math.max(1, max[0]) + r.memoryMib() / Math.max(1, max[1])
          + LedgerPacking.gpuMilli(r) / Math.max(1, max[2]);
    }
    return out;
  }

  /** The total cost of the nodes the placements use. */
  public static long costOf(Placement[] ps, long[] cost) {
    boolean[] used = new boolean[cost.length];
    long total = 0;
    for (Placement p : ps) {
      if (p != null && !used[p.nodeId()]) {
        used[p.nodeId()] = true;
        total += cost[p.nodeId()];
      }
    }
    return total;
  }
}

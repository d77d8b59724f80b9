package io.gpualloc.binpack.packing;

import io.gpualloc.binpack.packing.internal.LedgerPacking;
import io.gpualloc.binpack.packing.internal.OrTools;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.Gpu;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import io.gpualloc.core.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Repacks requests onto as few (or as cheap) nodes as possible, with per-GPU granularity, and
 * proves how far the answer is from optimal.
 *
 * <p>Two answers are compared and the cheaper kept:
 *
 * <ol>
 *   <li>First Fit Decreasing on a ledger ({@code ClusterState}): requests by decreasing
 *       normalised size; nodes opened cheapest first (then largest); whole GPUs on free GPUs,
 *       shares best-fit on distinct GPUs; request GPU filters honoured;
 *   <li>the exact solver ({@link CpSatPacker}) on a vector relaxation with nodes of identical shape
 *       and cost grouped into one bin type: dimensions CPU, memory, GPU compute (milli, 1000 per
 *       whole GPU), exclusive GPU slots (one per whole GPU and per share that cannot sit beside
 *       another: above 500 milli or above half the largest GPU memory), and GPU memory of shares.
 *       Its bins are then mapped onto concrete nodes and placed GPU by GPU on a ledger; when that
 *       fails (per-GPU fragmentation, GPU filters) the relaxation's packing is dropped.
 * </ol>
 *
 * <p>The relaxation's lower bound is a lower bound of the real problem, so the gap is proven.
 * Every returned placement set is accepted by {@code ClusterState.allocateAll} on the empty
 * cluster.
 *
 * <p>The exact step needs OR-Tools, an optional dependency of {@code gpualloc-binpack}; without it
 * {@link #repack} throws {@link io.gpualloc.core.MissingDependencyException} before any work.
 */
public final class GpuRepacker {
  private GpuRepacker() {}

  /**
   * Repacks {@code problem} within {@code options}' time budget.
   *
   * @param problem the cluster, the requests and the node costs
   * @param options time budget, workers and seed of the exact step
   * @return the cheaper of the two answers, with its status and proven lower bound
   * @throws io.gpualloc.core.MissingDependencyException when OR-Tools is not on the class path
   */
  public static RepackResult repack(RepackProblem problem, SolverOptions options) {
    long start = System.nanoTime();
    // OR-Tools' classes up front; CpSatPacker loads the native library when the budget allows.
    OrTools.requireClasses("GpuRepacker.repack");
    Cluster c = problem.cluster();
    List<Request> reqs = problem.requests();
    long[] cost = problem.nodeCosts().stream().mapToLong(Long::longValue).toArray();

    int[] live = c.nodeIds(); // removed ids are not nodes
    Integer[] nodes = new Integer[live.length];
    for (int i = 0; i < nodes.length; i++) {
      nodes[i] = live[i];
    }
    Arrays.sort(nodes, Comparator.<Integer>comparingLong(n -> cost[n])
        .thenComparingDouble(n -> -capacityKey(c, n)).thenComparingInt(n -> n));
    int[] nodeOrder = Arrays.stream(nodes).mapToInt(Integer::intValue).toArray();
    Placement[] heuristic = LedgerPacking.firstFitDecreasing(c, reqs, nodeOrder);

    // The vector relaxation.
    Relaxation rel = relaxation(c, reqs, cost);
    // The packer gets 95% of what is left; realising its packing on the ledger takes the rest.
    Duration left = options.timeLimit().minusNanos(System.nanoTime() - start)
        .multipliedBy(19).dividedBy(20);
    @Nullable PackingResult exact = null;
    if (rel != null && !left.isNegative() && !left.isZero()) {
      exact = CpSatPacker.solve(rel.instance, options.withTimeLimit(left));
    }
    Placement @Nullable [] realised = null;
    if (exact != null && exact.packing().isComplete()
        && exact.status() != PackingStatus.INFEASIBLE) {
      realised = realise(c, reqs, rel, exact.packing(), nodeOrder);
    }
    Placement[] best = heuristic;
    String method = "ledger-ffd";
    if (realised != null && (placedCount(realised) > placedCount(heuristic)
        || (placedCount(realised) == placedCount(heuristic)
            && costOf(realised, cost) < costOf(heuristic, cost)))) {
      best = realised;
      method = "cp-sat+ledger";
    }
    List<Placement> placements = new ArrayList<>();
    List<String> unplaced = new ArrayList<>();
    for (int i = 0; i < reqs.size(); i++) {
      if (best[i] != null) {
        placements.add(best[i]);
      } else {
        unplaced.add(reqs.get(i).name());
      }
    }
    long ub = costOf(best, cost);
    long lb = 0;
    if (exact != null) {
      lb = exact.status() == PackingStatus.INFEASIBLE ? Long.MAX_VALUE : exact.lowerBound();
    }
    PackingStatus status;
    if (!unplaced.isEmpty()) {
      status = exact != null && exact.status() == PackingStatus.INFEASIBLE
          ? PackingStatus.INFEASIBLE : PackingStatus.TIMEOUT_FALLBACK;
    } else {
      lb = Math.min(lb, ub);
      if (lb == ub) {
        status = PackingStatus.OPTIMAL;
      } else if (exact == null || exact.status() == PackingStatus.TIMEOUT_FALLBACK) {
        status = PackingStatus.TIMEOUT_FALLBACK;
      } else {
        status = PackingStatus.FEASIBLE;
      }
    }
    return new RepackResult(status, placements, unplaced, nodesUsed(best), ub, lb, method,
        Duration.ofNanos(System.nanoTime() - start));
  }

  private static double capacityKey(Cluster c, int n) {
    Node node = c.node(n);
    return node.cpuMilli() / 1e6 + node.memoryMib() / 1e7 + node.gpuCount();
  }

  private static int placedCount(Placement[] ps) {
    int k = 0;
    for (Placement p : ps) {
      if (p != null) {
        k++;
      }
    }
    return k;
  }

  private static int nodesUsed(Placement[] ps) {
    Set<Integer> used = new HashSet<>();
    for (Placement p : ps) {
      if (p != null) {
        used.add(p.nodeId());
      }
    }
    return used.size();
  }

  private static long costOf(Placement[] ps, long[] cost) {
    Set<Integer> used = new HashSet<>();
    long total = 0;
    for (Placement p : ps) {
      if (p != null && used.add(p.nodeId())) {
        total += cost[p.nodeId()];
      }
    }
    return total;
  }

  /** The relaxation: instance, its bin types' nodes, and which request each item is. */
  private record Relaxation(PackingInstance instance, List<List<Integer>> typeNodes,
      int[] itemRequest, int[] zeroRequests) {}

  private static final int DIMS = 5;

  private static @Nullable Relaxation relaxation(Cluster c, List<Request> reqs, long[] cost) {
    int maxGpuMem = 0;
    for (Node n : c.nodes()) {
      for (Gpu g : n.gpus()) {
        maxGpuMem = Math.max(maxGpuMem, g.model().memoryMib());
      }
    }
    Map<List<Long>, List<Integer>> groups = new LinkedHashMap<>();
    for (int n : c.nodeIds()) {
      long[] cap = nodeCapacity(c.node(n));
      List<Long> key = new ArrayList<>();
      for (long v : cap) {
        key.add(v);
      }
      key.add(cost[n]);
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(n);
    }
    long[] maxCap = new long[DIMS];
    for (List<Long> key : groups.keySet()) {
      for (int d = 0; d < DIMS; d++) {
        maxCap[d] = Math.max(maxCap[d], key.get(d));
      }
    }
    int[] keep = java.util.stream.IntStream.range(0, DIMS).filter(d -> maxCap[d] > 0).toArray();
    if (keep.length == 0) {
      return null;
    }
    List<BinType> types = new ArrayList<>();
    List<List<Integer>> typeNodes = new ArrayList<>();
    int t = 0;
    for (Map.Entry<List<Long>, List<Integer>> e : groups.entrySet()) {
      List<Integer> cap = new ArrayList<>();
      for (int d : keep) {
        cap.add((int) Math.min(Integer.MAX_VALUE, e.getKey().get(d)));
      }
      types.add(new BinType("node-type-" + t++, cap, e.getKey().get(DIMS),
          e.getValue().size()));
      typeNodes.add(e.getValue());
    }
    PackingInstance.Builder b = PackingInstance.builder("repack", types);
    List<Integer> itemRequest = new ArrayList<>();
    List<Integer> zero = new ArrayList<>();
    for (int i = 0; i < reqs.size(); i++) {
      long[] s = requestSize(reqs.get(i), maxGpuMem);
      int[] size = new int[keep.length];
      boolean positive = false;
      for (int k = 0; k < keep.length; k++) {
        size[k] = (int) Math.min(Integer.MAX_VALUE, s[keep[k]]);
        positive |= size[k] > 0;
      }
      if (positive) {
        b.item(size);
        itemRequest.add(i);
      } else {
        zero.add(i);
      }
    }
    return new Relaxation(b.build(), typeNodes,
        itemRequest.stream().mapToInt(Integer::intValue).toArray(),
        zero.stream().mapToInt(Integer::intValue).toArray());
  }

  private static long[] nodeCapacity(Node n) {
    long gpuMem = 0;
    for (Gpu g : n.gpus()) {
      gpuMem += g.model().memoryMib();
    }
    return new long[] {n.cpuMilli(), n.memoryMib(), 1000L * n.gpuCount(), n.gpuCount(), gpuMem};
  }

  private static long[] requestSize(Request r, int maxGpuMem) {
    long milli = LedgerPacking.gpuMilli(r);
    long slots = 0;
    long mem = 0;
    GpuDemand d = r.gpu();
    if (d instanceof GpuDemand.Whole w) {
      slots = w.count();
    } else if (d instanceof GpuDemand.Shared s) {
      if (s.computeMilli() > 500 || 2L * s.memoryMib() > maxGpuMem) {
        slots = s.count();
      }
      mem = (long) s.memoryMib() * s.count();
    }
    return new long[] {r.cpuMilli(), r.memoryMib(), milli, slots, mem};
  }

  private static Placement[] realise(Cluster c, List<Request> reqs, Relaxation rel,
      Packing packing, int[] nodeOrder) {
    List<List<Integer>> groups = new ArrayList<>();
    for (int n = 0; n < c.nodeIdBound(); n++) {
      groups.add(new ArrayList<>());
    }
    int[] nextOfType = new int[rel.typeNodes.size()];
    int firstNode = -1;
    for (Packing.Bin bin : packing.bins()) {
      List<Integer> nodesOfType = rel.typeNodes.get(bin.binType());
      int node = nodesOfType.get(nextOfType[bin.binType()]++);
      if (firstNode < 0) {
        firstNode = node;
      }
      for (int item : bin.items()) {
        groups.get(node).add(rel.itemRequest[item]);
      }
    }
    for (int r : rel.zeroRequests) {
      groups.get(firstNode < 0 ? 0 : firstNode).add(r);
    }
    return LedgerPacking.realiseWithRepair(c, reqs, groups, nodeOrder);
  }
}

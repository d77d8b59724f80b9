package io.gpualloc.binpack.packing;

import io.gpualloc.binpack.packing.internal.LedgerConsolidation;
import io.gpualloc.binpack.packing.internal.LedgerPacking;
import io.gpualloc.binpack.packing.internal.OrTools;
import io.gpualloc.binpack.packing.internal.ShareGroups;
import io.gpualloc.binpack.solver.SolverInvariantException;
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
 * <p>Up to three answers are compared and the cheapest kept (fewest unplaced requests first),
 * in this order within one time budget:
 *
 * <ol>
 *   <li>First Fit Decreasing on a ledger ({@code ClusterState}): requests by decreasing
 *       normalised size; nodes opened cheapest first (then largest); whole GPUs on free GPUs,
 *       shares best-fit on distinct GPUs; request GPU filters honoured. Then <em>consolidated</em>
 *       (up to a fifth of the budget): used nodes are emptied one at a time (most expensive first,
 *       then least filled) by re-placing their requests on the other used nodes, where a request
 *       that fits nowhere may take the place of one or two smaller allocations, which then need a
 *       place in turn (an ejection chain whose pending size falls at every step). Unused nodes are
 *       never opened, so consolidation never raises the cost, and every step is a real placement
 *       on the ledger. The FFD answer itself is reported as {@link RepackResult#baselineCost()}.
 *   <li>The <em>share-group decomposition</em> (up to two fifths of what is left), when every
 *       node's GPUs are of one model, no request filters GPUs and every share is on one GPU: the
 *       shares are packed into GPUs ({@link CpSatPacker}; dimensions compute and GPU memory), then
 *       each GPU's group of shares is one item needing one GPU, and these with the whole-GPU
 *       requests are packed onto node types (CPU, memory, GPU count, and GPUs with enough memory
 *       for the group), by the heuristics and, when they do not meet the bound, {@link
 *       CpSatPacker}. Its bins are placed exactly: whole GPUs on free GPUs, each group on a free
 *       GPU of its own.
 *   <li>The exact solver on a vector relaxation (90% of what is left) with nodes of identical
 *       shape and cost grouped into one bin type: dimensions CPU, memory, GPU compute (milli, 1000
 *       per whole GPU), exclusive GPU slots (one per whole GPU and per share that cannot sit beside
 *       another: above 500 milli or above half the largest GPU memory), and GPU memory of shares.
 *       Its bins are then mapped onto concrete nodes and placed GPU by GPU on a ledger, with a
 *       repair for what does not fit (per-GPU fragmentation, GPU filters).
 * </ol>
 *
 * The better of the last two is consolidated with what remains.
 *
 * <h2>Lower bounds</h2>
 *
 * Two bounds, both valid for the real problem, and the larger is reported:
 *
 * <ul>
 *   <li>the <em>GPU-count bound</em>, computed first: every whole GPU requested plus the proven
 *       lower bound of packing every share into GPUs (the largest GPU memory and share cap: a
 *       relaxation; up to an eighth of the budget), covered by the cheapest nodes per GPU in the
 *       covering knapsack's LP relaxation, rounded up. When the consolidated FFD answer meets it,
 *       the call returns at once, proven optimal;
 *   <li>the vector relaxation's lower bound.
 * </ul>
 *
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
   * @return the cheapest answer, with its status, proven lower bound and the FFD baseline
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
    long budget = options.timeLimit().toNanos();
    Placement[] ffd = LedgerPacking.firstFitDecreasing(c, reqs, nodeOrder);
    long baseline = placedCount(ffd) == reqs.size() ? costOf(ffd, cost) : Long.MAX_VALUE;
    // Consolidation of the FFD answer: up to a fifth of the budget (it ends much sooner when no
    // node can be emptied).
    Placement[] heuristic = LedgerConsolidation.improve(c, reqs, ffd, cost, 0, start + budget / 5);
    String heuristicMethod = costOf(heuristic, cost) < costOf(ffd, cost)
        ? "ledger-ffd+consolidation" : "ledger-ffd";

    // The GPU-count bound: the shares packed into as few GPUs as possible (a relaxation: the
    // largest GPU memory and share cap), plus every whole GPU, covered by the cheapest nodes per
    // GPU. Up to an eighth of what is left.
    long gpuBound = 0;
    @Nullable PackingResult shares = null;
    ShareGroups.Stage1 relaxedShares = ShareGroups.stage1(c, reqs, true);
    if (relaxedShares != null) {
      shares = CpSatPacker.solve(relaxedShares.instance(),
          options.withTimeLimit(Duration.ofNanos(Math.max(1, (start + budget - System.nanoTime())
              / 8))));
      if (shares.status() != PackingStatus.INFEASIBLE) {
        gpuBound = ShareGroups.gpuCountBound(c, reqs, cost, shares.lowerBound());
      }
    }

    if (placedCount(heuristic) == reqs.size() && costOf(heuristic, cost) < gpuBound) {
      throw new SolverInvariantException("GpuRepacker: GPU-count bound " + gpuBound
          + " above the cost " + costOf(heuristic, cost) + " of a ledger-checked packing");
    }
    if (placedCount(heuristic) == reqs.size() && gpuBound > 0
        && costOf(heuristic, cost) == gpuBound) {
      return result(reqs, heuristic, PackingStatus.OPTIMAL, costOf(heuristic, cost), gpuBound,
          heuristicMethod, baseline, start);
    }

    // The share-group decomposition first (its packing is placed exactly, GPU by GPU): up to
    // two fifths of what is left.
    Placement @Nullable [] realised = null;
    String realisedMethod = "none";
    if (ShareGroups.applies(c, reqs)) {
      // With one share cap the bound's share packing is also a grouping every GPU can hold.
      @Nullable Packing groups = shares != null && shares.packing().isComplete()
          && ShareGroups.uniformShareCap(c) ? shares.packing() : null;
      realised = groupedSolve(c, reqs, cost, options, groups, gpuBound,
          System.nanoTime() + (start + budget - System.nanoTime()) * 2 / 5);
      realisedMethod = "share-groups+ledger";
    }
    boolean groupedOptimal = realised != null && placedCount(realised) == reqs.size()
        && costOf(realised, cost) <= gpuBound;

    // The vector relaxation: 90% of what is left; placing its packing on the ledger and
    // consolidating take the rest.
    Relaxation rel = relaxation(c, reqs, cost);
    Duration left = options.timeLimit().minusNanos(System.nanoTime() - start)
        .multipliedBy(9).dividedBy(10);
    @Nullable PackingResult exact = null;
    if (!groupedOptimal && rel != null && !left.isNegative() && !left.isZero()) {
      exact = CpSatPacker.solve(rel.instance, options.withTimeLimit(left));
    }
    if (exact != null && exact.packing().isComplete()
        && exact.status() != PackingStatus.INFEASIBLE) {
      Placement[] q = realise(c, reqs, rel, exact.packing(), nodeOrder);
      if (realised == null || placedCount(q) > placedCount(realised)
          || (placedCount(q) == placedCount(realised)
              && costOf(q, cost) < costOf(realised, cost))) {
        realised = q;
        realisedMethod = "cp-sat+ledger";
      }
    }
    long exactLb = exact == null || exact.status() == PackingStatus.INFEASIBLE ? 0
        : exact.lowerBound();
    long proven = Math.max(exactLb, gpuBound);
    if (realised != null && placedCount(realised) >= placedCount(heuristic)
        && costOf(realised, cost) > proven) {
      // The realised packing, consolidated on the ledger with what is left (less a margin).
      Placement[] better = LedgerConsolidation.improve(c, reqs, realised, cost, proven,
          start + budget - budget / 50);
      if (costOf(better, cost) < costOf(realised, cost)) {
        realised = better;
        realisedMethod += "+consolidation";
      }
    }
    Placement[] best = heuristic;
    String method = heuristicMethod;
    if (realised != null && (placedCount(realised) > placedCount(heuristic)
        || (placedCount(realised) == placedCount(heuristic)
            && costOf(realised, cost) < costOf(heuristic, cost)))) {
      best = realised;
      method = realisedMethod;
    }
    List<String> unplaced = new ArrayList<>();
    for (int i = 0; i < reqs.size(); i++) {
      if (best[i] == null) {
        unplaced.add(reqs.get(i).name());
      }
    }
    long ub = costOf(best, cost);
    long lb = gpuBound;
    if (exact != null) {
      lb = exact.status() == PackingStatus.INFEASIBLE ? Long.MAX_VALUE
          : Math.max(lb, exact.lowerBound());
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
    return result(reqs, best, status, ub, lb, method, baseline, start);
  }

  private static RepackResult result(List<Request> reqs, Placement[] best, PackingStatus status,
      long ub, long lb, String method, long baseline, long start) {
    List<Placement> placements = new ArrayList<>();
    List<String> unplaced = new ArrayList<>();
    for (int i = 0; i < reqs.size(); i++) {
      if (best[i] != null) {
        placements.add(best[i]);
      } else {
        unplaced.add(reqs.get(i).name());
      }
    }
    return new RepackResult(status, placements, unplaced, nodesUsed(best), ub, lb, method,
        baseline, Duration.ofNanos(System.nanoTime() - start));
  }

  /**
   * The share-group decomposition ({@code ShareGroups}): the shares packed into GPUs ({@code
   * groups} when given, else by the exact solver with a quarter of the time to {@code deadline}),
   * then the groups and whole-GPU requests onto nodes with the rest; null when either stage
   * leaves something unpacked or the time is gone.
   */
  private static Placement @Nullable [] groupedSolve(Cluster c, List<Request> reqs, long[] cost,
      SolverOptions options, @Nullable Packing groupsGiven, long target, long deadline) {
    long left = deadline - System.nanoTime();
    ShareGroups.Stage1 s1 = ShareGroups.stage1(c, reqs, false);
    if (left <= 0 || s1 == null) {
      return null;
    }
    Packing p1 = groupsGiven;
    if (p1 == null) {
      PackingResult r1 = CpSatPacker.solve(s1.instance(), options.withTimeLimit(
          Duration.ofNanos(left / 4)));
      if (!r1.packing().isComplete()) {
        return null;
      }
      p1 = r1.packing();
    }
    List<int[]> groups = new ArrayList<>();
    for (Packing.Bin bin : p1.bins()) {
      groups.add(bin.items().stream().mapToInt(k -> s1.itemRequest()[k]).toArray());
    }
    ShareGroups.Stage2 s2 = ShareGroups.stage2(c, reqs, cost, groups);
    left = deadline - System.nanoTime();
    if (s2 == null || left <= 0) {
      return null;
    }
    // The heuristics first: when one meets the target (a proven bound), the exact solver is not
    // needed.
    Packing h = null;
    for (BinPacker bp : BinPackers.portfolio(System.nanoTime() + left / 10)) {
      Packing q = bp.pack(s2.instance());
      if (h == null || BinPackers.better(q, h, s2.instance())) {
        h = q;
      }
    }
    if (h != null && h.isComplete()) {
      Placement @Nullable [] hp = ShareGroups.realise(c, reqs, s2, h);
      if (hp != null && costOf(hp, cost) <= target) {
        return hp;
      }
    }
    left = deadline - System.nanoTime();
    if (left <= 0) {
      return null;
    }
    PackingResult r2 = CpSatPacker.solve(s2.instance(), options.withTimeLimit(
        Duration.ofNanos(left)));
    if (!r2.packing().isComplete() || r2.status() == PackingStatus.INFEASIBLE) {
      return null;
    }
    return ShareGroups.realise(c, reqs, s2, r2.packing());
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

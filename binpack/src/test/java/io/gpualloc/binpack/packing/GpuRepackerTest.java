package io.gpualloc.binpack.packing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.binpack.packing.internal.ShareGroups;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.Gpu;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import io.gpualloc.core.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class GpuRepackerTest {

  static {
    // OR-Tools' native library is loaded outside every budget: these tests check answers, and
    // the first call's load would otherwise eat a short budget on a loaded machine
    // (BudgetCheck in benchmarks measures the first call).
    CpSatPacker.preload();
  }
  private static final GpuModel A100 = GpuModelCatalog.builtIn().get("A100-80GB");
  private static final GpuModel T4 = GpuModelCatalog.builtIn().get("T4");
  private static final SolverOptions FAST =
      SolverOptions.defaults().withTimeLimit(Duration.ofSeconds(2)).withWorkers(1);

  private static Node node(String name, int gpus, GpuModel m) {
    return Node.builder(name).cpuMilli(64000).memoryMib(262144).gpus(gpus, m).build();
  }

  @Test
  void fourHalfNodeJobsNeedTwoNodesProvenOptimal() {
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      nodes.add(node("n" + i, 8, A100));
    }
    Cluster c = Cluster.of(nodes);
    List<Request> reqs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      reqs.add(Request.builder("train-" + i).cpuMilli(8000).memoryMib(65536)
          .gpu(GpuDemand.whole(4)).build());
    }
    RepackResult r = GpuRepacker.repack(RepackProblem.of(c, reqs), FAST);
    assertEquals(PackingStatus.OPTIMAL, r.status());
    assertEquals(2, r.nodesUsed());
    assertEquals(0, r.gap());
    new ClusterState(c).allocateAll(r.placements());
  }

  @Test
  void sharesAbove500MilliCannotStackEvenWhenTotalsFit() {
    // Three 600-milli shares on 2-GPU nodes: totals fit one node (1800 <= 2000) but each GPU
    // holds only one; the slot dimension of the relaxation proves 2 nodes.
    Cluster c = Cluster.of(node("a", 2, T4), node("b", 2, T4), node("c", 2, T4));
    List<Request> reqs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      reqs.add(Request.builder("s" + i).cpuMilli(1000).memoryMib(1024)
          .gpu(GpuDemand.shared(1, 600, 1024)).build());
    }
    RepackResult r = GpuRepacker.repack(RepackProblem.of(c, reqs), FAST);
    assertEquals(2, r.nodesUsed());
    assertEquals(2, r.lowerBound());
    assertEquals(PackingStatus.OPTIMAL, r.status());
  }

  @Test
  void aSplitCountKeepsSharesApartAndTheLedgerAcceptsTheAnswer() {
    // Two 300-milli shares would stack on one T4, but each GPU takes one share (split count 1).
    Node a = Node.builder("a").cpuMilli(64000).memoryMib(262144)
        .gpu(new Gpu(0, "GPU-a0", T4, 0).withMaxShares(1)).build();
    Node b = Node.builder("b").cpuMilli(64000).memoryMib(262144)
        .gpu(new Gpu(0, "GPU-b0", T4, 0).withMaxShares(1)).build();
    Cluster c = Cluster.of(a, b);
    List<Request> reqs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      reqs.add(Request.builder("s" + i).cpuMilli(1000).memoryMib(1024)
          .gpu(GpuDemand.shared(1, 300, 1024)).build());
    }
    RepackResult r = GpuRepacker.repack(RepackProblem.of(c, reqs), FAST);
    assertTrue(r.unplaced().isEmpty(), r.toString());
    assertEquals(2, r.nodesUsed(), r.toString());
    new ClusterState(c).allocateAll(r.placements()); // throws if a share breaks the cap
  }

  @Test
  void weightedCostsPreferCheaperNodes() {
    Cluster c = Cluster.of(node("big", 8, A100), node("small0", 2, T4), node("small1", 2, T4));
    List<Request> reqs = List.of(
        Request.builder("a").cpuMilli(1000).memoryMib(1024).gpu(GpuDemand.whole(2)).build(),
        Request.builder("b").cpuMilli(1000).memoryMib(1024).gpu(GpuDemand.whole(2)).build());
    RepackProblem p = RepackProblem.withCosts(c, reqs, n -> n.name().equals("big") ? 10 : 3);
    RepackResult r = GpuRepacker.repack(p, FAST);
    assertEquals(6, r.cost());
    assertEquals(PackingStatus.OPTIMAL, r.status());
  }

  @Test
  void requestThatFitsNowhereIsReportedInfeasible() {
    Cluster c = Cluster.of(node("a", 2, T4));
    List<Request> reqs = List.of(
        Request.builder("huge").cpuMilli(1000).memoryMib(1024).gpu(GpuDemand.whole(4)).build());
    RepackResult r = GpuRepacker.repack(RepackProblem.of(c, reqs), FAST);
    assertEquals(PackingStatus.INFEASIBLE, r.status());
    assertEquals(List.of("huge"), r.unplaced());
  }

  @Test
  void rejectsMigDemandsAndDuplicateNames() {
    Cluster c = Cluster.of(node("a", 2, A100));
    Request mig = Request.builder("m").gpu(GpuDemand.mig("1g.10gb", 1)).build();
    assertThrows(InvalidSpecException.class, () -> RepackProblem.of(c, List.of(mig)));
    Request a = Request.builder("x").cpuMilli(1).build();
    assertThrows(InvalidSpecException.class, () -> RepackProblem.of(c, List.of(a, a)));
  }

  @Test
  void theGpuCountBoundSeesSharesThatCannotStackPerGpu() {
    // Five 400-milli shares: 2000 milli fit one 2-GPU node in aggregate, but a GPU holds two
    // (1200 > 1000), so they need 3 GPUs, hence 2 nodes; the bound proves it.
    Cluster c = Cluster.of(node("a", 2, T4), node("b", 2, T4), node("c", 2, T4));
    List<Request> reqs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      reqs.add(Request.builder("s" + i).cpuMilli(1000).memoryMib(1024)
          .gpu(GpuDemand.shared(1, 400, 1024)).build());
    }
    RepackResult r = GpuRepacker.repack(RepackProblem.of(c, reqs), FAST);
    assertEquals(2, r.nodesUsed(), r.toString());
    assertEquals(2, r.lowerBound(), r.toString());
    assertEquals(PackingStatus.OPTIMAL, r.status());
    assertEquals(2, r.baselineCost());
    new ClusterState(c).allocateAll(r.placements());
  }

  @Test
  void gpuCountBoundCoversTheNeedWithTheCheapestGpusFractionally() {
    // 8-GPU node at cost 10 (1.25 per GPU), 2-GPU nodes at cost 3 (1.5 per GPU).
    Cluster c = Cluster.of(node("big", 8, A100), node("small0", 2, T4), node("small1", 2, T4));
    long[] cost = {10, 3, 3};
    List<Request> whole = List.of(
        Request.builder("w").cpuMilli(1000).memoryMib(1024).gpu(GpuDemand.whole(4)).build());
    // 4 whole + 5 share GPUs = 9: the big node (10) and half a small one (1.5), rounded up: 12
    assertEquals(12, ShareGroups.gpuCountBound(c, whole, cost, 5));
    // 4 GPUs: half of the big node, 5
    assertEquals(5, ShareGroups.gpuCountBound(c, whole, cost, 0));
    // more GPUs than the cluster has: no bound from this argument
    assertEquals(0, ShareGroups.gpuCountBound(c, whole, cost, 9));
  }

  @Provide
  Arbitrary<RepackProblem> problems() {
    Arbitrary<Node> nodeArb = Combinators.combine(
            Arbitraries.integers().between(0, 8), Arbitraries.of(A100, T4),
            Arbitraries.integers().between(8, 64), Arbitraries.integers().between(16, 256))
        .as((g, m, cpu, memG) -> Node.builder("n").cpuMilli(cpu * 1000).memoryMib(memG * 1024)
            .gpus(g, m).build());
    Arbitrary<GpuDemand> demand = Arbitraries.oneOf(
        Arbitraries.just(GpuDemand.none()),
        Arbitraries.integers().between(1, 4).map(GpuDemand::whole),
        Combinators.combine(Arbitraries.integers().between(1, 2),
                Arbitraries.integers().between(100, 1000), Arbitraries.integers().between(0, 16))
            .as((k, milli, memG) -> GpuDemand.shared(k, milli, memG * 1024)));
    Arbitrary<Request> req = Combinators.combine(Arbitraries.integers().between(0, 16),
            Arbitraries.integers().between(0, 64), demand)
        .as((cpu, memG, d) -> Request.builder("r").cpuMilli(cpu * 1000).memoryMib(memG * 1024)
            .gpu(d).build());
    return Combinators.combine(nodeArb.list().ofMinSize(1).ofMaxSize(6),
            req.list().ofMinSize(0).ofMaxSize(14), Arbitraries.integers().between(0, 1))
        .as((ns, rs, weighted) -> {
          List<Node> named = new ArrayList<>();
          for (int i = 0; i < ns.size(); i++) {
            Node n = ns.get(i);
            named.add(Node.builder("n" + i).cpuMilli(n.cpuMilli()).memoryMib(n.memoryMib())
                .gpus(n.gpuCount(), n.gpuCount() == 0 ? T4 : n.gpu(0).model()).build());
          }
          List<Request> reqs = new ArrayList<>();
          for (int i = 0; i < rs.size(); i++) {
            Request r = rs.get(i);
            reqs.add(Request.builder("r" + i).cpuMilli(r.cpuMilli()).memoryMib(r.memoryMib())
                .gpu(r.gpu()).build());
          }
          Cluster c = Cluster.of(named);
          return weighted == 0 ? RepackProblem.of(c, reqs)
              : RepackProblem.withCosts(c, reqs, n -> 1 + n.gpuCount());
        });
  }

  @Property(tries = 30)
  void theLedgerAcceptsEveryAnswerAndTheBoundHolds(@ForAll("problems") RepackProblem p) {
    RepackResult r = GpuRepacker.repack(p, FAST.withTimeLimit(Duration.ofMillis(800)));
    ClusterState state = new ClusterState(p.cluster());
    state.allocateAll(r.placements()); // throws if the ledger rejects any placement
    Set<String> names = new HashSet<>();
    Set<Integer> used = new HashSet<>();
    long cost = 0;
    for (Placement pl : r.placements()) {
      assertTrue(names.add(pl.allocationId()));
      if (used.add(pl.nodeId())) {
        cost += p.nodeCosts().get(pl.nodeId());
      }
    }
    for (String u : r.unplaced()) {
      assertTrue(names.add(u), "placed and unplaced: " + u);
    }
    assertEquals(p.requests().size(), names.size());
    assertEquals(used.size(), r.nodesUsed());
    assertEquals(cost, r.cost());
    if (r.unplaced().isEmpty()) {
      assertTrue(r.lowerBound() <= r.cost(), r.toString());
      assertTrue(r.status() != PackingStatus.INFEASIBLE);
    } else {
      assertTrue(r.status() == PackingStatus.INFEASIBLE
          || r.status() == PackingStatus.TIMEOUT_FALLBACK, r.toString());
    }
  }

  /**
   * First fit on the ledger with requests and nodes in a seeded random order: a valid answer
   * that differs from every answer the repacker computes, so its cost must never be below the
   * repacker's lower bound.
   */
  private static long randomFirstFitCost(RepackProblem p, long seed) {
    java.util.Random rnd = new java.util.Random(seed);
    Cluster c = p.cluster();
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < p.requests().size(); i++) {
      order.add(i);
    }
    java.util.Collections.shuffle(order, rnd);
    List<Integer> nodes = new ArrayList<>();
    for (int n : c.nodeIds()) {
      nodes.add(n);
    }
    java.util.Collections.shuffle(nodes, rnd);
    ClusterState s = new ClusterState(c);
    Set<Integer> used = new HashSet<>();
    long cost = 0;
    for (int i : order) {
      Placement pl = null;
      for (int n : nodes) {
        pl = io.gpualloc.binpack.packing.internal.LedgerPacking.fit(s, n, p.requests().get(i));
        if (pl != null) {
          break;
        }
      }
      if (pl == null) {
        return Long.MAX_VALUE; // this order leaves a request out: no answer to compare
      }
      s.allocate(pl);
      if (used.add(pl.nodeId())) {
        cost += p.nodeCosts().get(pl.nodeId());
      }
    }
    return cost;
  }

  @Property(tries = 30)
  void theLowerBoundIsNeverAboveAValidAnswer(@ForAll("problems") RepackProblem p,
      @ForAll @net.jqwik.api.constraints.LongRange(min = 0, max = 1000) long seed) {
    RepackResult r = GpuRepacker.repack(p, FAST.withTimeLimit(Duration.ofMillis(800)));
    if (r.status() == PackingStatus.INFEASIBLE) {
      return;
    }
    for (int k = 0; k < 5; k++) {
      long other = randomFirstFitCost(p, seed * 31 + k);
      assertTrue(r.lowerBound() <= other,
          "bound " + r.lowerBound() + " above a valid answer of cost " + other + ": " + r);
    }
    if (r.baselineCost() != Long.MAX_VALUE) {
      assertTrue(r.unplaced().isEmpty() && r.cost() <= r.baselineCost(), r.toString());
    }
  }

  @Property(tries = 40)
  void consolidationNeverRaisesTheCostAndKeepsEveryRequestPlaced(
      @ForAll("problems") RepackProblem p,
      @ForAll @net.jqwik.api.constraints.LongRange(min = 0, max = 1000) long seed) {
    // a random (wasteful) first fit as the start
    java.util.Random rnd = new java.util.Random(seed);
    Cluster c = p.cluster();
    ClusterState s = new ClusterState(c);
    Placement[] start = new Placement[p.requests().size()];
    int[] ids = c.nodeIds();
    for (int i = 0; i < start.length; i++) {
      for (int t = 0; t < 4 && start[i] == null; t++) {
        Placement pl = io.gpualloc.binpack.packing.internal.LedgerPacking.fit(s,
            ids[rnd.nextInt(ids.length)], p.requests().get(i));
        if (pl != null) {
          s.allocate(pl);
          start[i] = pl;
        }
      }
    }
    long[] cost = p.nodeCosts().stream().mapToLong(Long::longValue).toArray();
    Placement[] out = io.gpualloc.binpack.packing.internal.LedgerConsolidation.improve(c,
        p.requests(), start, cost, 0, Long.MAX_VALUE);
    List<Placement> placed = new ArrayList<>();
    for (int i = 0; i < start.length; i++) {
      assertEquals(start[i] == null, out[i] == null, "request " + i + " placed or not as before");
      if (out[i] != null) {
        assertEquals(p.requests().get(i).name(), out[i].allocationId());
        placed.add(out[i]);
      }
    }
    new ClusterState(c).allocateAll(placed); // the ledger accepts the consolidated answer
    long before = io.gpualloc.binpack.packing.internal.LedgerConsolidation.costOf(start, cost);
    long after = io.gpualloc.binpack.packing.internal.LedgerConsolidation.costOf(out, cost);
    assertTrue(after <= before, after + " > " + before);
  }
}

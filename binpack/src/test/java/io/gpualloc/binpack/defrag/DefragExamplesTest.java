package io.gpualloc.binpack.defrag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.binpack.Fragmentation;
import io.gpualloc.binpack.TargetWorkload;
import io.gpualloc.binpack.TaskClass;
import io.gpualloc.binpack.packing.SolverOptions;
import io.gpualloc.binpack.solver.SolveStatus;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import io.gpualloc.core.Request;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Hand-computed defragmentation cases. */
class DefragExamplesTest {
  static final GpuModel H100 = GpuModelCatalog.builtIn().get("H100-80GB");
  static final SolverOptions BUDGET = SolverOptions.defaults().withTimeLimit(Duration.ofSeconds(5));

  /**
   * Three nodes of 4 GPUs. n0: x (2 GPUs, priority 0) and y (1, priority 3); n1: z (2, priority
   * 1); n2: w (3, priority 0). Free: 1, 2, 1. A 4-GPU pod fits nowhere.
   */
  static final class Three {
    final ClusterState ledger = new ClusterState(Cluster.of(node("n0"), node("n1"), node("n2")));
    final Map<String, Request> requests = new HashMap<>();

    Three() {
      put("x", 0, 0, 2, 0);
      put("y", 0, 2, 1, 3);
      put("z", 1, 0, 2, 1);
      put("w", 2, 0, 3, 0);
    }

    void put(String id, int node, int first, int gpus, int priority) {
      Placement.Builder b = Placement.builder(id, node).cpuMilli(1000).memoryMib(1024);
      for (int g = first; g < first + gpus; g++) {
        b.whole(g);
      }
      ledger.allocate(b.build());
      requests.put(id, Request.builder(id).cpuMilli(1000).memoryMib(1024)
          .gpu(GpuDemand.whole(gpus)).priority(priority).build());
    }

    DefragProblem.Builder problem(DefragGoal goal) {
      return DefragProblem.builder(ledger, goal).requests(requests);
    }
  }

  static Node node(String name) {
    return Node.builder(name).cpuMilli(32_000).memoryMib(256 * 1024).gpus(4, H100).build();
  }

  static Request pod(String name, int gpus) {
    return Request.builder(name).cpuMilli(1000).memoryMib(1024).gpu(GpuDemand.whole(gpus))
        .build();
  }

  static DefragPlan.Planned planned(DefragPlan p) {
    return assertInstanceOf(DefragPlan.Planned.class, p, p::summary);
  }

  @Test
  void greedyFreesNodeZeroForFiveWhileTheChainThroughNodeTwoCostsTwo() {
    Three t = new Three();
    DefragProblem problem = t.problem(DefragGoal.Fit.of(pod("p", 4))).build();
    DefragPlan.Planned greedy = planned(DefragPlanners.named("greedy", BUDGET).plan(problem));
    // n2's bound is 1 (w), n1's 2 (z), n0's 5 (x and y): only n0 works without a chain
    assertEquals(5, greedy.cost());
    assertEquals(1, greedy.outcome().bound());
    assertEquals(SolveStatus.FEASIBLE, greedy.outcome().status());
    assertEquals(0, greedy.placements().get(0).nodeId());
    DefragPlan.Planned exact = planned(DefragPlanners.named("cp-sat", BUDGET).plan(problem));
    // x: n0 -> n1, then w: n2 -> n0, then the pod on n2
    assertEquals(2, exact.cost());
    assertEquals(SolveStatus.OPTIMAL, exact.outcome().status());
    assertEquals(2, exact.placements().get(0).nodeId());
    assertEquals(List.of("x", "w"), exact.steps().stream().map(DefragStep::allocationId).toList());
    assertTrue(DryRun.check(problem, exact).valid());
    assertTrue(DryRun.check(t.ledger, problem, exact).valid());
  }

  @Test
  void baselineEvictsTheCheapestNodesLowestPriorityPods() {
    Three t = new Three();
    DefragProblem problem = t.problem(DefragGoal.Fit.of(pod("p", 4))).allowEviction(true).build();
    DefragPlan.Planned base = planned(
        DefragPlanners.named("evict-lowest-priority", BUDGET).plan(problem));
    // evictions cost 10 x (1 + priority): w on n2 costs 10, z 20, x+y 10+40
    assertEquals(10, base.cost());
    assertEquals(1, base.evictions());
    assertEquals("w", base.steps().get(0).allocationId());
    DefragPlan.Planned greedy = planned(DefragPlanners.named("greedy", BUDGET).plan(problem));
    assertEquals(5, greedy.cost()); // moving x and y beats evicting w
    assertEquals(2, planned(DefragPlanners.named("cp-sat", BUDGET).plan(problem)).cost());
  }

  @Test
  void baselineWithoutEvictionRejects() {
    Three t = new Three();
    DefragPlan p = DefragPlanners.named("evict-lowest-priority", BUDGET)
        .plan(t.problem(DefragGoal.Fit.of(pod("p", 4))).build());
    assertFalse(p.isPlanned());
    assertEquals(SolveStatus.UNKNOWN, p.outcome().status());
  }

  @Test
  void emptyOneNodeCostsTwoByTheSameChain() {
    Three t = new Three();
    DefragProblem problem = t.problem(DefragGoal.EmptyNodes.any(1)).build();
    DefragPlan.Planned greedy = planned(DefragPlanners.named("greedy", BUDGET).plan(problem));
    assertEquals(5, greedy.cost()); // n2 and n1 cannot be emptied without a chain
    assertEquals(1, greedy.outcome().bound()); // w alone
    assertEquals(List.of(0), greedy.emptiedNodes());
    DefragPlan.Planned exact = planned(DefragPlanners.named("cp-sat", BUDGET).plan(problem));
    assertEquals(2, exact.cost());
    assertEquals(List.of(2), exact.emptiedNodes());
    assertEquals(SolveStatus.OPTIMAL, exact.outcome().status());
  }

  @Test
  void anEightGpuPodOnFourGpuNodesIsProvenImpossible() {
    Three t = new Three();
    DefragProblem problem = t.problem(DefragGoal.Fit.of(pod("big", 8))).allowEviction(true)
        .build();
    for (String name : DefragPlanners.names()) {
      DefragPlan p = DefragPlanners.named(name, BUDGET).plan(problem);
      DefragPlan.Rejected r = assertInstanceOf(DefragPlan.Rejected.class, p, name);
      assertEquals(SolveStatus.INFEASIBLE, r.outcome().status(), name);
      assertTrue(r.reason().contains("needs 8 GPUs on one node; no node has 8"), r.reason());
    }
  }

  @Test
  void immovableAllocationsStayAndCanMakeItImpossible() {
    Three t = new Three();
    DefragProblem problem = t.problem(DefragGoal.Fit.of(pod("p", 4)))
        .movable(Set.of("x", "y", "z")).build();
    DefragPlan.Planned exact = planned(DefragPlanners.named("cp-sat", BUDGET).plan(problem));
    assertEquals(5, exact.cost()); // w may not move: only n0 can be freed
    assertTrue(exact.steps().stream().noneMatch(s -> s.allocationId().equals("w")));
    DefragProblem stuck = t.problem(DefragGoal.Fit.of(pod("p", 4))).movable(Set.of()).build();
    DefragPlan r = DefragPlanners.named("greedy", BUDGET).plan(stuck);
    assertEquals(SolveStatus.INFEASIBLE, r.outcome().status());
    assertTrue(r.summary().contains("may not move"), r.summary());
    // only z may move: freeing n1 needs z to go elsewhere, and no node has 2 free GPUs
    DefragProblem onlyZ = t.problem(DefragGoal.Fit.of(pod("p", 4))).movable(Set.of("z"))
        .build();
    assertEquals(SolveStatus.UNKNOWN,
        DefragPlanners.named("greedy", BUDGET).plan(onlyZ).outcome().status());
    assertEquals(SolveStatus.INFEASIBLE,
        DefragPlanners.named("cp-sat", BUDGET).plan(onlyZ).outcome().status());
  }

  @Test
  void aCordonedNodeTakesNothingButMayBeEmptied() {
    Three t = new Three();
    t.ledger.cordon("n1");
    // the pod may not go to n1, and x (2 GPUs) has nowhere to go but n1: no plan
    DefragProblem fit = t.problem(DefragGoal.Fit.of(pod("p", 4))).build();
    assertEquals(SolveStatus.UNKNOWN,
        DefragPlanners.named("greedy", BUDGET).plan(fit).outcome().status());
    assertEquals(SolveStatus.INFEASIBLE,
        DefragPlanners.named("cp-sat", BUDGET).plan(fit).outcome().status());
    // draining the cordoned n1: y (cost 4) goes to n2 first, then z (cost 2) into n0
    DefragProblem drain = t.problem(DefragGoal.EmptyNodes.any(1)).build();
    assertFalse(DefragPlanners.named("greedy", BUDGET).plan(drain).isPlanned());
    DefragPlan.Planned exact = planned(DefragPlanners.named("cp-sat", BUDGET).plan(drain));
    assertEquals(6, exact.cost());
    assertEquals(SolveStatus.OPTIMAL, exact.outcome().status());
    assertEquals(List.of(1), exact.emptiedNodes());
    assertEquals(List.of("y", "z"), exact.steps().stream().map(DefragStep::allocationId).toList());
    assertTrue(DryRun.check(drain, exact).valid());
  }

  @Test
  void cpSatKeepsToTheShareCap() {
    // two one-GPU nodes, each GPU capped at 2 shares: a holds two 300m shares, b one 300m and one
    // 600m share; a waiting 600m share fits on a by compute but not under its cap
    Node a = new Node("a", Map.of(), 8000, 64 * 1024,
        List.of(new io.gpualloc.core.Gpu(0, "gpu-a", H100, 0).withMaxShares(2)));
    Node b = new Node("b", Map.of(), 8000, 64 * 1024,
        List.of(new io.gpualloc.core.Gpu(0, "gpu-b", H100, 0).withMaxShares(2)));
    ClusterState ledger = new ClusterState(Cluster.of(a, b));
    ledger.allocate(Placement.builder("s0", 0).cpuMilli(100).share(0, 300, 1000).build());
    ledger.allocate(Placement.builder("s1", 0).cpuMilli(100).share(0, 300, 1000).build());
    ledger.allocate(Placement.builder("s2", 1).cpuMilli(100).share(0, 300, 1000).build());
    Request waiting = Request.builder("w").cpuMilli(100).gpu(GpuDemand.shared(1, 600, 1000))
        .build();
    DefragProblem problem = DefragProblem.builder(ledger, DefragGoal.Fit.of(waiting))
        .costs(DefragCosts.uniform()).build();
    // b takes the pod as is (one share, 700m free): nothing to move
    assertEquals(0, planned(DefragPlanners.named("cp-sat", BUDGET).plan(problem)).cost());
    ledger.allocate(Placement.builder("s3", 1).cpuMilli(100).share(0, 100, 1000).build());
    // now both GPUs hold two shares: one share must leave a GPU, and it can only go to the other,
    // which is at its cap too: no plan without eviction
    DefragProblem capped = DefragProblem.builder(ledger, DefragGoal.Fit.of(waiting))
        .costs(DefragCosts.uniform()).build();
    assertEquals(SolveStatus.INFEASIBLE,
        DefragPlanners.named("cp-sat", BUDGET).plan(capped).outcome().status());
    DefragPlan.Planned evict = planned(DefragPlanners.named("cp-sat", BUDGET).plan(
        DefragProblem.builder(ledger, DefragGoal.Fit.of(waiting)).costs(DefragCosts.uniform())
            .allowEviction(true).build()));
    assertEquals(1, evict.cost());
    assertEquals(1, evict.evictions());
  }

  @Test
  void aPodThatFitsNeedsNoStep() {
    Three t = new Three();
    DefragProblem problem = t.problem(DefragGoal.Fit.of(pod("p", 2))).build();
    for (String name : DefragPlanners.names()) {
      DefragPlan.Planned p = planned(DefragPlanners.named(name, BUDGET).plan(
          t.problem(DefragGoal.Fit.of(pod("p", 2))).allowEviction(true).build()));
      assertEquals(0, p.cost(), name);
      assertEquals(SolveStatus.OPTIMAL, p.outcome().status(), name);
      assertEquals(1, p.placements().get(0).nodeId(), name); // best-fit: n1 has exactly 2 free
    }
    assertEquals(4, problem.allocations().size());
  }

  @Test
  void fragmentationGoalMovesAShareOntoAPartlyUsedGpu() {
    // one node of 2 GPUs with a half share on each: a whole-GPU workload finds no free GPU
    ClusterState ledger = new ClusterState(Cluster.of(
        Node.builder("a").cpuMilli(32_000).memoryMib(256 * 1024).gpus(2, H100).build()));
    ledger.allocate(Placement.builder("s0", 0).cpuMilli(100).share(0, 500, 1000).build());
    ledger.allocate(Placement.builder("s1", 0).cpuMilli(100).share(1, 500, 1000).build());
    TargetWorkload m = TargetWorkload.of(List.of(TaskClass.of(100, GpuDemand.whole(1), 1)));
    long before = Fragmentation.cluster(ledger, m);
    assertEquals(1000, before); // both halves stranded
    DefragProblem problem = DefragProblem.builder(ledger,
        new DefragGoal.ReduceFragmentation(m, 0)).build();
    // moves stay on other nodes: with one node there is nowhere to go
    DefragPlan p = DefragPlanners.named("greedy", BUDGET).plan(problem);
    assertFalse(p.isPlanned());
    // evicting one share frees a whole GPU: F = the other GPU's stranded 500
    DefragPlan ev = DefragPlanners.named("greedy", BUDGET).plan(DefragProblem.builder(ledger,
        new DefragGoal.ReduceFragmentation(m, 500)).allowEviction(true).build());
    DefragPlan.Planned e = planned(ev);
    assertEquals(1, e.evictions());
    assertEquals(10, e.cost());
    assertEquals(1, e.outcome().bound());
  }

  @Test
  void badInputIsTypedAndChangesNothing() {
    Three t = new Three();
    long version = t.ledger.version();
    InvalidSpecException a = assertThrows(InvalidSpecException.class,
        () -> t.problem(DefragGoal.Fit.of(pod("p", 4))).movable(Set.of("nope")).build());
    assertTrue(a.getMessage().contains("movable") && a.getMessage().contains("'nope'"),
        a.getMessage());
    InvalidSpecException b = assertThrows(InvalidSpecException.class,
        () -> t.problem(DefragGoal.EmptyNodes.any(4)).build());
    assertTrue(b.getMessage().contains("<= 3"), b.getMessage());
    assertThrows(InvalidSpecException.class,
        () -> t.problem(DefragGoal.Fit.of(pod("x", 1))).build());
    assertThrows(InvalidSpecException.class, () -> new DefragGoal.Fit(List.of()));
    assertThrows(InvalidSpecException.class, () -> DefragGoal.Fit.of(Request.builder("m")
        .gpu(GpuDemand.mig("1g.10gb", 1)).build()));
    Map<String, Request> neg = new HashMap<>(t.requests);
    neg.put("x", Request.builder("x").cpuMilli(1000).memoryMib(1024)
        .gpu(GpuDemand.whole(2)).priority(-5).build());
    InvalidSpecException c = assertThrows(InvalidSpecException.class,
        () -> DefragProblem.builder(t.ledger, DefragGoal.Fit.of(pod("p", 4))).requests(neg)
            .build());
    assertTrue(c.getMessage().contains("priority") && c.getMessage().contains("-5"),
        c.getMessage());
    assertThrows(InvalidSpecException.class, () -> DefragPlanners.named("fastest", BUDGET));
    assertThrows(InvalidSpecException.class, () -> new AllocationCost(-1, 0));
    assertEquals(version, t.ledger.version());
    assertEquals(4, t.ledger.allocations().size());
  }

  @Test
  void planningLeavesTheLedgerAlone() {
    Three t = new Three();
    List<Placement> before = List.copyOf(t.ledger.allocations());
    long version = t.ledger.version();
    DefragProblem problem = t.problem(DefragGoal.Fit.of(pod("p", 4))).build();
    for (String name : DefragPlanners.names()) {
      DefragPlanners.named(name, BUDGET).plan(problem);
    }
    assertEquals(version, t.ledger.version());
    assertEquals(Set.copyOf(before), Set.copyOf(t.ledger.allocations()));
  }
}

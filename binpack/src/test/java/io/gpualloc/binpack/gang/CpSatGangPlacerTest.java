package io.gpualloc.binpack.gang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.binpack.packing.SolverOptions;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import io.gpualloc.core.Request;
import io.gpualloc.topology.ClusterTopology;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * The CP-SAT gang placer: complete on the small scenarios (it places exactly when exhaustive
 * search finds a placement, also where greedy's order limit bites), never worse than greedy on the
 * objective, and within its budget.
 */
class CpSatGangPlacerTest {
  // generous: the first call loads OR-Tools' native library within it, on a loaded machine
  private final BudgetedGangPlacer cpSat = GangPlacers.cpSat(GangOptions.defaults()
      .withSolver(SolverOptions.defaults().withTimeLimit(Duration.ofSeconds(20))));
  private final GangPlacer greedy = GangPlacers.greedy(GangOptions.defaults());

  /**
   * The documented objective, computed here from the placements alone: per level, one domain
   * weighs more than everything below it can add up to; then the free GPUs of touched nodes.
   */
  static long objective(ClusterState view, ClusterTopology t, GangDecision.Placed p) {
    Cluster c = view.cluster();
    long below = 0;
    for (int v : c.nodeIds()) {
      below += view.isSchedulable(v) ? view.freeWholeGpus(v) : 0;
    }
    long o = 0;
    for (int l = 0; l < t.levels().size(); l++) {
      long w = below + 1;
      long spans = t.domainCount(l);
      for (int v : c.nodeIds()) {
        spans += t.domainOf(v, l) < 0 ? 1 : 0;
      }
      below += w * spans;
      Set<Long> used = new HashSet<>();
      for (Placement pl : p.placements()) {
        int d = t.domainOf(pl.nodeId(), l);
        used.add(d >= 0 ? d : -1L - pl.nodeId());
      }
      o += w * used.size();
    }
    Set<Integer> touched = new HashSet<>();
    for (Placement pl : p.placements()) {
      touched.add(pl.nodeId());
    }
    for (int v : touched) {
      o += view.freeWholeGpus(v);
    }
    return o;
  }

  @Property(tries = 150)
  void placesExactlyWhenAPlacementExistsAndNeverLosesToGreedy(@ForAll long seed) {
    GangScenario s = new GangScenario(seed, 2);
    boolean feasible = new BruteForce(s.gang, s.state, s.topology).feasible();
    GangSolveResult r = cpSat.solve(s.gang, s.state, s.topology);
    Statistics.collect(r.status(), r.phase());
    assertEquals(feasible, r.decision().isPlaced(), s + " -> " + r);
    GangDecision g = greedy.place(s.gang, s.state, s.topology);
    if (r.decision() instanceof GangDecision.Placed p) {
      GangProperties.check(s, p);
      assertEquals(objective(s.state, s.topology, p), r.objective());
      assertTrue(r.bound() <= r.objective());
      if (g instanceof GangDecision.Placed gp) {
        assertTrue(r.objective() <= objective(s.state, s.topology, gp), "worse than greedy");
      }
    } else {
      assertTrue(!g.isPlaced());
      assertEquals(GangSolveStatus.INFEASIBLE, r.status());
    }
    assertEquals(r.decision(), cpSat.solve(s.gang, s.state, s.topology).decision(),
        "same inputs, same answer");
  }

  @Test
  void placesTheGangGreedyMisses() {
    Cluster c = Cluster.of(
        Node.builder("a").cpuMilli(5000).memoryMib(64 * 1024).gpus(4, GangClusters.H100)
            .label("hostname", "a").label("rack", "r0").label("block", "b1").build(),
        Node.builder("b").cpuMilli(4000).memoryMib(64 * 1024).gpus(2, GangClusters.H100)
            .label("hostname", "b").label("rack", "r1").label("block", "b1").build());
    ClusterState state = new ClusterState(c);
    ClusterTopology topology = ClusterTopology.of(c, GangClusters.LEVELS);
    Gang gang = Gang.builder("g")
        .podSet(PodSet.of("workers", Request.builder("w").cpuMilli(1500)
            .gpu(GpuDemand.whole(1)).build(), 4))
        .podSet(PodSet.of("servers", Request.builder("s").cpuMilli(500)
            .gpu(GpuDemand.whole(1)).build(), 2)
            .withTopology(TopologyConstraint.required("rack")))
        .build();
    GangSolveResult r = cpSat.solve(gang, state, topology);
    assertEquals(GangSolvePhase.CP_SAT, r.phase(), r.toString());
    assertEquals(GangSolveStatus.OPTIMAL, r.status());
    state.allocateAll(((GangDecision.Placed) r.decision()).placements());
    assertEquals(6, state.allocationCount());
  }

  @Test
  void fewerRacksThanGreedyWhenBestFitSpreads() {
    // preferred rack, 6 pods of 8 GPUs: racks of 4 empty nodes; greedy climbs to the block and
    // takes 2 racks; that is also optimal, and cp-sat proves it
    Cluster c = GangClusters.cluster(2, 2, 4, 8);
    ClusterState state = new ClusterState(c);
    ClusterTopology topology = ClusterTopology.of(c, GangClusters.LEVELS);
    Gang gang = Gang.builder("g").podSet(PodSet.of("w", GangClusters.whole(8), 6)
        .withTopology(TopologyConstraint.preferred("rack"))).build();
    GangSolveResult r = cpSat.solve(gang, state, topology);
    GangDecision.Placed p = (GangDecision.Placed) r.decision();
    assertEquals(2, p.domainsSpanned("rack"));
    assertEquals(1, p.domainsSpanned("block"));
    assertEquals(GangSolveStatus.OPTIMAL, r.status());
    assertEquals(0, r.gap());
  }

  @Test
  void placesOnALargeClusterUnderABudget() {
    // 1,024 nodes x 8 GPUs, half of them partly busy; 1-GPU pods make many classes
    Cluster c = GangClusters.cluster(4, 8, 32, 8);
    ClusterState state = new ClusterState(c);
    Random random = new Random(3);
    for (int v = 0; v < c.nodeIdBound(); v++) {
      if (random.nextBoolean()) {
        Placement.Builder b = Placement.builder("bg" + v, v);
        int gpus = 1 + random.nextInt(7);
        for (int g = 0; g < gpus; g++) {
          b.whole(g);
        }
        state.allocate(b.build());
      }
    }
    ClusterTopology topology = ClusterTopology.of(c, GangClusters.LEVELS);
    Gang gang = Gang.builder("g").podSet(PodSet.of("w", GangClusters.whole(1), 200)
        .withTopology(TopologyConstraint.preferred("rack"))).build();
    Duration budget = Duration.ofMillis(1500);
    BudgetedGangPlacer placer = GangPlacers.cpSat(GangOptions.defaults()
        .withSolver(SolverOptions.defaults().withTimeLimit(budget)));
    GangSolveResult r = placer.solve(gang, state, topology);
    // the time taken is measured by benchmarks/.../BudgetCheck, not asserted here
    assertTrue(r.decision().isPlaced());
    List<Placement> members = ((GangDecision.Placed) r.decision()).placements();
    state.allocateAll(members);
  }

  @Test
  void aTinyBudgetGivesGreedysAnswerAsTheFallback() {
    // 1 ms: too little to load OR-Tools' native library or to build the model, whether or not
    // an earlier test loaded it; the answer is greedy's, valid, and marked as the fallback
    BudgetedGangPlacer tiny = GangPlacers.cpSat(GangOptions.defaults()
        .withSolver(SolverOptions.defaults().withTimeLimit(Duration.ofMillis(1))));
    for (long seed = 0; seed < 20; seed++) {
      GangScenario s = new GangScenario(seed, 2);
      GangSolveResult r = tiny.solve(s.gang, s.state, s.topology);
      assertEquals(GangSolveStatus.FALLBACK, r.status(), s + " -> " + r);
      assertEquals(GangSolvePhase.GREEDY, r.phase(), s + " -> " + r);
      GangDecision g = greedy.place(s.gang, s.state, s.topology);
      assertEquals(g, r.decision(), s + " -> " + r);
      if (r.decision() instanceof GangDecision.Placed p) {
        GangProperties.check(s, p);
        assertEquals(objective(s.state, s.topology, p), r.objective());
        assertTrue(r.bound() <= r.objective());
      }
    }
  }
}

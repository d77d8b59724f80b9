package io.gpualloc.binpack.gang;

import static io.gpualloc.binpack.gang.GangClusters.LEVELS;
import static io.gpualloc.binpack.gang.GangClusters.cluster;
import static io.gpualloc.binpack.gang.GangClusters.whole;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.Placement;
import io.gpualloc.core.Request;
import io.gpualloc.topology.ClusterTopology;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GreedyGangPlacerTest {
  private final GangPlacer greedy = GangPlacers.named("greedy", GangOptions.defaults());

  /** 2 blocks x 2 racks x 4 nodes x 8 GPUs. */
  private final Cluster cluster = cluster(2, 2, 4, 8);
  private final ClusterTopology topology = ClusterTopology.of(cluster, LEVELS);

  private static Gang gang(String name, PodSet... sets) {
    Gang.Builder b = Gang.builder(name);
    for (PodSet s : sets) {
      b.podSet(s);
    }
    return b.build();
  }

  private String rackOf(Placement p) {
    return topology.domainName(1, topology.domainOf(p.nodeId(), 1));
  }

  @Test
  void fourWorkersOfEightGpusShareOneRackAndCommitTogether() {
    ClusterState state = new ClusterState(cluster);
    Gang g = gang("train", PodSet.of("workers", whole(8), 4)
        .withTopology(TopologyConstraint.required("rack")));
    GangDecision d = greedy.placeAndCommit(g, state, topology);
    GangDecision.Placed p = assertInstanceOf(GangDecision.Placed.class, d);
    assertEquals(4, state.allocationCount());
    assertEquals(1, p.domainsSpanned("rack"));
    assertEquals(4, p.domainsSpanned("hostname"));
    assertEquals(1, p.constraints().size());
    assertEquals("rack", p.constraints().get(0).level());
    assertEquals("b0/r0", p.constraints().get(0).domain());
    assertEquals("train/workers-0", p.members().get(0).placement().allocationId());
    assertEquals(4, p.podsPlaced().get("workers"));
  }

  @Test
  void bestFitTakesTheSmallestRackThatSuffices() {
    ClusterState state = new ClusterState(cluster);
    // rack b0/r1 loses one node: 3 nodes free there, 4 elsewhere
    state.allocate(Placement.builder("busy", cluster.nodeId("b0-r1-n0")).whole(0).build());
    Gang g = gang("g", PodSet.of("w", whole(8), 3)
        .withTopology(TopologyConstraint.required("rack")));
    GangDecision.Placed p = (GangDecision.Placed) greedy.place(g, state, topology);
    for (GangDecision.Member m : p.members()) {
      assertEquals("b0/r1", rackOf(m.placement()));
      assertTrue(m.placement().nodeId() != cluster.nodeId("b0-r1-n0"));
    }
  }

  @Test
  void aGangLargerThanEveryRackIsRejectedWithNumbersAndChangesNothing() {
    ClusterState state = new ClusterState(cluster);
    long before = state.version();
    Gang g = gang("big", PodSet.of("w", whole(8), 5)
        .withTopology(TopologyConstraint.required("rack")));
    GangDecision d = greedy.placeAndCommit(g, state, topology);
    GangDecision.Rejected r = assertInstanceOf(GangDecision.Rejected.class, d);
    assertEquals(GangRejectReason.NO_DOMAIN_LARGE_ENOUGH, r.reason());
    GangDecision.Shortfall s = r.shortfalls().get(0);
    assertEquals("rack", s.level());
    assertEquals("b0/r0", s.domain());
    assertEquals(4, s.fits());
    assertEquals(5, s.needed());
    assertTrue(s.detail().contains("5 x 8 = 40 whole GPUs, 32 free"), s.detail());
    assertEquals(before, state.version());
    assertEquals(0, state.allocationCount());
  }

  @Test
  void preferredClimbsToTheBlockAndSaysSo() {
    ClusterState state = new ClusterState(cluster);
    Gang g = gang("g", PodSet.of("w", whole(8), 6)
        .withTopology(TopologyConstraint.preferred("rack")));
    GangDecision.Placed p = (GangDecision.Placed) greedy.place(g, state, topology);
    GangDecision.ConstraintOutcome o = p.constraints().get(0);
    assertEquals("block", o.level());
    assertEquals(2, o.levelIndex());
    assertEquals(2, p.domainsSpanned("rack"));
    assertEquals(1, p.domainsSpanned("block"));
    // the fewest racks: one full rack of 4 and the other rack's 2
    state.allocateAll(p.placements());
  }

  @Test
  void aTemplateNoNodeCouldHoldIsAnExplainedRejection() {
    ClusterState state = new ClusterState(cluster);
    Gang g = gang("g", PodSet.of("w", whole(16), 1));
    GangDecision.Rejected r = (GangDecision.Rejected) greedy.place(g, state, topology);
    assertEquals(GangRejectReason.TEMPLATE_NEVER_FITS, r.reason());
    assertTrue(r.message().contains("needs 16 whole, 8 free of 8"), r.message());
  }

  @Test
  void slicesPutWholeGroupsInOneHost() {
    ClusterState state = new ClusterState(cluster);
    // half of every node in rack b0/r0 is taken: 4 free GPUs per node there
    for (int n = 0; n < 4; n++) {
      int id = cluster.nodeId("b0-r0-n" + n);
      state.allocate(Placement.builder("half" + n, id).whole(0).whole(1).whole(2).whole(3)
          .build());
    }
    Gang g = gang("g", PodSet.of("w", whole(2), 8)
        .withTopology(TopologyConstraint.required("rack"))
        .withSlices(new Slices(4, "hostname")));
    GangDecision.Placed p = (GangDecision.Placed) greedy.place(g, state, topology);
    java.util.Map<Integer, Integer> perNode = new java.util.HashMap<>();
    for (GangDecision.Member m : p.members()) {
      perNode.merge(m.placement().nodeId(), 1, Integer::sum);
    }
    for (int c : perNode.values()) {
      assertEquals(0, c % 4, perNode.toString());
    }
    assertEquals(1, p.domainsSpanned("rack"));
    state.allocateAll(p.placements());
  }

  @Test
  void elasticPodSetsGrowAsFarAsTheRackAllows() {
    ClusterState state = new ClusterState(cluster);
    Gang g = gang("g", PodSet.of("w", whole(8), 6).withMinCount(2)
        .withTopology(TopologyConstraint.required("rack")));
    GangDecision.Placed p = (GangDecision.Placed) greedy.place(g, state, topology);
    assertEquals(4, p.podsPlaced().get("w"));
  }

  @Test
  void leaderIsCoLocatedWithItsWorkers() {
    ClusterState state = new ClusterState(cluster);
    Request leader = Request.builder("leader").cpuMilli(500).gpu(GpuDemand.whole(1)).build();
    Gang g = Gang.builder("g")
        .podSet(PodSet.of("leader", leader, 1))
        .podSet(PodSet.of("workers", whole(8), 3)
            .withTopology(TopologyConstraint.required("rack")))
        .coLocate("leader", "workers", "rack")
        .build();
    GangDecision.Placed p = (GangDecision.Placed) greedy.place(g, state, topology);
    Set<String> racks = new HashSet<>();
    for (GangDecision.Member m : p.members()) {
      racks.add(rackOf(m.placement()));
    }
    assertEquals(1, racks.size(), racks.toString());
    assertEquals(2, p.constraints().size()); // the co-location and the workers' constraint
    assertEquals("leader+workers", p.constraints().get(0).scope());
    state.allocateAll(p.placements());
  }

  @Test
  void podSetsThatCannotShareTheGangsRackAreAConflict() {
    ClusterState state = new ClusterState(cluster);
    Gang g = Gang.builder("g")
        .topology(TopologyConstraint.required("rack"))
        .podSet(PodSet.of("a", whole(8), 3))
        .podSet(PodSet.of("b", whole(8), 2))
        .build();
    GangDecision.Rejected r = (GangDecision.Rejected) greedy.place(g, state, topology);
    assertEquals(GangRejectReason.POD_SETS_CONFLICT, r.reason());
    GangDecision.Shortfall s = r.shortfalls().get(0);
    assertEquals("gang", s.scope());
    assertEquals("rack", s.level());
    assertEquals(2, s.fits());
    assertEquals(2, s.needed());
  }

  @Test
  void badInputIsATypedError() {
    Request t = whole(1);
    assertThrows(InvalidSpecException.class, () -> PodSet.of("w", t, 0));
    assertThrows(InvalidSpecException.class, () -> new PodSet("w", t, 2, 3, null, null));
    assertThrows(InvalidSpecException.class, () -> new PodSet("w", t, 2, 0, null, null));
    assertThrows(InvalidSpecException.class,
        () -> PodSet.of("w", t, 6).withSlices(new Slices(4, "hostname")));
    assertThrows(InvalidSpecException.class, () -> Gang.builder("g").build());
    assertThrows(InvalidSpecException.class, () -> Gang.builder("g")
        .podSet(PodSet.of("w", t, 1)).podSet(PodSet.of("w", t, 1)).build());
    assertThrows(InvalidSpecException.class, () -> Gang.builder("g")
        .podSet(PodSet.of("w", t, 1)).coLocate("w", "x", "rack").build());
    ClusterState state = new ClusterState(cluster);
    Gang unknownLevel = gang("g", PodSet.of("w", t, 1)
        .withTopology(TopologyConstraint.required("spine")));
    InvalidSpecException e = assertThrows(InvalidSpecException.class,
        () -> greedy.place(unknownLevel, state, topology));
    assertTrue(e.getMessage().contains("spine"), e.getMessage());
    Gang sliceAbove = gang("g", PodSet.of("w", t, 4)
        .withTopology(TopologyConstraint.required("rack")).withSlices(new Slices(2, "block")));
    assertThrows(InvalidSpecException.class, () -> greedy.place(sliceAbove, state, topology));
    Cluster other = cluster(1, 1, 1, 8);
    assertThrows(InvalidSpecException.class, () -> greedy.place(gang("g",
        PodSet.of("w", t, 1)), new ClusterState(other), topology));
    assertThrows(InvalidSpecException.class, () -> GangPlacers.named("nope",
        GangOptions.defaults()));
    assertEquals(List.of("kueue-best-fit", "kueue-least-free", "slurm-tree", "volcano-hard",
        "greedy", "cp-sat"), GangPlacers.names());
  }
}

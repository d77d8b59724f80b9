package io.gpualloc.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.testing.LedgerInvariants;
import io.gpualloc.core.testing.ViewState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Hand-computed membership cases: each call on a running ledger, each error path (with the field,
 * the value and what was allowed in its message, and nothing changed), and the issue's example of
 * a placement that must not land on another node.
 */
class MembershipExamplesTest {
  private static final GpuModel A100 = GpuModelCatalog.builtIn().get("A100-80GB");
  private static final GpuModel T4 = GpuModelCatalog.builtIn().get("T4");

  private static Node node(String name, int gpus) {
    return Node.builder(name).cpuMilli(32000).memoryMib(131072).label("zone", "z1")
        .gpus(gpus, A100).build();
  }

  /** Three nodes a, b, c of 4 A100s, ids 0, 1, 2. */
  private static ClusterState abc() {
    return new ClusterState(Cluster.of(node("a", 4), node("b", 4), node("c", 4)));
  }

  private static Placement whole(String id, int node, int... gpus) {
    Placement.Builder b = Placement.builder(id, node).cpuMilli(1000).memoryMib(1024);
    for (int g : gpus) {
      b.whole(g);
    }
    return b.build();
  }

  /** Runs a call that must fail with {@code type}, its message naming every fragment. */
  private static <T extends GpuallocException> T rejects(ClusterState s, Class<T> type,
      Executable call, String... fragments) {
    ViewState before = ViewState.of(s);
    long version = s.version();
    Cluster cluster = s.cluster();
    T e = assertThrows(type, call);
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), "message lacks \"" + f + "\": " + e.getMessage());
    }
    assertTrue(e.getMessage().contains("allowed: "), e.getMessage());
    assertEquals(before, ViewState.of(s), "a failed call changes nothing");
    assertEquals(version, s.version(), "a failed call moves no version");
    assertSame(cluster, s.cluster(), "a failed call publishes no cluster");
    return e;
  }

  // ---- the issue's example --------------------------------------------------------------------

  @Test
  void placementMadeForBLandsOnBAfterAIsRemoved() {
    ClusterState s = abc();
    Placement forB = whole("pod-1", s.cluster().nodeId("b"), 0, 1);
    assertEquals(1, forB.nodeId());
    s.removeNode("a");
    // ids are stable: b keeps id 1, c keeps id 2; nothing was renumbered
    assertEquals(1, s.cluster().nodeId("b"));
    assertEquals(2, s.cluster().nodeId("c"));
    s.allocate(forB);
    assertEquals("b", s.cluster().node(forB.nodeId()).name());
    assertEquals(2, s.freeWholeGpus(1), "the grant landed on b");
    assertEquals(4, s.freeWholeGpus(2), "c is untouched");
    assertEquals(List.of(forB), s.allocationsOn(1));
    assertEquals(List.of(), s.allocationsOn(2));
  }

  @Test
  void placementForARemovedNodeIsRejectedEvenAfterItsNameReturns() {
    ClusterState s = abc();
    Placement forB = whole("pod-1", 1, 0);
    s.removeNode("b");
    int newB = s.addNode(node("b", 4));
    assertEquals(3, newB, "a re-added node gets a new id; ids are never reused");
    UnknownNodeException e = rejects(s, UnknownNodeException.class, () -> s.allocate(forB),
        "nodeId of placement pod-1 is 1", "id 1 was node 'b', which was removed");
    assertTrue(e instanceof InvalidSpecException, "a caller error of the usual family");
    assertEquals(4, s.freeWholeGpus(newB), "the new b took nothing");
    rejects(s, UnknownNodeException.class, () -> s.allocate(whole("pod-2", 7, 0)),
        "nodeId of placement pod-2 is 7", "id 7 was never issued");
  }

  // ---- addNode ---------------------------------------------------------------------------------

  @Test
  void addNodeIssuesTheNextIdsAndKeepsEveryAllocation() {
    ClusterState s = abc();
    s.allocate(whole("p", 2, 3));
    Cluster before = s.cluster();
    long version = s.version();
    int id = s.addNode(Node.builder("d").cpuMilli(8000).memoryMib(8192).gpus(2, T4).build());
    assertEquals(3, id);
    Cluster after = s.cluster();
    assertNotSame(before, after);
    assertEquals(4, after.nodeCount());
    assertEquals(4, after.nodeIdBound());
    assertEquals(14, after.gpuCount());
    assertEquals(12, after.gpuOffset(id), "GPU ids continue after the last issued");
    assertEquals(13, after.gpuId(id, 1));
    assertEquals(id, after.nodeOfGpu(13));
    assertEquals(1, after.membershipVersion());
    assertEquals(0, before.membershipVersion(), "the old value still says what it said");
    assertEquals(3, before.nodeCount());
    assertFalse(before.isLive(3));
    assertEquals(version + 1, s.version());
    assertEquals(0, s.nodeVersion(id));
    assertEquals(2, s.freeWholeGpus(id));
    assertEquals(8000, s.freeCpuMilli(id));
    assertTrue(s.isSchedulable(id));
    assertEquals(3, s.freeWholeGpus(2), "the allocation on c is untouched");
    s.allocate(whole("q", id, 1));
    assertEquals(GpuMode.WHOLE, s.gpuMode(13));
    LedgerInvariants.checkAll(s);
  }

  @Test
  void addNodeRejectsATakenNameOrUuid() {
    ClusterState s = abc();
    rejects(s, InvalidSpecException.class, () -> s.addNode(node("b", 1)),
        "name of added node is 'b'", "a name no member node has");
    Node stealing = Node.builder("d").gpu("GPU-c-2", A100, 0).build();
    rejects(s, InvalidSpecException.class, () -> s.addNode(stealing),
        "gpus[0].uuid of added node d is 'GPU-c-2'", "also used by node 'c'");
    Node twice = Node.builder("d").gpu("X", A100, 0).gpu("X", A100, 0).build();
    rejects(s, InvalidSpecException.class, () -> s.addNode(twice),
        "gpus[1].uuid of added node d is 'X'", "another GPU of this node");
    rejects(s, InvalidSpecException.class, () -> s.addNode(null), "node of cluster state");
    s.removeNode("c");
    assertEquals(3, s.addNode(node("c", 4)), "a removed node's name and UUIDs are free again");
  }

  // ---- removeNode ------------------------------------------------------------------------------

  @Test
  void removeNodeReturnsItsAllocationsAndKeepsTheOthers() {
    ClusterState s = abc();
    Placement onA = whole("x-on-a", 0, 0);
    Placement onB1 = whole("b-second", 1, 1);
    Placement onB0 = Placement.builder("b-first", 1).cpuMilli(500).share(0, 300, 1024).build();
    Placement onC = whole("y-on-c", 2, 2, 3);
    for (Placement p : List.of(onA, onB1, onB0, onC)) {
      s.allocate(p);
    }
    long version = s.version();
    int bVersion = s.nodeVersion(1);
    List<Placement> released = s.removeNode("b");
    assertEquals(List.of(onB0, onB1), released, "sorted by allocation id");
    assertEquals(version + 3, s.version(), "two releases and the removal");
    assertNull(s.allocation("b-first"));
    assertEquals(2, s.allocationCount());
    assertSame(onA, s.allocation("x-on-a"));
    assertSame(onC, s.allocation("y-on-c"));
    assertEquals(3, s.freeWholeGpus(0));
    assertEquals(2, s.freeWholeGpus(2));
    assertEquals(2, s.cluster().nodeCount());
    assertEquals(3, s.cluster().nodeIdBound());
    assertEquals(8, s.cluster().gpuCount());
    assertEquals(12, s.cluster().gpuIdBound());
    assertArrayEquals(new int[] {0, 2}, s.cluster().nodeIds());
    assertEquals(List.of("a", "c"), s.cluster().nodes().stream().map(Node::name).toList());
    assertFalse(s.isSchedulable(1));
    assertFalse(s.cluster().hasNode("b"));
    rejects(s, UnknownAllocationException.class, () -> s.release("b-first"), "'b-first'");
    rejects(s, UnknownNodeException.class, () -> s.freeCpuMilli(1),
        "node id of cluster is 1", "id 1 was node 'b', which was removed");
    rejects(s, UnknownNodeException.class, () -> s.nodeVersion(1), "was node 'b'");
    rejects(s, UnknownNodeException.class, () -> s.gpuMode(5),
        "GPU 5 was GPU 1 of node 'b', which was removed");
    assertTrue(bVersion >= 0);
    LedgerInvariants.checkAll(s);
  }

  @Test
  void removeNodeRejectsUnknownAndRemovedNames() {
    ClusterState s = abc();
    rejects(s, UnknownNodeException.class, () -> s.removeNode("zz"),
        "node name of cluster is 'zz'", "one of the cluster's 3 node names");
    s.removeNode("a");
    rejects(s, UnknownNodeException.class, () -> s.removeNode("a"),
        "node name of cluster is 'a'", "(a node named 'a' was removed)");
  }

  @Test
  void removingEveryNodeLeavesAnEmptyClusterThatGrowsAgain() {
    ClusterState s = abc();
    s.removeNode("a");
    s.removeNode("b");
    s.removeNode("c");
    assertEquals(0, s.cluster().nodeCount());
    assertEquals(0, s.cluster().gpuCount());
    rejects(s, UnknownNodeException.class, () -> s.allocate(whole("p", 0, 0)),
        "allowed: none (the cluster is empty)");
    assertEquals(3, s.addNode(node("a", 1)));
    s.allocate(whole("p", 3, 0));
    LedgerInvariants.checkAll(s);
  }

  // ---- cordon ----------------------------------------------------------------------------------

  @Test
  void aCordonedNodeKeepsItsAllocationsAcceptsReleasesAndRejectsNewOnes() {
    ClusterState s = abc();
    s.allocate(whole("old", 1, 0));
    s.allocate(whole("older", 1, 1));
    int v = s.nodeVersion(1);
    long version = s.version();
    assertTrue(s.cordon("b"));
    assertEquals(version + 1, s.version());
    assertTrue(s.nodeVersion(1) > v);
    assertEquals(0, s.membershipVersion(), "cordon is ledger state, not membership");
    assertTrue(s.isCordoned(1));
    assertFalse(s.isSchedulable(1));
    assertEquals(2, s.freeWholeGpus(1), "what is free is still reported");
    assertFalse(s.cordon("b"), "cordoning twice changes nothing");
    assertEquals(version + 1, s.version());
    rejects(s, AllocationConflictException.class, () -> s.allocate(whole("new", 1, 2)),
        "nodeId of placement new is 1", "allowed: a schedulable node (node 'b' is cordoned)");
    rejects(s, AllocationConflictException.class,
        () -> s.allocateAll(List.of(whole("g1", 0, 0), whole("g2", 1, 3))), "cordoned");
    assertEquals(whole("old", 1, 0), s.release("old"));
    assertTrue(s.uncordon("b"));
    assertFalse(s.uncordon("b"));
    assertTrue(s.isSchedulable(1));
    s.allocate(whole("new", 1, 2));
    rejects(s, UnknownNodeException.class, () -> s.cordon("zz"), "node name of cluster is 'zz'");
    LedgerInvariants.checkAll(s);
  }

  // ---- relabel ---------------------------------------------------------------------------------

  @Test
  void relabelMovesTheNodeInTheLabelIndexAndKeepsEverythingElse() {
    ClusterState s = abc();
    s.allocate(whole("p", 0, 0));
    ClusterSnapshot old = s.snapshot();
    assertArrayEquals(new int[] {0, 1, 2}, s.cluster().nodesWithLabel("zone", "z1"));
    assertTrue(s.relabel("a", Map.of("zone", "z2", "rack", "r7")));
    Cluster c = s.cluster();
    assertArrayEquals(new int[] {1, 2}, c.nodesWithLabel("zone", "z1"));
    assertArrayEquals(new int[] {0}, c.nodesWithLabel("zone", "z2"));
    assertArrayEquals(new int[] {0}, c.nodesWithLabel("rack", "r7"));
    assertEquals(List.of("z1", "z2"), c.labelValues("zone"));
    assertEquals(Map.of("rack", "r7", "zone", "z2"), c.node(0).labels());
    assertEquals(1, c.membershipVersion());
    assertEquals(0, c.nodeId("a"), "same id");
    assertEquals(3, s.freeWholeGpus(0), "same allocations");
    assertEquals(Map.of("zone", "z1"), old.cluster().node(0).labels(), "the snapshot's is old");
    assertArrayEquals(new int[] {0, 1, 2}, old.cluster().nodesWithLabel("zone", "z1"));
    assertFalse(s.relabel("a", Map.of("zone", "z2", "rack", "r7")), "same labels: no change");
    assertSame(c, s.cluster());
    rejects(s, InvalidSpecException.class, () -> s.relabel("a", Map.of(" ", "x")),
        "label key of node a is ' '", "a non-blank string");
    rejects(s, UnknownNodeException.class, () -> s.relabel("zz", Map.of()), "'zz'");
  }

  // ---- GPU health ------------------------------------------------------------------------------

  @Test
  void anUnhealthyGpuStopsCountingAsFreeAndKeepsWhatItHolds() {
    ClusterState s = abc();
    Placement share = Placement.builder("s", 0).share(1, 300, 4096).build();
    Placement mig = Placement.builder("m", 0).mig(2, "3g.40gb", 0).build();
    s.allocate(share);
    s.allocate(mig);
    long version = s.version();
    // GPU 0 of a is FREE: unhealthy takes it out of the free count
    assertEquals(List.of(), s.markGpuUnhealthy("a", 0));
    assertEquals(version + 1, s.version());
    assertFalse(s.isGpuHealthy(0));
    assertEquals(GpuMode.FREE, s.gpuMode(0), "the mode still says what it holds");
    assertEquals(1, s.freeWholeGpus(0), "GPU 3 only");
    assertFalse(s.canTakeWhole(0));
    assertFalse(s.canShare(0, 100, 0));
    assertFalse(s.canPlaceMig(0, A100.migProfile("1g.10gb"), 0));
    rejects(s, AllocationConflictException.class, () -> s.allocate(whole("w", 0, 0)),
        "grants[0].gpuIndex of placement w on node a is 0",
        "allowed: a healthy GPU (GPU 0 is marked unhealthy)");
    // a shared and a MIG GPU keep their grants and report who is affected
    assertEquals(List.of(share), s.markGpuUnhealthy("a", 1));
    assertEquals(List.of(mig), s.markGpuUnhealthy("a", 2));
    assertEquals(List.of(mig), s.markGpuUnhealthy("a", 2), "again: same answer, no change");
    assertEquals(version + 3, s.version());
    assertEquals(700, s.gpuFreeComputeMilli(1));
    assertFalse(s.canShare(1, 100, 0));
    assertFalse(s.canPlaceMig(2, A100.migProfile("3g.40gb"), 4));
    // releasing on an unhealthy GPU frees it, but it still does not count as free
    s.release("s");
    assertEquals(GpuMode.FREE, s.gpuMode(1));
    assertEquals(1, s.freeWholeGpus(0));
    assertTrue(s.markGpuHealthy("a", 0));
    assertTrue(s.markGpuHealthy("a", 1));
    assertFalse(s.markGpuHealthy("a", 1));
    assertEquals(3, s.freeWholeGpus(0));
    assertEquals(0, s.membershipVersion());
    LedgerInvariants.checkAll(s);
    rejects(s, InvalidSpecException.class, () -> s.markGpuUnhealthy("a", 4),
        "gpu index of node a is 4", "0..3");
    rejects(s, InvalidSpecException.class, () -> s.markGpuHealthy("a", -1),
        "gpu index of node a is -1");
    rejects(s, UnknownNodeException.class, () -> s.markGpuUnhealthy("zz", 0), "'zz'");
  }

  // ---- snapshots and forks ---------------------------------------------------------------------

  @Test
  void snapshotsAndForksKeepTheMembershipOfTheirMoment() {
    ClusterState s = abc();
    s.allocate(whole("p", 1, 0));
    ClusterSnapshot snap = s.snapshot();
    ClusterState fork = s.fork();
    s.removeNode("b");
    s.addNode(node("d", 2));
    s.cordon("c");
    s.markGpuUnhealthy("a", 0);
    // the snapshot
    assertTrue(snap.cluster().isLive(1));
    assertEquals("b", snap.cluster().node(1).name());
    assertEquals(3, snap.freeWholeGpus(1));
    assertTrue(snap.isSchedulable(2));
    assertTrue(snap.isGpuHealthy(0));
    assertEquals(3, snap.cluster().nodeIdBound());
    assertFalse(snap.cluster().hasNode("d"));
    // the fork: unaffected, and its own changes stay its own
    assertTrue(fork.cluster().hasNode("b"));
    assertFalse(fork.cluster().hasNode("d"));
    assertSame(whole("p", 1, 0).getClass(), fork.allocation("p").getClass());
    int e = fork.addNode(node("e", 1));
    assertEquals(3, e, "the fork issues its own next id");
    assertEquals(List.of(fork.allocation("p")), fork.removeNode("b"));
    assertFalse(s.cluster().hasNode("e"));
    assertEquals(3, s.cluster().nodeId("d"));
    assertEquals("e", fork.cluster().node(3).name());
    assertEquals("d", s.cluster().node(3).name());
    LedgerInvariants.checkAll(s);
    LedgerInvariants.checkAll(fork);
  }

  @Test
  void twoLedgersOverOneClusterValueDoNotShareMembership() {
    Cluster c = Cluster.of(node("a", 1));
    ClusterState one = new ClusterState(c);
    ClusterState two = new ClusterState(c);
    assertEquals(1, one.addNode(node("b", 1)));
    assertEquals(1, two.addNode(node("x", 1)));
    assertEquals("b", one.cluster().node(1).name());
    assertEquals("x", two.cluster().node(1).name());
    assertEquals(1, c.nodeCount(), "the value both started from is unchanged");
    assertFalse(c.isLive(1));
  }

  // ---- reads -----------------------------------------------------------------------------------

  @Test
  void clusterReadsValidateIds() {
    Cluster c = Cluster.of(node("a", 2), node("b", 2));
    assertFalse(c.isLive(-1));
    assertFalse(c.isLive(2));
    assertFalse(c.isLiveGpu(4));
    assertThrows(UnknownNodeException.class, () -> c.node(2));
    assertThrows(UnknownNodeException.class, () -> c.nodeId("zz"));
    assertThrows(InvalidSpecException.class, () -> c.gpu(4));
    assertEquals("Cluster[2 nodes, 4 GPUs]", c.toString());
    ClusterState s = new ClusterState(c);
    s.removeNode("a");
    assertEquals("Cluster[1 nodes, 2 GPUs, 1 removed, membership version 1]",
        s.cluster().toString());
    assertFalse(s.isSchedulable(Integer.MAX_VALUE));
    assertFalse(s.isSchedulable(-5));
    assertEquals(Cluster.of(node("b", 2)).nodes(), s.cluster().nodes());
    assertFalse(Cluster.of(node("b", 2)).equals(s.cluster()), "same node, another id");
  }
}

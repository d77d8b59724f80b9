package io.gpualloc.binpack.gang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.binpack.packing.SolverOptions;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.Placement;
import io.gpualloc.topology.ClusterTopology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GangBatchTest {
  private final GangPlacer greedy = GangPlacers.greedy(GangOptions.defaults());

  private static Gang gang(String name, int pods, int priority) {
    return Gang.builder(name).priority(priority)
        .podSet(PodSet.of("w", GangClusters.whole(8), pods)).build();
  }

  @Test
  void theOrderThatAdmitsMoreWeightedGpusWins() {
    Cluster c = GangClusters.cluster(1, 1, 4, 8);
    ClusterState state = new ClusterState(c);
    ClusterTopology t = ClusterTopology.of(c, GangClusters.LEVELS);
    List<PendingGang> pending = List.of(new PendingGang(gang("a", 3, 0), 0),
        new PendingGang(gang("b", 2, 0), 0), new PendingGang(gang("c", 2, 0), 0));
    BatchResult r = GangBatch.place(pending, state, t, greedy, 0);
    // largest first admits a (24 GPUs); smallest first admits b and c (32 GPUs)
    assertEquals(2, r.admitted());
    assertEquals(32_000, r.admittedWeightedGpuMilli());
    assertEquals(List.of("b", "c", "a"), r.order());
    assertTrue(!r.decisions().get(0).isPlaced());
    assertNull(r.reservedFor());
    state.allocateAll(r.placements());
    assertEquals(4, state.allocationCount());
  }

  /**
   * Nine free 8-GPU nodes, gangs of 6, 5, 4 and 4 whole nodes: largest first admits 6 (48 GPUs),
   * smallest first 4 + 4 (64), the optimum is 5 + 4 (72), which the CP-SAT selection finds.
   */
  @Test
  void theSelectionAdmitsWhatNeitherGreedyOrderDoes() {
    Cluster c = GangClusters.cluster(1, 3, 3, 8);
    ClusterState state = new ClusterState(c);
    ClusterTopology t = ClusterTopology.of(c, GangClusters.LEVELS);
    List<PendingGang> pending = List.of(new PendingGang(gang("a", 6, 0), 0),
        new PendingGang(gang("b", 5, 0), 0), new PendingGang(gang("c", 4, 0), 0),
        new PendingGang(gang("d", 4, 0), 0));
    BatchSolveResult r = GangBatch.placeWithSelection(pending, state, t, greedy, 0,
        SolverOptions.defaults().withTimeLimit(Duration.ofSeconds(5)));
    assertEquals(64_000, r.greedyWeightedGpuMilli());
    assertEquals(72_000, r.result().admittedWeightedGpuMilli());
    assertEquals(GangSolvePhase.CP_SAT, r.phase());
    assertEquals(GangSolveStatus.OPTIMAL, r.status());
    assertEquals(72_000, r.bound());
    assertTrue(r.result().decisions().get(1).isPlaced());
    assertTrue(!r.result().decisions().get(0).isPlaced());
    assertEquals(2, r.result().admitted());
    assertEquals("b", r.result().order().get(0)); // chosen gangs first, largest first
    state.allocateAll(r.result().placements());
    assertEquals(9, state.allocationCount());
    assertThrows(InvalidSpecException.class, () -> GangBatch.placeWithSelection(pending, state, t,
        greedy, 0, null));
  }

  @Test
  void priorityComesBeforeSize() {
    Cluster c = GangClusters.cluster(1, 1, 4, 8);
    ClusterState state = new ClusterState(c);
    ClusterTopology t = ClusterTopology.of(c, GangClusters.LEVELS);
    List<PendingGang> pending = List.of(new PendingGang(gang("small", 1, 0), 0),
        new PendingGang(gang("big", 4, 5), 0));
    BatchResult r = GangBatch.place(pending, state, t, greedy, 0);
    assertEquals(List.of("big", "small"), r.order());
    assertTrue(r.decisions().get(1).isPlaced());
    assertEquals(4 * 8_000 * 6, r.admittedWeightedGpuMilli());
  }

  @Test
  void badBatchesAreTypedErrors() {
    Cluster c = GangClusters.cluster(1, 1, 1, 8);
    ClusterState state = new ClusterState(c);
    ClusterTopology t = ClusterTopology.of(c, GangClusters.LEVELS);
    PendingGang a = new PendingGang(gang("a", 1, 0), 0);
    assertThrows(InvalidSpecException.class,
        () -> GangBatch.place(List.of(a, a), state, t, greedy, 0));
    assertThrows(InvalidSpecException.class,
        () -> GangBatch.place(List.of(a), state, t, greedy, -1));
    assertThrows(InvalidSpecException.class, () -> new PendingGang(gang("x", 1, 0), -2));
  }

  /**
   * Two racks of two 8-GPU nodes; a 2 x 8 gang that needs one rack waits while 1 x 8 jobs keep
   * arriving (two per round, each runs two rounds) and the running ones end one per rack per
   * round. Without the reservation rule the big gang never starts; with it, it starts in round 3.
   */
  @Test
  void theReservationRuleEndsStarvationOfTheLargestGang() {
    assertEquals(-1, run(0));
    assertEquals(3, run(1));
  }

  private int run(int reserveAfterRounds) {
    Cluster c = GangClusters.cluster(1, 2, 2, 8);
    ClusterState state = new ClusterState(c);
    ClusterTopology t = ClusterTopology.of(c, GangClusters.LEVELS);
    Map<String, Integer> ends = new HashMap<>();
    // staggered initial load: n0 of each rack ends in round 1, n1 in round 2
    String[] nodes = {"b0-r0-n0", "b0-r1-n0", "b0-r0-n1", "b0-r1-n1"};
    for (int i = 0; i < 4; i++) {
      Placement.Builder p = Placement.builder("init" + i + "/w-0", c.nodeId(nodes[i]));
      for (int g = 0; g < 8; g++) {
        p.whole(g);
      }
      state.allocate(p.build());
      ends.put("init" + i + "/w-0", i < 2 ? 1 : 2);
    }
    Gang big = Gang.builder("big").podSet(PodSet.of("w", GangClusters.whole(8), 2)
        .withTopology(TopologyConstraint.required("rack"))).build();
    int bigWaited = 0;
    List<Gang> smalls = new ArrayList<>();
    for (int round = 1; round <= 10; round++) {
      for (Iterator<Map.Entry<String, Integer>> it = ends.entrySet().iterator(); it.hasNext();) {
        Map.Entry<String, Integer> e = it.next();
        if (e.getValue() <= round) {
          state.release(e.getKey());
          it.remove();
        }
      }
      smalls.add(gang("s" + round + "a", 1, 0));
      smalls.add(gang("s" + round + "b", 1, 0));
      List<PendingGang> pending = new ArrayList<>();
      pending.add(new PendingGang(big, bigWaited));
      for (Gang s : smalls) {
        pending.add(new PendingGang(s, 0));
      }
      BatchResult r = GangBatch.place(pending, state, t, greedy, reserveAfterRounds);
      state.allocateAll(r.placements());
      if (r.decisions().get(0).isPlaced()) {
        return round;
      }
      bigWaited++;
      for (int i = 1; i < pending.size(); i++) {
        if (r.decisions().get(i) instanceof GangDecision.Placed p) {
          smalls.remove(pending.get(i).gang());
          for (Placement pl : p.placements()) {
            ends.put(pl.allocationId(), round + 2);
          }
        }
      }
    }
    return -1;
  }
}

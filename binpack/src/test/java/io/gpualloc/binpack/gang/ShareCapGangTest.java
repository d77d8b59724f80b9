package io.gpualloc.binpack.gang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import io.gpualloc.core.Request;
import io.gpualloc.topology.ClusterTopology;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gang placers count the shares their own members take against each GPU's split count. */
class ShareCapGangTest {

  /** Two one-GPU nodes split 3 and 2 ways: five small shares fit, a sixth does not. */
  private static Cluster cluster() {
    List<Node> nodes = new ArrayList<>();
    int[] caps = {3, 2};
    int k = 0;
    for (Node n : GangClusters.cluster(1, 1, 2, 1).nodes()) {
      nodes.add(new Node(n.name(), n.labels(), n.cpuMilli(), n.memoryMib(),
          List.of(n.gpu(0).withMaxShares(caps[k++]))));
    }
    return Cluster.of(nodes);
  }

  private static Gang gang(int pods) {
    Request r = Request.builder("pod").cpuMilli(100).memoryMib(100)
        .gpu(GpuDemand.shared(1, 50, 1024)).build();
    return Gang.builder("g" + pods).podSet(PodSet.of("w", r, pods)).build();
  }

  @Test
  void membersFillTheSplitCountsAndNoMore() {
    for (String name : GangPlacers.names()) {
      Cluster c = cluster();
      ClusterTopology t = ClusterTopology.of(c, GangClusters.LEVELS);
      GangPlacer placer = GangPlacers.named(name, GangOptions.defaults());
      ClusterState s = new ClusterState(c);
      GangDecision d = placer.placeAndCommit(gang(5), s, t);
      GangDecision.Placed p = assertInstanceOf(GangDecision.Placed.class, d, name);
      int[] perNode = new int[2];
      for (Placement pl : p.placements()) {
        perNode[pl.nodeId()]++;
      }
      assertEquals(3, perNode[0], name);
      assertEquals(2, perNode[1], name);

      ClusterState fresh = new ClusterState(c);
      assertInstanceOf(GangDecision.Rejected.class, placer.placeAndCommit(gang(6), fresh, t),
          name);
      assertEquals(0, fresh.allocationCount(), name);
    }
  }
}

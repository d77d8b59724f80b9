package io.gpualloc.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterTopologyTest {
  static final GpuModel H100 = GpuModelCatalog.builtIn().get("H100-80GB");
  static final TopologyLevels LEVELS = TopologyLevels.of("rack", "block", "zone");

  /** 2 zones x 2 blocks x 2 racks x 2 nodes of 8 GPUs; rack names repeat across blocks. */
  static Cluster cluster() {
    List<Node> nodes = new ArrayList<>();
    for (int z = 0; z < 2; z++) {
      for (int b = 0; b < 2; b++) {
        for (int r = 0; r < 2; r++) {
          for (int n = 0; n < 2; n++) {
            nodes.add(Node.builder("n" + nodes.size()).cpuMilli(64000).memoryMib(1 << 20)
                .label("zone", "z" + z).label("block", "b" + b).label("rack", "r" + r)
                .gpus(8, H100, 2).build());
          }
        }
      }
    }
    nodes.add(Node.builder("unlabelled").cpuMilli(1000).memoryMib(1024).gpus(1, H100).build());
    return Cluster.of(nodes);
  }

  @Test
  void domainsAreLabelPathsAndNest() {
    ClusterTopology t = ClusterTopology.of(cluster(), LEVELS);
    assertEquals(8, t.domainCount(0));
    assertEquals(4, t.domainCount(1));
    assertEquals(2, t.domainCount(2));
    int rack = t.domainOf(6, 0);
    assertEquals("z0/b1/r1", t.domainName(0, rack));
    assertArrayEquals(new int[] {6, 7}, t.nodesOf(0, rack));
    assertEquals(t.domainId(1, "z0/b1"), t.parentOf(0, rack));
    assertEquals(t.domainId(2, "z0"), t.parentOf(1, t.domainId(1, "z0/b1")));
    assertEquals(-1, t.parentOf(2, 0));
    assertEquals(-1, t.domainOf(16, 0));
    assertThrows(InvalidSpecException.class, () -> t.domainId(0, "r0"));
    assertThrows(InvalidSpecException.class, () -> t.domainOf(0, 3));
    assertThrows(InvalidSpecException.class, () -> TopologyLevels.of("rack", "rack"));
  }

  @Test
  void capacityFollowsTheLedgerIncrementally() {
    Cluster c = cluster();
    ClusterTopology t = ClusterTopology.of(c, LEVELS);
    ClusterState state = new ClusterState(c);
    DomainCapacity cap = new DomainCapacity(t);
    assertEquals(17, cap.refresh(state));
    int z0 = t.domainId(2, "z0");
    assertEquals(64, cap.freeWholeGpus(2, z0));
    state.allocate(Placement.builder("a", 0).whole(0).whole(1).whole(2).build());
    state.allocate(Placement.builder("b", 3).share(5, 250, 1024).build());
    assertEquals(2, cap.refresh(state));
    assertEquals(13, cap.freeWholeGpus(0, t.domainOf(0, 0))); // nodes 0 and 1
    assertEquals(60, cap.freeWholeGpus(2, z0));
    assertEquals(60 * 1000 + 750, cap.freeComputeMilli(2, z0));
    assertEquals(64, cap.totalGpus(2, z0));
    // rack 0 (nodes 0, 1) has 13 free, rack 1 (nodes 2, 3) 15: one GPU holds a share
    assertArrayEquals(new int[] {2, 3, 4, 5, 6, 7}, cap.domainsWithFreeGpus(0, 16));
    state.release("a");
    cap.refresh(state, 0);
    assertEquals(63, cap.freeWholeGpus(2, z0));
    assertEquals(0, cap.refresh(state));
  }
}

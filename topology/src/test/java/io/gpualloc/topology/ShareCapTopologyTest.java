package io.gpualloc.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.Gpu;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import org.junit.jupiter.api.Test;

/** A GPU at its share cap (HAMi's split count) offers no share to the topology code either. */
class ShareCapTopologyTest {
  private static final GpuModel T4 = GpuModelCatalog.builtIn().get("T4");

  @Test
  void aGpuAtItsSplitCountIsNeitherPartlyUsedNorFreeCompute() {
    Cluster c = Cluster.of(Node.builder("n0").cpuMilli(8000).memoryMib(8192).label("rack", "r0")
        .gpu(new Gpu(0, "GPU-0", T4, 0, null, 1))
        .gpu(new Gpu(1, "GPU-1", T4, 0, null, 2))
        .gpu(new Gpu(2, "GPU-2", T4, 0)).build());
    ClusterState s = new ClusterState(c);
    for (int i = 0; i < 3; i++) {
      s.allocate(Placement.builder("p" + i, 0).share(i, 100, 0).build());
    }
    // GPU 0 holds 1/1 shares: no further share; GPUs 1 (1/2) and 2 (no cap) can take one
    assertArrayEquals(new int[] {1, 2}, GpuSet.partlyUsed(s, 0, 100, 0).toArray());

    ClusterTopology t = ClusterTopology.of(c, TopologyLevels.of("rack"));
    DomainCapacity cap = new DomainCapacity(t);
    cap.refresh(s);
    assertEquals(900 + 900, cap.freeComputeMilli(0, t.domainOf(0, 0)));
    s.allocate(Placement.builder("p3", 0).share(1, 100, 0).build()); // GPU 1 reaches 2/2
    cap.refresh(s);
    assertEquals(900, cap.freeComputeMilli(0, t.domainOf(0, 0)));
    s.release("p0"); // GPU 0 is FREE again: its whole 1000 milli count
    cap.refresh(s);
    assertEquals(1000 + 900, cap.freeComputeMilli(0, t.domainOf(0, 0)));
  }
}

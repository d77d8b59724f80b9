package io.gpualloc.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import org.junit.jupiter.api.Test;

class LedgerSelectionTest {
  private final GpuSetSelector bb = GpuSetSelectors.branchAndBound();
  private final NodeInterconnect dgx1 = Preset.DGX1_V100.interconnect();

  private static ClusterState state() {
    Node n = Node.builder("dgx1").cpuMilli(80_000).memoryMib(1 << 19)
        .gpus(8, GpuModelCatalog.builtIn().get("V100-16GB"), 2).build();
    return new ClusterState(Cluster.of(n));
  }

  @Test
  void wholeJobsSeeTheLedger() {
    ClusterState s = state();
    s.allocate(Placement.builder("a", 0).whole(2).whole(3).build());
    GpuSetChoice c = bb.selectWhole(s, 0, dgx1, GpuSet.empty(), 2);
    // {2,3} is taken; the best left is NV2 inside a socket: {0,3}? 3 is busy -> {6,7} (NV2+PIX)
    assertEquals(GpuSet.of(6, 7), ((GpuSetChoice.Chosen) c).gpus());
    assertThrows(InvalidSpecException.class, () -> bb.selectWhole(s, 0,
        Preset.DGX2.interconnect(), GpuSet.empty(), 1));
  }

  @Test
  void shareJobsFillPartlyUsedGpusFirst() {
    ClusterState s = state();
    s.allocate(Placement.builder("a", 0).share(5, 500, 4096).build());
    s.allocate(Placement.builder("b", 0).share(6, 900, 1024).build());
    GpuSetChoice c = bb.selectShared(s, 0, dgx1, 300, 2048, GpuSet.empty(), 1);
    assertEquals(GpuSet.of(5), ((GpuSetChoice.Chosen) c).gpus()); // 6 lacks compute
    GpuSetChoice two = bb.selectShared(s, 0, dgx1, 300, 2048, GpuSet.empty(), 2);
    // the pair score comes first: {2,3} (NV2 + same switch, 250) beats the best pair with the
    // partly used GPU 5, {1,5} (NV2 across sockets, 210)
    assertEquals(GpuSet.of(2, 3), ((GpuSetChoice.Chosen) two).gpus());
    // with GPU 5 required, its best partner
    assertEquals(GpuSet.of(1, 5), // NV2 across sockets; 6 lacks compute, 4 is NV1
        ((GpuSetChoice.Chosen) bb.selectShared(s, 0, dgx1, 300, 2048, GpuSet.of(5), 2)).gpus());
    assertFalse(bb.selectShared(s, 0, dgx1, 300, 1 << 20, GpuSet.empty(), 1).isChosen());
  }
}

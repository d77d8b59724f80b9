package io.gpualloc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LedgerExamplesTest {
  private static final GpuModel A100 = GpuModelCatalog.builtIn().get("A100-80GB");

  private static Cluster twoNodes() {
    return Cluster.of(
        Node.builder("n0").cpuMilli(64000).memoryMib(262144).gpus(8, A100).build(),
        Node.builder("n1").cpuMilli(32000).memoryMib(131072).gpus(4, A100).build());
  }

  @Test
  void wholeGrantTakesGpuAndReleaseRestores() {
    ClusterState state = new ClusterState(twoNodes());
    state.allocate(Placement.builder("p", 0).cpuMilli(8000).memoryMib(1024).whole(3).build());
    assertEquals(7, state.freeWholeGpus(0));
    assertEquals(GpuMode.WHOLE, state.gpuMode(3));
    assertEquals(56000, state.freeCpuMilli(0));
    state.release("p");
    assertEquals(8, state.freeWholeGpus(0));
    assertEquals(GpuMode.FREE, state.gpuMode(3));
  }

  @Test
  void overlappingMigInstanceIsRejected() {
    ClusterState state = new ClusterState(twoNodes());
    state.allocate(Placement.builder("a", 1).mig(0, "3g.40gb", 4).build());
    Placement bad = Placement.builder("b", 1).mig(0, "4g.40gb", 0).mig(0, "1g.10gb", 5).build();
    assertThrows(AllocationConflictException.class, () -> state.allocate(bad));
    assertEquals(GpuMode.MIG, state.gpuMode(8));
    assertEquals(0b11110000, state.gpuMigOccupancy(8));
  }
}

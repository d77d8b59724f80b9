package io.gpualloc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.testing.LedgerInvariants;
import io.gpualloc.core.testing.ViewState;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Hand-computed ledger cases: layouts, accounting, and what a fork or snapshot sees. */
class LedgerExamplesTest {
  private static final GpuModel A100 = GpuModelCatalog.builtIn().get("A100-80GB");
  private static final GpuModel A30 = GpuModelCatalog.builtIn().get("A30");
  private static final GpuModel NVL = GpuModelCatalog.builtIn().get("H100-94GB-NVL");

  private static ClusterState oneGpu(GpuModel model) {
    return new ClusterState(Cluster.of(
        Node.builder("n").cpuMilli(8000).memoryMib(65536).gpus(1, model).build()));
  }

  private static Placement mig(String id, String profile, int start) {
    return Placement.builder(id, 0).mig(0, profile, start).build();
  }

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

  @Test
  void a100FourGPlusThreeGFillsTheGpu() {
    ClusterState s = oneGpu(A100);
    s.allocate(mig("a", "4g.40gb", 0));
    s.allocate(mig("b", "3g.40gb", 4));
    assertEquals(GpuMode.MIG, s.gpuMode(0));
    assertEquals(0b11111111, s.gpuMigOccupancy(0));
    assertEquals(1000 - 571 - 428, s.gpuFreeComputeMilli(0)); // 4000/7 and 3000/7, floored
    assertEquals(81920 - 40448 - 40448, s.gpuFreeMemoryMib(0));
    assertEquals(0, s.freeWholeGpus(0));
    for (MigProfile p : A100.migProfiles()) {
      for (int slot = 0; slot < 8; slot++) {
        assertFalse(s.canPlaceMig(0, p, slot), p.name() + "@" + slot);
      }
    }
    LedgerInvariants.checkAll(s);
  }

  @Test
  void a100ThreeGAndFourGAtSlotZeroOverlap() {
    ClusterState s = oneGpu(A100);
    s.allocate(mig("a", "3g.40gb", 0));
    assertFalse(s.canPlaceMig(0, A100.migProfile("4g.40gb"), 0));
    assertThrows(AllocationConflictException.class, () -> s.allocate(mig("b", "4g.40gb", 0)));
    assertTrue(s.canPlaceMig(0, A100.migProfile("3g.40gb"), 4));
    assertEquals(0b00001111, s.gpuMigOccupancy(0));
  }

  @Test
  void a100SevenSmallInstancesAndNoEighth() {
    ClusterState s = oneGpu(A100);
    for (int slot = 0; slot < 7; slot++) {
      s.allocate(mig("i" + slot, "1g.10gb", slot));
    }
    assertEquals(0b01111111, s.gpuMigOccupancy(0));
    assertEquals(1000 - 7 * 142, s.gpuFreeComputeMilli(0));
    assertEquals(81920 - 7 * 9728, s.gpuFreeMemoryMib(0));
    // slot 7 is free memory, but no profile starts there and the compute slices are gone
    assertThrows(InvalidSpecException.class, () -> s.allocate(mig("i7", "1g.10gb", 7)));
    assertEquals(7, s.gpuGrantCount(0));
  }

  @Test
  void atMostOneMediaExtensionInstancePerGpu() {
    ClusterState s = oneGpu(A100);
    s.allocate(mig("a", "1g.10gb+me", 0));
    assertFalse(s.canPlaceMig(0, A100.migProfile("1g.10gb+me"), 1));
    assertThrows(AllocationConflictException.class, () -> s.allocate(mig("b", "1g.10gb+me", 1)));
    s.allocate(mig("c", "1g.10gb", 1)); // a plain 1g beside it is fine
    ClusterState a30 = oneGpu(A30);
    a30.allocate(mig("a", "2g.12gb", 0));
    a30.allocate(mig("b", "2g.12gb+me", 2));
    assertEquals(0b1111, a30.gpuMigOccupancy(0));
    ClusterState a30b = oneGpu(A30);
    a30b.allocate(mig("a", "1g.6gb+me", 0));
    assertThrows(AllocationConflictException.class, () -> a30b.allocate(mig("b", "2g.12gb+me", 2)));
    // and inside one placement the second +me rolls back the first
    ClusterState a30c = oneGpu(A30);
    ViewState empty = ViewState.of(a30c);
    assertThrows(AllocationConflictException.class, () -> a30c.allocate(Placement.builder("x", 0)
        .mig(0, "1g.6gb+me", 0).mig(0, "1g.6gb+me", 1).build()));
    assertEquals(empty, ViewState.of(a30c));
  }

  @Test
  void h100NvlFourDoubleMemorySlicesFitTheGpuExactly() {
    ClusterState s = oneGpu(NVL);
    for (int slot = 0; slot < 8; slot += 2) {
      s.allocate(mig("i" + slot, "1g.24gb", slot));
    }
    assertEquals(0, s.gpuFreeMemoryMib(0)); // 4 x 24064 = 96256, not 4 x 24576
    assertEquals(1000 - 4 * 142, s.gpuFreeComputeMilli(0));
    LedgerInvariants.checkAll(s);
  }

  @Test
  void sharesAddUpAndTheGpuReturnsToFree() {
    ClusterState s = oneGpu(A100);
    s.allocate(Placement.builder("a", 0).cpuMilli(1000).share(0, 300, 20000).build());
    s.allocate(Placement.builder("b", 0).cpuMilli(2000).share(0, 700, 0).build());
    assertEquals(GpuMode.SHARED, s.gpuMode(0));
    assertEquals(0, s.gpuFreeComputeMilli(0));
    assertEquals(81920 - 20000, s.gpuFreeMemoryMib(0));
    assertEquals(5000, s.freeCpuMilli(0));
    assertFalse(s.canShare(0, 1, 0));
    assertTrue(s.canShare(0, 0, 61920));
    assertFalse(s.canShare(0, 0, 61921));
    assertThrows(AllocationConflictException.class,
        () -> s.allocate(Placement.builder("c", 0).share(0, 1, 0).build()));
    s.release("a");
    s.release("b");
    assertEquals(GpuMode.FREE, s.gpuMode(0));
    assertEquals(ViewState.of(oneGpu(A100)), ViewState.of(s));
  }

  @Test
  void gangIsAllOrNothing() {
    ClusterState s = new ClusterState(twoNodes());
    List<Placement> gang = List.of(
        Placement.builder("g0", 0).cpuMilli(32000).whole(0).whole(1).build(),
        Placement.builder("g1", 1).cpuMilli(32000).whole(0).whole(1).build(),
        Placement.builder("g2", 1).cpuMilli(1).whole(2).build()); // n1 CPU is exhausted by g1
    ViewState before = ViewState.of(s);
    assertThrows(AllocationConflictException.class, () -> s.allocateAll(gang));
    assertEquals(before, ViewState.of(s));
    assertEquals(0, s.allocationCount());
    // a rejected gang publishes no version, not even on the nodes it touched in passing
    assertEquals(0, s.version());
    assertEquals(0, s.nodeVersion(0));
    assertEquals(0, s.nodeVersion(1));
    s.allocateAll(gang.subList(0, 2));
    assertEquals(6, s.freeWholeGpus(0));
    assertEquals(2, s.freeWholeGpus(1));
    assertEquals(2, s.version());
  }

  @Test
  void snapshotAndForkAreIsolated() {
    ClusterState s = new ClusterState(twoNodes());
    s.allocate(Placement.builder("p", 0).whole(0).build());
    ClusterSnapshot snap = s.snapshot();
    ClusterState fork = s.fork();
    fork.allocate(Placement.builder("q", 0).whole(1).build());
    fork.release("p");
    s.allocate(Placement.builder("r", 1).whole(0).build());
    assertEquals(GpuMode.WHOLE, snap.gpuMode(0));
    assertEquals(GpuMode.FREE, snap.gpuMode(1));
    assertEquals(GpuMode.FREE, snap.gpuMode(8));
    assertEquals(1, snap.allocationCount());
    assertEquals(GpuMode.FREE, fork.gpuMode(0));
    assertEquals(GpuMode.WHOLE, fork.gpuMode(1));
    assertEquals(GpuMode.FREE, fork.gpuMode(8));
    assertEquals(GpuMode.WHOLE, s.gpuMode(0));
    assertEquals(GpuMode.FREE, s.gpuMode(1));
    assertEquals(GpuMode.WHOLE, s.gpuMode(8));
    assertEquals(List.of("p", "r"), s.allocations().stream().map(Placement::allocationId)
        .sorted().toList());
  }
}

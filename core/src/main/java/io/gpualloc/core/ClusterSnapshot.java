package io.gpualloc.core;

/**
 * An immutable capacity view taken by {@link ClusterState#snapshot()}: consistent across all its
 * reads, unaffected by later changes, safe to share between threads. It copies the ledger's
 * primitive arrays (about 25 bytes per GPU and 12 per node) and not the allocation map.
 */
public final class ClusterSnapshot implements ClusterView {
  private final Ledger ledger;

  ClusterSnapshot(Ledger frozen) {
    this.ledger = frozen;
  }

  @Override
  public Cluster cluster() {
    return ledger.cluster;
  }

  @Override
  public int freeCpuMilli(int nodeId) {
    return ledger.nodeFreeCpu[checkNode(nodeId)];
  }

  @Override
  public int freeMemoryMib(int nodeId) {
    return ledger.nodeFreeMem[checkNode(nodeId)];
  }

  @Override
  public int freeWholeGpus(int nodeId) {
    return ledger.nodeFreeWhole[checkNode(nodeId)];
  }

  @Override
  public GpuMode gpuMode(int gpuId) {
    return ledger.mode(checkGpu(gpuId));
  }

  @Override
  public int gpuFreeComputeMilli(int gpuId) {
    return 1000 - ledger.gpuUsedCompute[checkGpu(gpuId)];
  }

  @Override
  public int gpuFreeMemoryMib(int gpuId) {
    return ledger.gpuCapacityMem[checkGpu(gpuId)] - ledger.gpuUsedMem[gpuId];
  }

  @Override
  public int gpuMigOccupancy(int gpuId) {
    return ledger.gpuMigMask[checkGpu(gpuId)];
  }

  @Override
  public int gpuGrantCount(int gpuId) {
    return ledger.gpuGrants[checkGpu(gpuId)];
  }

  @Override
  public boolean canPlaceMig(int gpuId, MigProfile profile, int startSlot) {
    Checks.notNull("MIG query", "profile", profile);
    return ledger.canPlaceMig(checkGpu(gpuId), profile, startSlot);
  }

  @Override
  public int allocationCount() {
    return ledger.allocationCount();
  }

  @Override
  public long version() {
    return ledger.version;
  }

  @Override
  public int nodeVersion(int nodeId) {
    return ledger.nodeVersion[checkNode(nodeId)];
  }

  private int checkNode(int nodeId) {
    if (nodeId < 0 || nodeId >= ledger.nodeFreeCpu.length) {
      ledger.cluster.node(nodeId);
    }
    return nodeId;
  }

  private int checkGpu(int gpuId) {
    if (gpuId < 0 || gpuId >= ledger.gpuMode.length) {
      ledger.cluster.gpu(gpuId);
    }
    return gpuId;
  }

  @Override
  public String toString() {
    return "ClusterSnapshot[" + ledger.cluster + ", version " + ledger.version + "]";
  }
}

package io.gpualloc.core;

/**
 * An immutable capacity view taken by {@link ClusterState#snapshot()}: consistent across all its
 * reads, unaffected by later changes (allocations and membership alike), safe to share between
 * threads. Its {@link #cluster()} is the membership of the moment it was taken. It copies the
 * ledger's primitive arrays (about 20 bytes per GPU and 17 per node; the GPUs' capacities are
 * shared) and not the allocation map.
 */
public final class ClusterSnapshot implements ClusterView {
  private final Ledger ledger;
  private final Cluster cluster;

  ClusterSnapshot(Ledger frozen) {
    this.ledger = frozen;
    this.cluster = frozen.cluster;
  }

  @Override
  public Cluster cluster() {
    return cluster;
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
  public boolean isSchedulable(int nodeId) {
    return ledger.isLive(nodeId) && (ledger.nodeFlags[nodeId] & Ledger.CORDONED) == 0;
  }

  @Override
  public boolean isCordoned(int nodeId) {
    return (ledger.nodeFlags[checkNode(nodeId)] & Ledger.CORDONED) != 0;
  }

  @Override
  public boolean isGpuHealthy(int gpuId) {
    return !ledger.gpuUnhealthy[checkGpu(gpuId)];
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
  public boolean canShare(int gpuId, int computeMilli, int memoryMib) {
    checkGpu(gpuId);
    return ledger.canShare(gpuId, computeMilli, memoryMib);
  }

  @Override
  public int gpuMaxShares(int gpuId) {
    return ledger.gpuMaxShares[checkGpu(gpuId)];
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
  public Object lineage() {
    return ledger.lineage;
  }

  @Override
  public int nodeVersion(int nodeId) {
    return ledger.nodeVersion[checkNode(nodeId)];
  }

  private int checkNode(int nodeId) {
    if (!ledger.isLive(nodeId)) {
      throw cluster.notMember("cluster", "node id", nodeId);
    }
    return nodeId;
  }

  private int checkGpu(int gpuId) {
    if (!cluster.isLiveGpu(gpuId)) {
      cluster.gpu(gpuId); // throws the typed error
    }
    return gpuId;
  }

  @Override
  public String toString() {
    return "ClusterSnapshot[" + cluster + ", version " + ledger.version + "]";
  }
}

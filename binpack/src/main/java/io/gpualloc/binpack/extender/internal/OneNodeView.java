package io.gpualloc.binpack.extender.internal;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterView;
import io.gpualloc.core.GpuMode;
import io.gpualloc.core.MigProfile;

/**
 * A view in which only one node is schedulable: every other node reads as cordoned, so a policy
 * scores that node alone (bind re-decides the pod on the node kube-scheduler chose; preempt asks
 * whether the pod fits one node). Every read is the base view's.
 */
public final class OneNodeView implements ClusterView {
  private final ClusterView base;
  private final int nodeId;

  /**
   * A view of {@code base} with only {@code nodeId} schedulable.
   *
   * @param base the view to read
   * @param nodeId the node left schedulable
   */
  public OneNodeView(ClusterView base, int nodeId) {
    this.base = base;
    this.nodeId = nodeId;
  }

  @Override
  public Cluster cluster() {
    return base.cluster();
  }

  @Override
  public int freeCpuMilli(int id) {
    return base.freeCpuMilli(id);
  }

  @Override
  public int freeMemoryMib(int id) {
    return base.freeMemoryMib(id);
  }

  @Override
  public int freeWholeGpus(int id) {
    return base.freeWholeGpus(id);
  }

  @Override
  public boolean isSchedulable(int id) {
    return id == nodeId && base.isSchedulable(id);
  }

  @Override
  public boolean isCordoned(int id) {
    return id != nodeId || base.isCordoned(id);
  }

  @Override
  public boolean isGpuHealthy(int gpuId) {
    return base.isGpuHealthy(gpuId);
  }

  @Override
  public GpuMode gpuMode(int gpuId) {
    return base.gpuMode(gpuId);
  }

  @Override
  public int gpuFreeComputeMilli(int gpuId) {
    return base.gpuFreeComputeMilli(gpuId);
  }

  @Override
  public int gpuFreeMemoryMib(int gpuId) {
    return base.gpuFreeMemoryMib(gpuId);
  }

  @Override
  public int gpuMigOccupancy(int gpuId) {
    return base.gpuMigOccupancy(gpuId);
  }

  @Override
  public int gpuGrantCount(int gpuId) {
    return base.gpuGrantCount(gpuId);
  }

  @Override
  public boolean canPlaceMig(int gpuId, MigProfile profile, int startSlot) {
    return base.canPlaceMig(gpuId, profile, startSlot);
  }

  @Override
  public int allocationCount() {
    return base.allocationCount();
  }

  @Override
  public long version() {
    return base.version();
  }

  @Override
  public int nodeVersion(int id) {
    return base.nodeVersion(id);
  }

  @Override
  public long membershipVersion() {
    return base.membershipVersion();
  }

  @Override
  public boolean canTakeWhole(int gpuId) {
    return base.canTakeWhole(gpuId);
  }

  @Override
  public boolean canShare(int gpuId, int computeMilli, int memoryMib) {
    return base.canShare(gpuId, computeMilli, memoryMib);
  }

  @Override
  public int gpuMaxShares(int gpuId) {
    return base.gpuMaxShares(gpuId);
  }

  @Override
  public int gpuSharesLeft(int gpuId) {
    return base.gpuSharesLeft(gpuId);
  }
}

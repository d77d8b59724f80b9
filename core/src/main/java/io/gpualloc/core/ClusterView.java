package io.gpualloc.core;

/**
 * Read access to a ledger's capacity: what is free on each node and GPU. Implemented by the live
 * {@link ClusterState} (each call consistent on its own) and by an immutable {@link
 * ClusterSnapshot} (all calls consistent together). Node ids and GPU ids are the {@link Cluster}'s
 * dense ids.
 */
public interface ClusterView {

  /**
   * The cluster this view describes.
   *
   * @return the cluster this view describes
   */
  Cluster cluster();

  /**
   * Free host CPU of the node, in millicores.
   *
   * @param nodeId the node's id in the cluster
   * @return the free host CPU of the node, in millicores
   */
  int freeCpuMilli(int nodeId);

  /**
   * Free host memory of the node, in MiB.
   *
   * @param nodeId the node's id in the cluster
   * @return the free host memory of the node, in MiB
   */
  int freeMemoryMib(int nodeId);

  /**
   * How many of the node's GPUs are {@link GpuMode#FREE}.
   *
   * @param nodeId the node's id in the cluster
   * @return how many of the node's GPUs are {@link GpuMode#FREE}
   */
  int freeWholeGpus(int nodeId);

  /**
   * The GPU's current mode.
   *
   * @param gpuId the GPU's global id in the cluster
   * @return the GPU's current mode
   */
  GpuMode gpuMode(int gpuId);

  /**
   * Free compute of the GPU, in milli-GPU: 1000 minus what its grants hold (a whole grant holds
   * 1000, a MIG instance its compute slices' share). Whether a share may use it depends on {@link
   * #gpuMode}: only FREE and SHARED GPUs take shares.
   *
   * @param gpuId the GPU's global id in the cluster
   * @return the free compute of the GPU, in milli-GPU: 1000 minus what its grants hold (a whole
   *     grant holds 1000, a MIG instance its compute slices' share)
   */
  int gpuFreeComputeMilli(int gpuId);

  /**
   * Free memory of the GPU, in MiB; see {@link #gpuFreeComputeMilli}.
   *
   * @param gpuId the GPU's global id in the cluster
   * @return the free memory of the GPU, in MiB; see {@link #gpuFreeComputeMilli}
   */
  int gpuFreeMemoryMib(int gpuId);

  /**
   * The memory-slice occupancy mask of the GPU's MIG instances (bit {@code i} = slice i).
   *
   * @param gpuId the GPU's global id in the cluster
   * @return the memory-slice occupancy mask of the GPU's MIG instances (bit {@code i} = slice i)
   */
  int gpuMigOccupancy(int gpuId);

  /**
   * How many grants the GPU holds (0 when FREE).
   *
   * @param gpuId the GPU's global id in the cluster
   * @return how many grants the GPU holds (0 when FREE)
   */
  int gpuGrantCount(int gpuId);

  /**
   * Whether an instance of {@code profile} can be created at {@code startSlot} on the GPU now.
   *
   * @param gpuId the GPU's global id in the cluster
   * @param profile the MIG profile
   * @param startSlot the start slot to test
   * @return whether an instance of {@code profile} can be created at {@code startSlot} on the GPU
   *     now
   */
  boolean canPlaceMig(int gpuId, MigProfile profile, int startSlot);

  /**
   * The number of allocations recorded.
   *
   * @return the number of allocations recorded
   */
  int allocationCount();

  /**
   * A counter that changes with every successful allocate or release.
   *
   * @return a counter that changes with every successful allocate or release
   */
  long version();

  /**
   * A counter that changes whenever the node's capacity changes (an allocation on it is made or
   * released). Lets a policy cache per-node values and revalidate them cheaply.
   *
   * @param nodeId the node's id in the cluster
   * @return a counter that changes whenever the node's capacity changes (an allocation on it is
   *     made or released)
   */
  int nodeVersion(int nodeId);

  /**
   * Whether a GPU may take a share of {@code computeMilli} and {@code memoryMib} now.
   *
   * @param gpuId the GPU's global id in the cluster
   * @param computeMilli the share's compute, milli-GPU
   * @param memoryMib the share's GPU memory, MiB
   * @return whether a GPU may take a share of {@code computeMilli} and {@code memoryMib} now
   */
  default boolean canShare(int gpuId, int computeMilli, int memoryMib) {
    GpuMode mode = gpuMode(gpuId);
    return (mode == GpuMode.FREE || mode == GpuMode.SHARED)
        && gpuFreeComputeMilli(gpuId) >= computeMilli
        && gpuFreeMemoryMib(gpuId) >= memoryMib;
  }
}

package io.gpualloc.core;

/**
 * Read access to a ledger's capacity: what is free on each node and GPU, which nodes can be
 * scheduled on and which GPUs are healthy. Implemented by the live {@link ClusterState} (each call
 * consistent on its own) and by an immutable {@link ClusterSnapshot} (all calls consistent
 * together).
 *
 * <p>Node ids and GPU ids are those of {@link #cluster()}: dense, stable for a node's life, never
 * reused, possibly with holes where nodes were removed. Every per-node and per-GPU read throws
 * {@link UnknownNodeException} for an id that does not name a member (a removed node's id, or one
 * never issued); {@link #isSchedulable(int)} is the exception and answers false for those. A policy scans
 * the candidates as
 *
 * <pre>{@code
 * Cluster c = view.cluster();
 * for (int id = 0; id < c.nodeIdBound(); id++) {
 *   if (!view.isSchedulable(id)) continue; // removed or cordoned
 *   ...
 * }
 * }</pre>
 *
 * and, inside a node, skips GPUs that cannot take a grant: {@link #canTakeWhole(int)}, {@link
 * #canShare}, {@link #canPlaceMig} already account for health.
 */
public interface ClusterView {

  /**
   * The membership this view describes. A live {@link ClusterState} returns a new value after
   * each add, remove or relabel; a snapshot always the one it was taken with.
   *
   * @return the cluster
   */
  Cluster cluster();

  /**
   * Free host CPU of the node.
   *
   * @param nodeId a member's id
   * @return millicores
   * @throws UnknownNodeException when the id is not a member's
   */
  int freeCpuMilli(int nodeId);

  /**
   * Free host memory of the node.
   *
   * @param nodeId a member's id
   * @return MiB
   * @throws UnknownNodeException when the id is not a member's
   */
  int freeMemoryMib(int nodeId);

  /**
   * How many of the node's GPUs can be granted whole now: {@link GpuMode#FREE} and healthy.
   * (A cordoned node's GPUs still count here; {@link #isSchedulable} says whether to use them.)
   *
   * @param nodeId a member's id
   * @return the count
   * @throws UnknownNodeException when the id is not a member's
   */
  int freeWholeGpus(int nodeId);

  /**
   * Whether new allocations may go to the node: it is a member and not cordoned. Never throws.
   *
   * @param nodeId any int
   * @return false for a removed or cordoned node, and for an id never issued
   */
  boolean isSchedulable(int nodeId);

  /**
   * Whether the node is cordoned. A cordoned node keeps its allocations and accepts releases, but
   * {@link ClusterState#allocate} rejects new placements on it.
   *
   * @param nodeId a member's id
   * @return true when cordoned
   * @throws UnknownNodeException when the id is not a member's
   */
  boolean isCordoned(int nodeId);

  /**
   * Whether the GPU is healthy. An unhealthy GPU keeps the grants it held when it was marked, but
   * takes no new one: it does not count in {@link #freeWholeGpus}, and {@link #canTakeWhole},
   * {@link #canShare} and {@link #canPlaceMig} answer false for it. Its {@link #gpuMode} and free
   * figures still say what its grants hold.
   *
   * @param gpuId a GPU id of a member node
   * @return true when healthy
   * @throws UnknownNodeException when the GPU's node is not a member
   */
  boolean isGpuHealthy(int gpuId);

  /**
   * The GPU's current mode: what its grants hold, whatever its health.
   *
   * @param gpuId a GPU id of a member node
   * @return the mode
   * @throws UnknownNodeException when the GPU's node is not a member
   */
  GpuMode gpuMode(int gpuId);

  /**
   * Free compute of the GPU, in milli-GPU: 1000 minus what its grants hold (a whole grant holds
   * 1000, a MIG instance its compute slices' share). Whether a share may use it depends on {@link
   * #gpuMode} and health: see {@link #canShare}.
   *
   * @param gpuId a GPU id of a member node
   * @return milli-GPU
   * @throws UnknownNodeException when the GPU's node is not a member
   */
  int gpuFreeComputeMilli(int gpuId);

  /**
   * Free memory of the GPU; see {@link #gpuFreeComputeMilli}.
   *
   * @param gpuId a GPU id of a member node
   * @return MiB
   * @throws UnknownNodeException when the GPU's node is not a member
   */
  int gpuFreeMemoryMib(int gpuId);

  /**
   * The memory-slice occupancy mask of the GPU's MIG instances (bit {@code i} = slice i).
   *
   * @param gpuId a GPU id of a member node
   * @return the mask
   * @throws UnknownNodeException when the GPU's node is not a member
   */
  int gpuMigOccupancy(int gpuId);

  /**
   * How many grants the GPU holds (0 when FREE).
   *
   * @param gpuId a GPU id of a member node
   * @return the count
   * @throws UnknownNodeException when the GPU's node is not a member
   */
  int gpuGrantCount(int gpuId);

  /**
   * The GPU's share cap: the most shared grants it holds at once ({@link Gpu#maxShares()}, HAMi's
   * split count), {@link Gpu#UNLIMITED_SHARES} when it has none. A SHARED GPU whose {@link
   * #gpuGrantCount} has reached it takes no further share.
   *
   * @param gpuId a GPU id of a member node
   * @return the cap
   * @throws UnknownNodeException when the GPU's node is not a member
   */
  default int gpuMaxShares(int gpuId) {
    return cluster().gpu(gpuId).maxShares();
  }

  /**
   * How many more shared grants the GPU may take under its share cap now: {@link
   * Gpu#UNLIMITED_SHARES} without a cap, 0 when it is not FREE or SHARED. Compute and memory may
   * bound the shares further.
   *
   * @param gpuId a GPU id of a member node
   * @return the shares left under the cap
   * @throws UnknownNodeException when the GPU's node is not a member
   */
  default int gpuSharesLeft(int gpuId) {
    GpuMode mode = gpuMode(gpuId);
    if (mode != GpuMode.FREE && mode != GpuMode.SHARED) {
      return 0;
    }
    int cap = gpuMaxShares(gpuId);
    return cap == Gpu.UNLIMITED_SHARES ? cap : Math.max(0, cap - gpuGrantCount(gpuId));
  }

  /**
   * Whether an instance of {@code profile} can be created at {@code startSlot} on the GPU now
   * (false on an unhealthy GPU).
   *
   * @param gpuId a GPU id of a member node
   * @param profile a MIG profile
   * @param startSlot a memory slice
   * @return whether it fits
   * @throws UnknownNodeException when the GPU's node is not a member
   */
  boolean canPlaceMig(int gpuId, MigProfile profile, int startSlot);

  /**
   * The number of allocations recorded.
   *
   * @return the count
   */
  int allocationCount();

  /**
   * A counter that grows with every change: by one per allocation recorded or released (those a
   * node removal releases included) and by one per membership call that changed something (add,
   * remove, cordon, uncordon, relabel, GPU health).
   *
   * @return the version
   */
  long version();

  /**
   * A counter that grows whenever anything about the node changes: an allocation on it made or
   * released, cordon, uncordon, relabel, a GPU's health, its removal. Lets a policy cache
   * per-node values and revalidate them cheaply (together with {@link #membershipVersion()}).
   *
   * @param nodeId a member's id
   * @return the node's version
   * @throws UnknownNodeException when the id is not a member's
   */
  int nodeVersion(int nodeId);

  /**
   * An identity shared by views whose node versions are comparable: a {@link ClusterState} and
   * every {@link ClusterSnapshot} taken of it return the same object (a fork starts a lineage of
   * its own). Two views of one lineage that show a node at the same {@link #nodeVersion} show it in
   * the same state, and at the same {@link #version} they are equal, so a cache keyed on node
   * versions may carry over from one snapshot to the next and re-read only the nodes that changed.
   * The default, this view itself, promises nothing beyond the view; a view that shows anything
   * other than its lineage's state (an overlay of tentative placements, one node of another view)
   * must keep it.
   *
   * @return the lineage token (compare by identity)
   */
  default Object lineage() {
    return this;
  }

  /**
   * The membership version of {@link #cluster()}: grows by one per add, remove or relabel. A cache
   * keyed on node ids or GPU ids must be rebuilt (or extended) when this moves; within one ledger
   * it is the cheap check, across ledgers (forks) compare {@code cluster()} by identity.
   *
   * @return {@code cluster().membershipVersion()}
   */
  default long membershipVersion() {
    return cluster().membershipVersion();
  }

  /**
   * Whether the GPU can be granted whole now: FREE and healthy.
   *
   * @param gpuId a GPU id of a member node
   * @return whether a whole grant fits
   * @throws UnknownNodeException when the GPU's node is not a member
   */
  default boolean canTakeWhole(int gpuId) {
    return gpuMode(gpuId) == GpuMode.FREE && isGpuHealthy(gpuId);
  }

  /**
   * Whether a GPU may take a share of {@code computeMilli} and {@code memoryMib} now: FREE or
   * SHARED, healthy, below its share cap ({@link #gpuMaxShares}), with that much free. This is the
   * one predicate every policy routes its "can this GPU take this share" through; it answers as
   * {@link ClusterState#allocate} would for a single share grant.
   *
   * @param gpuId a GPU id of a member node
   * @param computeMilli compute the share needs
   * @param memoryMib memory the share needs
   * @return whether the share fits
   * @throws UnknownNodeException when the GPU's node is not a member
   */
  default boolean canShare(int gpuId, int computeMilli, int memoryMib) {
    GpuMode mode = gpuMode(gpuId);
    return (mode == GpuMode.FREE || mode == GpuMode.SHARED)
        && isGpuHealthy(gpuId)
        && gpuGrantCount(gpuId) < gpuMaxShares(gpuId)
        && gpuFreeComputeMilli(gpuId) >= computeMilli
        && gpuFreeMemoryMib(gpuId) >= memoryMib;
  }
}

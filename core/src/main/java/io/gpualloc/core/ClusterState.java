package io.gpualloc.core;

import java.util.Collection;
import java.util.List;

/**
 * The allocation ledger: the single source of truth for what is allocated on a {@link Cluster}.
 *
 * <h2>Invariants</h2>
 *
 * <ol>
 *   <li>No GPU holds more than 1000 milli-GPU or its memory; no node more than its CPU or memory;
 *       whole grants are exclusive; MIG instances never overlap and sit at valid start slots; a GPU
 *       is FREE, WHOLE, SHARED or MIG, never two at once.
 *   <li>{@link #allocate} and {@link #allocateAll} apply every grant or none; a rejected call
 *       changes nothing. {@link #release} restores the exact prior capacity.
 *   <li>{@link #snapshot()} is an immutable view later changes do not affect; {@link #fork()} is a
 *       writable copy that does not affect this ledger.
 * </ol>
 *
 * <h2>Concurrency</h2>
 *
 * Mutations ({@code allocate}, {@code allocateAll}, {@code release}) and {@code snapshot}/{@code
 * fork} are atomic and linearizable: they run under one internal lock, so concurrent calls from
 * many threads never lose an update and never over-allocate. Capacity reads ({@link
 * #freeCpuMilli(int)}, {@link #gpuFreeComputeMilli(int)}, ...) take no lock: each sees every
 * mutation that completed before it began (a volatile read orders them), and may or may not see one
 * in flight, or only part of it (its GPUs but not yet its CPU, or grants that are then rolled back),
 * so several lock-free reads are not one consistent picture. A policy that scans many nodes and
 * needs one consistent picture while other threads write takes a {@link #snapshot()}; either way
 * it then calls {@link #allocate}, which re-checks capacity under the lock and rejects with {@link
 * AllocationConflictException} if another thread took it in between (optimistic concurrency, as
 * the Kubernetes scheduler's cache does). From a single thread every read is exact.
 *
 * <h2>Versions</h2>
 *
 * {@link #version()} grows by one per allocation recorded or released, {@link #nodeVersion(int)}
 * by one per change to that node; both only grow. A gang ({@link #allocateAll}) publishes its
 * versions once, when it commits, so a rejected gang leaves every version as it was and a cache
 * keyed on versions never sees an old number for a new state.
 */
public final class ClusterState implements ClusterView {
  private final Object lock = new Object();
  private final Ledger ledger;

  /**
   * An empty ledger over {@code cluster}: everything free.
   *
   * @param cluster the cluster
   */
  public ClusterState(Cluster cluster) {
    this.ledger = new Ledger(Checks.notNull("cluster state", "cluster", cluster));
  }

  private ClusterState(Ledger ledger) {
    this.ledger = ledger;
  }

  /**
   * Records {@code placement}, all grants or none.
   *
   * @param placement the placement
   * @throws AllocationConflictException when it does not fit the current state or its id is held
   * @throws InvalidSpecException when it names a node or GPU that does not exist
   * @throws UnknownGpuModelException when a MIG grant names a profile the GPU lacks
   */
  public void allocate(Placement placement) {
    Checks.notNull("cluster state", "placement", placement);
    synchronized (lock) {
      ledger.allocate(placement);
    }
  }

  /**
   * Records all placements or none (for gangs).
   *
   * @param placements the placements to record together
   * @throws GpuallocException as {@link #allocate}; then none of the placements is recorded
   */
  public void allocateAll(Collection<Placement> placements) {
    List<Placement> list = Checks.list("cluster state", "placements", placements);
    synchronized (lock) {
      ledger.allocateAll(list);
    }
  }

  /**
   * Releases an allocation and returns its placement.
   *
   * @param allocationId the id the placement was allocated under
   * @return the placement that was released
   * @throws UnknownAllocationException when the id is not held (never allocated or released)
   */
  public Placement release(String allocationId) {
    Checks.notNull("cluster state", "allocationId", allocationId);
    synchronized (lock) {
      return ledger.release(allocationId);
    }
  }

  /**
   * The placement recorded under {@code allocationId}, or null when none is.
   *
   * @param allocationId the id the placement was allocated under
   * @return the placement recorded under {@code allocationId}, or null when none is
   */
  public @org.jspecify.annotations.Nullable Placement allocation(String allocationId) {
    synchronized (lock) {
      return ledger.allocations().get(allocationId);
    }
  }

  /**
   * A copy of all recorded placements, in no particular order.
   *
   * @return a copy of all recorded placements, in no particular order
   */
  public List<Placement> allocations() {
    synchronized (lock) {
      return List.copyOf(ledger.allocations().values());
    }
  }

  /**
   * An immutable view of the capacity now; later changes do not show in it.
   *
   * @return an immutable view of the capacity now; later changes do not show in it
   */
  public ClusterSnapshot snapshot() {
    synchronized (lock) {
      return new ClusterSnapshot(new Ledger(ledger, false));
    }
  }

  /**
   * A writable copy, allocations included, for what-if planning; it does not affect this ledger.
   *
   * @return a writable copy, allocations included, for what-if planning; it does not affect this
   *     ledger
   */
  public ClusterState fork() {
    synchronized (lock) {
      return new ClusterState(new Ledger(ledger, true));
    }
  }

  @Override
  public Cluster cluster() {
    return ledger.cluster;
  }

  @Override
  public int freeCpuMilli(int nodeId) {
    checkNode(nodeId);
    acquire();
    return ledger.nodeFreeCpu[nodeId];
  }

  @Override
  public int freeMemoryMib(int nodeId) {
    checkNode(nodeId);
    acquire();
    return ledger.nodeFreeMem[nodeId];
  }

  @Override
  public int freeWholeGpus(int nodeId) {
    checkNode(nodeId);
    acquire();
    return ledger.nodeFreeWhole[nodeId];
  }

  @Override
  public GpuMode gpuMode(int gpuId) {
    checkGpu(gpuId);
    acquire();
    return ledger.mode(gpuId);
  }

  @Override
  public int gpuFreeComputeMilli(int gpuId) {
    checkGpu(gpuId);
    acquire();
    return 1000 - ledger.gpuUsedCompute[gpuId];
  }

  @Override
  public int gpuFreeMemoryMib(int gpuId) {
    checkGpu(gpuId);
    acquire();
    return ledger.gpuCapacityMem[gpuId] - ledger.gpuUsedMem[gpuId];
  }

  @Override
  public int gpuMigOccupancy(int gpuId) {
    checkGpu(gpuId);
    acquire();
    return ledger.gpuMigMask[gpuId];
  }

  @Override
  public int gpuGrantCount(int gpuId) {
    checkGpu(gpuId);
    acquire();
    return ledger.gpuGrants[gpuId];
  }

  @Override
  public boolean canPlaceMig(int gpuId, MigProfile profile, int startSlot) {
    Checks.notNull("MIG query", "profile", profile);
    checkGpu(gpuId);
    acquire();
    return ledger.canPlaceMig(gpuId, profile, startSlot);
  }

  @Override
  public int allocationCount() {
    synchronized (lock) {
      return ledger.allocationCount();
    }
  }


  @Override
  public long version() {
    return ledger.version;
  }

  @Override
  public int nodeVersion(int nodeId) {
    checkNode(nodeId);
    acquire();
    return ledger.nodeVersion[nodeId];
  }

  /**
   * Reads the volatile version, so that everything written by mutations that completed before this
   * read is visible to the plain array reads that follow.
   */
  @SuppressWarnings("unused")
  private void acquire() {
    long unused = ledger.version;
  }

  private void checkNode(int nodeId) {
    if (nodeId < 0 || nodeId >= ledger.nodeFreeCpu.length) {
      ledger.cluster.node(nodeId); // throws the typed range error
    }
  }

  private void checkGpu(int gpuId) {
    if (gpuId < 0 || gpuId >= ledger.gpuMode.length) {
      ledger.cluster.gpu(gpuId); // throws the typed range error
    }
  }

  @Override
  public String toString() {
    return "ClusterState[" + ledger.cluster + ", " + allocationCount() + " allocations]";
  }
}

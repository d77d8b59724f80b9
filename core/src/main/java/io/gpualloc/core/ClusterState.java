package io.gpualloc.core;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The allocation ledger: the single source of truth for what is allocated on a {@link Cluster},
 * and for which nodes are members, which are cordoned and which GPUs are healthy.
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
 *       writable copy that does not affect this ledger. Both carry the membership of the moment.
 *   <li>Membership calls keep every allocation on the other nodes exactly, and a placement only
 *       ever lands on the node its id was issued to.
 * </ol>
 *
 * <h2>Membership</h2>
 *
 * The cluster may change while the ledger runs, without a rebuild: {@link #addNode}, {@link
 * #removeNode}, {@link #cordon}, {@link #uncordon}, {@link #relabel}, {@link #markGpuUnhealthy},
 * {@link #markGpuHealthy}. Each is atomic under the ledger's lock, validates everything before it
 * changes anything, and a call that throws changes nothing. Node ids are issued in order and never
 * reused (see {@link Cluster}): a placement naming a removed node's id is rejected with {@link
 * UnknownNodeException}, even if a node of the same name has joined since. Adding or removing a
 * node costs O(1) amortised plus the node's GPUs and allocations; {@link #cluster()} stays a
 * constant-time read.
 *
 * <ul>
 *   <li>A removed node's allocations are released, and returned, so the caller can evict or
 *       reschedule them.
 *   <li>A cordoned node keeps its allocations and accepts releases; {@link #allocate} rejects new
 *       placements on it with {@link AllocationConflictException} (as it rejects one that no
 *       longer fits), so an optimistic commit decided before the cordon fails cleanly. To restore
 *       the pods of a cordoned node at start-up, allocate them before cordoning.
 *   <li>An unhealthy GPU keeps the grants it holds (the call returns their allocations) but takes
 *       no new grant and does not count as free; marking it healthy again restores it.
 * </ul>
 *
 * <h2>Concurrency</h2>
 *
 * Mutations ({@code allocate}, {@code allocateAll}, {@code release}, the membership calls) and
 * {@code snapshot}/{@code fork} are atomic and linearizable: they run under one internal lock, so
 * concurrent calls from many threads never lose an update and never over-allocate. Capacity reads
 * ({@link #freeCpuMilli(int)}, {@link #gpuFreeComputeMilli(int)}, ...) take no lock: each sees
 * every mutation that completed before it began (a volatile read orders them), and may or may not
 * see one in flight, or only part of it (its GPUs but not yet its CPU, or grants that are then
 * rolled back), so several lock-free reads are not one consistent picture; a read of a node that
 * another thread removes meanwhile may throw {@link UnknownNodeException}. A policy that scans
 * many nodes and needs one consistent picture while other threads write takes a {@link
 * #snapshot()}; either way it then calls {@link #allocate}, which re-checks everything under the
 * lock and rejects with {@link AllocationConflictException} (capacity taken, node cordoned, GPU
 * unhealthy) or {@link UnknownNodeException} (node removed) if the world moved in between
 * (optimistic concurrency, as the Kubernetes scheduler's cache does). From a single thread every
 * read is exact.
 *
 * <h2>Versions</h2>
 *
 * {@link #version()} grows by one per allocation recorded or released (including those a removal
 * releases) and by one per membership call that changed something; {@link #nodeVersion(int)} by
 * at least one per change to that node (allocation, release, cordon, uncordon, relabel, GPU
 * health, removal); {@link #membershipVersion()} by one per add, remove or relabel, each of which
 * also publishes a new {@link #cluster()}. All only grow. A gang ({@link #allocateAll}) publishes
 * its versions once, when it commits, so a rejected gang leaves every version as it was and a
 * cache keyed on versions never sees an old number for a new state. A no-op membership call
 * (cordoning a cordoned node, relabelling to the same labels) moves nothing.
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

  // ---- membership ----------------------------------------------------------------------------

  /**
   * Adds a node to the running cluster under the next node id (ids are never reused, so a node
   * re-added under an old name gets a new id). Its GPUs get the next GPU ids, all free and
   * healthy; it is schedulable. Nothing else changes.
   *
   * @param node the node; its name must be no member's, its GPU UUIDs no member GPU's
   * @return the node's id
   * @throws InvalidSpecException when the name or a GPU UUID is taken (nothing changed)
   */
  public int addNode(Node node) {
    Checks.notNull("cluster state", "node", node);
    synchronized (lock) {
      return ledger.addNode(node);
    }
  }

  /**
   * Removes a node: releases every allocation on it, retires its id (and its GPUs' ids) for good,
   * and returns the released allocations, sorted by allocation id, for the caller to evict or
   * reschedule. Allocations on other nodes are untouched.
   *
   * @param nodeName a member's name
   * @return the allocations the node held, now released
   * @throws UnknownNodeException when no member has this name (nothing changed)
   */
  public List<Placement> removeNode(String nodeName) {
    Checks.notNull("cluster state", "nodeName", nodeName);
    synchronized (lock) {
      return ledger.removeNode(ledger.cluster.nodeId(nodeName));
    }
  }

  /**
   * Cordons a node: it keeps its allocations and accepts releases, but new placements on it are
   * rejected and {@link #isSchedulable} answers false.
   *
   * @param nodeName a member's name
   * @return true when it was not cordoned before (false: nothing changed)
   * @throws UnknownNodeException when no member has this name
   */
  public boolean cordon(String nodeName) {
    Checks.notNull("cluster state", "nodeName", nodeName);
    synchronized (lock) {
      return ledger.setCordoned(ledger.cluster.nodeId(nodeName), true);
    }
  }

  /**
   * Makes a cordoned node schedulable again.
   *
   * @param nodeName a member's name
   * @return true when it was cordoned before (false: nothing changed)
   * @throws UnknownNodeException when no member has this name
   */
  public boolean uncordon(String nodeName) {
    Checks.notNull("cluster state", "nodeName", nodeName);
    synchronized (lock) {
      return ledger.setCordoned(ledger.cluster.nodeId(nodeName), false);
    }
  }

  /**
   * Replaces a node's labels (the whole map, as a host's node object carries them). The node keeps
   * its id, GPUs and allocations; {@link #cluster()} and its label index show the new labels.
   *
   * @param nodeName a member's name
   * @param labels the new labels
   * @return true when they differ from the old ones (false: nothing changed)
   * @throws UnknownNodeException when no member has this name
   * @throws InvalidSpecException when a label key is blank or a value null
   */
  public boolean relabel(String nodeName, Map<String, String> labels) {
    Checks.notNull("cluster state", "nodeName", nodeName);
    Checks.notNull("node " + nodeName, "labels", labels);
    synchronized (lock) {
      return ledger.relabel(ledger.cluster.nodeId(nodeName), labels);
    }
  }

  /**
   * Marks a GPU unhealthy: it takes no new grant and stops counting as free, and the grants it
   * holds stay. Returns the allocations holding a grant on it (sorted by allocation id), for the
   * caller to decide about; an already unhealthy GPU answers the same and changes nothing.
   *
   * @param nodeName a member's name
   * @param gpuIndex the GPU's index within the node
   * @return the allocations on that GPU
   * @throws UnknownNodeException when no member has this name
   * @throws InvalidSpecException when the index is out of the node's range
   */
  public List<Placement> markGpuUnhealthy(String nodeName, int gpuIndex) {
    Checks.notNull("cluster state", "nodeName", nodeName);
    synchronized (lock) {
      int id = ledger.cluster.nodeId(nodeName);
      int gpu = ledger.gpuOf(id, gpuIndex);
      ledger.setGpuHealthy(id, gpu, false);
      return ledger.allocationsOnGpu(id, gpuIndex);
    }
  }

  /**
   * Marks a GPU healthy again: it takes grants and counts as free when FREE.
   *
   * @param nodeName a member's name
   * @param gpuIndex the GPU's index within the node
   * @return true when it was unhealthy before (false: nothing changed)
   * @throws UnknownNodeException when no member has this name
   * @throws InvalidSpecException when the index is out of the node's range
   */
  public boolean markGpuHealthy(String nodeName, int gpuIndex) {
    Checks.notNull("cluster state", "nodeName", nodeName);
    synchronized (lock) {
      int id = ledger.cluster.nodeId(nodeName);
      return ledger.setGpuHealthy(id, ledger.gpuOf(id, gpuIndex), true);
    }
  }

  /**
   * The allocations on a node, sorted by allocation id.
   *
   * @param nodeId a member's id
   * @return a fresh list
   * @throws UnknownNodeException when the id is not a member's
   */
  public List<Placement> allocationsOn(int nodeId) {
    synchronized (lock) {
      checkNode(nodeId);
      return ledger.allocationsOn(nodeId);
    }
  }

  // ---- reads ---------------------------------------------------------------------------------

  @Override
  public Cluster cluster() {
    return ledger.cluster;
  }

  @Override
  public int freeCpuMilli(int nodeId) {
    acquire();
    return ledger.nodeFreeCpu[checkNode(nodeId)];
  }

  @Override
  public int freeMemoryMib(int nodeId) {
    acquire();
    return ledger.nodeFreeMem[checkNode(nodeId)];
  }

  @Override
  public int freeWholeGpus(int nodeId) {
    acquire();
    return ledger.nodeFreeWhole[checkNode(nodeId)];
  }

  @Override
  public boolean isSchedulable(int nodeId) {
    acquire();
    byte[] flags = ledger.nodeFlags;
    return nodeId >= 0 && nodeId < flags.length && flags[nodeId] == 0;
  }

  @Override
  public boolean isCordoned(int nodeId) {
    acquire();
    return (ledger.nodeFlags[checkNode(nodeId)] & Ledger.CORDONED) != 0;
  }

  @Override
  public boolean isGpuHealthy(int gpuId) {
    acquire();
    return !ledger.gpuUnhealthy[checkGpu(gpuId)];
  }

  @Override
  public GpuMode gpuMode(int gpuId) {
    acquire();
    return ledger.mode(checkGpu(gpuId));
  }

  @Override
  public int gpuFreeComputeMilli(int gpuId) {
    acquire();
    return 1000 - ledger.gpuUsedCompute[checkGpu(gpuId)];
  }

  @Override
  public int gpuFreeMemoryMib(int gpuId) {
    acquire();
    checkGpu(gpuId);
    return ledger.gpuCapacityMem[gpuId] - ledger.gpuUsedMem[gpuId];
  }

  @Override
  public int gpuMigOccupancy(int gpuId) {
    acquire();
    return ledger.gpuMigMask[checkGpu(gpuId)];
  }

  @Override
  public int gpuGrantCount(int gpuId) {
    acquire();
    return ledger.gpuGrants[checkGpu(gpuId)];
  }

  @Override
  public boolean canShare(int gpuId, int computeMilli, int memoryMib) {
    acquire();
    checkGpu(gpuId);
    return ledger.canShare(gpuId, computeMilli, memoryMib);
  }

  @Override
  public int gpuMaxShares(int gpuId) {
    acquire();
    return ledger.gpuMaxShares[checkGpu(gpuId)];
  }

  @Override
  public boolean canPlaceMig(int gpuId, MigProfile profile, int startSlot) {
    Checks.notNull("MIG query", "profile", profile);
    acquire();
    return ledger.canPlaceMig(checkGpu(gpuId), profile, startSlot);
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
  public Object lineage() {
    return ledger.lineage;
  }

  @Override
  public int nodeVersion(int nodeId) {
    acquire();
    return ledger.nodeVersion[checkNode(nodeId)];
  }

  /**
   * Reads the volatile version, so that everything written by mutations that completed before this
   * read is visible to the plain array reads that follow.
   */
  @SuppressWarnings("unused")
  private void acquire() {
    long unused = ledger.version;
  }

  private int checkNode(int nodeId) {
    if (!ledger.isLive(nodeId)) {
      throw ledger.cluster.notMember("cluster", "node id", nodeId);
    }
    return nodeId;
  }

  private int checkGpu(int gpuId) {
    if (!ledger.isLiveGpu(gpuId)) {
      ledger.cluster.gpu(gpuId); // throws the typed error
      throw ledger.cluster.notMember("cluster state", "node of gpu id", gpuId);
    }
    return gpuId;
  }

  @Override
  public String toString() {
    return "ClusterState[" + ledger.cluster + ", " + allocationCount() + " allocations]";
  }
}

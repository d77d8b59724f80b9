package io.gpualloc.core;

import java.util.List;

/**
 * The ledger's dense primitive state and the logic that changes it. Not thread-safe: {@link
 * ClusterState} guards it with a lock, {@link ClusterSnapshot} freezes a copy.
 */
final class Ledger {
  static final byte FREE = 0;
  static final byte WHOLE = 1;
  static final byte SHARED = 2;
  static final byte MIG = 3;
  private static final GpuMode[] MODES = GpuMode.values();

  final Cluster cluster;
  final int[] nodeFreeCpu;
  final int[] nodeFreeMem;
  final int[] nodeFreeWhole;
  final int[] gpuUsedCompute;
  final int[] gpuUsedMem;
  final int[] gpuCapacityMem;
  final byte[] gpuMode;
  final int[] gpuGrants;
  final int[] gpuMigMask;
  final byte[] gpuMigCompute;
  final byte[] gpuMigMe;
  final int[] nodeVersion;
  final AllocationTable allocations;
  /** Written last by every mutation; readers read it first (see ClusterState's concurrency). */
  volatile long version;

  Ledger(Cluster cluster) {
    this.cluster = cluster;
    int n = cluster.nodeCount();
    int g = cluster.gpuCount();
    nodeFreeCpu = new int[n];
    nodeFreeMem = new int[n];
    nodeFreeWhole = new int[n];
    nodeVersion = new int[n];
    for (int i = 0; i < n; i++) {
      Node node = cluster.node(i);
      nodeFreeCpu[i] = node.cpuMilli();
      nodeFreeMem[i] = node.memoryMib();
      nodeFreeWhole[i] = node.gpuCount();
    }
    gpuUsedCompute = new int[g];
    gpuUsedMem = new int[g];
    gpuCapacityMem = new int[g];
    for (int k = 0; k < g; k++) {
      gpuCapacityMem[k] = cluster.gpu(k).model().memoryMib();
    }
    gpuMode = new byte[g];
    gpuGrants = new int[g];
    gpuMigMask = new int[g];
    gpuMigCompute = new byte[g];
    gpuMigMe = new byte[g];
    allocations = new AllocationTable();
  }

  /** A deep copy; {@code withAllocations} false leaves the allocation map empty (snapshots). */
  Ledger(Ledger o, boolean withAllocations) {
    cluster = o.cluster;
    nodeFreeCpu = o.nodeFreeCpu.clone();
    nodeFreeMem = o.nodeFreeMem.clone();
    nodeFreeWhole = o.nodeFreeWhole.clone();
    nodeVersion = o.nodeVersion.clone();
    gpuUsedCompute = o.gpuUsedCompute.clone();
    gpuUsedMem = o.gpuUsedMem.clone();
    gpuCapacityMem = o.gpuCapacityMem; // immutable after construction
    gpuMode = o.gpuMode.clone();
    gpuGrants = o.gpuGrants.clone();
    gpuMigMask = o.gpuMigMask.clone();
    gpuMigCompute = o.gpuMigCompute.clone();
    gpuMigMe = o.gpuMigMe.clone();
    allocations = withAllocations ? new AllocationTable(o.allocations) : new AllocationTable();
    allocationCount = withAllocations ? -1 : o.allocations.size();
    version = o.version;
  }

  private int allocationCount = -1;

  int allocationCount() {
    return allocationCount >= 0 ? allocationCount : allocations.size();
  }

  GpuMode mode(int gpuId) {
    return MODES[gpuMode[gpuId]];
  }

  boolean canPlaceMig(int gpuId, MigProfile profile, int start) {
    byte m = gpuMode[gpuId];
    if (m != FREE && m != MIG) {
      return false;
    }
    GpuModel model = cluster.gpu(gpuId).model();
    if (!model.migProfiles().contains(profile) || !profile.isValidStart(start)) {
      return false;
    }
    return (gpuMigMask[gpuId] & profile.mask(start)) == 0
        && gpuMigCompute[gpuId] + profile.computeSlices() <= model.migComputeSlices()
        && !(profile.mediaExtension() && gpuMigMe[gpuId] > 0);
  }

  // ---- mutation ------------------------------------------------------------------------------

  void allocate(Placement p) {
    apply(p);
    nodeVersion[p.nodeId()]++;
    version++;
  }

  /** Applies a placement without publishing a version: a gang publishes once, when it commits. */
  private void apply(Placement p) {
    if (allocations.containsKey(p.allocationId())) {
      throw new AllocationConflictException(
          "allocationId '" + p.allocationId() + "' is already allocated (on node "
              + cluster.node(allocations.get(p.allocationId()).nodeId()).name()
              + "); allowed: an id not held by the ledger. Maybe release it first.");
    }
    validateShape(p);
    int node = p.nodeId();
    if (nodeFreeCpu[node] < p.cpuMilli()) {
      throw conflict(p, "cpuMilli", p.cpuMilli(), "<= free CPU " + nodeFreeCpu[node]);
    }
    if (nodeFreeMem[node] < p.memoryMib()) {
      throw conflict(p, "memoryMib", p.memoryMib(), "<= free memory " + nodeFreeMem[node]);
    }
    List<GpuGrant> grants = p.grants();
    int applied = 0;
    try {
      for (; applied < grants.size(); applied++) {
        apply(p, applied, grants.get(applied));
      }
    } catch (AllocationConflictException e) {
      for (int i = applied - 1; i >= 0; i--) {
        unapply(p, grants.get(i));
      }
      throw e;
    }
    nodeFreeCpu[node] -= p.cpuMilli();
    nodeFreeMem[node] -= p.memoryMib();
    allocations.putNew(p.allocationId(), p);
  }

  void allocateAll(List<Placement> placements) {
    java.util.HashSet<String> ids = new java.util.HashSet<>();
    for (Placement p : placements) {
      if (!ids.add(p.allocationId())) {
        throw new AllocationConflictException(
            "allocationId '" + p.allocationId() + "' appears twice in one allocateAll call;"
                + " allowed: distinct ids");
      }
    }
    int done = 0;
    try {
      for (; done < placements.size(); done++) {
        apply(placements.get(done));
      }
    } catch (GpuallocException e) {
      for (int i = done - 1; i >= 0; i--) {
        unapply(placements.get(i).allocationId());
      }
      throw e;
    }
    // commit: versions move only for a gang that landed, so a rejected gang leaves them as they
    // were and a cache keyed on them never sees an old number for a new state
    for (Placement p : placements) {
      nodeVersion[p.nodeId()]++;
    }
    version += placements.size();
  }

  Placement release(String allocationId) {
    Placement p = unapply(allocationId);
    nodeVersion[p.nodeId()]++;
    version++;
    return p;
  }

  /** Removes an allocation without publishing a version. */
  private Placement unapply(String allocationId) {
    Placement p = allocations.get(allocationId);
    if (p == null) {
      throw new UnknownAllocationException(
          "allocationId '" + allocationId + "' is not allocated; allowed: one of the "
              + allocations.size() + " ids the ledger holds. Maybe it was released already.");
    }
    List<GpuGrant> grants = p.grants();
    for (int i = grants.size() - 1; i >= 0; i--) {
      unapply(p, grants.get(i));
    }
    nodeFreeCpu[p.nodeId()] += p.cpuMilli();
    nodeFreeMem[p.nodeId()] += p.memoryMib();
    allocations.remove(allocationId);
    return p;
  }

  /** Checks what does not depend on current usage: ids, indexes, profiles, slots. */
  private void validateShape(Placement p) {
    if (p.nodeId() >= cluster.nodeCount()) {
      throw InvalidSpecException.of(
          "placement " + p.allocationId(), "nodeId", p.nodeId(),
          "0.." + (cluster.nodeCount() - 1));
    }
    Node node = cluster.node(p.nodeId());
    for (int i = 0; i < p.grants().size(); i++) {
      GpuGrant g = p.grants().get(i);
      String owner = "placement " + p.allocationId() + " grants[" + i + "]";
      if (g.gpuIndex() >= node.gpuCount()) {
        throw InvalidSpecException.of(
            owner, "gpuIndex", g.gpuIndex(),
            node.gpuCount() == 0 ? "none (node " + node.name() + " has no GPUs)"
                : "0.." + (node.gpuCount() - 1) + " (node " + node.name() + ")");
      }
      GpuModel model = node.gpu(g.gpuIndex()).model();
      if (g instanceof GpuGrant.Share s && s.memoryMib() > model.memoryMib()) {
        throw InvalidSpecException.of(
            owner, "memoryMib", s.memoryMib(), "<= " + model.memoryMib() + " (" + model.name()
                + " capacity)");
      }
      if (g instanceof GpuGrant.Mig m) {
        MigProfile profile = model.migProfile(m.profile());
        if (!profile.isValidStart(m.startSlot())) {
          throw InvalidSpecException.of(
              owner, "startSlot", m.startSlot(),
              profile.startSlots() + " for profile " + profile.name() + " on " + model.name());
        }
      }
    }
  }

  private void apply(Placement p, int index, GpuGrant g) {
    int gpu = cluster.gpuId(p.nodeId(), g.gpuIndex());
    int node = p.nodeId();
    byte mode = gpuMode[gpu];
    if (g instanceof GpuGrant.Whole) {
      if (mode != FREE) {
        throw busy(p, index, gpu, "a FREE GPU for a whole grant");
      }
      gpuMode[gpu] = WHOLE;
      gpuGrants[gpu] = 1;
      gpuUsedCompute[gpu] = 1000;
      gpuUsedMem[gpu] = gpuCapacityMem[gpu];
      nodeFreeWhole[node]--;
    } else if (g instanceof GpuGrant.Share s) {
      if (mode != FREE && mode != SHARED) {
        throw busy(p, index, gpu, "a FREE or SHARED GPU for a share");
      }
      if (gpuUsedCompute[gpu] + s.computeMilli() > 1000) {
        throw conflict(p, "grants[" + index + "].computeMilli", s.computeMilli(),
            "<= free compute " + (1000 - gpuUsedCompute[gpu]) + " of GPU " + g.gpuIndex());
      }
      if (gpuUsedMem[gpu] + s.memoryMib() > gpuCapacityMem[gpu]) {
        throw conflict(p, "grants[" + index + "].memoryMib", s.memoryMib(),
            "<= free memory " + (gpuCapacityMem[gpu] - gpuUsedMem[gpu]) + " MiB of GPU "
                + g.gpuIndex());
      }
      if (mode == FREE) {
        nodeFreeWhole[node]--;
        gpuMode[gpu] = SHARED;
      }
      gpuGrants[gpu]++;
      gpuUsedCompute[gpu] += s.computeMilli();
      gpuUsedMem[gpu] += s.memoryMib();
    } else {
      GpuGrant.Mig m = (GpuGrant.Mig) g;
      GpuModel model = cluster.gpu(gpu).model();
      MigProfile profile = model.migProfile(m.profile());
      if (mode != FREE && mode != MIG) {
        throw busy(p, index, gpu, "a FREE or MIG GPU for a MIG instance");
      }
      int mask = profile.mask(m.startSlot());
      if ((gpuMigMask[gpu] & mask) != 0) {
        throw conflict(p, "grants[" + index + "].startSlot", m.startSlot(),
            "a slot whose memory slices are free (GPU " + g.gpuIndex() + " occupancy "
                + Integer.toBinaryString(gpuMigMask[gpu]) + ", profile " + profile.name()
                + " needs " + Integer.toBinaryString(mask) + ")");
      }
      if (gpuMigCompute[gpu] + profile.computeSlices() > model.migComputeSlices()) {
        throw conflict(p, "grants[" + index + "].profile", profile.name(),
            "a profile within the " + (model.migComputeSlices() - gpuMigCompute[gpu])
                + " free compute slices of GPU " + g.gpuIndex());
      }
      if (profile.mediaExtension() && gpuMigMe[gpu] > 0) {
        throw conflict(p, "grants[" + index + "].profile", profile.name(),
            "at most one +me instance per GPU (GPU " + g.gpuIndex() + " has one)");
      }
      if (mode == FREE) {
        nodeFreeWhole[node]--;
        gpuMode[gpu] = MIG;
      }
      gpuGrants[gpu]++;
      gpuMigMask[gpu] |= mask;
      gpuMigCompute[gpu] += (byte) profile.computeSlices();
      if (profile.mediaExtension()) {
        gpuMigMe[gpu]++;
      }
      gpuUsedCompute[gpu] += model.migComputeMilli(profile);
      gpuUsedMem[gpu] += model.migMemoryMib(profile);
    }
  }

  private void unapply(Placement p, GpuGrant g) {
    int gpu = cluster.gpuId(p.nodeId(), g.gpuIndex());
    int node = p.nodeId();
    if (g instanceof GpuGrant.Whole) {
      expect(gpuMode[gpu] == WHOLE, gpu, "WHOLE mode before releasing a whole grant");
      gpuMode[gpu] = FREE;
      gpuGrants[gpu] = 0;
      gpuUsedCompute[gpu] = 0;
      gpuUsedMem[gpu] = 0;
      nodeFreeWhole[node]++;
    } else if (g instanceof GpuGrant.Share s) {
      expect(gpuMode[gpu] == SHARED && gpuGrants[gpu] > 0, gpu, "SHARED mode before releasing");
      gpuUsedCompute[gpu] -= s.computeMilli();
      gpuUsedMem[gpu] -= s.memoryMib();
      if (--gpuGrants[gpu] == 0) {
        expect(gpuUsedCompute[gpu] == 0 && gpuUsedMem[gpu] == 0, gpu, "empty GPU holds nothing");
        gpuMode[gpu] = FREE;
        nodeFreeWhole[node]++;
      }
    } else {
      GpuGrant.Mig m = (GpuGrant.Mig) g;
      GpuModel model = cluster.gpu(gpu).model();
      MigProfile profile = model.migProfile(m.profile());
      int mask = profile.mask(m.startSlot());
      expect(gpuMode[gpu] == MIG && (gpuMigMask[gpu] & mask) == mask, gpu,
          "MIG instance present before releasing");
      gpuMigMask[gpu] &= ~mask;
      gpuMigCompute[gpu] -= (byte) profile.computeSlices();
      if (profile.mediaExtension()) {
        gpuMigMe[gpu]--;
      }
      gpuUsedCompute[gpu] -= model.migComputeMilli(profile);
      gpuUsedMem[gpu] -= model.migMemoryMib(profile);
      if (--gpuGrants[gpu] == 0) {
        expect(gpuMigMask[gpu] == 0 && gpuUsedCompute[gpu] == 0, gpu, "empty GPU holds nothing");
        gpuMode[gpu] = FREE;
        nodeFreeWhole[node]++;
      }
    }
  }

  private void expect(boolean ok, int gpu, String invariant) {
    if (!ok) {
      throw new LedgerCorruptionException(invariant + " (GPU id " + gpu + ")");
    }
  }

  private AllocationConflictException busy(Placement p, int index, int gpu, String allowed) {
    return conflict(p, "grants[" + index + "].gpuIndex", p.grants().get(index).gpuIndex(),
        allowed + "; GPU is " + mode(gpu));
  }

  private AllocationConflictException conflict(
      Placement p, String field, Object value, String allowed) {
    return new AllocationConflictException(
        field + " of placement " + p.allocationId() + " on node " + cluster.node(p.nodeId()).name()
            + " is " + InvalidSpecException.render(value) + "; allowed: " + allowed);
  }

  AllocationTable allocations() {
    return allocations;
  }
}

package io.gpualloc.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The ledger's dense primitive state and the logic that changes it. Not thread-safe: {@link
 * ClusterState} guards it with a lock, {@link ClusterSnapshot} freezes a copy.
 *
 * <p>Arrays are indexed by node id and GPU id and grow by doubling as nodes join; a removed node
 * keeps its slots (flagged {@link #RETIRED}), because ids are never reused. The membership itself
 * lives in a {@link Membership} store that this ledger writes in place once it owns it.
 */
final class Ledger {
  static final byte FREE = 0;
  static final byte WHOLE = 1;
  static final byte SHARED = 2;
  static final byte MIG = 3;
  static final byte CORDONED = 1;
  static final byte RETIRED = 2;
  private static final GpuMode[] MODES = GpuMode.values();

  /**
   * The membership now; replaced (never changed) by add, remove and relabel, as their last write,
   * so that a reader that sees a new value also sees the slots it describes.
   */
  volatile Cluster cluster;
  int[] nodeFreeCpu;
  int[] nodeFreeMem;
  /** FREE and healthy GPUs per node. */
  int[] nodeFreeWhole;
  int[] nodeVersion;
  byte[] nodeFlags;
  int[] gpuUsedCompute;
  int[] gpuUsedMem;
  int[] gpuCapacityMem;
  /** Each GPU's share cap ({@link Gpu#maxShares()}); written once per GPU id, like capacity. */
  int[] gpuMaxShares;
  byte[] gpuMode;
  int[] gpuGrants;
  int[] gpuMigMask;
  byte[] gpuMigCompute;
  byte[] gpuMigMe;
  boolean[] gpuUnhealthy;
  final AllocationTable allocations;
  /**
   * Written last by every allocation mutation (membership calls write it just before {@link
   * #cluster}); readers read it first (see ClusterState's concurrency).
   */
  volatile long version;

  /**
   * Shared by a ledger and the snapshots taken of it, new for every fork and every new ledger:
   * within one lineage a node's version only grows, so equal versions mean equal states.
   */
  final Object lineage;

  Ledger(Cluster cluster) {
    this.cluster = cluster;
    this.lineage = new Object();
    int n = cluster.nodeIdBound();
    int g = cluster.gpuIdBound();
    nodeFreeCpu = new int[n];
    nodeFreeMem = new int[n];
    nodeFreeWhole = new int[n];
    nodeVersion = new int[n];
    nodeFlags = new byte[n];
    gpuUsedCompute = new int[g];
    gpuUsedMem = new int[g];
    gpuCapacityMem = new int[g];
    gpuMaxShares = new int[g];
    gpuMode = new byte[g];
    gpuGrants = new int[g];
    gpuMigMask = new int[g];
    gpuMigCompute = new byte[g];
    gpuMigMe = new byte[g];
    gpuUnhealthy = new boolean[g];
    for (int i = 0; i < n; i++) {
      if (cluster.isLive(i)) {
        initNode(i, cluster.nodes[i], cluster.gpuOffset[i]);
      } else {
        nodeFlags[i] = RETIRED;
      }
    }
    allocations = new AllocationTable();
    allocations.ensureNodes(n);
  }

  /** A deep copy; {@code withAllocations} false leaves the allocation map empty (snapshots). */
  Ledger(Ledger o, boolean withAllocations) {
    cluster = o.cluster;
    // a snapshot (no allocation map) shows the ledger frozen: same lineage; a fork diverges
    lineage = withAllocations ? new Object() : o.lineage;
    int n = cluster.nodeIdBound();
    int g = cluster.gpuIdBound();
    nodeFreeCpu = Arrays.copyOf(o.nodeFreeCpu, n);
    nodeFreeMem = Arrays.copyOf(o.nodeFreeMem, n);
    nodeFreeWhole = Arrays.copyOf(o.nodeFreeWhole, n);
    nodeVersion = Arrays.copyOf(o.nodeVersion, n);
    nodeFlags = Arrays.copyOf(o.nodeFlags, n);
    gpuUsedCompute = Arrays.copyOf(o.gpuUsedCompute, g);
    gpuUsedMem = Arrays.copyOf(o.gpuUsedMem, g);
    // written once per GPU id when it is issued, never after: a snapshot (which never issues ids)
    // may share it; a fork, which may issue the same ids as its parent, needs its own
    gpuCapacityMem = withAllocations ? Arrays.copyOf(o.gpuCapacityMem, g) : o.gpuCapacityMem;
    gpuMaxShares = withAllocations ? Arrays.copyOf(o.gpuMaxShares, g) : o.gpuMaxShares;
    gpuMode = Arrays.copyOf(o.gpuMode, g);
    gpuGrants = Arrays.copyOf(o.gpuGrants, g);
    gpuMigMask = Arrays.copyOf(o.gpuMigMask, g);
    gpuMigCompute = Arrays.copyOf(o.gpuMigCompute, g);
    gpuMigMe = Arrays.copyOf(o.gpuMigMe, g);
    gpuUnhealthy = Arrays.copyOf(o.gpuUnhealthy, g);
    allocations = withAllocations ? new AllocationTable(o.allocations) : new AllocationTable();
    allocationCount = withAllocations ? -1 : o.allocations.size();
    version = o.version;
  }

  private int allocationCount = -1;

  int allocationCount() {
    return allocationCount >= 0 ? allocationCount : allocations.size();
  }

  private void initNode(int id, Node node, int offset) {
    nodeFreeCpu[id] = node.cpuMilli();
    nodeFreeMem[id] = node.memoryMib();
    int whole = 0;
    for (int k = 0; k < node.gpuCount(); k++) {
      gpuCapacityMem[offset + k] = node.gpu(k).model().memoryMib();
      gpuMaxShares[offset + k] = node.gpu(k).maxShares();
      if (node.gpu(k).isStaticMig()) {
        gpuMode[offset + k] = MIG; // its instances exist whether used or not
      } else {
        whole++;
      }
    }
    nodeFreeWhole[id] = whole;
  }

  /** Whether {@code profile} at {@code start} is one of the fixed layout's instances. */
  private static boolean isFixedInstance(MigLayout fixed, MigProfile profile, int start) {
    List<MigInstance> xs = fixed.instances();
    for (int i = 0; i < xs.size(); i++) {
      MigInstance x = xs.get(i);
      if (x.start() == start) {
        return x.profile().equals(profile);
      }
    }
    return false;
  }

  /** Whether the id is a member's; slots above the bound are flagged RETIRED until issued. */
  boolean isLive(int nodeId) {
    return nodeId >= 0 && nodeId < nodeFlags.length && (nodeFlags[nodeId] & RETIRED) == 0;
  }

  boolean isLiveGpu(int gpuId) {
    Cluster c = cluster;
    return gpuId >= 0 && gpuId < c.gpuIdBound() && isLive(c.nodeOfGpu[gpuId]);
  }

  GpuMode mode(int gpuId) {
    return MODES[gpuMode[gpuId]];
  }

  boolean canPlaceMig(int gpuId, MigProfile profile, int start) {
    byte m = gpuMode[gpuId];
    if (m != FREE && m != MIG || gpuUnhealthy[gpuId]) {
      return false;
    }
    Gpu gpu = cluster.gpu(gpuId);
    GpuModel model = gpu.model();
    if (!model.migProfiles().contains(profile) || !profile.isValidStart(start)) {
      return false;
    }
    MigLayout fixed = gpu.fixedMigLayout();
    if (fixed != null) {
      return isFixedInstance(fixed, profile, start)
          && (gpuMigMask[gpuId] & profile.mask(start)) == 0;
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
    if ((nodeFlags[node] & CORDONED) != 0) {
      throw new AllocationConflictException("nodeId of placement " + p.allocationId() + " is "
          + node + "; allowed: a schedulable node (node '" + cluster.node(node).name()
          + "' is cordoned). Maybe uncordon it first, or decide again.");
    }
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
    Cluster cluster = this.cluster;
    if (!isLive(p.nodeId())) {
      throw cluster.notMember("placement " + p.allocationId(), "nodeId", p.nodeId());
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
    if (gpuUnhealthy[gpu]) {
      throw conflict(p, "grants[" + index + "].gpuIndex", g.gpuIndex(),
          "a healthy GPU (GPU " + g.gpuIndex() + " is marked unhealthy)");
    }
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
      if (gpuGrants[gpu] >= gpuMaxShares[gpu]) {
        throw conflict(p, "grants[" + index + "].gpuIndex", g.gpuIndex(),
            "a GPU below its share cap (" + shareCapText(node, g.gpuIndex(), gpu) + ")");
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
      Gpu device = cluster.gpu(gpu);
      GpuModel model = device.model();
      MigProfile profile = model.migProfile(m.profile());
      if (mode != FREE && mode != MIG) {
        throw busy(p, index, gpu, "a FREE or MIG GPU for a MIG instance");
      }
      MigLayout fixed = device.fixedMigLayout();
      if (fixed != null && !isFixedInstance(fixed, profile, m.startSlot())) {
        throw conflict(p, "grants[" + index + "]", profile.name() + "@" + m.startSlot(),
            "an instance of GPU " + g.gpuIndex() + "'s fixed layout " + fixed
                + " (the GPU is pre-partitioned; no instance is created on it)");
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
      freed(node, gpu);
    } else if (g instanceof GpuGrant.Share s) {
      expect(gpuMode[gpu] == SHARED && gpuGrants[gpu] > 0, gpu, "SHARED mode before releasing");
      gpuUsedCompute[gpu] -= s.computeMilli();
      gpuUsedMem[gpu] -= s.memoryMib();
      if (--gpuGrants[gpu] == 0) {
        expect(gpuUsedCompute[gpu] == 0 && gpuUsedMem[gpu] == 0, gpu, "empty GPU holds nothing");
        gpuMode[gpu] = FREE;
        freed(node, gpu);
      }
    } else {
      GpuGrant.Mig m = (GpuGrant.Mig) g;
      Gpu device = cluster.gpu(gpu);
      GpuModel model = device.model();
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
        if (!device.isStaticMig()) { // a static GPU stays partitioned
          gpuMode[gpu] = FREE;
          freed(node, gpu);
        }
      }
    }
  }

  /** A GPU became FREE: it counts as a free whole GPU again if it is healthy. */
  private void freed(int node, int gpu) {
    if (!gpuUnhealthy[gpu]) {
      nodeFreeWhole[node]++;
    }
  }

  // ---- membership ----------------------------------------------------------------------------

  /** The store this ledger writes, made on its first membership change; null until then. */
  private Membership owned;

  /**
   * The store only this ledger writes: its cluster's, if no other ledger has claimed it, else a
   * copy of what its cluster shows. Publishes nothing: a call that then fails changes nothing.
   */
  private Membership ownStore() {
    if (owned == null) {
      Cluster c = cluster;
      Membership s = c.store;
      if (!(s.claim(this) && s.version == c.membershipVersion()
          && s.idBound == c.nodeIdBound())) {
        s = Membership.copyOf(c);
        s.claim(this);
      }
      owned = s;
    }
    return owned;
  }

  int addNode(Node node) {
    Membership store = ownStore();
    int existing = store.liveId(node.name());
    if (existing >= 0) {
      throw InvalidSpecException.of("added node", "name", node.name(),
          "a name no member node has (node id " + existing + " has it). Maybe remove it first,"
              + " or relabel it");
    }
    java.util.HashSet<String> seen = new java.util.HashSet<>();
    for (int k = 0; k < node.gpuCount(); k++) {
      String uuid = node.gpu(k).uuid();
      int other = store.liveGpu(uuid);
      if (other >= 0 || !seen.add(uuid)) {
        throw InvalidSpecException.of("added node " + node.name(), "gpus[" + k + "].uuid", uuid,
            "UUIDs unique in the cluster (also used by "
                + (other >= 0 ? "node '" + store.nodes[store.nodeOfGpu[other]].name() + "'"
                    : "another GPU of this node") + ")");
      }
    }
    int id = store.addNode(node);
    growNodes(store.idBound);
    growGpus(store.gpuBound);
    allocations.ensureNodes(store.idBound);
    nodeVersion[id] = 0;
    initNode(id, node, store.gpuOffset[id]);
    nodeFlags[id] = 0;
    version++;
    // published last: a reader that sees the new id in cluster() sees its slots written
    cluster = store.cluster();
    return id;
  }

  private void growNodes(int bound) {
    if (bound > nodeFlags.length) {
      int old = nodeFlags.length;
      int cap = Math.max(bound, old * 2);
      nodeFreeCpu = Arrays.copyOf(nodeFreeCpu, cap);
      nodeFreeMem = Arrays.copyOf(nodeFreeMem, cap);
      nodeFreeWhole = Arrays.copyOf(nodeFreeWhole, cap);
      nodeVersion = Arrays.copyOf(nodeVersion, cap);
      nodeFlags = Arrays.copyOf(nodeFlags, cap);
      Arrays.fill(nodeFlags, old, cap, RETIRED);
    }
  }

  private void growGpus(int bound) {
    if (bound > gpuMode.length) {
      int cap = Math.max(bound, gpuMode.length * 2);
      gpuUsedCompute = Arrays.copyOf(gpuUsedCompute, cap);
      gpuUsedMem = Arrays.copyOf(gpuUsedMem, cap);
      gpuCapacityMem = Arrays.copyOf(gpuCapacityMem, cap);
      gpuMaxShares = Arrays.copyOf(gpuMaxShares, cap);
      gpuMode = Arrays.copyOf(gpuMode, cap);
      gpuGrants = Arrays.copyOf(gpuGrants, cap);
      gpuMigMask = Arrays.copyOf(gpuMigMask, cap);
      gpuMigCompute = Arrays.copyOf(gpuMigCompute, cap);
      gpuMigMe = Arrays.copyOf(gpuMigMe, cap);
      gpuUnhealthy = Arrays.copyOf(gpuUnhealthy, cap);
    }
  }

  /** Releases every allocation on live node {@code id}, retires it, and returns them by id. */
  List<Placement> removeNode(int id) {
    Membership store = ownStore();
    List<Placement> released = allocationsOn(id);
    for (Placement p : released) {
      unapply(p.allocationId());
    }
    store.removeNode(id);
    nodeFlags[id] = RETIRED;
    nodeVersion[id]++;
    version += released.size() + 1;
    cluster = store.cluster();
    return released;
  }

  /** The allocations on node {@code id}, sorted by allocation id. */
  List<Placement> allocationsOn(int id) {
    List<Placement> out = allocations.onNode(id);
    out.sort(Comparator.comparing(Placement::allocationId));
    return out;
  }

  boolean setCordoned(int id, boolean cordoned) {
    boolean now = (nodeFlags[id] & CORDONED) != 0;
    if (now == cordoned) {
      return false;
    }
    nodeFlags[id] = (byte) (cordoned ? nodeFlags[id] | CORDONED : nodeFlags[id] & ~CORDONED);
    nodeVersion[id]++;
    version++;
    return true;
  }

  boolean relabel(int id, Map<String, String> labels) {
    Node old = cluster.node(id);
    Node node = new Node(old.name(), labels, old.cpuMilli(), old.memoryMib(), old.gpus());
    if (node.labels().equals(old.labels())) {
      return false;
    }
    Membership store = ownStore();
    store.replaceNode(id, node);
    nodeVersion[id]++;
    version++;
    cluster = store.cluster();
    return true;
  }

  /** Validates a GPU index of live node {@code id} and returns the GPU id. */
  int gpuOf(int id, int gpuIndex) {
    return cluster.gpuId(id, gpuIndex);
  }

  boolean setGpuHealthy(int id, int gpu, boolean healthy) {
    if (gpuUnhealthy[gpu] != healthy) {
      return false;
    }
    gpuUnhealthy[gpu] = !healthy;
    if (gpuMode[gpu] == FREE) {
      nodeFreeWhole[id] += healthy ? 1 : -1;
    }
    nodeVersion[id]++;
    version++;
    return true;
  }

  /** The allocations holding a grant on GPU {@code gpuIndex} of node {@code id}, by id. */
  List<Placement> allocationsOnGpu(int id, int gpuIndex) {
    List<Placement> out = new ArrayList<>();
    for (Placement p : allocationsOn(id)) {
      for (GpuGrant g : p.grants()) {
        if (g.gpuIndex() == gpuIndex) {
          out.add(p);
          break;
        }
      }
    }
    return out;
  }

  private void expect(boolean ok, int gpu, String invariant) {
    if (!ok) {
      throw new LedgerCorruptionException(invariant + " (GPU id " + gpu + ")");
    }
  }

  /** "gpu 3 of node n1 holds 10/10 shares (split count)". */
  private String shareCapText(int node, int gpuIndex, int gpu) {
    return "gpu " + gpuIndex + " of node " + cluster.node(node).name() + " holds "
        + gpuGrants[gpu] + "/" + gpuMaxShares[gpu] + " shares (split count)";
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

  /**
   * Whether a share of {@code computeMilli} and {@code memoryMib} fits the GPU now: free or shared
   * mode, healthy, below its share cap, enough compute and memory left. The one predicate behind
   * {@link ClusterView#canShare} of the live ledger and of its snapshots.
   */
  boolean canShare(int gpuId, int computeMilli, int memoryMib) {
    byte m = gpuMode[gpuId];
    return (m == FREE || m == SHARED) && !gpuUnhealthy[gpuId]
        && gpuGrants[gpuId] < gpuMaxShares[gpuId]
        && 1000 - gpuUsedCompute[gpuId] >= computeMilli
        && gpuCapacityMem[gpuId] - gpuUsedMem[gpuId] >= memoryMib;
  }
}

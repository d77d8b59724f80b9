package io.gpualloc.core.testing;

import io.gpualloc.core.AllocationConflictException;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.GpuMode;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuallocException;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.MigProfile;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import io.gpualloc.core.UnknownGpuModelException;
import io.gpualloc.core.UnknownNodeException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * An obviously-correct model of {@code ClusterState}, written for clarity rather than speed. It
 * stores the live placements, and per node and per GPU the list of what each holds; every capacity
 * figure is recomputed from those lists (sums, never running counters), and a placement is accepted
 * exactly when the resulting set is <em>legal</em>:
 *
 * <ul>
 *   <li>every node's placements sum to at most its CPU and memory;
 *   <li>a GPU holds either one whole grant, or only shares (compute summing to at most 1000 milli,
 *       memory to at most its capacity), or only MIG instances (at valid start slots of its model's
 *       table, memory slices pairwise disjoint, compute slices within the model's, at most one
 *       {@code +me}); on a pre-partitioned GPU ({@code Gpu.isStaticMig()}) only MIG instances,
 *       each exactly one of its fixed layout's (profile and start slot).
 * </ul>
 *
 * <p>A pre-partitioned GPU is always in mode MIG (its instances exist whether used or not) and
 * never counts as a free whole GPU.
 *
 * <p>Accounting rules (what the ledger must report): a whole grant holds 1000 milli and all the
 * GPU's memory; a share holds what it asks; a MIG instance of {@code c} compute slices holds {@code
 * c * 1000 / computeSlices} milli and {@code min(profile memory, capacity * placementSize /
 * memorySlices)} MiB (its memory slices' share, never more than the profile's memory).
 *
 * <p>Membership is modelled as plainly: a list of node records by id (ids issued in order, never
 * reused; a removed record stays, flagged), each with its cordon flag and its GPUs' health, GPU ids
 * issued in order too. A placement on an id that is not a member's is an {@link
 * UnknownNodeException}; on a cordoned node, or with a grant on an unhealthy GPU, an {@link
 * AllocationConflictException}. An unhealthy GPU does not count as a free whole GPU.
 *
 * <p>Rejections are classified as the ledger documents them, in this order: an id already held is
 * an {@link AllocationConflictException}; then a node that is not a member is an {@link
 * UnknownNodeException}; then, grant by grant, a GPU that does not exist,
 * a share above the GPU's memory or an invalid start slot is an {@link InvalidSpecException} and a
 * MIG profile missing from the GPU's table an {@link UnknownGpuModelException}; anything else that
 * makes the set illegal is an {@link AllocationConflictException}.
 */
public final class ReferenceLedger {
  /** Node records by id, removed ones included. */
  private final List<Node> nodes = new ArrayList<>();
  private final List<Boolean> member = new ArrayList<>();
  private final List<Boolean> cordoned = new ArrayList<>();
  private final List<Integer> offset = new ArrayList<>();
  /** Per GPU id: node id and health. */
  private final List<Integer> gpuNode = new ArrayList<>();
  private final List<Boolean> unhealthy = new ArrayList<>();
  private int membershipVersion;
  private final TreeMap<String, Placement> live;
  private final Set<String> released;
  /** Per node id, the live placements on it. */
  private final List<List<Placement>> byNode;
  /** Per global GPU id, the live grants on it. */
  private final List<List<GpuGrant>> byGpu;

  /**
   * An empty ledger over {@code cluster}'s members, under their ids (a removed id of {@code cluster}
   * stays removed here); all nodes schedulable, all GPUs healthy.
   */
  public ReferenceLedger(Cluster cluster) {
    this.live = new TreeMap<>();
    this.released = new HashSet<>();
    this.byNode = new ArrayList<>();
    this.byGpu = new ArrayList<>();
    int lastRemoved = -1;
    for (int id = 0; id < cluster.nodeIdBound(); id++) {
      if (cluster.isLive(id)) {
        padGpus(cluster.gpuOffset(id), lastRemoved); // a removed node's GPU ids come before
        issue(cluster.node(id));
      } else {
        issue(Node.builder("removed-" + id).build()); // its GPUs are padded in
        member.set(id, false);
        lastRemoved = id;
      }
    }
    padGpus(cluster.gpuIdBound(), lastRemoved);
    membershipVersion = (int) cluster.membershipVersion();
  }

  /** GPU ids up to {@code bound} that belong to removed node {@code owner}. */
  private void padGpus(int bound, int owner) {
    while (gpuNode.size() < bound) {
      gpuNode.add(owner);
      unhealthy.add(false);
      byGpu.add(new ArrayList<>());
    }
  }

  private int issue(Node node) {
    int id = nodes.size();
    // ids and GPU ids are issued in order
    nodes.add(node);
    member.add(true);
    cordoned.add(false);
    offset.add(gpuNode.size());
    byNode.add(new ArrayList<>());
    for (int k = 0; k < node.gpuCount(); k++) {
      gpuNode.add(id);
      unhealthy.add(false);
      byGpu.add(new ArrayList<>());
    }
    return id;
  }

  /** An independent copy. */
  public ReferenceLedger copy() {
    ReferenceLedger c = new ReferenceLedger();
    c.nodes.addAll(nodes);
    c.member.addAll(member);
    c.cordoned.addAll(cordoned);
    c.offset.addAll(offset);
    c.gpuNode.addAll(gpuNode);
    c.unhealthy.addAll(unhealthy);
    for (int i = 0; i < nodes.size(); i++) {
      c.byNode.add(new ArrayList<>());
    }
    for (int k = 0; k < gpuNode.size(); k++) {
      c.byGpu.add(new ArrayList<>());
    }
    c.membershipVersion = membershipVersion;
    for (Placement p : live.values()) {
      c.record(p);
    }
    c.released.addAll(released);
    return c;
  }

  private ReferenceLedger() {
    this.live = new TreeMap<>();
    this.released = new HashSet<>();
    this.byNode = new ArrayList<>();
    this.byGpu = new ArrayList<>();
  }

  // ---- membership -----------------------------------------------------------------------------

  /** One more than the largest node id issued. */
  public int nodeIdBound() {
    return nodes.size();
  }

  /** One more than the largest GPU id issued. */
  public int gpuIdBound() {
    return gpuNode.size();
  }

  /** Whether {@code id} is a member's id. */
  public boolean isLive(int id) {
    return id >= 0 && id < nodes.size() && member.get(id);
  }

  /** Whether member {@code id} is cordoned. */
  public boolean isCordoned(int id) {
    return cordoned.get(id);
  }

  /** Whether GPU {@code gpu} is healthy. */
  public boolean isHealthy(int gpu) {
    return !unhealthy.get(gpu);
  }

  /** The node record of {@code id} (a removed one's too). */
  public Node node(int id) {
    return nodes.get(id);
  }

  /** The membership version: one per add, remove and relabel that changed something. */
  public int membershipVersion() {
    return membershipVersion;
  }

  /** The member's id of this name, or -1. */
  public int liveId(String name) {
    for (int id = nodes.size() - 1; id >= 0; id--) {
      if (member.get(id) && nodes.get(id).name().equals(name)) {
        return id;
      }
    }
    return -1;
  }

  /** The member names, by ascending id. */
  public List<String> liveNames() {
    List<String> out = new ArrayList<>();
    for (int id = 0; id < nodes.size(); id++) {
      if (member.get(id)) {
        out.add(nodes.get(id).name());
      }
    }
    return out;
  }

  /** The global id of GPU {@code index} of node {@code id}. */
  public int gpuId(int id, int index) {
    return offset.get(id) + index;
  }

  /** The node id of GPU {@code gpu}. */
  public int nodeOfGpu(int gpu) {
    return gpuNode.get(gpu);
  }

  private GpuModel model(int gpu) {
    int n = gpuNode.get(gpu);
    return nodes.get(n).gpu(gpu - offset.get(n)).model();
  }

  /** Why {@code addNode(node)} must fail, or null. */
  public @Nullable Class<? extends GpuallocException> addRejection(Node node) {
    if (liveId(node.name()) >= 0) {
      return InvalidSpecException.class;
    }
    Set<String> uuids = new HashSet<>();
    for (int k = 0; k < gpuNode.size(); k++) {
      if (member.get(gpuNode.get(k))) {
        uuids.add(nodes.get(gpuNode.get(k)).gpu(k - offset.get(gpuNode.get(k))).uuid());
      }
    }
    for (int k = 0; k < node.gpuCount(); k++) {
      if (!uuids.add(node.gpu(k).uuid())) {
        return InvalidSpecException.class;
      }
    }
    return null;
  }

  /** Adds a node that {@link #addRejection} accepts; returns its id. */
  public int addNode(Node node) {
    if (addRejection(node) != null) {
      throw new AssertionError("reference: addNode of a rejected node " + node);
    }
    membershipVersion++;
    return issue(node);
  }

  /** Removes member {@code id} and returns its placements, released, sorted by id. */
  public List<Placement> removeNode(int id) {
    List<Placement> out = new ArrayList<>(byNode.get(id));
    out.sort(java.util.Comparator.comparing(Placement::allocationId));
    for (Placement p : out) {
      release(p.allocationId());
    }
    member.set(id, false);
    cordoned.set(id, false);
    membershipVersion++;
    return out;
  }

  /** Sets member {@code id}'s cordon; whether it changed. */
  public boolean setCordoned(int id, boolean on) {
    boolean changed = cordoned.get(id) != on;
    cordoned.set(id, on);
    return changed;
  }

  /** Replaces member {@code id}'s labels; whether they changed. */
  public boolean relabel(int id, Map<String, String> labels) {
    Node old = nodes.get(id);
    Node node = new Node(old.name(), labels, old.cpuMilli(), old.memoryMib(), old.gpus());
    if (node.equals(old)) {
      return false;
    }
    nodes.set(id, node);
    membershipVersion++;
    return true;
  }

  /** Sets GPU {@code index} of member {@code id} healthy or not; whether it changed. */
  public boolean setHealthy(int id, int index, boolean healthy) {
    int gpu = gpuId(id, index);
    boolean changed = unhealthy.get(gpu) == healthy;
    unhealthy.set(gpu, !healthy);
    return changed;
  }

  /** The placements with a grant on GPU {@code index} of node {@code id}, sorted by id. */
  public List<Placement> onGpu(int id, int index) {
    List<Placement> out = new ArrayList<>();
    for (Placement p : byNode.get(id)) {
      if (p.grants().stream().anyMatch(g -> g.gpuIndex() == index)) {
        out.add(p);
      }
    }
    out.sort(java.util.Comparator.comparing(Placement::allocationId));
    return out;
  }

  /** The placements on node {@code id}, sorted by id. */
  public List<Placement> onNode(int id) {
    List<Placement> out = new ArrayList<>(byNode.get(id));
    out.sort(java.util.Comparator.comparing(Placement::allocationId));
    return out;
  }

  /** The live placements by id, in id order (read-only). */
  public Map<String, Placement> live() {
    return Collections.unmodifiableMap(live);
  }

  /** Ids released at some point and not live now, sorted. */
  public List<String> releasedNotLive() {
    List<String> out = new ArrayList<>();
    for (String id : released) {
      if (!live.containsKey(id)) {
        out.add(id);
      }
    }
    Collections.sort(out);
    return out;
  }

  // ---- acceptance -----------------------------------------------------------------------------

  /** Why {@code p} would be rejected now, or null when the ledger must accept it. */
  public @Nullable Class<? extends GpuallocException> rejection(Placement p) {
    if (live.containsKey(p.allocationId())) {
      return AllocationConflictException.class;
    }
    Class<? extends GpuallocException> shape = shapeError(p);
    if (shape != null) {
      return shape;
    }
    if (cordoned.get(p.nodeId())) {
      return AllocationConflictException.class;
    }
    // Adding p changes only its node and the GPUs it names; check exactly those.
    Node node = nodes.get(p.nodeId());
    long cpu = p.cpuMilli();
    long memory = p.memoryMib();
    for (Placement q : byNode.get(p.nodeId())) {
      cpu += q.cpuMilli();
      memory += q.memoryMib();
    }
    if (cpu > node.cpuMilli() || memory > node.memoryMib()) {
      return AllocationConflictException.class;
    }
    for (GpuGrant g : p.grants()) {
      int gpu = gpuId(p.nodeId(), g.gpuIndex());
      if (unhealthy.get(gpu)) {
        return AllocationConflictException.class;
      }
      List<GpuGrant> after = new ArrayList<>(byGpu.get(gpu));
      for (GpuGrant mine : p.grants()) {
        if (mine.gpuIndex() == g.gpuIndex()) {
          after.add(mine);
        }
      }
      if (!gpuIsLegal(gpu, after)) {
        return AllocationConflictException.class;
      }
    }
    return null;
  }

  /** Why {@code gang} would be rejected now as one {@code allocateAll}, or null. */
  public @Nullable Class<? extends GpuallocException> rejectionAll(List<Placement> gang) {
    Set<String> ids = new HashSet<>();
    for (Placement p : gang) {
      if (!ids.add(p.allocationId())) {
        return AllocationConflictException.class;
      }
    }
    List<Placement> done = new ArrayList<>();
    Class<? extends GpuallocException> why = null;
    for (Placement p : gang) {
      why = rejection(p);
      if (why != null) {
        break;
      }
      record(p);
      done.add(p);
    }
    for (Placement p : done) {
      forget(p);
    }
    return why;
  }

  private @Nullable Class<? extends GpuallocException> shapeError(Placement p) {
    if (!isLive(p.nodeId())) {
      return UnknownNodeException.class;
    }
    Node node = nodes.get(p.nodeId());
    for (GpuGrant g : p.grants()) {
      if (g.gpuIndex() >= node.gpuCount()) {
        return InvalidSpecException.class;
      }
      GpuModel model = node.gpu(g.gpuIndex()).model();
      if (g instanceof GpuGrant.Share s && s.memoryMib() > model.memoryMib()) {
        return InvalidSpecException.class;
      }
      if (g instanceof GpuGrant.Mig m) {
        MigProfile profile = profile(model, m.profile());
        if (profile == null) {
          return UnknownGpuModelException.class;
        }
        if (!profile.startSlots().contains(m.startSlot())) {
          return InvalidSpecException.class;
        }
      }
    }
    return null;
  }

  private static @Nullable MigProfile profile(GpuModel model, String name) {
    for (MigProfile p : model.migProfiles()) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    return null;
  }

  /** Whether the whole live set obeys every capacity and exclusivity rule. */
  public boolean isLegal() {
    for (int n = 0; n < nodes.size(); n++) {
      if (usedCpu(n) > nodes.get(n).cpuMilli() || usedMemory(n) > nodes.get(n).memoryMib()) {
        return false;
      }
    }
    for (int gpu = 0; gpu < gpuNode.size(); gpu++) {
      if (!gpuIsLegal(gpu, byGpu.get(gpu))) {
        return false;
      }
    }
    return true;
  }

  private boolean gpuIsLegal(int gpu, List<GpuGrant> grants) {
    GpuModel model = model(gpu);
    io.gpualloc.core.MigLayout fixed = fixedLayout(gpu);
    if (fixed != null) {
      for (GpuGrant g : grants) {
        if (!(g instanceof GpuGrant.Mig m)) {
          return false;
        }
        MigProfile p = profile(model, m.profile());
        if (p == null || !fixed.instances().contains(
            new io.gpualloc.core.MigInstance(p, m.startSlot()))) {
          return false;
        }
      }
    }
    int wholes = 0;
    int shares = 0;
    int migs = 0;
    int compute = 0;
    long memory = 0;
    int migSlices = 0;
    int me = 0;
    int mask = 0;
    for (GpuGrant g : grants) {
      if (g instanceof GpuGrant.Whole) {
        wholes++;
      } else if (g instanceof GpuGrant.Share s) {
        shares++;
        compute += s.computeMilli();
        memory += s.memoryMib();
      } else {
        GpuGrant.Mig m = (GpuGrant.Mig) g;
        migs++;
        MigProfile p = profile(model, m.profile());
        if (p == null || !p.startSlots().contains(m.startSlot())) {
          return false;
        }
        int instance = ((1 << p.placementSize()) - 1) << m.startSlot();
        if ((mask & instance) != 0) {
          return false;
        }
        mask |= instance;
        migSlices += p.computeSlices();
        me += p.mediaExtension() ? 1 : 0;
      }
    }
    if (wholes > 0) {
      return grants.size() == 1;
    }
    if (shares > 0 && migs > 0) {
      return false;
    }
    if (shares > maxShares(gpu)) {
      return false; // the GPU's split count: at most that many shares at once
    }
    return compute <= 1000 && memory <= model.memoryMib()
        && migSlices <= model.migComputeSlices() && me <= 1;
  }

  // ---- mutation -------------------------------------------------------------------------------

  /** Records {@code p}; fails when {@link #rejection} says it must be rejected. */
  public void allocate(Placement p) {
    if (rejection(p) != null) {
      throw new AssertionError("reference: allocate of a rejected placement " + p);
    }
    record(p);
  }

  /** Removes the live placement {@code id} and returns it. */
  public Placement release(String id) {
    Placement p = live.get(id);
    if (p == null) {
      throw new AssertionError("reference: release of unknown id " + id);
    }
    forget(p);
    released.add(id);
    return p;
  }

  private void record(Placement p) {
    live.put(p.allocationId(), p);
    byNode.get(p.nodeId()).add(p);
    for (GpuGrant g : p.grants()) {
      byGpu.get(gpuId(p.nodeId(), g.gpuIndex())).add(g);
    }
  }

  private void forget(Placement p) {
    live.remove(p.allocationId());
    byNode.get(p.nodeId()).remove(p);
    for (GpuGrant g : p.grants()) {
      byGpu.get(gpuId(p.nodeId(), g.gpuIndex())).remove(g);
    }
  }

  // ---- reads (recomputed from the lists every time) -------------------------------------------

  /** The grants on global GPU {@code gpu} (read-only). */
  public List<GpuGrant> grantsOn(int gpu) {
    return Collections.unmodifiableList(byGpu.get(gpu));
  }

  /** CPU held on node {@code n}. */
  public long usedCpu(int n) {
    long s = 0;
    for (Placement p : byNode.get(n)) {
      s += p.cpuMilli();
    }
    return s;
  }

  /** Host memory held on node {@code n}. */
  public long usedMemory(int n) {
    long s = 0;
    for (Placement p : byNode.get(n)) {
      s += p.memoryMib();
    }
    return s;
  }

  /** The share cap of GPU {@code gpu} ({@link io.gpualloc.core.Gpu#maxShares()}). */
  public int maxShares(int gpu) {
    int n = gpuNode.get(gpu);
    if (n < 0 || gpu - offset.get(n) >= nodes.get(n).gpuCount()) {
      return io.gpualloc.core.Gpu.UNLIMITED_SHARES; // a removed node's GPU
    }
    return nodes.get(n).gpu(gpu - offset.get(n)).maxShares();
  }

  /** The fixed layout of GPU {@code gpu}, or null when it is dynamic. */
  private io.gpualloc.core.@Nullable MigLayout fixedLayout(int gpu) {
    int n = gpuNode.get(gpu);
    if (n < 0 || gpu - offset.get(n) >= nodes.get(n).gpuCount()) {
      return null; // a removed node's GPU
    }
    return nodes.get(n).gpu(gpu - offset.get(n)).fixedMigLayout();
  }

  /** The mode GPU {@code gpu} must be in. */
  public GpuMode mode(int gpu) {
    List<GpuGrant> grants = byGpu.get(gpu);
    if (grants.isEmpty()) {
      return fixedLayout(gpu) != null ? GpuMode.MIG : GpuMode.FREE;
    }
    GpuGrant g = grants.get(0);
    return g instanceof GpuGrant.Whole ? GpuMode.WHOLE
        : g instanceof GpuGrant.Share ? GpuMode.SHARED : GpuMode.MIG;
  }

  /** Compute held on GPU {@code gpu}, in milli-GPU. */
  public int usedCompute(int gpu) {
    GpuModel model = model(gpu);
    int s = 0;
    for (GpuGrant g : byGpu.get(gpu)) {
      if (g instanceof GpuGrant.Whole) {
        s += 1000;
      } else if (g instanceof GpuGrant.Share sh) {
        s += sh.computeMilli();
      } else {
        s += profile(model, ((GpuGrant.Mig) g).profile()).computeSlices() * 1000
            / model.migComputeSlices();
      }
    }
    return s;
  }

  /** What one MIG instance of {@code p} holds of {@code model}'s memory, in MiB. */
  public static int migMemoryMib(GpuModel model, MigProfile p) {
    return Math.min(p.memoryMib(),
        (int) ((long) model.memoryMib() * p.placementSize() / model.migMemorySlices()));
  }

  /** Memory held on GPU {@code gpu}, in MiB. */
  public int usedGpuMemory(int gpu) {
    GpuModel model = model(gpu);
    int s = 0;
    for (GpuGrant g : byGpu.get(gpu)) {
      if (g instanceof GpuGrant.Whole) {
        s += model.memoryMib();
      } else if (g instanceof GpuGrant.Share sh) {
        s += sh.memoryMib();
      } else {
        s += migMemoryMib(model, profile(model, ((GpuGrant.Mig) g).profile()));
      }
    }
    return s;
  }

  /** The memory-slice occupancy of GPU {@code gpu}'s MIG instances. */
  public int migMask(int gpu) {
    GpuModel model = model(gpu);
    int mask = 0;
    for (GpuGrant g : byGpu.get(gpu)) {
      if (g instanceof GpuGrant.Mig m) {
        mask |= ((1 << profile(model, m.profile()).placementSize()) - 1) << m.startSlot();
      }
    }
    return mask;
  }

  /**
   * Whether one share of {@code computeMilli} and {@code memoryMib} could be added to GPU {@code
   * gpu} (its share cap included), judged by the same legality rule as placements.
   */
  public boolean canShare(int gpu, int computeMilli, int memoryMib) {
    if (unhealthy.get(gpu) || fixedLayout(gpu) != null) {
      return false;
    }
    List<GpuGrant> grants = new ArrayList<>(byGpu.get(gpu));
    grants.add(GpuGrant.share(gpu - offset.get(gpuNode.get(gpu)), computeMilli, memoryMib));
    return gpuIsLegal(gpu, grants);
  }

  /** Whether an instance of {@code profile} at {@code start} could be added to GPU {@code gpu}. */
  public boolean canPlaceMig(int gpu, MigProfile profile, int start) {
    GpuModel model = model(gpu);
    if (unhealthy.get(gpu)) {
      return false;
    }
    if (!model.migProfiles().contains(profile) || !profile.startSlots().contains(start)) {
      return false;
    }
    // the probe takes no CPU or memory and touches only this GPU: only its legality can change
    List<GpuGrant> grants = new ArrayList<>(byGpu.get(gpu));
    grants.add(GpuGrant.mig(gpu - offset.get(gpuNode.get(gpu)), profile.name(), start));
    return gpuIsLegal(gpu, grants);
  }

  /**
   * Everything a {@code ClusterView} of this ledger must read, minus the version counters; removed
   * ids read as {@link ViewState#ABSENT}.
   */
  public ViewState expected() {
    int n = nodes.size();
    int g = gpuNode.size();
    int[] freeCpu = new int[n];
    int[] freeMem = new int[n];
    int[] freeWhole = new int[n];
    byte[] nodeFlags = new byte[n];
    GpuMode[] mode = new GpuMode[g];
    boolean[] healthy = new boolean[g];
    int[] freeCompute = new int[g];
    int[] freeGpuMem = new int[g];
    int[] migMask = new int[g];
    int[] grants = new int[g];
    for (int i = 0; i < n; i++) {
      if (!member.get(i)) {
        freeCpu[i] = freeMem[i] = freeWhole[i] = ViewState.ABSENT;
        nodeFlags[i] = ViewState.REMOVED;
        continue;
      }
      nodeFlags[i] = cordoned.get(i) ? ViewState.CORDONED : 0;
      freeCpu[i] = (int) (nodes.get(i).cpuMilli() - usedCpu(i));
      freeMem[i] = (int) (nodes.get(i).memoryMib() - usedMemory(i));
    }
    for (int k = 0; k < g; k++) {
      if (!member.get(gpuNode.get(k))) {
        freeCompute[k] = freeGpuMem[k] = migMask[k] = grants[k] = ViewState.ABSENT;
        continue;
      }
      mode[k] = mode(k);
      healthy[k] = !unhealthy.get(k);
      if (mode[k] == GpuMode.FREE && healthy[k]) {
        freeWhole[gpuNode.get(k)]++;
      }
      freeCompute[k] = 1000 - usedCompute(k);
      freeGpuMem[k] = model(k).memoryMib() - usedGpuMemory(k);
      migMask[k] = migMask(k);
      grants[k] = byGpu.get(k).size();
    }
    return new ViewState(freeCpu, freeMem, freeWhole, nodeFlags, mode, healthy, freeCompute,
        freeGpuMem, migMask, grants, live.size());
  }
}

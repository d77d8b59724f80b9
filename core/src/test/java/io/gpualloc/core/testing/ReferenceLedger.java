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
 *       {@code +me}).
 * </ul>
 *
 * <p>Accounting rules (what the ledger must report): a whole grant holds 1000 milli and all the
 * GPU's memory; a share holds what it asks; a MIG instance of {@code c} compute slices holds {@code
 * c * 1000 / computeSlices} milli and {@code min(profile memory, capacity * placementSize /
 * memorySlices)} MiB (its memory slices' share, never more than the profile's memory).
 *
 * <p>Rejections are classified as the ledger documents them, in this order: an id already held is
 * an {@link AllocationConflictException}; then, grant by grant, a node or GPU that does not exist,
 * a share above the GPU's memory or an invalid start slot is an {@link InvalidSpecException} and a
 * MIG profile missing from the GPU's table an {@link UnknownGpuModelException}; anything else that
 * makes the set illegal is an {@link AllocationConflictException}.
 */
public final class ReferenceLedger {
  private final Cluster cluster;
  private final TreeMap<String, Placement> live;
  private final Set<String> released;
  /** Per node id, the live placements on it. */
  private final List<List<Placement>> byNode;
  /** Per global GPU id, the live grants on it. */
  private final List<List<GpuGrant>> byGpu;

  /** An empty ledger over {@code cluster}. */
  public ReferenceLedger(Cluster cluster) {
    this.cluster = cluster;
    this.live = new TreeMap<>();
    this.released = new HashSet<>();
    this.byNode = new ArrayList<>();
    this.byGpu = new ArrayList<>();
    for (int n = 0; n < cluster.nodeCount(); n++) {
      byNode.add(new ArrayList<>());
    }
    for (int k = 0; k < cluster.gpuCount(); k++) {
      byGpu.add(new ArrayList<>());
    }
  }

  /** An independent copy. */
  public ReferenceLedger copy() {
    ReferenceLedger c = new ReferenceLedger(cluster);
    for (Placement p : live.values()) {
      c.record(p);
    }
    c.released.addAll(released);
    return c;
  }

  /** The cluster. */
  public Cluster cluster() {
    return cluster;
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
    // Adding p changes only its node and the GPUs it names; check exactly those.
    Node node = cluster.node(p.nodeId());
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
      int gpu = cluster.gpuId(p.nodeId(), g.gpuIndex());
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
    if (p.nodeId() >= cluster.nodeCount()) {
      return InvalidSpecException.class;
    }
    Node node = cluster.node(p.nodeId());
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
    for (int n = 0; n < cluster.nodeCount(); n++) {
      if (usedCpu(n) > cluster.node(n).cpuMilli() || usedMemory(n) > cluster.node(n).memoryMib()) {
        return false;
      }
    }
    for (int gpu = 0; gpu < cluster.gpuCount(); gpu++) {
      if (!gpuIsLegal(gpu, byGpu.get(gpu))) {
        return false;
      }
    }
    return true;
  }

  private boolean gpuIsLegal(int gpu, List<GpuGrant> grants) {
    GpuModel model = cluster.gpu(gpu).model();
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
      byGpu.get(cluster.gpuId(p.nodeId(), g.gpuIndex())).add(g);
    }
  }

  private void forget(Placement p) {
    live.remove(p.allocationId());
    byNode.get(p.nodeId()).remove(p);
    for (GpuGrant g : p.grants()) {
      byGpu.get(cluster.gpuId(p.nodeId(), g.gpuIndex())).remove(g);
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

  /** The mode GPU {@code gpu} must be in. */
  public GpuMode mode(int gpu) {
    List<GpuGrant> grants = byGpu.get(gpu);
    if (grants.isEmpty()) {
      return GpuMode.FREE;
    }
    GpuGrant g = grants.get(0);
    return g instanceof GpuGrant.Whole ? GpuMode.WHOLE
        : g instanceof GpuGrant.Share ? GpuMode.SHARED : GpuMode.MIG;
  }

  /** Compute held on GPU {@code gpu}, in milli-GPU. */
  public int usedCompute(int gpu) {
    GpuModel model = cluster.gpu(gpu).model();
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
    GpuModel model = cluster.gpu(gpu).model();
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
    GpuModel model = cluster.gpu(gpu).model();
    int mask = 0;
    for (GpuGrant g : byGpu.get(gpu)) {
      if (g instanceof GpuGrant.Mig m) {
        mask |= ((1 << profile(model, m.profile()).placementSize()) - 1) << m.startSlot();
      }
    }
    return mask;
  }

  /** Whether an instance of {@code profile} at {@code start} could be added to GPU {@code gpu}. */
  public boolean canPlaceMig(int gpu, MigProfile profile, int start) {
    GpuModel model = cluster.gpu(gpu).model();
    if (!model.migProfiles().contains(profile) || !profile.startSlots().contains(start)) {
      return false;
    }
    // the probe takes no CPU or memory and touches only this GPU: only its legality can change
    List<GpuGrant> grants = new ArrayList<>(byGpu.get(gpu));
    grants.add(GpuGrant.mig(gpu - cluster.gpuOffset(cluster.nodeOfGpu(gpu)), profile.name(), start));
    return gpuIsLegal(gpu, grants);
  }

  /** Everything a {@code ClusterView} of this ledger must read, minus the version counters. */
  public ViewState expected() {
    int n = cluster.nodeCount();
    int g = cluster.gpuCount();
    int[] freeCpu = new int[n];
    int[] freeMem = new int[n];
    int[] freeWhole = new int[n];
    GpuMode[] mode = new GpuMode[g];
    int[] freeCompute = new int[g];
    int[] freeGpuMem = new int[g];
    int[] migMask = new int[g];
    int[] grants = new int[g];
    for (int i = 0; i < n; i++) {
      freeCpu[i] = (int) (cluster.node(i).cpuMilli() - usedCpu(i));
      freeMem[i] = (int) (cluster.node(i).memoryMib() - usedMemory(i));
    }
    for (int k = 0; k < g; k++) {
      mode[k] = mode(k);
      if (mode[k] == GpuMode.FREE) {
        freeWhole[cluster.nodeOfGpu(k)]++;
      }
      freeCompute[k] = 1000 - usedCompute(k);
      freeGpuMem[k] = cluster.gpu(k).model().memoryMib() - usedGpuMemory(k);
      migMask[k] = migMask(k);
      grants[k] = byGpu.get(k).size();
    }
    return new ViewState(freeCpu, freeMem, freeWhole, mode, freeCompute, freeGpuMem, migMask,
        grants, live.size());
  }
}

package io.gpualloc.binpack.gang.internal;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterView;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.GpuMode;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.MigProfile;
import io.gpualloc.core.Placement;
import java.util.ArrayList;
import java.util.List;

/**
 * A view of a base view plus tentative placements, for one search: the members chosen so far are
 * applied here (never to the base) and can be rolled back to a mark. Answers every read as the
 * ledger would after recording the tentative placements. Not thread-safe; lives for one call.
 */
final class Overlay implements ClusterView {
  private final ClusterView base;
  private final Cluster cluster;
  private final int[] cpu;
  private final int[] mem;
  private final int[] takenFree; // base-FREE healthy GPUs the overlay took, per node
  private final int[] grants;
  private final boolean[] whole;
  private final int[] compute;
  private final int[] memory;
  private final int[] migMask;
  private final int[] migSlices;
  private final int[] migMe;
  private final List<Placement> log = new ArrayList<>();
  private final boolean[] hidden;

  Overlay(ClusterView base) {
    this.base = base;
    this.cluster = base.cluster();
    int n = cluster.nodeIdBound();
    int g = cluster.gpuIdBound();
    cpu = new int[n];
    mem = new int[n];
    takenFree = new int[n];
    grants = new int[g];
    whole = new boolean[g];
    compute = new int[g];
    memory = new int[g];
    migMask = new int[g];
    migSlices = new int[g];
    migMe = new int[g];
    hidden = new boolean[n];
  }

  /** Makes a node unschedulable in this view (a reservation keeps others off it). */
  void hide(int nodeId) {
    hidden[nodeId] = true;
  }

  /** Makes every node schedulable again as in the base. */
  void unhideAll() {
    java.util.Arrays.fill(hidden, false);
  }

  ClusterView base() {
    return base;
  }

  /** The number of placements applied (a mark for {@link #rollback}). */
  int mark() {
    return log.size();
  }

  /** Undoes placements applied after {@code mark}, last first. */
  void rollback(int mark) {
    while (log.size() > mark) {
      change(log.remove(log.size() - 1), -1);
    }
  }

  /** Applies a placement (its grants must fit; the caller chose them on this view). */
  void apply(Placement p) {
    log.add(p);
    change(p, 1);
  }

  private void change(Placement p, int sign) {
    int node = p.nodeId();
    cpu[node] += sign * p.cpuMilli();
    mem[node] += sign * p.memoryMib();
    int off = cluster.gpuOffset(node);
    for (GpuGrant gr : p.grants()) {
      int g = off + gr.gpuIndex();
      if (sign > 0 && grants[g] == 0 && base.canTakeWhole(g)) {
        takenFree[node]++;
      }
      grants[g] += sign;
      if (sign < 0 && grants[g] == 0 && base.canTakeWhole(g)) {
        takenFree[node]--;
      }
      if (gr instanceof GpuGrant.Whole) {
        whole[g] = sign > 0;
      } else if (gr instanceof GpuGrant.Share s) {
        compute[g] += sign * s.computeMilli();
        memory[g] += sign * s.memoryMib();
      } else {
        GpuGrant.Mig m = (GpuGrant.Mig) gr;
        GpuModel model = cluster.gpu(g).model();
        MigProfile profile = model.migProfile(m.profile());
        int mask = profile.mask(m.startSlot());
        migMask[g] = sign > 0 ? migMask[g] | mask : migMask[g] & ~mask;
        migSlices[g] += sign * profile.computeSlices();
        migMe[g] += profile.mediaExtension() ? sign : 0;
        compute[g] += sign * model.migComputeMilli(profile);
        memory[g] += sign * model.migMemoryMib(profile);
      }
    }
  }

  @Override
  public Cluster cluster() {
    return cluster;
  }

  @Override
  public int freeCpuMilli(int nodeId) {
    return base.freeCpuMilli(nodeId) - cpu[nodeId];
  }

  @Override
  public int freeMemoryMib(int nodeId) {
    return base.freeMemoryMib(nodeId) - mem[nodeId];
  }

  @Override
  public int freeWholeGpus(int nodeId) {
    return base.freeWholeGpus(nodeId) - takenFree[nodeId];
  }

  @Override
  public boolean isSchedulable(int nodeId) {
    return base.isSchedulable(nodeId) && !hidden[nodeId];
  }

  @Override
  public boolean isCordoned(int nodeId) {
    return base.isCordoned(nodeId);
  }

  @Override
  public boolean isGpuHealthy(int gpuId) {
    return base.isGpuHealthy(gpuId);
  }

  @Override
  public GpuMode gpuMode(int gpuId) {
    if (grants[gpuId] == 0) {
      return base.gpuMode(gpuId);
    }
    if (whole[gpuId]) {
      return GpuMode.WHOLE;
    }
    return migSlices[gpuId] > 0 ? GpuMode.MIG : GpuMode.SHARED;
  }

  @Override
  public int gpuFreeComputeMilli(int gpuId) {
    return whole[gpuId] ? 0 : base.gpuFreeComputeMilli(gpuId) - compute[gpuId];
  }

  @Override
  public int gpuFreeMemoryMib(int gpuId) {
    return whole[gpuId] ? 0 : base.gpuFreeMemoryMib(gpuId) - memory[gpuId];
  }

  @Override
  public int gpuMigOccupancy(int gpuId) {
    return base.gpuMigOccupancy(gpuId) | migMask[gpuId];
  }

  @Override
  public int gpuGrantCount(int gpuId) {
    return base.gpuGrantCount(gpuId) + grants[gpuId];
  }

  @Override
  public int gpuMaxShares(int gpuId) {
    return base.gpuMaxShares(gpuId);
  }

  @Override
  public boolean canPlaceMig(int gpuId, MigProfile profile, int startSlot) {
    if (!base.canPlaceMig(gpuId, profile, startSlot)) {
      return false;
    }
    if (grants[gpuId] == 0) {
      return true;
    }
    if (whole[gpuId] || migSlices[gpuId] == 0) {
      return false; // the overlay made it whole or shared
    }
    GpuModel model = cluster.gpu(gpuId).model();
    int baseSlices = 0;
    if (base.gpuMode(gpuId) == GpuMode.MIG) {
      int usedMilli = 1000 - base.gpuFreeComputeMilli(gpuId);
      baseSlices = (int) Math.ceil(usedMilli * (double) model.migComputeSlices() / 1000.0 - 1e-9);
    }
    return (migMask[gpuId] & profile.mask(startSlot)) == 0
        && baseSlices + migSlices[gpuId] + profile.computeSlices() <= model.migComputeSlices()
        && !(profile.mediaExtension() && migMe[gpuId] > 0);
  }

  @Override
  public int allocationCount() {
    return base.allocationCount() + log.size();
  }

  @Override
  public long version() {
    return base.version();
  }

  @Override
  public int nodeVersion(int nodeId) {
    return base.nodeVersion(nodeId);
  }
}

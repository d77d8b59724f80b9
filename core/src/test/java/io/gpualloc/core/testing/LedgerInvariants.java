package io.gpualloc.core.testing;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.ClusterView;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.GpuMode;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.MigProfile;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ledger's invariants as named checks. Each check throws an {@link AssertionError} whose
 * message starts with the invariant's name, so that a failing property says which rule broke.
 *
 * <ol>
 *   <li>{@link #capacityWithinBounds}: no GPU over 1000 milli or its memory, no node over its CPU
 *       or memory, free counts never negative.
 *   <li>{@link #oneModePerGpu}: a GPU is exactly one of FREE / WHOLE / SHARED / MIG and its other
 *       figures agree with that mode; a node's free whole GPUs are its FREE GPUs.
 *   <li>{@link #migLayoutsValid}: live MIG instances sit at valid start slots, never overlap, keep
 *       within the model's compute slices and hold at most one {@code +me}; whole grants are alone
 *       on their GPU.
 *   <li>{@link #matchesReference}: every read equals the reference model's.
 * </ol>
 */
public final class LedgerInvariants {
  private LedgerInvariants() {}

  /** Checks every invariant of a live ledger against a reference rebuilt from its allocations. */
  public static void checkAll(ClusterState state) {
    TreeMap<String, Placement> live = new TreeMap<>();
    for (Placement p : state.allocations()) {
      live.put(p.allocationId(), p);
    }
    ReferenceLedger ref = new ReferenceLedger(state.cluster());
    for (Placement p : live.values()) {
      if (ref.rejection(p) != null) {
        throw new AssertionError("LEGAL_ALLOCATION_SET: the ledger holds " + p
            + ", which the reference rejects (" + ref.rejection(p).getSimpleName() + ")");
      }
      ref.allocate(p);
    }
    ViewState actual = ViewState.of(state);
    checkView(state.cluster(), actual);
    migLayoutsValid(state.cluster(), live.values());
    matchesReference(actual, ref);
  }

  /** The invariants a view must satisfy on its own (usable on snapshots). */
  public static void checkView(Cluster cluster, ViewState s) {
    capacityWithinBounds(cluster, s);
    oneModePerGpu(cluster, s);
  }

  /** Invariant 1a: capacity never exceeded, never negative. */
  public static void capacityWithinBounds(Cluster cluster, ViewState s) {
    for (int n = 0; n < cluster.nodeCount(); n++) {
      Node node = cluster.node(n);
      within("node " + n, "freeCpuMilli", s.freeCpu(n), node.cpuMilli());
      within("node " + n, "freeMemoryMib", s.freeMemory(n), node.memoryMib());
      within("node " + n, "freeWholeGpus", s.freeWholeGpus(n), node.gpuCount());
    }
    for (int k = 0; k < cluster.gpuCount(); k++) {
      within("gpu", k, "gpuFreeComputeMilli", s.freeCompute(k), 1000);
      within("gpu", k, "gpuFreeMemoryMib", s.freeGpuMemory(k), cluster.gpu(k).model().memoryMib());
    }
  }

  /** Invariant 1b: exactly one mode per GPU, and the GPU's other figures agree with it. */
  public static void oneModePerGpu(Cluster cluster, ViewState s) {
    int[] freeGpus = new int[cluster.nodeCount()];
    for (int k = 0; k < cluster.gpuCount(); k++) {
      GpuMode mode = s.mode(k);
      int cap = cluster.gpu(k).model().memoryMib();
      int grants = s.grantCount(k);
      int mask = s.migOccupancy(k);
      String rule = switch (mode) {
        case FREE -> grants == 0 && mask == 0 && s.freeCompute(k) == 1000
            && s.freeGpuMemory(k) == cap ? null : "a FREE GPU holds nothing";
        case WHOLE -> grants == 1 && mask == 0 && s.freeCompute(k) == 0 && s.freeGpuMemory(k) == 0
            ? null : "a WHOLE GPU holds exactly one grant, all of it";
        case SHARED -> grants >= 1 && mask == 0
            ? null : "a SHARED GPU holds shares and no MIG instance";
        case MIG -> grants >= 1 && mask != 0 && cluster.gpu(k).model().supportsMig()
            && Integer.bitCount(mask) <= cluster.gpu(k).model().migMemorySlices()
            ? null : "a MIG GPU holds instances within its memory slices";
      };
      if (rule != null) {
        throw new AssertionError("ONE_MODE_PER_GPU gpu " + k + " (" + mode + ", " + grants
            + " grants, mask " + Integer.toBinaryString(mask) + ", free " + s.freeCompute(k)
            + "m/" + s.freeGpuMemory(k) + "MiB): " + rule);
      }
      if (mode == GpuMode.FREE) {
        freeGpus[cluster.nodeOfGpu(k)]++;
      }
    }
    for (int n = 0; n < cluster.nodeCount(); n++) {
      if (freeGpus[n] != s.freeWholeGpus(n)) {
        throw new AssertionError("ONE_MODE_PER_GPU node " + n + ": freeWholeGpus "
            + s.freeWholeGpus(n) + " but " + freeGpus[n] + " GPUs are FREE");
      }
    }
  }

  /** Invariant 1c: MIG layouts are valid and whole grants are exclusive, over the live set. */
  public static void migLayoutsValid(Cluster cluster, Collection<Placement> live) {
    Map<Integer, Integer> mask = new HashMap<>();
    Map<Integer, Integer> slices = new HashMap<>();
    Map<Integer, Integer> me = new HashMap<>();
    Map<Integer, String> whole = new HashMap<>();
    Map<Integer, String> other = new HashMap<>();
    for (Placement p : live) {
      for (GpuGrant g : p.grants()) {
        int gpu = cluster.gpuId(p.nodeId(), g.gpuIndex());
        GpuModel model = cluster.gpu(gpu).model();
        String holder = p.allocationId();
        if (g instanceof GpuGrant.Whole) {
          if (!(whole.put(gpu, holder) == null && !other.containsKey(gpu))) {
            throw new AssertionError("WHOLE_EXCLUSIVE gpu " + gpu + ": whole grant of " + holder + " is not alone");
          }
          continue;
        }
        if (!(!whole.containsKey(gpu))) {
          throw new AssertionError("WHOLE_EXCLUSIVE gpu " + gpu + ": " + holder + " shares a GPU granted whole");
        }
        other.put(gpu, holder);
        if (g instanceof GpuGrant.Mig m) {
          MigProfile profile = model.migProfile(m.profile());
          if (!(profile.startSlots().contains(m.startSlot()))) {
            throw new AssertionError("MIG_LAYOUT gpu " + gpu + ": "
                + profile.name() + " at invalid start " + m.startSlot() + " (" + holder + ")");
          }
          int instance = profile.mask(m.startSlot());
          int before = mask.getOrDefault(gpu, 0);
          if (!((before & instance) == 0)) {
            throw new AssertionError("MIG_LAYOUT gpu " + gpu + ": " + profile.name() + "@"
                + m.startSlot() + " of " + holder + " overlaps " + Integer.toBinaryString(before));
          }
          mask.put(gpu, before | instance);
          int s = slices.merge(gpu, profile.computeSlices(), Integer::sum);
          if (!(s <= model.migComputeSlices())) {
            throw new AssertionError("MIG_LAYOUT gpu " + gpu + ": " + s + " compute slices > " + model.migComputeSlices());
          }
          if (profile.mediaExtension()) {
            if (!(me.merge(gpu, 1, Integer::sum) <= 1)) {
              throw new AssertionError("MIG_LAYOUT gpu " + gpu + ": two +me instances");
            }
          }
        }
      }
    }
  }

  /** Invariant: every read equals what the reference model computes. */
  public static void matchesReference(ViewState actual, ReferenceLedger ref) {
    String d = actual.diff(ref.expected());
    if (d != null) {
      throw new AssertionError("MATCHES_REFERENCE: " + d);
    }
  }

  /** Invariant: {@code canPlaceMig} agrees with the reference for every profile and slot of GPU k. */
  public static void canPlaceMigMatches(ClusterView view, ReferenceLedger ref, int gpu) {
    GpuModel model = view.cluster().gpu(gpu).model();
    List<MigProfile> table = model.migProfiles();
    for (MigProfile p : table) {
      for (int start = 0; start < model.migMemorySlices(); start++) {
        boolean actual = view.canPlaceMig(gpu, p, start);
        boolean expected = ref.canPlaceMig(gpu, p, start);
        if (!(actual == expected)) {
          throw new AssertionError("CAN_PLACE_MIG gpu " + gpu + " " + p.name() + "@" + start
              + ": view says " + actual + ", reference " + expected);
        }
      }
    }
  }

  private static void within(String owner, String field, int value, int max) {
    if (value < 0 || value > max) {
      throw new AssertionError("CAPACITY " + owner + " " + field + " is " + value + ", outside 0.."
          + max);
    }
  }

  private static void within(String owner, int id, String field, int value, int max) {
    if (value < 0 || value > max) {
      within(owner + " " + id, field, value, max);
    }
  }

}

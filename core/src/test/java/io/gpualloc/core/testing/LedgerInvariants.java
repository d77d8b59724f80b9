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
import io.gpualloc.core.UnknownNodeException;
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
    Cluster c = state.cluster();
    ReferenceLedger ref = new ReferenceLedger(c);
    for (Placement p : live.values()) {
      if (ref.rejection(p) != null) {
        throw new AssertionError("LEGAL_ALLOCATION_SET: the ledger holds " + p
            + ", which the reference rejects (" + ref.rejection(p).getSimpleName() + ")");
      }
      ref.allocate(p);
    }
    // cordon and health after the allocations: what they hold stays
    for (int id = 0; id < c.nodeIdBound(); id++) {
      if (!c.isLive(id)) {
        continue;
      }
      ref.setCordoned(id, state.isCordoned(id));
      for (int i = 0; i < c.node(id).gpuCount(); i++) {
        ref.setHealthy(id, i, state.isGpuHealthy(c.gpuId(id, i)));
      }
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
    for (int n = 0; n < cluster.nodeIdBound(); n++) {
      if (!cluster.isLive(n)) {
        continue;
      }
      Node node = cluster.node(n);
      within("node " + n, "freeCpuMilli", s.freeCpu(n), node.cpuMilli());
      within("node " + n, "freeMemoryMib", s.freeMemory(n), node.memoryMib());
      within("node " + n, "freeWholeGpus", s.freeWholeGpus(n), node.gpuCount());
    }
    for (int k = 0; k < cluster.gpuIdBound(); k++) {
      if (!cluster.isLiveGpu(k)) {
        continue;
      }
      within("gpu", k, "gpuFreeComputeMilli", s.freeCompute(k), 1000);
      within("gpu", k, "gpuFreeMemoryMib", s.freeGpuMemory(k), cluster.gpu(k).model().memoryMib());
    }
  }

  /** Invariant 1b: exactly one mode per GPU, and the GPU's other figures agree with it. */
  public static void oneModePerGpu(Cluster cluster, ViewState s) {
    int[] freeGpus = new int[cluster.nodeIdBound()];
    for (int k = 0; k < cluster.gpuIdBound(); k++) {
      if (!cluster.isLiveGpu(k)) {
        continue;
      }
      GpuMode mode = s.mode(k);
      int cap = cluster.gpu(k).model().memoryMib();
      int grants = s.grantCount(k);
      int mask = s.migOccupancy(k);
      String rule = switch (mode) {
        case FREE -> grants == 0 && mask == 0 && s.freeCompute(k) == 1000
            && s.freeGpuMemory(k) == cap ? null : "a FREE GPU holds nothing";
        case WHOLE -> grants == 1 && mask == 0 && s.freeCompute(k) == 0 && s.freeGpuMemory(k) == 0
            ? null : "a WHOLE GPU holds exactly one grant, all of it";
        case SHARED -> grants >= 1 && mask == 0 && grants <= cluster.gpu(k).maxShares()
            ? null : "a SHARED GPU holds shares (at most its split count) and no MIG instance";
        case MIG -> (grants >= 1 && mask != 0 || cluster.gpu(k).isStaticMig() && grants == 0
                && mask == 0) && cluster.gpu(k).model().supportsMig()
            && Integer.bitCount(mask) <= cluster.gpu(k).model().migMemorySlices()
            ? null : "a MIG GPU holds instances within its memory slices (or is pre-partitioned)";
      };
      if (rule == null && cluster.gpu(k).isStaticMig() && mode != GpuMode.MIG) {
        rule = "a pre-partitioned GPU is always MIG";
      }
      if (rule != null) {
        throw new AssertionError("ONE_MODE_PER_GPU gpu " + k + " (" + mode + ", " + grants
            + " grants, mask " + Integer.toBinaryString(mask) + ", free " + s.freeCompute(k)
            + "m/" + s.freeGpuMemory(k) + "MiB): " + rule);
      }
      if (mode == GpuMode.FREE && s.healthy(k)) {
        freeGpus[cluster.nodeOfGpu(k)]++;
      }
    }
    for (int n = 0; n < cluster.nodeIdBound(); n++) {
      if (cluster.isLive(n) && freeGpus[n] != s.freeWholeGpus(n)) {
        throw new AssertionError("ONE_MODE_PER_GPU node " + n + ": freeWholeGpus "
            + s.freeWholeGpus(n) + " but " + freeGpus[n] + " GPUs are FREE and healthy");
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
          io.gpualloc.core.MigLayout fixed = cluster.gpu(gpu).fixedMigLayout();
          if (fixed != null && !fixed.instances().contains(
              new io.gpualloc.core.MigInstance(profile, m.startSlot()))) {
            throw new AssertionError("STATIC_MIG gpu " + gpu + ": " + profile.name() + "@"
                + m.startSlot() + " of " + holder + " is not an instance of its fixed layout "
                + fixed);
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

  /**
   * Invariant SHARE_CAP: GPU {@code gpu} reports its node's share cap, a SHARED GPU never holds
   * more shares than it, and {@code canShare} (the predicate every policy uses) agrees with the
   * reference for a small and a large share, so a GPU at its split count takes none.
   */
  public static void shareCapMatches(ClusterView view, ReferenceLedger ref, int gpu) {
    int cap = view.cluster().gpu(gpu).maxShares();
    if (view.gpuMaxShares(gpu) != cap || ref.maxShares(gpu) != cap) {
      throw new AssertionError("SHARE_CAP gpu " + gpu + ": view says cap " + view.gpuMaxShares(gpu)
          + ", the GPU has " + cap);
    }
    if (view.gpuMode(gpu) == GpuMode.SHARED && view.gpuGrantCount(gpu) > cap) {
      throw new AssertionError("SHARE_CAP gpu " + gpu + ": " + view.gpuGrantCount(gpu) + "/" + cap
          + " shares");
    }
    int[][] probes = {{1, 1}, {100, 0}, {0, 1024}, {500, 4096}};
    for (int[] p : probes) {
      boolean actual = view.canShare(gpu, p[0], p[1]);
      boolean expected = ref.canShare(gpu, p[0], p[1]);
      if (actual != expected) {
        throw new AssertionError("SHARE_CAP gpu " + gpu + " share " + p[0] + "m/" + p[1]
            + "MiB: canShare says " + actual + ", reference " + expected + " ("
            + view.gpuGrantCount(gpu) + "/" + cap + " shares)");
      }
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

  /**
   * MEMBERSHIP_MATCHES: {@code cluster} shows exactly the reference's membership: the same id
   * bounds, the same ids live, the same node (name, labels, capacity, GPUs) under each, name
   * lookups to the member's id, GPU ids to their nodes, and the label index.
   */
  public static void membershipMatches(Cluster cluster, ReferenceLedger ref) {
    String d = Membership.of(cluster).diff(Membership.of(ref));
    if (d != null) {
      throw new AssertionError("MEMBERSHIP_MATCHES: " + d);
    }
  }

  /**
   * STALE_IDS_REJECTED: every per-node read of a removed id throws {@link UnknownNodeException}
   * naming the node it was, and {@code isSchedulable} answers false.
   */
  public static void removedIdsRejected(ClusterView view) {
    Cluster c = view.cluster();
    for (int id = 0; id < c.nodeIdBound(); id++) {
      if (c.isLive(id)) {
        continue;
      }
      if (view.isSchedulable(id)) {
        throw new AssertionError("STALE_IDS_REJECTED: removed id " + id + " is schedulable");
      }
      int n = id;
      for (java.util.function.IntUnaryOperator read : List.<java.util.function.IntUnaryOperator>of(
          view::freeCpuMilli, view::freeWholeGpus, view::nodeVersion, c::gpuOffset)) {
        try {
          read.applyAsInt(n);
          throw new AssertionError("STALE_IDS_REJECTED: a read of removed id " + id + " answered");
        } catch (UnknownNodeException e) {
          if (!e.getMessage().contains("removed")) {
            throw new AssertionError("STALE_IDS_REJECTED: message does not say removed: "
                + e.getMessage());
          }
        }
      }
    }
  }

  /** What a cluster value says about membership, read through its per-id accessors. */
  public record Membership(int idBound, int gpuBound, List<Object> byId, Map<String, Integer> ids,
      Map<Integer, Integer> nodeOfGpu, Map<String, String> labelIndex, long version) {
    /** Reads {@code c}; labels indexed under every key that occurs. */
    public static Membership of(Cluster c) {
      List<Object> byId = new java.util.ArrayList<>();
      Map<String, Integer> ids = new TreeMap<>();
      Map<Integer, Integer> gpus = new TreeMap<>();
      java.util.Set<String> keys = new java.util.TreeSet<>();
      for (int id = 0; id < c.nodeIdBound(); id++) {
        if (!c.isLive(id)) {
          byId.add("(removed)");
          continue;
        }
        Node n = c.node(id);
        byId.add(n);
        ids.put(n.name(), c.nodeId(n.name()));
        keys.addAll(n.labels().keySet());
        for (int i = 0; i < n.gpuCount(); i++) {
          gpus.put(c.gpuId(id, i), c.nodeOfGpu(c.gpuId(id, i)));
        }
      }
      Map<String, String> labels = new TreeMap<>();
      for (String k : keys) {
        for (String v : c.labelValues(k)) {
          labels.put(k + "=" + v, java.util.Arrays.toString(c.nodesWithLabel(k, v)));
        }
      }
      return new Membership(c.nodeIdBound(), c.gpuIdBound(), byId, ids, gpus, labels,
          c.membershipVersion());
    }

    /** What the reference's membership must read as. */
    public static Membership of(ReferenceLedger r) {
      List<Object> byId = new java.util.ArrayList<>();
      Map<String, Integer> ids = new TreeMap<>();
      Map<Integer, Integer> gpus = new TreeMap<>();
      Map<String, List<Integer>> index = new TreeMap<>();
      for (int id = 0; id < r.nodeIdBound(); id++) {
        if (!r.isLive(id)) {
          byId.add("(removed)");
          continue;
        }
        Node n = r.node(id);
        byId.add(n);
        ids.put(n.name(), id);
        for (Map.Entry<String, String> e : n.labels().entrySet()) {
          index.computeIfAbsent(e.getKey() + "=" + e.getValue(), x -> new java.util.ArrayList<>())
              .add(id);
        }
        for (int i = 0; i < n.gpuCount(); i++) {
          gpus.put(r.gpuId(id, i), id);
        }
      }
      Map<String, String> labels = new TreeMap<>();
      index.forEach((k, v) -> labels.put(k, v.toString()));
      return new Membership(r.nodeIdBound(), r.gpuIdBound(), byId, ids, gpus, labels,
          r.membershipVersion());
    }

    /** The first difference, or null. */
    public @org.jspecify.annotations.Nullable String diff(Membership expected) {
      return equals(expected) ? null : "cluster reads " + this + ", expected " + expected;
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

package io.gpualloc.binpack.internal;

import io.gpualloc.core.ClusterView;
import io.gpualloc.core.Gpu;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.GpuMode;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.MigProfile;
import io.gpualloc.core.Node;
import io.gpualloc.core.NodeRejection;
import io.gpualloc.core.RejectReason;
import io.gpualloc.core.Request;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/** Feasibility of a request on one node, read from a {@link ClusterView}, and basic GPU choices. */
public final class Fit {
  private Fit() {}

  /** How a share is placed among the GPUs that can take it. */
  public enum ShareOrder {
    /** Lowest GPU index first. */
    FIRST,
    /** Least free compute first (then memory, then index): best fit. */
    TIGHTEST,
    /** Most free compute first (then memory, then lowest index): worst fit. */
    LOOSEST
  }

  /** The first reason the node cannot take the request, with the numbers, or null when it can. */
  public static @Nullable NodeRejection check(Request r, ClusterView v, int node) {
    NodeRejection x = cpu(r, v, node);
    if (x == null) {
      x = memory(r, v, node);
    }
    if (x == null) {
      x = gpuModel(r, v, node);
    }
    if (x == null) {
      x = gpuUuid(r, v, node);
    }
    if (x == null) {
      x = gpuCapacity(r, v, node);
    }
    return x;
  }

  /** Host CPU. */
  public static @Nullable NodeRejection cpu(Request r, ClusterView v, int node) {
    int free = v.freeCpuMilli(node);
    return free < r.cpuMilli() ? NodeRejection.of(RejectReason.INSUFFICIENT_CPU,
        "cpu: needs " + r.cpuMilli() + "m, " + free + "m free") : null;
  }

  /** Host memory. */
  public static @Nullable NodeRejection memory(Request r, ClusterView v, int node) {
    int free = v.freeMemoryMib(node);
    return free < r.memoryMib() ? NodeRejection.of(RejectReason.INSUFFICIENT_MEMORY,
        "memory: needs " + r.memoryMib() + " MiB, " + free + " MiB free") : null;
  }

  /** Some GPU of the node has an allowed model (GPU requests only). */
  public static @Nullable NodeRejection gpuModel(Request r, ClusterView v, int node) {
    if (r.gpu() instanceof GpuDemand.None) {
      return null;
    }
    Node n = v.cluster().node(node);
    if (n.gpuCount() == 0) {
      return NodeRejection.of(RejectReason.INSUFFICIENT_GPUS,
          "gpus: needs " + r.gpu().count() + ", the node has none");
    }
    if (r.modelInclude().isEmpty() && r.modelExclude().isEmpty()) {
      return null;
    }
    Set<String> models = new TreeSet<>();
    for (Gpu g : n.gpus()) {
      if (r.allowsModel(g.model())) {
        return null;
      }
      models.add(g.model().name());
    }
    StringBuilder sb = new StringBuilder("gpu model: the node has ")
        .append(String.join(", ", models)).append("; the request allows ");
    sb.append(r.modelInclude().isEmpty() ? "any model" : String.join(", ", r.modelInclude()));
    if (!r.modelExclude().isEmpty()) {
      sb.append(" except ").append(String.join(", ", r.modelExclude()));
    }
    return NodeRejection.of(RejectReason.GPU_MODEL_NOT_ALLOWED, sb.toString());
  }

  /** Some GPU of an allowed model passes the UUID filters (GPU requests only). */
  public static @Nullable NodeRejection gpuUuid(Request r, ClusterView v, int node) {
    if (r.gpu() instanceof GpuDemand.None
        || (r.uuidInclude().isEmpty() && r.uuidExclude().isEmpty())) {
      return null;
    }
    Node n = v.cluster().node(node);
    for (Gpu g : n.gpus()) {
      if (r.allowsGpu(g)) {
        return null;
      }
    }
    return NodeRejection.of(RejectReason.GPU_UUID_NOT_ALLOWED, "gpu uuid: none of the node's "
        + n.gpuCount() + " GPUs passes the request's model and UUID filters");
  }

  /** Enough allowed GPUs with free capacity for the demand (count, compute, memory, MIG slots). */
  public static @Nullable NodeRejection gpuCapacity(Request r, ClusterView v, int node) {
    GpuDemand d = r.gpu();
    if (d instanceof GpuDemand.None) {
      return null;
    }
    Node n = v.cluster().node(node);
    int base = v.cluster().gpuOffset(node);
    boolean filtered = hasGpuFilter(r);
    if (d instanceof GpuDemand.Whole w) {
      if (!filtered && v.freeWholeGpus(node) >= w.count()) {
        return null;
      }
      int free = 0;
      int allowed = 0;
      for (int i = 0; i < n.gpuCount(); i++) {
        if (!filtered || r.allowsGpu(n.gpus().get(i))) {
          allowed++;
          if (v.canTakeWhole(base + i)) {
            free++;
          }
        }
      }
      return free >= w.count() ? null : NodeRejection.of(RejectReason.INSUFFICIENT_GPUS,
          "gpus: needs " + w.count() + " whole, " + free + " free of " + allowed
              + (filtered ? " allowed" : ""));
    }
    if (d instanceof GpuDemand.Shared s) {
      int open = 0;
      int capped = 0;
      int cappedGpu = -1;
      int compute = 0;
      int both = 0;
      int bestCompute = -1;
      int bestComputeGpu = -1;
      int bestMemory = -1;
      int bestMemoryGpu = -1;
      for (int i = 0; i < n.gpuCount(); i++) {
        if (filtered && !r.allowsGpu(n.gpus().get(i))) {
          continue;
        }
        GpuMode m = v.gpuMode(base + i);
        if (m != GpuMode.FREE && m != GpuMode.SHARED || !v.isGpuHealthy(base + i)) {
          continue;
        }
        open++;
        if (v.gpuGrantCount(base + i) >= v.gpuMaxShares(base + i)) {
          if (capped++ == 0) {
            cappedGpu = i;
          }
          continue;
        }
        int fc = v.gpuFreeComputeMilli(base + i);
        int fm = v.gpuFreeMemoryMib(base + i);
        if (fc >= s.computeMilli()) {
          compute++;
          if (fm >= s.memoryMib()) {
            both++;
          } else if (fm > bestMemory) {
            bestMemory = fm;
            bestMemoryGpu = i;
          }
        } else if (fc > bestCompute) {
          bestCompute = fc;
          bestComputeGpu = i;
        }
      }
      if (both >= s.count()) {
        return null;
      }
      if (open < s.count()) {
        return NodeRejection.of(RejectReason.INSUFFICIENT_GPUS, "gpus: needs " + s.count()
            + " shareable, " + open + " shareable of " + n.gpuCount());
      }
      String of = s.count() == 1 ? "" : " (" + s.count() + " GPUs needed, " + both + " fit)";
      if (open - capped < s.count()) {
        return NodeRejection.of(RejectReason.GPU_SHARES_EXHAUSTED, shareCapText(v, base, cappedGpu)
            + (capped > 1 ? " (" + capped + " GPUs at their split count)" : "") + of);
      }
      if (compute < s.count()) {
        return NodeRejection.of(RejectReason.INSUFFICIENT_GPU_COMPUTE, "gpu " + bestComputeGpu
            + ": needs " + s.computeMilli() + " milli, " + bestCompute + " free" + of);
      }
      return NodeRejection.of(RejectReason.INSUFFICIENT_GPU_MEMORY, "gpu " + bestMemoryGpu
          + ": needs " + s.memoryMib() + " MiB, " + bestMemory + " MiB free" + of);
    }
    GpuDemand.Mig mig = (GpuDemand.Mig) d;
    boolean anyMig = false;
    List<Integer> offering = new ArrayList<>();
    Set<String> models = new TreeSet<>();
    Set<String> offered = new LinkedHashSet<>();
    for (int i = 0; i < n.gpuCount(); i++) {
      Gpu g = n.gpus().get(i);
      if (filtered && !r.allowsGpu(g)) {
        continue;
      }
      models.add(g.model().name());
      if (!g.model().migProfiles().isEmpty()) {
        anyMig = true;
        for (MigProfile p : g.model().migProfiles()) {
          offered.add(p.name());
        }
      }
      if (profile(g.model(), mig.profile()) != null) {
        offering.add(i);
      }
    }
    if (!anyMig) {
      return NodeRejection.of(RejectReason.MIG_NOT_SUPPORTED, "mig: " + String.join(", ", models)
          + (models.size() == 1 ? " has" : " have") + " no MIG; needs " + mig.profile());
    }
    if (offering.isEmpty()) {
      return NodeRejection.of(RejectReason.MIG_PROFILE_NOT_OFFERED, "mig: "
          + String.join(", ", models) + " offers " + String.join(", ", offered) + "; not "
          + mig.profile());
    }
    return migGrants(r, v, node) != null ? null : NodeRejection.of(RejectReason.NO_FREE_MIG_SLOT,
        "no " + mig.profile() + " start slot free" + (mig.count() > 1
            ? " for " + mig.count() + " instances" : "") + " on GPUs " + ranges(offering));
  }

  /** {@code "gpu 3: holds 10/10 shares (split count)"}: a GPU at its share cap, with the numbers. */
  public static String shareCapText(ClusterView v, int base, int index) {
    return "gpu " + index + ": holds " + v.gpuGrantCount(base + index) + "/"
        + v.gpuMaxShares(base + index) + " shares (split count)";
  }

  /** Indexes as ranges: {@code 0-3, 5, 7-8}. */
  public static String ranges(List<Integer> sorted) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (i < sorted.size()) {
      int j = i;
      while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
        j++;
      }
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(sorted.get(i));
      if (j > i) {
        sb.append('-').append(sorted.get(j));
      }
      i = j + 1;
    }
    return sb.toString();
  }

  /** Whether the request filters GPUs by model or UUID. */
  public static boolean hasGpuFilter(Request r) {
    return !r.modelInclude().isEmpty() || !r.modelExclude().isEmpty()
        || !r.uuidInclude().isEmpty() || !r.uuidExclude().isEmpty();
  }

  /**
   * The model's MIG profile of that name or one of its spellings, resolved as the ledger resolves
   * it ({@link GpuModel#migProfile(String)}), or null when the model has no such profile.
   */
  public static @Nullable MigProfile profile(GpuModel model, String name) {
    for (MigProfile p : model.migProfiles()) {
      if (p.name().equals(name)) {
        return p; // the common case, without building a lookup key
      }
    }
    return model.findMigProfile(name).orElse(null);
  }


  /** Whether GPU {@code index} of the node can take one share of {@code s}, filters included. */
  public static boolean canTakeShare(Request r, ClusterView v, int node, int index) {
    GpuDemand.Shared s = (GpuDemand.Shared) r.gpu();
    Gpu g = v.cluster().node(node).gpus().get(index);
    return (!hasGpuFilter(r) || r.allowsGpu(g))
        && v.canShare(v.cluster().gpuOffset(node) + index, s.computeMilli(), s.memoryMib());
  }

  /** Whether GPU {@code index} of the node is free and allowed for a whole grant. */
  public static boolean canTakeWhole(Request r, ClusterView v, int node, int index) {
    Gpu g = v.cluster().node(node).gpus().get(index);
    return (!hasGpuFilter(r) || r.allowsGpu(g))
        && v.canTakeWhole(v.cluster().gpuOffset(node) + index);
  }

  /**
   * The default grants: whole GPUs at the lowest free indexes, shares in {@code order}, MIG
   * instances at the lowest free start slots. The node must be feasible.
   */
  public static List<GpuGrant> grants(Request r, ClusterView v, int node, ShareOrder order) {
    GpuDemand d = r.gpu();
    if (d instanceof GpuDemand.None) {
      return List.of();
    }
    if (d instanceof GpuDemand.Whole w) {
      List<GpuGrant> out = new ArrayList<>(w.count());
      int gpus = v.cluster().node(node).gpuCount();
      for (int i = 0; i < gpus && out.size() < w.count(); i++) {
        if (canTakeWhole(r, v, node, i)) {
          out.add(GpuGrant.whole(i));
        }
      }
      return out;
    }
    if (d instanceof GpuDemand.Shared s) {
      Integer[] idx = shareCandidates(r, v, node);
      int base = v.cluster().gpuOffset(node);
      if (order != ShareOrder.FIRST) {
        int sign = order == ShareOrder.TIGHTEST ? 1 : -1;
        java.util.Arrays.sort(idx, (a, b) -> {
          int c = Integer.compare(v.gpuFreeComputeMilli(base + a), v.gpuFreeComputeMilli(base + b));
          if (c == 0) {
            c = Integer.compare(v.gpuFreeMemoryMib(base + a), v.gpuFreeMemoryMib(base + b));
          }
          return c != 0 ? sign * c : Integer.compare(a, b);
        });
      }
      List<GpuGrant> out = new ArrayList<>(s.count());
      for (int i = 0; i < s.count(); i++) {
        out.add(GpuGrant.share(idx[i], s.computeMilli(), s.memoryMib()));
      }
      return out;
    }
    List<GpuGrant> mig = MigSlots.pick(r, v, node);
    return mig == null ? List.of() : mig;
  }

  /** The indexes of the node's GPUs that can take one share of the request, ascending. */
  public static Integer[] shareCandidates(Request r, ClusterView v, int node) {
    int gpus = v.cluster().node(node).gpuCount();
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < gpus; i++) {
      if (canTakeShare(r, v, node, i)) {
        out.add(i);
      }
    }
    return out.toArray(new Integer[0]);
  }

  /**
   * MIG instances for the request at the lowest free start slots, GPU by GPU, or null when fewer
   * than the count fit. Several instances may go on one GPU; the check simulates the ledger's rules
   * (no overlap, compute slices, one media-extension instance per GPU).
   */
  public static @Nullable List<GpuGrant> migGrants(Request r, ClusterView v, int node) {
    GpuDemand.Mig d = (GpuDemand.Mig) r.gpu();
    Node n = v.cluster().node(node);
    int base = v.cluster().gpuOffset(node);
    boolean filtered = hasGpuFilter(r);
    List<GpuGrant> out = new ArrayList<>(d.count());
    for (int i = 0; i < n.gpuCount() && out.size() < d.count(); i++) {
      Gpu g = n.gpus().get(i);
      if (filtered && !r.allowsGpu(g)) {
        continue;
      }
      GpuModel model = g.model();
      MigProfile p = profile(model, d.profile());
      if (p == null) {
        continue;
      }
      GpuMode mode = v.gpuMode(base + i);
      if (mode != GpuMode.FREE && mode != GpuMode.MIG || !v.isGpuHealthy(base + i)) {
        continue;
      }
      int usedSlices = 0;
      if (mode == GpuMode.MIG) {
        // each instance's compute milli is floored, so the slice count is the ceiling (exact while
        // instances * slices < 1000)
        int usedMilli = 1000 - v.gpuFreeComputeMilli(base + i);
        usedSlices = (int) Math.ceil(usedMilli * (double) model.migComputeSlices() / 1000.0 - 1e-9);
      }
      int extraMask = 0;
      int extraSlices = 0;
      boolean extraMe = false;
      for (int slot : p.startSlots()) {
        if (out.size() >= d.count()) {
          break;
        }
        int mask = p.mask(slot);
        if ((extraMask & mask) != 0 || (p.mediaExtension() && extraMe)
            || usedSlices + extraSlices + p.computeSlices() > model.migComputeSlices()
            || !v.canPlaceMig(base + i, p, slot)) {
          continue;
        }
        extraMask |= mask;
        extraSlices += p.computeSlices();
        extraMe |= p.mediaExtension();
        out.add(GpuGrant.mig(i, p.name(), slot));
      }
    }
    return out.size() == d.count() ? out : null;
  }
}

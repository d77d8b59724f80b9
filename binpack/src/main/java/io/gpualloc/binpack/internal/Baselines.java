package io.gpualloc.binpack.internal;

import io.gpualloc.binpack.GpuPicker;
import io.gpualloc.binpack.NodeScorer;
import io.gpualloc.core.ClusterView;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.GpuMode;
import io.gpualloc.core.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The scorers and GPU pickers of the FGD paper's baselines and of HAMi, on integer scores as the
 * reference simulator computes them. Normalisers: 128 cores ({@link #MAX_CPU}) and 8 GPUs ({@link
 * #MAX_GPU}).
 */
public final class Baselines {
  /** CPU normaliser, millicores. */
  public static final int MAX_CPU = 128_000;
  /** GPU normaliser, milli-GPU. */
  public static final int MAX_GPU = 8_000;

  private Baselines() {}

  /**
   * Free compute of a GPU that can take shares: 1000 when free, the rest when shared, else 0 (and
   * 0 when unhealthy or at its split count).
   */
  public static int shareableFree(ClusterView v, int gpuId) {
    if (!v.isGpuHealthy(gpuId)) {
      return 0; // takes no new grant
    }
    GpuMode m = v.gpuMode(gpuId);
    if (m == GpuMode.SHARED && v.gpuGrantCount(gpuId) >= v.gpuMaxShares(gpuId)) {
      return 0; // at its split count: takes no further share
    }
    return m == GpuMode.FREE ? 1000 : m == GpuMode.SHARED ? v.gpuFreeComputeMilli(gpuId) : 0;
  }

  /** Total shareable free compute of the node, milli-GPU. */
  public static int nodeFreeGpu(ClusterView v, int node) {
    int base = v.cluster().gpuOffset(node);
    int g = v.cluster().node(node).gpuCount();
    int sum = 0;
    for (int i = 0; i < g; i++) {
      sum += shareableFree(v, base + i);
    }
    return sum;
  }

  /** The request's total GPU compute, milli-GPU ({@code k * d}); MIG counts 0. */
  public static int requestGpu(Request r) {
    GpuDemand d = r.gpu();
    if (d instanceof GpuDemand.Whole w) {
      return 1000 * w.count();
    }
    if (d instanceof GpuDemand.Shared s) {
      return s.count() * s.computeMilli();
    }
    return 0;
  }

  /**
   * A scorer from a function, which must depend only on what {@link FrameworkPolicy.StateOnly}
   * lists (so that {@link FrameworkPolicy} may memoise it).
   */
  public static NodeScorer scorer(String name, boolean normalized, Score f) {
    final class Scorer implements NodeScorer, FrameworkPolicy.StateOnly {
      @Override
      public String name() {
        return name;
      }

      @Override
      public double score(Request request, ClusterView view, int nodeId) {
        return f.score(request, view, nodeId);
      }

      @Override
      public boolean normalized() {
        return normalized;
      }
    }
    return new Scorer();
  }

  /** A node score function. */
  @FunctionalInterface
  public interface Score {
    /** The score. */
    double score(Request r, ClusterView v, int node);
  }

  /** Least leftover: {@code int(100 (1 - [.5 (c_n - c_t)/128 cores + .5 (R_n - k d)/8 GPUs]))}. */
  public static long bestFit(Request r, ClusterView v, int node) {
    double left = 0.5 * (v.freeCpuMilli(node) - r.cpuMilli()) / MAX_CPU
        + 0.5 * (nodeFreeGpu(v, node) - requestGpu(r)) / MAX_GPU;
    return (long) ((1.0 - left) * 100);
  }

  /** Tetris' alignment: {@code int(100 (1 - (free . demand) / 2))}, both normalised. */
  public static long dotProduct(Request r, ClusterView v, int node) {
    double dot = ((double) v.freeCpuMilli(node) / MAX_CPU) * ((double) r.cpuMilli() / MAX_CPU)
        + ((double) nodeFreeGpu(v, node) / MAX_GPU) * ((double) requestGpu(r) / MAX_GPU);
    return (long) (100 * (1 - dot / 2));
  }

  /**
   * GPU packing: shared GPUs first ({@code max(100 - sum(free% of used GPUs)/10, 50)}), then free
   * GPUs on a used node ({@code max(50 - fresh GPUs used, 33)}), then an idle node ({@code max(33
   * - free GPUs, free GPUs)}); CPU-only requests score 0.
   */
  public static long gpuPacking(Request r, ClusterView v, int node) {
    int d = perGpuMilli(r);
    if (d <= 0) {
      return 0;
    }
    int base = v.cluster().gpuOffset(node);
    int g = v.cluster().node(node).gpuCount();
    int[] free = new int[g];
    int fully = 0;
    for (int i = 0; i < g; i++) {
      free[i] = shareableFree(v, base + i);
      if (free[i] == 1000) {
        fully++;
      }
    }
    if (fully == g) {
      return Math.max(33 - fully, fully);
    }
    int[] sorted = free.clone();
    java.util.Arrays.sort(sorted);
    int need = r.gpu().count();
    int fresh = 0;
    long ratio = 0;
    for (int f : sorted) {
      if (need == 0) {
        break;
      }
      if (f >= d) {
        need--;
        if (f == 1000) {
          fresh++;
        }
        ratio += f * 100L / 1000;
      }
    }
    if (fresh > 0) {
      return Math.max(50 - fresh, 33);
    }
    return Math.max(100 - ratio / 10, 50);
  }

  /**
   * GPU clustering: prefer nodes that host only the request's shape class (75..100), then among
   * others (50..75), then idle nodes (25..50), then nodes of other classes only (0..25), each band
   * rising by {@code 25 (8000 - R_n) / 8000}. Classes: shared GPU, whole GPUs; CPU-only requests
   * score 0. The class of resident tasks is read from the GPUs' modes (shared or whole), so the
   * reference's separate k-GPU classes (1, 2, 4, 8 GPUs) are one class here.
   */
  public static long gpuClustering(Request r, ClusterView v, int node) {
    GpuDemand d = r.gpu();
    if (d instanceof GpuDemand.None) {
      return 0;
    }
    boolean wantShared = d instanceof GpuDemand.Shared s && s.computeMilli() < 1000;
    int base = v.cluster().gpuOffset(node);
    int g = v.cluster().node(node).gpuCount();
    boolean hasShared = false;
    boolean hasOther = false;
    for (int i = 0; i < g; i++) {
      GpuMode m = v.gpuMode(base + i);
      if (m == GpuMode.SHARED) {
        hasShared = true;
      } else if (m != GpuMode.FREE) {
        hasOther = true;
      }
    }
    boolean same = wantShared ? hasShared : hasOther;
    boolean different = wantShared ? hasOther : hasShared;
    long band;
    if (same) {
      band = different ? 50 : 75;
    } else {
      band = different ? 0 : 25;
    }
    long left = nodeFreeGpu(v, node);
    return band + 25 * (MAX_GPU - left) / MAX_GPU;
  }

  /**
   * HAMi-style device utilisation of the node after the request, in 0..100: the mean over the
   * node's GPUs of used compute share and used memory share, plus the request's demand.
   */
  public static double hamiUtilisation(Request r, ClusterView v, int node) {
    int base = v.cluster().gpuOffset(node);
    int g = v.cluster().node(node).gpuCount();
    if (g == 0) {
      return 0;
    }
    double used = 0;
    for (int i = 0; i < g; i++) {
      int cap = v.cluster().gpu(base + i).model().memoryMib();
      used += (1000 - v.gpuFreeComputeMilli(base + i)) / 1000.0
          + (double) (cap - v.gpuFreeMemoryMib(base + i)) / cap;
    }
    GpuDemand d = r.gpu();
    if (d instanceof GpuDemand.Whole w) {
      used += 2.0 * w.count();
    } else if (d instanceof GpuDemand.Shared s) {
      int cap = v.cluster().gpu(base).model().memoryMib();
      used += s.count() * (s.computeMilli() / 1000.0 + (double) s.memoryMib() / cap);
    }
    return 100 * used / (2.0 * g);
  }

  /** Per-GPU compute of the request: 1000 for whole GPUs, the share for shares, 0 otherwise. */
  public static int perGpuMilli(Request r) {
    GpuDemand d = r.gpu();
    if (d instanceof GpuDemand.Whole) {
      return 1000;
    }
    if (d instanceof GpuDemand.Shared s) {
      return s.computeMilli();
    }
    return 0;
  }

  /** A picker using {@link Fit#grants} with this share order. */
  public static GpuPicker picker(String name, Fit.ShareOrder order) {
    final class Picker implements GpuPicker, FrameworkPolicy.StateOnly {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<GpuGrant> pick(Request request, ClusterView view, int nodeId) {
        return Fit.grants(request, view, nodeId, order);
      }
    }
    return new Picker();
  }

  /**
   * The {@code first} picker with the old MIG step: instances at the lowest free start slots of the
   * lowest GPUs ({@link Fit#migGrants}), the baseline of the MIG fragmentation measure.
   */
  public static GpuPicker firstSlotPicker() {
    final class FirstSlot implements GpuPicker, FrameworkPolicy.StateOnly {
      @Override
      public String name() {
        return "first-slot";
      }

      @Override
      public List<GpuGrant> pick(Request request, ClusterView view, int nodeId) {
        if (request.gpu() instanceof GpuDemand.Mig) {
          List<GpuGrant> mig = Fit.migGrants(request, view, nodeId);
          return mig == null ? List.of() : mig;
        }
        return Fit.grants(request, view, nodeId, Fit.ShareOrder.FIRST);
      }
    }
    return new FirstSlot();
  }

  /** Shares on uniformly random GPUs among those that fit (seeded); other demands as first-fit. */
  public static GpuPicker randomPicker(long seed) {
    return new GpuPicker() {
      @Override
      public String name() {
        return "random";
      }

      @Override
      public List<GpuGrant> pick(Request request, ClusterView view, int nodeId) {
        if (!(request.gpu() instanceof GpuDemand.Shared s)) {
          return Fit.grants(request, view, nodeId, Fit.ShareOrder.FIRST);
        }
        SplittableRandom rng = Seeds.rng(seed ^ 0x5DEECE66DL, request, view);
        List<Integer> idx = new ArrayList<>(List.of(Fit.shareCandidates(request, view, nodeId)));
        List<GpuGrant> out = new ArrayList<>();
        for (int i = 0; i < s.count(); i++) {
          int j = rng.nextInt(idx.size());
          out.add(GpuGrant.share(idx.remove(j), s.computeMilli(), s.memoryMib()));
        }
        out.sort(java.util.Comparator.comparingInt(GpuGrant::gpuIndex));
        return out;
      }
    };
  }
}

package io.gpualloc.binpack.internal;

import io.gpualloc.binpack.TargetWorkload;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterView;
import io.gpualloc.core.Decision;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.NodeScores;
import io.gpualloc.core.PlacementPolicy;
import io.gpualloc.core.Request;
import java.util.Arrays;
import java.util.List;

/**
 * Capacity-aware fragmentation descent, our own variant of FGD (Weng et al., USENIX ATC '23):
 * place the request where the growth of the cluster's fragmentation against the target workload
 * M, Delta = F_after - F_before, is smallest, with a fragmentation measure that also counts the
 * GPUs a node's free CPU cannot serve (CPU bound), plus a cost for taking GPUs of models that
 * model-restricted classes will need (model scarcity).
 *
 * <p>FGD counts a node's free GPU as usable by a class m as soon as the node has CPU for one task
 * of m. On CPU-lean nodes (12 cores per GPU in the openb cluster, against 11 cores for an average
 * 1-GPU task) a node with 8 free GPUs and 20 free cores is therefore "unfragmented" for a
 * (11 cores, 1 GPU) class, though it can serve one such task, not eight. Here the number of tasks
 * of m that a node can still take is also bounded by its free CPU, {@code t = floor(cpu /
 * c_m)}; of the GPUs that can host a unit of m, only the {@code t * k_m} with the most free
 * compute are usable, and the rest of the node's free GPU is fragment. Without a CPU bound (or with CPU for every unit)
 * the measure equals FGD's. The effect: CPU-only and CPU-heavy tasks stop eating the last cores
 * next to free GPUs, and GPU tasks go where CPU and GPU run out together.
 *
 * <p>Model scarcity: FGD does not see that a GPU model is scarce for the classes restricted to it
 * (taking one of three free T4 GPUs leaves a T4-only class fitting), and the CPU bound even draws
 * CPU-heavy unrestricted tasks to CPU-rich nodes of such a model. So Delta gets a second term:
 * every milli-GPU taken from a GPU of model g costs {@code q_g} milli-GPU, where {@code q_g} sums,
 * over the classes of M restricted to a proper subset of the cluster's models that includes g,
 * the class's share of M's GPU demand times the cluster's GPU capacity over the capacity of the
 * models the class allows: the fraction of a model's capacity the restricted classes are
 * expected to need. Without model filters in M the term is 0.
 *
 * <p>Node choice as {@code fgd-bucketed}: Delta rounded down to buckets of {@link #BUCKET_MILLI}
 * milli-GPU, the lowest bucket wins, ties broken by a seeded random node priority fixed for the
 * instance; shares go to the GPU(s) that minimise the measure, whole GPUs lowest index first.
 *
 * <p>The descent itself (state interning, memoised Delta per (state, request shape), node scan,
 * GPU choice, tie-breaking, rejections) is {@link FragmentationGradientDescent} in
 * {@link FragmentationGradientDescent.Mode#BUCKETED} mode; this class supplies the CPU-bounded
 * measure and the model-scarcity cost as its {@code FragmentationGradientDescent.Measure}.
 *
 * <p>Speed: per-node states (free CPU and the multiset of GPU codes) are interned into ids and
 * refreshed only when {@link ClusterView#nodeVersion} changes; F of a state is computed once;
 * Delta of a (state, request shape) pair is memoised across decisions, so a decision costs a few
 * array reads per node. Requests with UUID filters or MIG demands take a direct path without
 * memoisation (and without the scarcity cost). The memo is dropped when the cluster changes, as
 * the scarcity cost depends on the cluster.
 *
 * <p>The caches assume the policy instance follows one ledger and its snapshots; a {@code fork()}
 * that diverges needs its own instance (a decision is checked against the view before it is
 * returned, and a stale cache is rebuilt). Calls are synchronised.
 */
public final class CapacityAwareFragmentationDescent implements PlacementPolicy {

  /** Width of a Delta bucket, milli-GPU. */
  public static final long BUCKET_MILLI = FragmentationGradientDescent.BUCKET_MILLI;
  /** Weight of the model-scarcity term against Delta (milli-GPU per milli-GPU taken). */
  static final double SCARCITY_WEIGHT = 1.0;

  private final FragmentationGradientDescent descent;

  /**
   * A policy named {@code name} against workload M; {@code seed} orders ties among nodes.
   *
   * @throws InvalidSpecException when M is empty
   */
  public CapacityAwareFragmentationDescent(String name, TargetWorkload m, long seed) {
    if (m.isEmpty()) {
      throw InvalidSpecException.of("policy " + name, "workload", m,
          "a non-empty target workload. Maybe PolicyConfig.of(seed).withWorkload("
              + "TargetWorkload.fromRequests(pods, 0.95))");
    }
    FragEngine engine = new FragEngine(m);
    this.descent = new FragmentationGradientDescent(name, engine,
        FragmentationGradientDescent.Mode.BUCKETED, seed, new CpuBounded(engine));
  }

  @Override
  public String name() {
    return descent.name();
  }

  @Override
  public Decision place(Request request, ClusterView view) {
    return descent.place(request, view);
  }

  @Override
  public NodeScores scoreAll(Request request, ClusterView view) {
    return descent.scoreAll(request, view);
  }

  /** Sets the intra-node topology constraint applied to requests that ask for one. */
  public void topology(TopologyTerm t) {
    descent.topology(t);
  }

  /** The CPU-bounded measure and the model-scarcity cost per milli-GPU taken. */
  private static final class CpuBounded implements FragmentationGradientDescent.Measure {
    private final FragEngine engine;
    private final int[] cCpu;
    private final int[] cCount;
    private final int[] cMilli;
    private final int[] cMem;
    private final boolean[] cWhole;
    private final long[] cWeight;
    private boolean[][] allow = new boolean[0][];
    private final long[] unitBuf = new long[64];
    private double[] scarcity = new double[0];

    CpuBounded(FragEngine engine) {
      this.engine = engine;
      TargetWorkload mm = engine.workload();
      List<io.gpualloc.binpack.TaskClass> cs = mm.classes();
      int k = cs.size();
      cCpu = new int[k];
      cCount = new int[k];
      cMilli = new int[k];
      cMem = new int[k];
      cWhole = new boolean[k];
      cWeight = new long[k];
      for (int i = 0; i < k; i++) {
        io.gpualloc.binpack.TaskClass c = cs.get(i);
        cCpu[i] = c.cpuMilli();
        cCount[i] = c.gpuCount();
        cMilli[i] = c.gpuMilli();
        cMem[i] = c.gpuMemoryMib();
        cWhole[i] = c.gpu() instanceof GpuDemand.Whole;
        cWeight[i] = c.weight();
      }
    }

    private boolean[][] allow() {
      List<GpuModel> models = engine.models();
      if (allow.length != models.size()) {
        List<io.gpualloc.binpack.TaskClass> cs = engine.workload().classes();
        boolean[][] a = Arrays.copyOf(allow, models.size());
        for (int mi = allow.length; mi < a.length; mi++) {
          a[mi] = new boolean[cs.size()];
          for (int c = 0; c < cs.size(); c++) {
            a[mi][c] = cs.get(c).allowsModel(models.get(mi));
          }
        }
        allow = a;
      }
      return allow;
    }

    /**
     * CPU-bounded fragmentation, scaled by the class weights: for each class, the free GPU that no
     * task of the class can use, where the number of tasks a node can take is also bounded by its
     * free CPU.
     */
    @Override
    public long of(int freeCpu, long[] codes) {
      boolean[][] al = allow();
      long r = 0;
      for (long c : codes) {
        r += FragEngine.compute(c);
      }
      long[] buf = codes.length <= unitBuf.length ? unitBuf : new long[codes.length];
      long sum = 0;
      for (int i = 0; i < cCpu.length; i++) {
        long f;
        if (cCount[i] == 0 || freeCpu < cCpu[i]) {
          f = r;
        } else {
          int fits = 0;
          for (long c : codes) {
            boolean unit = al[FragEngine.model(c)][i]
                && (cWhole[i] ? FragEngine.full(c)
                    : FragEngine.compute(c) >= cMilli[i] && FragEngine.memory(c) >= cMem[i]);
            if (unit) {
              buf[fits++] = FragEngine.compute(c);
            }
          }
          if (fits < cCount[i]) {
            f = r;
          } else {
            // tasks the free CPU allows (at most one per unit), each taking k units
            long tasks = cCpu[i] == 0 ? fits : Math.min(fits, freeCpu / cCpu[i]);
            long usableUnits = Math.min(fits, tasks * cCount[i]);
            long usable = 0;
            if (usableUnits >= fits) {
              for (int u = 0; u < fits; u++) {
                usable += buf[u];
              }
            } else {
              Arrays.sort(buf, 0, fits);
              for (int u = fits - 1; u >= fits - usableUnits; u--) {
                usable += buf[u];
              }
            }
            f = r - usable;
          }
        }
        sum += cWeight[i] * f;
      }
      return sum;
    }

    /** Scaled penalty per milli-GPU taken from a GPU of model {@code mi}. */
    @Override
    public double costPerMilli(int mi) {
      return mi < scarcity.length ? scarcity[mi] : 0;
    }

    /**
     * Model scarcity: for every class restricted to a subset of the cluster's models, its share of
     * M's GPU demand times how much smaller its allowed capacity is than the cluster's, summed per
     * model: the fraction of a model's capacity the restricted classes are expected to need.
     * Scaled by M's total weight and {@link #SCARCITY_WEIGHT}.
     */
    @Override
    public boolean clusterChanged(Cluster c, int[][] nodeModelIdx) {
      int models = engine.models().size();
      double[] cap = new double[models];
      double total = 0;
      for (int i = 0; i < c.nodeIdBound(); i++) { // removed ids have no models
        for (int mi : nodeModelIdx[i]) {
          cap[mi] += 1000;
          total += 1000;
        }
      }
      double demand = 0;
      for (int k = 0; k < cCpu.length; k++) {
        demand += (double) cWeight[k] * cCount[k] * cMilli[k];
      }
      boolean[][] al = allow();
      double[] q = new double[models];
      for (int k = 0; k < cCpu.length && demand > 0; k++) {
        double allowedCap = 0;
        for (int mi = 0; mi < models; mi++) {
          if (al[mi][k]) {
            allowedCap += cap[mi];
          }
        }
        if (allowedCap <= 0 || allowedCap >= total || cCount[k] == 0) {
          continue;
        }
        double share = (double) cWeight[k] * cCount[k] * cMilli[k] / demand * total / allowedCap;
        for (int mi = 0; mi < models; mi++) {
          if (al[mi][k]) {
            q[mi] += share;
          }
        }
      }
      for (int mi = 0; mi < models; mi++) {
        q[mi] *= SCARCITY_WEIGHT * engine.totalWeight();
      }
      scarcity = q;
      return true;
    }
  }
}

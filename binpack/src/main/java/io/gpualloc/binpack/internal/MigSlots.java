package io.gpualloc.binpack.internal;

import io.gpualloc.core.ClusterView;
import io.gpualloc.core.Gpu;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.GpuMode;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.MigInstance;
import io.gpualloc.core.MigLayout;
import io.gpualloc.core.MigProfile;
import io.gpualloc.core.Node;
import io.gpualloc.core.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * MIG slot placement that keeps options open: the MIG step of every policy.
 *
 * <p>The <em>MIG capacity</em> of a GPU is how much of a target profile mix can still be placed on
 * it: for a dynamic GPU, the sum over the model's profiles of {@code weight * computeSlices *
 * n}, where {@code n} is how many instances of that profile alone would still fit (free start
 * slots without overlap, within the free compute slices, at most one {@code +me}); for a
 * pre-partitioned GPU, the sum of {@code weight * computeSlices} over its free fixed instances.
 * Weights default to 1 for every profile (a uniform mix). An instance goes to the GPU and start
 * slot whose capacity it lowers least (the fragmentation it causes), ties to the lowest GPU index,
 * then the lowest start slot. On an empty 7x8 GPU this puts a 1g instance at slot 6, where it
 * blocks neither the 4g nor the 3g at 0 (the vendor places it at slot 0).
 *
 * <p>Several instances of one request are placed one after another on the simulated state. If
 * that greedy sequence cannot place them all, the lowest-free-slot placement is used (it is what
 * the filters checked).
 */
public final class MigSlots {
  private MigSlots() {}

  /** The uniform mix. */
  private static final Map<String, Double> UNIFORM = Map.of();

  /**
   * The grants for the request's MIG instances on the node, or null when they do not fit.
   *
   * @param r a request with a MIG demand
   * @param v the view
   * @param node a schedulable node
   * @param mix weight per profile name (empty: every profile weighs 1)
   * @return the grants, or null
   */
  public static @Nullable List<GpuGrant> pick(Request r, ClusterView v, int node,
      Map<String, Double> mix) {
    Choice c = choose(r, v, node, mix);
    if (c != null) {
      return c.grants;
    }
    return Fit.migGrants(r, v, node);
  }

  /**
   * The grants as {@link #pick} with the uniform mix.
   *
   * @param r a request with a MIG demand
   * @param v the view
   * @param node a schedulable node
   * @return the grants, or null
   */
  public static @Nullable List<GpuGrant> pick(Request r, ClusterView v, int node) {
    return pick(r, v, node, UNIFORM);
  }

  /**
   * The MIG capacity the request's instances would cost on the node (the sum of the losses of its
   * greedy placement), or {@code Double.NaN} when the greedy placement cannot place them.
   *
   * @param r a request with a MIG demand
   * @param v the view
   * @param node a schedulable node
   * @param mix weight per profile name (empty: uniform)
   * @return the loss, 0 or more, or NaN
   */
  public static double loss(Request r, ClusterView v, int node, Map<String, Double> mix) {
    Choice c = choose(r, v, node, mix);
    return c == null ? Double.NaN : c.loss;
  }

  private record Choice(List<GpuGrant> grants, double loss) {}

  private static @Nullable Choice choose(Request r, ClusterView v, int node,
      Map<String, Double> mix) {
    GpuDemand.Mig d = (GpuDemand.Mig) r.gpu();
    Node n = v.cluster().node(node);
    int base = v.cluster().gpuOffset(node);
    int gpus = n.gpuCount();
    boolean filtered = Fit.hasGpuFilter(r);
    // simulated state of the node's GPUs; extra = what this request already took
    int[] mask = new int[gpus];
    int[] compute = new int[gpus];
    boolean[] meFree = new boolean[gpus];
    boolean[] usable = new boolean[gpus];
    MigProfile[] profile = new MigProfile[gpus];
    double[] capacity = new double[gpus];
    for (int i = 0; i < gpus; i++) {
      Gpu g = n.gpus().get(i);
      if (filtered && !r.allowsGpu(g)) {
        continue;
      }
      MigProfile p = Fit.profile(g.model(), d.profile());
      GpuMode mode = v.gpuMode(base + i);
      if (p == null || mode != GpuMode.FREE && mode != GpuMode.MIG
          || !v.isGpuHealthy(base + i)) {
        continue;
      }
      usable[i] = true;
      profile[i] = p;
      GpuModel model = g.model();
      mask[i] = v.gpuMigOccupancy(base + i);
      int usedMilli = 1000 - v.gpuFreeComputeMilli(base + i);
      compute[i] = mode == GpuMode.FREE ? 0
          : (int) Math.ceil(usedMilli * (double) model.migComputeSlices() / 1000.0 - 1e-9);
      meFree[i] = meFree(v, base + i, model, mask[i], compute[i]);
      capacity[i] = capacity(g, mask[i], compute[i], meFree[i], mix);
    }
    List<GpuGrant> out = new ArrayList<>(d.count());
    double total = 0;
    boolean[] touched = new boolean[gpus];
    for (int k = 0; k < d.count(); k++) {
      int bestGpu = -1;
      int bestStart = -1;
      double bestLoss = Double.POSITIVE_INFINITY;
      double bestAfter = 0;
      for (int i = 0; i < gpus; i++) {
        if (!usable[i]) {
          continue;
        }
        Gpu g = n.gpus().get(i);
        MigProfile p = profile[i];
        for (int s : p.startSlots()) {
          if (!fits(g, p, s, mask[i], compute[i], meFree[i])) {
            continue;
          }
          double after = capacity(g, mask[i] | p.mask(s), compute[i] + p.computeSlices(),
              meFree[i] && !p.mediaExtension(), mix);
          double loss = capacity[i] - after;
          if (loss < bestLoss - 1e-9) {
            bestLoss = loss;
            bestGpu = i;
            bestStart = s;
            bestAfter = after;
          }
        }
      }
      if (bestGpu < 0) {
        return null;
      }
      MigProfile p = profile[bestGpu];
      if (!touched[bestGpu] && !v.canPlaceMig(base + bestGpu, p, bestStart)) {
        return null; // the simulated state disagrees with the ledger: use the plain placement
      }
      mask[bestGpu] |= p.mask(bestStart);
      compute[bestGpu] += p.computeSlices();
      meFree[bestGpu] &= !p.mediaExtension();
      capacity[bestGpu] = bestAfter;
      touched[bestGpu] = true;
      total += bestLoss;
      out.add(GpuGrant.mig(bestGpu, p.name(), bestStart));
    }
    return new Choice(out, total);
  }

  /** Whether an instance fits the simulated state (the ledger's rules, static GPUs included). */
  private static boolean fits(Gpu g, MigProfile p, int s, int mask, int compute, boolean meFree) {
    if ((mask & p.mask(s)) != 0) {
      return false;
    }
    MigLayout fixed = g.fixedMigLayout();
    if (fixed != null) {
      return isFixed(fixed, p, s);
    }
    return compute + p.computeSlices() <= g.model().migComputeSlices()
        && (meFree || !p.mediaExtension());
  }

  private static boolean isFixed(MigLayout fixed, MigProfile p, int s) {
    List<MigInstance> xs = fixed.instances();
    for (int i = 0; i < xs.size(); i++) {
      if (xs.get(i).start() == s) {
        return xs.get(i).profile().equals(p);
      }
    }
    return false;
  }

  /** Whether the GPU has no {@code +me} instance yet, read from the view. */
  private static boolean meFree(ClusterView v, int gpuId, GpuModel model, int mask, int compute) {
    for (MigProfile p : model.migProfiles()) {
      if (!p.mediaExtension()) {
        continue;
      }
      for (int s : p.startSlots()) {
        if ((mask & p.mask(s)) == 0 && compute + p.computeSlices() <= model.migComputeSlices()) {
          // room for it: the view says whether the +me engine is still free
          return v.canPlaceMig(gpuId, p, s);
        }
      }
      return false; // no room for a +me instance: it does not matter
    }
    return true;
  }

  /**
   * The MIG capacity of a GPU in a state (see the class comment).
   *
   * @param g the GPU
   * @param mask occupied memory slices
   * @param compute used compute slices
   * @param meFree whether a {@code +me} instance may still be created
   * @param mix weight per profile name (empty: uniform)
   * @return the capacity
   */
  public static double capacity(Gpu g, int mask, int compute, boolean meFree,
      Map<String, Double> mix) {
    GpuModel model = g.model();
    MigLayout fixed = g.fixedMigLayout();
    double sum = 0;
    if (fixed != null) {
      List<MigInstance> xs = fixed.instances();
      for (int i = 0; i < xs.size(); i++) {
        MigInstance x = xs.get(i);
        if ((mask & x.mask()) == 0) {
          sum += weight(mix, x.profile()) * x.profile().computeSlices();
        }
      }
      return sum;
    }
    int freeCompute = model.migComputeSlices() - compute;
    List<MigProfile> table = model.migProfiles();
    for (int j = 0; j < table.size(); j++) {
      MigProfile p = table.get(j);
      double w = weight(mix, p);
      if (w == 0 || p.mediaExtension() && !meFree) {
        continue;
      }
      int count = 0;
      int taken = mask;
      List<Integer> starts = p.startSlots();
      for (int k = 0; k < starts.size(); k++) {
        int m = p.mask(starts.get(k));
        if ((taken & m) == 0) {
          taken |= m;
          count++;
        }
      }
      count = Math.min(count, freeCompute / p.computeSlices());
      if (p.mediaExtension()) {
        count = Math.min(count, 1);
      }
      sum += w * p.computeSlices() * count;
    }
    return sum;
  }

  private static double weight(Map<String, Double> mix, MigProfile p) {
    if (mix.isEmpty()) {
      return 1.0;
    }
    Double w = mix.get(p.name());
    if (w == null) {
      for (String a : p.aliases()) {
        w = mix.get(a);
        if (w != null) {
          break;
        }
      }
    }
    return w == null ? 0.0 : w;
  }
}

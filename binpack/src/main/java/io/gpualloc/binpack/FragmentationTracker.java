package io.gpualloc.binpack;

import io.gpualloc.binpack.internal.FragEngine;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterView;

/**
 * The cluster's fragmentation against a target workload, kept incrementally: each {@link
 * #measure} recomputes only the nodes whose {@link ClusterView#nodeVersion} changed since the last
 * call, so a replay can measure after every arrival. Follow one ledger (and its snapshots) per
 * tracker; calls are synchronised.
 */
public final class FragmentationTracker {
  private final FragEngine engine;
  private Cluster cluster;
  private int[] version = new int[0];
  private long[] scaled = new long[0];
  private long[] free = new long[0];
  private boolean[] known = new boolean[0];
  private long scaledSum;
  private long freeSum;

  /**
   * The fragmentation of the cluster at one moment.
   *
   * @param fragmentationMilli F(M), milli-GPU, rounded
   * @param freeGpuMilli free GPU compute that can take shares, milli-GPU
   * @param rate F(M) over the free GPU, 0 when nothing is free
   */
  public record Measure(long fragmentationMilli, long freeGpuMilli, double rate) {}

  /**
   * A tracker against workload M.
   *
   * @param m the target workload
   */
  public FragmentationTracker(TargetWorkload m) {
    this.engine = new FragEngine(m);
  }

  /**
   * The fragmentation now, recomputing only the nodes that changed.
   *
   * @param view the cluster state or snapshot to read
   * @return the fragmentation now, recomputing only the nodes that changed
   */
  public synchronized Measure measure(ClusterView view) {
    Cluster c = view.cluster();
    if (c != cluster) {
      cluster = c;
      int n = c.nodeIdBound();
      version = new int[n];
      scaled = new long[n];
      free = new long[n];
      known = new boolean[n];
      scaledSum = 0;
      freeSum = 0;
    }
    for (int node = 0; node < version.length; node++) {
      if (!c.isLive(node)) {
        continue; // a removed node's id: never measured, so it adds nothing to the sums
      }
      int v = view.nodeVersion(node);
      if (!known[node] || version[node] != v) {
        long[] codes = engine.nodeCodes(view, node);
        long s = engine.scaled(view.freeCpuMilli(node), codes);
        long f = FragEngine.free(codes);
        scaledSum += s - scaled[node];
        freeSum += f - free[node];
        scaled[node] = s;
        free[node] = f;
        version[node] = v;
        known[node] = true;
      }
    }
    long total = engine.totalWeight();
    double rate = freeSum == 0 || total == 0 ? 0 : (double) scaledSum / total / freeSum;
    return new Measure(engine.unscale(scaledSum), freeSum, rate);
  }
}

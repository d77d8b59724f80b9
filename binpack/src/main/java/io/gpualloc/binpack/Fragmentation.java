package io.gpualloc.binpack;

import io.gpualloc.binpack.internal.FragEngine;
import io.gpualloc.core.ClusterView;

/**
 * FGD's fragmentation measure, in milli-GPU (Weng et al., USENIX ATC '23), extended to GPU memory.
 *
 * <p>For one task class m and node n, F_n(m) is, in order: all free GPU of n if m needs no GPU;
 * all free GPU of n if m may not use n's GPU models; all free GPU of n if m does not fit (CPU
 * short, or fewer than k GPUs that can host one unit of m); otherwise the free compute of the GPUs
 * that cannot host one unit of m. A GPU hosts one unit of a shared class when its free compute and
 * free memory both reach the class's, and one unit of a whole-GPU class when it is fully free.
 * Against a workload M, F_n(M) = sum_i p_i F_n(m_i). "Free GPU" counts the free compute of GPUs
 * that can take shares (free or shared GPUs); whole and MIG GPUs have none.
 */
public final class Fragmentation {
  private Fragmentation() {}

  /**
   * F_n(M) of one node, milli-GPU, rounded to the nearest integer.
   *
   * @param view the cluster state or snapshot to read
   * @param nodeId the node's id in the cluster
   * @param m the target workload
   * @return F_n(M) of one node, milli-GPU, rounded to the nearest integer
   */
  public static long node(ClusterView view, int nodeId, TargetWorkload m) {
    FragEngine e = new FragEngine(m);
    return e.unscale(e.nodeScaled(view, nodeId));
  }

  /**
   * F(M) of the cluster, the sum over nodes, milli-GPU, rounded once at the end.
   *
   * @param view the cluster state or snapshot to read
   * @param m the target workload
   * @return F(M) of the cluster, the sum over nodes, milli-GPU, rounded once at the end
   */
  public static long cluster(ClusterView view, TargetWorkload m) {
    FragEngine e = new FragEngine(m);
    long sum = 0;
    for (int n = 0; n < view.cluster().nodeIdBound(); n++) {
      if (!view.cluster().isLive(n)) {
        continue; // a removed node's id
      }
      sum += e.nodeScaled(view, n);
    }
    return e.unscale(sum);
  }

  /**
   * Free shareable GPU compute of one node (FGD's R_n), milli-GPU.
   *
   * @param view the cluster state or snapshot to read
   * @param nodeId the node's id in the cluster
   * @return the free shareable GPU compute of one node (FGD's R_n), milli-GPU
   */
  public static long freeGpu(ClusterView view, int nodeId) {
    return FragEngine.free(new FragEngine(TargetWorkload.empty()).nodeCodes(view, nodeId));
  }

  /**
   * Free shareable GPU compute of the cluster, milli-GPU.
   *
   * @param view the cluster state or snapshot to read
   * @return the free shareable GPU compute of the cluster, milli-GPU
   */
  public static long freeGpu(ClusterView view) {
    FragEngine e = new FragEngine(TargetWorkload.empty());
    long sum = 0;
    for (int n = 0; n < view.cluster().nodeIdBound(); n++) {
      if (!view.cluster().isLive(n)) {
        continue; // a removed node's id
      }
      sum += FragEngine.free(e.nodeCodes(view, n));
    }
    return sum;
  }

  /**
   * The fragmentation rate: F(M) over the free GPU of the cluster, in [0, 1]; 0 when nothing is
   * free.
   *
   * @param view the cluster state or snapshot to read
   * @param m the target workload
   * @return the fragmentation rate: F(M) over the free GPU of the cluster, in [0, 1]; 0 when
   *     nothing is free
   */
  public static double rate(ClusterView view, TargetWorkload m) {
    FragEngine e = new FragEngine(m);
    long frag = 0;
    long free = 0;
    for (int n = 0; n < view.cluster().nodeIdBound(); n++) {
      if (!view.cluster().isLive(n)) {
        continue; // a removed node's id
      }
      long[] codes = e.nodeCodes(view, n);
      frag += e.scaled(view.freeCpuMilli(n), codes);
      free += FragEngine.free(codes);
    }
    return free == 0 || m.totalWeight() == 0 ? 0 : (double) frag / m.totalWeight() / free;
  }
}

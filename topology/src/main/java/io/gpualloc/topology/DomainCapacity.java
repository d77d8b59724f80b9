package io.gpualloc.topology;

import io.gpualloc.core.ClusterView;
import io.gpualloc.core.GpuMode;
import io.gpualloc.core.InvalidSpecException;

/**
 * Free GPU capacity per topology domain, kept up to date with a ledger cheaply: {@link
 * #refresh(ClusterView)} compares each node's {@link ClusterView#nodeVersion(int)} with the version
 * it last saw and recomputes only the nodes that changed, adding the difference to every domain
 * above them. {@link #refresh(ClusterView, int)} does the same for one node, for callers that know
 * which node they just changed.
 *
 * <p>Per node it counts wholly free GPUs, free compute (milli-GPU) of GPUs that can still take
 * shares ({@link GpuMode#FREE}, and {@link GpuMode#SHARED} below its split count {@link
 * ClusterView#gpuMaxShares}; unhealthy GPUs count in neither) and all
 * GPUs. Use it with views of one
 * ledger and its snapshots; after switching to an unrelated ledger call {@link #reset()}. Not
 * thread-safe: one instance per scheduling thread.
 */
public final class DomainCapacity {
  private final ClusterTopology topology;
  private final int[] seenVersion;
  private final boolean[] seen;
  private final int[] nodeFree;
  private final long[] nodeCompute;
  private final int[][] free; // [level][domain]
  private final long[][] compute;
  private final int[][] total;

  /**
   * Capacity tracking for the domains of {@code topology}; nothing is counted until a refresh.
   *
   * @param topology the cluster's topology domains
   */
  public DomainCapacity(ClusterTopology topology) {
    if (topology == null) {
      throw InvalidSpecException.of("domain capacity", "topology", null, "a ClusterTopology");
    }
    this.topology = topology;
    int nc = topology.cluster().nodeIdBound();
    int lc = topology.levels().size();
    this.seenVersion = new int[nc];
    this.seen = new boolean[nc];
    this.nodeFree = new int[nc];
    this.nodeCompute = new long[nc];
    this.free = new int[lc][];
    this.compute = new long[lc][];
    this.total = new int[lc][];
    for (int l = 0; l < lc; l++) {
      int dc = topology.domainCount(l);
      free[l] = new int[dc];
      compute[l] = new long[dc];
      total[l] = new int[dc];
      for (int d = 0; d < dc; d++) {
        for (int v : topology.nodesShared(l, d)) {
          total[l][d] += topology.cluster().node(v).gpuCount();
        }
      }
    }
  }

  /**
   * Brings every node's contribution up to date with {@code view}.
   *
   *
   * @param view the cluster state or snapshot to read
   * @return how many nodes were recomputed
   */
  public int refresh(ClusterView view) {
    checkView(view);
    int changed = 0;
    for (int v = 0; v < seen.length; v++) {
      if (!topology.cluster().isLive(v)) {
        continue; // a removed node's id
      }
      if (!seen[v] || seenVersion[v] != view.nodeVersion(v)) {
        update(view, v);
        changed++;
      }
    }
    return changed;
  }

  /**
   * Brings node {@code nodeId}'s contribution up to date with {@code view}.
   *
   * @param view the cluster state or snapshot to read
   * @param nodeId the node's id in the cluster
   */
  public void refresh(ClusterView view, int nodeId) {
    checkView(view);
    topology.cluster().node(nodeId);
    update(view, nodeId);
  }

  /** Forgets every node's contribution (all free counts return to 0 until the next refresh). */
  public void reset() {
    java.util.Arrays.fill(seen, false);
    java.util.Arrays.fill(nodeFree, 0);
    java.util.Arrays.fill(nodeCompute, 0);
    for (int l = 0; l < free.length; l++) {
      java.util.Arrays.fill(free[l], 0);
      java.util.Arrays.fill(compute[l], 0);
    }
  }

  private void checkView(ClusterView view) {
    if (view == null || !view.cluster().equals(topology.cluster())) {
      throw InvalidSpecException.of("domain capacity", "view",
          view == null ? null : view.cluster().toString(), "a view of the topology's cluster");
    }
  }

  private void update(ClusterView view, int v) {
    int version = view.nodeVersion(v);
    int count = topology.cluster().node(v).gpuCount();
    int off = topology.cluster().gpuOffset(v);
    int f = 0;
    long c = 0;
    for (int i = 0; i < count; i++) {
      GpuMode mode = view.gpuMode(off + i);
      if (!view.isGpuHealthy(off + i)) {
        continue; // takes no new grant
      }
      if (mode == GpuMode.FREE) {
        f++;
      }
      if (mode == GpuMode.FREE
          || mode == GpuMode.SHARED && view.gpuGrantCount(off + i) < view.gpuMaxShares(off + i)) {
        c += view.gpuFreeComputeMilli(off + i);
      }
    }
    int df = f - nodeFree[v];
    long dc = c - nodeCompute[v];
    nodeFree[v] = f;
    nodeCompute[v] = c;
    seen[v] = true;
    seenVersion[v] = version;
    if (df != 0 || dc != 0) {
      for (int l = 0; l < free.length; l++) {
        int d = topology.domainOfUnchecked(v, l);
        if (d >= 0) {
          free[l][d] += df;
          compute[l][d] += dc;
        }
      }
    }
  }

  /**
   * Wholly free GPUs in the domain, as of the last refresh.
   *
   * @param level the topology level, 0 = lowest
   * @param domainId the domain id at {@code level}
   * @return the wholly free GPUs in the domain, as of the last refresh
   */
  public int freeWholeGpus(int level, int domainId) {
    topology.domainName(level, domainId);
    return free[level][domainId];
  }

  /**
   * Free compute (milli-GPU) of GPUs that can take shares in the domain.
   *
   * @param level the topology level, 0 = lowest
   * @param domainId the domain id at {@code level}
   * @return the free compute (milli-GPU) of GPUs that can take shares in the domain
   */
  public long freeComputeMilli(int level, int domainId) {
    topology.domainName(level, domainId);
    return compute[level][domainId];
  }

  /**
   * All GPUs of the domain's nodes.
   *
   * @param level the topology level, 0 = lowest
   * @param domainId the domain id at {@code level}
   * @return all GPUs of the domain's nodes
   */
  public int totalGpus(int level, int domainId) {
    topology.domainName(level, domainId);
    return total[level][domainId];
  }

  /**
   * The domains at {@code level} with at least {@code wholeGpus} wholly free GPUs, ascending.
   *
   * @param level the topology level, 0 = lowest
   * @param wholeGpus the number of whole GPUs
   * @return the domains at {@code level} with at least {@code wholeGpus} wholly free GPUs,
   *     ascending
   */
  public int[] domainsWithFreeGpus(int level, int wholeGpus) {
    int dc = topology.domainCount(level);
    int k = 0;
    int[] out = new int[dc];
    for (int d = 0; d < dc; d++) {
      if (free[level][d] >= wholeGpus) {
        out[k++] = d;
      }
    }
    return java.util.Arrays.copyOf(out, k);
  }
}

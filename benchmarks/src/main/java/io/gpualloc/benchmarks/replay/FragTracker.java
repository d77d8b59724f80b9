package io.gpualloc.benchmarks.replay;

import io.gpualloc.binpack.Fragmentation;
import io.gpualloc.binpack.TargetWorkload;
import io.gpualloc.core.ClusterView;

/**
 * The cluster's fragmentation kept incrementally: per-node values, recomputed only for a node whose
 * capacity changed.
 */
final class FragTracker {
  private final TargetWorkload workload;
  private final long[] perNode;
  private long sum;

  FragTracker(ClusterView view, TargetWorkload workload) {
    this.workload = workload;
    this.perNode = new long[view.cluster().nodeCount()];
    for (int n = 0; n < perNode.length; n++) {
      perNode[n] = Fragmentation.node(view, n, workload);
      sum += perNode[n];
    }
  }

  /** Recomputes node {@code nodeId} after a change. */
  void update(ClusterView view, int nodeId) {
    long f = Fragmentation.node(view, nodeId, workload);
    sum += f - perNode[nodeId];
    perNode[nodeId] = f;
  }

  /** The cluster's fragmentation, milli-GPU. */
  long sum() {
    return sum;
  }
}

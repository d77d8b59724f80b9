package io.gpualloc.core.io.k8s;

import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.Node;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Kubernetes Node as gpualloc sees it: the {@link Node} (allocatable CPU and memory, every
 * label, its GPUs), whether it should be cordoned in the ledger and why, and its annotations
 * (where HAMi's device plugin registers the GPUs).
 *
 * @param node the node; labels are the Kubernetes labels unchanged, so topology levels can name
 *     them directly (for example {@code nvidia.com/gpu.clique})
 * @param cordonReasons why the node takes no new pods: {@code "spec.unschedulable"} and the keys
 *     of the taints that mean the same (empty: schedulable)
 * @param annotations {@code metadata.annotations}, sorted by key
 * @param unhealthyGpus indexes of the GPUs HAMi's device plugin reports unhealthy (for {@code
 *     ClusterState.markGpuUnhealthy}), ascending
 * @param splitCounts HAMi's split count per GPU index (how many containers may share it), or empty
 *     when the node has no HAMi register annotation; the mapping also sets each as its GPU's share
 *     cap ({@link io.gpualloc.core.Gpu#maxShares()}), which the ledger and the policies enforce
 */
public record KubeNode(Node node, List<String> cordonReasons, Map<String, String> annotations,
    List<Integer> unhealthyGpus, List<Integer> splitCounts) {

  /**
   * Validates and copies.
   *
   * @param node the node
   * @param cordonReasons why the node takes no new pods (empty: schedulable)
   * @param annotations {@code metadata.annotations}
   * @param unhealthyGpus indexes of unhealthy GPUs
   * @param splitCounts HAMi's split count per GPU index, or empty
   */
  public KubeNode {
    if (node == null || cordonReasons == null || annotations == null || unhealthyGpus == null
        || splitCounts == null) {
      throw InvalidSpecException.of("kubernetes node", "node/cordonReasons/annotations", null,
          "non-null values");
    }
    cordonReasons = List.copyOf(cordonReasons);
    unhealthyGpus = List.copyOf(unhealthyGpus);
    splitCounts = List.copyOf(splitCounts);
    if (!splitCounts.isEmpty() && splitCounts.size() != node.gpuCount()) {
      throw InvalidSpecException.of("kubernetes node " + node.name(), "splitCounts",
          splitCounts.size() + " entries", "one per GPU (" + node.gpuCount() + ") or none");
    }
    annotations = Collections.unmodifiableMap(new TreeMap<>(annotations));
  }

  /**
   * Whether the node should be cordoned ({@code ClusterState.cordon}): it is unschedulable or
   * carries an unschedulable taint.
   *
   * @return whether the node should be cordoned
   */
  public boolean cordoned() {
    return !cordonReasons.isEmpty();
  }
}

package io.gpualloc.core.io.k8s;

import io.gpualloc.core.InvalidSpecException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * kube-scheduler's extender request ({@code ExtenderArgs}): the pod, and the candidate nodes either
 * by name ({@code nodeCacheCapable: true}) or as full Node objects.
 *
 * @param pod the pod to schedule
 * @param nodeNames the candidate node names ({@code NodeNames}), or null when the request carries
 *     full nodes
 * @param nodes the candidate nodes ({@code Nodes.items}) mapped, or null when the request carries
 *     names
 * @param rawNodes the JSON of each item of {@code Nodes.items}, unmodified, in the same order as
 *     {@code nodes} (an extender returns the passing ones as they came), or null with names
 */
public record ExtenderArgs(
    KubePod pod,
    @Nullable List<String> nodeNames,
    @Nullable List<KubeNode> nodes,
    @Nullable List<String> rawNodes) {

  /**
   * Validates: exactly one of names and nodes, and raw JSON for every node.
   *
   * @param pod the pod to schedule
   * @param nodeNames the candidate node names, or null
   * @param nodes the candidate nodes, or null
   * @param rawNodes the JSON of each node, or null
   */
  public ExtenderArgs {
    if (pod == null) {
      throw InvalidSpecException.of("extender args", "pod", null, "a pod");
    }
    if ((nodeNames == null) == (nodes == null)) {
      throw InvalidSpecException.of("extender args", "NodeNames/Nodes",
          nodeNames == null ? "neither" : "both", "exactly one of them");
    }
    if ((nodes == null) != (rawNodes == null)
        || (nodes != null && nodes.size() != rawNodes.size())) {
      throw InvalidSpecException.of("extender args", "rawNodes",
          rawNodes == null ? "null" : rawNodes.size() + " items", "one JSON text per node");
    }
    nodeNames = nodeNames == null ? null : List.copyOf(nodeNames);
    nodes = nodes == null ? null : List.copyOf(nodes);
    rawNodes = rawNodes == null ? null : List.copyOf(rawNodes);
  }
}

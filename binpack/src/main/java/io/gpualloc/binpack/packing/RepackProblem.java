package io.gpualloc.binpack.packing;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.Node;
import io.gpualloc.core.Request;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * Requests to pack onto the nodes of an empty cluster, minimising the total cost of the nodes used
 * (the node count when every cost is 1). Requests need whole GPUs, GPU shares or no GPU; MIG
 * demands are not supported here (plan MIG layouts first, then pack whole GPUs).
 *
 * @param cluster the nodes, with their CPU, memory and GPUs
 * @param requests the requests, with distinct names (used as allocation ids)
 * @param nodeCosts cost of using each node, by node id ({@code cluster.nodeIdBound()} entries;
 *     those of removed ids are ignored), each at least 0
 */
public record RepackProblem(Cluster cluster, List<Request> requests, List<Long> nodeCosts) {

  /**
   * Validates and copies.
   *
   * @param cluster the nodes, with their CPU, memory and GPUs
   * @param requests the requests, with distinct names (used as allocation ids)
   * @param nodeCosts cost of using each node, by node id, each at least 0
   */
  public RepackProblem {
    if (cluster == null || requests == null || nodeCosts == null) {
      throw InvalidSpecException.of("repack problem", "cluster/requests/nodeCosts", null,
          "non-null values");
    }
    requests = List.copyOf(requests);
    nodeCosts = List.copyOf(nodeCosts);
    if (nodeCosts.size() != cluster.nodeIdBound()) {
      throw InvalidSpecException.of("repack problem", "nodeCosts.size", nodeCosts.size(),
          cluster.nodeIdBound() + " (one per node id, removed ids included and ignored)");
    }
    for (int i = 0; i < nodeCosts.size(); i++) {
      if (nodeCosts.get(i) < 0) {
        throw InvalidSpecException.of("repack problem", "nodeCosts[" + i + "]", nodeCosts.get(i),
            ">= 0");
      }
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < requests.size(); i++) {
      Request r = requests.get(i);
      if (!names.add(r.name())) {
        throw InvalidSpecException.of("repack problem", "requests[" + i + "].name", r.name(),
            "a name not used by an earlier request (names become allocation ids)");
      }
      if (r.gpu() instanceof GpuDemand.Mig) {
        throw InvalidSpecException.of("request " + r.name(), "gpu", r.gpu(),
            "none, whole or shared GPUs. Maybe plan MIG layouts first and request whole GPUs");
      }
    }
  }

  /**
   * Every node costs 1: minimise the number of nodes used.
   *
   * @param cluster the nodes, with their CPU, memory and GPUs
   * @param requests the requests, with distinct names (used as allocation ids)
   * @return the problem with every node at cost 1
   */
  public static RepackProblem of(Cluster cluster, List<Request> requests) {
    List<Long> costs = new ArrayList<>();
    for (int i = 0; i < cluster.nodeIdBound(); i++) {
      costs.add(1L);
    }
    return new RepackProblem(cluster, requests, costs);
  }

  /**
   * Costs per node from a function of the node (for example by GPU model or node type).
   *
   * @param cluster the nodes, with their CPU, memory and GPUs
   * @param requests the requests, with distinct names (used as allocation ids)
   * @param cost the cost of one node, at least 0
   * @return the problem with each node's cost from {@code cost}
   */
  public static RepackProblem withCosts(
      Cluster cluster, List<Request> requests, ToLongFunction<Node> cost) {
    List<Long> costs = new ArrayList<>();
    for (int i = 0; i < cluster.nodeIdBound(); i++) {
      costs.add(cluster.isLive(i) ? cost.applyAsLong(cluster.node(i)) : 0L); // removed: unused
    }
    return new RepackProblem(cluster, requests, costs);
  }
}

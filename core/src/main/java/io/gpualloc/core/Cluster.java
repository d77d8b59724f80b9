package io.gpualloc.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable set of nodes with dense ids: node {@code i} is {@code nodes().get(i)}, and every GPU
 * of the cluster has a global GPU id, {@code gpuId(node, index) = gpuOffset(node) + index}. The
 * ledger ({@link ClusterState}) and the solvers index their primitive arrays by these ids.
 */
public final class Cluster {
  private final List<Node> nodes;
  private final Map<String, Integer> idByName;
  private final int[] gpuOffset;
  private final int[] nodeOfGpu;
  private final Gpu[] gpus;
  private final Map<String, Map<String, int[]>> labelIndex;

  private Cluster(List<Node> nodes) {
    this.nodes = nodes;
    int n = nodes.size();
    this.idByName = new HashMap<>(n * 2);
    this.gpuOffset = new int[n + 1];
    int g = 0;
    for (int i = 0; i < n; i++) {
      Node node = nodes.get(i);
      if (idByName.putIfAbsent(node.name(), i) != null) {
        throw InvalidSpecException.of(
            "cluster", "nodes[" + i + "].name", node.name(), "unique node names");
      }
      gpuOffset[i] = g;
      g += node.gpuCount();
    }
    gpuOffset[n] = g;
    this.nodeOfGpu = new int[g];
    this.gpus = new Gpu[g];
    Map<String, Integer> uuids = new HashMap<>(g * 2);
    for (int i = 0; i < n; i++) {
      List<Gpu> list = nodes.get(i).gpus();
      for (int k = 0; k < list.size(); k++) {
        int id = gpuOffset[i] + k;
        nodeOfGpu[id] = i;
        gpus[id] = list.get(k);
        Integer other = uuids.putIfAbsent(list.get(k).uuid(), id);
        if (other != null) {
          throw InvalidSpecException.of(
              "cluster", "nodes[" + i + "].gpus[" + k + "].uuid", list.get(k).uuid(),
              "UUIDs unique in the cluster (also used by " + nodes.get(nodeOfGpu[other]).name() + ")");
        }
      }
    }
    Map<String, Map<String, List<Integer>>> tmp = new HashMap<>();
    for (int i = 0; i < n; i++) {
      for (Map.Entry<String, String> e : nodes.get(i).labels().entrySet()) {
        tmp.computeIfAbsent(e.getKey(), k -> new HashMap<>())
            .computeIfAbsent(e.getValue(), v -> new ArrayList<>())
            .add(i);
      }
    }
    Map<String, Map<String, int[]>> idx = new HashMap<>();
    tmp.forEach((k, byValue) -> {
      Map<String, int[]> m = new HashMap<>();
      byValue.forEach((v, ids) -> m.put(v, ids.stream().mapToInt(Integer::intValue).toArray()));
      idx.put(k, m);
    });
    this.labelIndex = idx;
  }

  /**
   * A cluster of these nodes, ids in the given order.
   *
   * @param nodes the nodes, in id order
   * @return a cluster of these nodes, ids in the given order
   * @throws InvalidSpecException on duplicate node names or GPU UUIDs
   */
  public static Cluster of(Collection<Node> nodes) {
    return new Cluster(Checks.list("cluster", "nodes", nodes));
  }

  /**
   * A cluster of these nodes, ids in the given order.
   *
   * @param nodes the nodes, in id order
   * @return a cluster of these nodes, ids in the given order
   */
  public static Cluster of(Node... nodes) {
    return of(Arrays.asList(nodes));
  }

  /**
   * The nodes, node id {@code i} at position {@code i}.
   *
   * @return the nodes, node id {@code i} at position {@code i}
   */
  public List<Node> nodes() {
    return nodes;
  }

  /**
   * The number of nodes.
   *
   * @return the number of nodes
   */
  public int nodeCount() {
    return nodes.size();
  }

  /**
   * The number of GPUs in the cluster.
   *
   * @return the number of GPUs in the cluster
   */
  public int gpuCount() {
    return gpus.length;
  }

  /**
   * The node with this id.
   *
   * @param nodeId the node's id in the cluster
   * @return the node with this id
   */
  public Node node(int nodeId) {
    checkNode(nodeId);
    return nodes.get(nodeId);
  }

  /**
   * The id of the node with this name.
   *
   * @param name the name
   * @return the id of the node with this name
   * @throws InvalidSpecException when there is no such node
   */
  public int nodeId(String name) {
    Integer id = idByName.get(name);
    if (id == null) {
      throw InvalidSpecException.of(
          "cluster", "node name", name, "one of the cluster's " + nodes.size() + " node names");
    }
    return id;
  }

  /**
   * Whether a node of this name exists.
   *
   * @param name the name
   * @return whether a node of this name exists
   */
  public boolean hasNode(String name) {
    return idByName.containsKey(name);
  }

  /**
   * The global id of the node's first GPU.
   *
   * @param nodeId the node's id in the cluster
   * @return the global id of the node's first GPU
   */
  public int gpuOffset(int nodeId) {
    checkNode(nodeId);
    return gpuOffset[nodeId];
  }

  /**
   * The global GPU id of GPU {@code index} of node {@code nodeId}.
   *
   * @param nodeId the node's id in the cluster
   * @param index the index
   * @return the global GPU id of GPU {@code index} of node {@code nodeId}
   */
  public int gpuId(int nodeId, int index) {
    checkNode(nodeId);
    int count = gpuOffset[nodeId + 1] - gpuOffset[nodeId];
    if (index < 0 || index >= count) {
      throw InvalidSpecException.of(
          "node " + nodes.get(nodeId).name(), "gpu index", index,
          count == 0 ? "none (the node has no GPUs)" : "0.." + (count - 1));
    }
    return gpuOffset[nodeId] + index;
  }

  /**
   * The GPU with this global id.
   *
   * @param gpuId the GPU's global id in the cluster
   * @return the GPU with this global id
   */
  public Gpu gpu(int gpuId) {
    checkGpu(gpuId);
    return gpus[gpuId];
  }

  /**
   * The node id of the GPU with this global id.
   *
   * @param gpuId the GPU's global id in the cluster
   * @return the node id of the GPU with this global id
   */
  public int nodeOfGpu(int gpuId) {
    checkGpu(gpuId);
    return nodeOfGpu[gpuId];
  }

  /**
   * The ids of the nodes whose label {@code key} equals {@code value}, ascending.
   *
   * @param key the label key
   * @param value the label value
   * @return the ids of the nodes whose label {@code key} equals {@code value}, ascending
   */
  public int[] nodesWithLabel(String key, String value) {
    Map<String, int[]> byValue = labelIndex.get(key);
    int[] ids = byValue == null ? null : byValue.get(value);
    return ids == null ? new int[0] : ids.clone();
  }

  /**
   * The distinct values of label {@code key}, sorted.
   *
   * @param key the label key
   * @return the distinct values of label {@code key}, sorted
   */
  public List<String> labelValues(String key) {
    Map<String, int[]> byValue = labelIndex.get(key);
    if (byValue == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>(byValue.keySet());
    out.sort(null);
    return List.copyOf(out);
  }

  /**
   * Total allocatable CPU of all nodes, in millicores.
   *
   * @return the total allocatable CPU of all nodes, in millicores
   */
  public long totalCpuMilli() {
    long s = 0;
    for (Node n : nodes) {
      s += n.cpuMilli();
    }
    return s;
  }

  private void checkNode(int nodeId) {
    if (nodeId < 0 || nodeId >= nodes.size()) {
      throw InvalidSpecException.of(
          "cluster", "node id", nodeId,
          nodes.isEmpty() ? "none (the cluster is empty)" : "0.." + (nodes.size() - 1));
    }
  }

  private void checkGpu(int gpuId) {
    if (gpuId < 0 || gpuId >= gpus.length) {
      throw InvalidSpecException.of(
          "cluster", "gpu id", gpuId,
          gpus.length == 0 ? "none (the cluster has no GPUs)" : "0.." + (gpus.length - 1));
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cluster c && c.nodes.equals(nodes);
  }

  @Override
  public int hashCode() {
    return nodes.hashCode();
  }

  @Override
  public String toString() {
    return "Cluster[" + nodes.size() + " nodes, " + gpus.length + " GPUs]";
  }
}

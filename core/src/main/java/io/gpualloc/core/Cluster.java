package io.gpualloc.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An immutable description of a cluster's membership at one moment: which nodes are members,
 * under which ids, with which labels and GPUs.
 *
 * <h2>Ids</h2>
 *
 * Every node has a dense integer id and every GPU a global GPU id, {@code gpuId(node, index) =
 * gpuOffset(node) + index}; the ledger ({@link ClusterState}) and the solvers index their
 * primitive arrays by them. {@link #of} numbers the nodes {@code 0..n-1} in order. When a running
 * {@link ClusterState} adds a node it issues the next id (and the next GPU ids); when it removes a
 * node, the node's ids are retired, never reused: re-adding a node of the same name gives it a new
 * id. So an id names one node for that node's whole life, and a {@link Placement} made for a node
 * can never land on another; a stale id fails with {@link UnknownNodeException}, whose message
 * says which node the id was.
 *
 * <p>Ids are therefore dense but may have holes. {@link #nodeIdBound()} is one more than the
 * largest id issued so far; {@link #nodeCount()} is how many nodes are members now; {@link
 * #isLive(int)} tells whether an id below the bound names a member. Loop over members as
 *
 * <pre>{@code
 * for (int id = 0; id < cluster.nodeIdBound(); id++) {
 *   if (!cluster.isLive(id)) continue;
 *   ...
 * }
 * }</pre>
 *
 * or over {@link #nodeIds()}. Until a node is removed the two counts agree. The same holds for GPU
 * ids: {@link #gpuIdBound()} against {@link #gpuCount()}, {@link #isLiveGpu(int)}.
 *
 * <h2>Versions</h2>
 *
 * {@link #membershipVersion()} is 0 for a cluster from {@link #of} and grows by one with each add,
 * remove or relabel made through a {@link ClusterState}. A ledger publishes a new {@code Cluster}
 * object with each of those changes (and only then), so a cache built for one {@code Cluster} can
 * check that it is still current by identity ({@code view.cluster() == cached}) or, within one
 * ledger, by {@code membershipVersion()}. Cordoning and GPU health are ledger state, not
 * membership: they move {@link ClusterView#nodeVersion(int)} and not this.
 *
 * <h2>Cost</h2>
 *
 * A ledger makes a new value in constant time: values of one ledger share append-only arrays, and
 * each reads only below its own bounds and against its own version. Reads by id are array reads.
 * {@link #nodes()}, {@link #nodeIds()}, the label queries, {@link #equals} and {@link #hashCode}
 * cost O(nodes) the first time they are called on a value and are cached on it.
 */
public final class Cluster {
  final Node[] nodes;
  final int[] removedAt;
  final int[] gpuOffset;
  final int[] nodeOfGpu;
  final Gpu[] gpus;
  private final Map<String, int[]> idsByName;
  private final int idBound;
  private final int gpuBound;
  private final int liveNodes;
  private final int liveGpus;
  private final int version;
  /** The store this value was taken from; a ledger writes it only if it owns it. */
  final Membership store;
  private volatile @Nullable Derived derived;

  /** What is computed on demand and cached: live lists and the label index. */
  private static final class Derived {
    final int[] ids;
    final List<Node> nodes;
    final Map<String, Map<String, int[]>> labelIndex;

    Derived(int[] ids, List<Node> nodes, Map<String, Map<String, int[]>> labelIndex) {
      this.ids = ids;
      this.nodes = nodes;
      this.labelIndex = labelIndex;
    }
  }

  Cluster(Membership m) {
    this.nodes = m.nodes;
    this.removedAt = m.removedAt;
    this.gpuOffset = m.gpuOffset;
    this.nodeOfGpu = m.nodeOfGpu;
    this.gpus = m.gpus;
    this.idsByName = m.idsByName;
    this.idBound = m.idBound;
    this.gpuBound = m.gpuBound;
    this.liveNodes = m.liveNodes;
    this.liveGpus = m.liveGpus;
    this.version = m.version;
    this.store = m;
  }

  /**
   * A cluster of these nodes, ids {@code 0..n-1} in the given order, membership version 0.
   *
   * @param nodes the nodes, not null, no null element
   * @return the cluster
   * @throws InvalidSpecException on duplicate node names or GPU UUIDs
   */
  public static Cluster of(Collection<Node> nodes) {
    return Membership.of(Checks.list("cluster", "nodes", nodes)).cluster();
  }

  /**
   * A cluster of these nodes, ids in the given order.
   *
   * @param nodes the nodes
   * @return the cluster
   * @throws InvalidSpecException on duplicate node names or GPU UUIDs
   */
  public static Cluster of(Node... nodes) {
    return of(Arrays.asList(nodes));
  }

  /**
   * The member nodes in ascending id order. Position equals id only while no node has been
   * removed: use {@link #nodeIds()} for the ids.
   *
   * @return an immutable list, cached on this value
   */
  public List<Node> nodes() {
    return derived().nodes;
  }

  /**
   * The ids of the member nodes, ascending.
   *
   * @return a fresh array
   */
  public int[] nodeIds() {
    return derived().ids.clone();
  }

  /**
   * The number of member nodes (removed nodes excluded). Not an id bound: see {@link
   * #nodeIdBound()}.
   *
   * @return the live node count
   */
  public int nodeCount() {
    return liveNodes;
  }

  /**
   * One more than the largest node id issued so far (members and removed nodes): every id is in
   * {@code 0..nodeIdBound()-1}, and arrays indexed by node id need this length.
   *
   * @return the exclusive upper bound of node ids
   */
  public int nodeIdBound() {
    return idBound;
  }

  /**
   * The number of GPUs of the member nodes.
   *
   * @return the live GPU count
   */
  public int gpuCount() {
    return liveGpus;
  }

  /**
   * One more than the largest GPU id issued so far: arrays indexed by GPU id need this length.
   *
   * @return the exclusive upper bound of GPU ids
   */
  public int gpuIdBound() {
    return gpuBound;
  }

  /**
   * The membership version: 0 for {@link #of}, one more for each add, remove or relabel a ledger
   * made since.
   *
   * @return the version of this value
   */
  public long membershipVersion() {
    return version;
  }

  /**
   * Whether {@code nodeId} names a member node of this value. Never throws.
   *
   * @param nodeId any int
   * @return true for an issued id whose node has not been removed
   */
  public boolean isLive(int nodeId) {
    return nodeId >= 0 && nodeId < idBound && removedAt[nodeId] > version;
  }

  /**
   * Whether {@code gpuId} names a GPU of a member node. Never throws.
   *
   * @param gpuId any int
   * @return true for an issued GPU id whose node is a member
   */
  public boolean isLiveGpu(int gpuId) {
    return gpuId >= 0 && gpuId < gpuBound && removedAt[nodeOfGpu[gpuId]] > version;
  }

  /**
   * The node with this id.
   *
   * @param nodeId a member's id
   * @return the node
   * @throws UnknownNodeException when the id was never issued or its node was removed (the
   *     message names it)
   */
  public Node node(int nodeId) {
    checkNode("cluster", "node id", nodeId);
    return nodes[nodeId];
  }

  /**
   * The id of the member node with this name.
   *
   * @param name a node name
   * @return its id
   * @throws UnknownNodeException when no member has this name
   */
  public int nodeId(String name) {
    int id = idOf(name);
    if (id < 0) {
      throw UnknownNodeException.unknown(
          "cluster", "node name", name, "one of the cluster's " + liveNodes + " node names"
              + (wasRemoved(name) ? " (a node named '" + name + "' was removed)" : ""));
    }
    return id;
  }

  /**
   * Whether a member node has this name.
   *
   * @param name a node name
   * @return true when {@link #nodeId(String)} would succeed
   */
  public boolean hasNode(String name) {
    return idOf(name) >= 0;
  }

  private int idOf(String name) {
    int[] ids = name == null ? null : idsByName.get(name);
    if (ids == null) {
      return -1;
    }
    for (int i = ids.length - 1; i >= 0; i--) {
      if (isLive(ids[i])) {
        return ids[i];
      }
    }
    return -1;
  }

  private boolean wasRemoved(String name) {
    int[] ids = idsByName.get(name);
    return ids != null && ids[0] < idBound;
  }

  /**
   * The global id of the node's first GPU. Stable for the node's life.
   *
   * @param nodeId a member's id
   * @return the GPU id of its GPU 0 (for a node without GPUs, where its GPUs would start)
   * @throws UnknownNodeException when the id is not a member's
   */
  public int gpuOffset(int nodeId) {
    checkNode("cluster", "node id", nodeId);
    return gpuOffset[nodeId];
  }

  /**
   * The global GPU id of GPU {@code index} of node {@code nodeId}.
   *
   * @param nodeId a member's id
   * @param index the GPU's index within the node
   * @return its global id
   * @throws UnknownNodeException when the id is not a member's
   * @throws InvalidSpecException when the index is out of the node's range
   */
  public int gpuId(int nodeId, int index) {
    checkNode("cluster", "node id", nodeId);
    int count = nodes[nodeId].gpuCount();
    if (index < 0 || index >= count) {
      throw InvalidSpecException.of(
          "node " + nodes[nodeId].name(), "gpu index", index,
          count == 0 ? "none (the node has no GPUs)" : "0.." + (count - 1));
    }
    return gpuOffset[nodeId] + index;
  }

  /**
   * The GPU with this global id.
   *
   * @param gpuId a GPU id of a member node
   * @return the GPU
   * @throws InvalidSpecException when the id was never issued
   * @throws UnknownNodeException when the GPU's node was removed
   */
  public Gpu gpu(int gpuId) {
    checkGpu(gpuId);
    return gpus[gpuId];
  }

  /**
   * The node id of the GPU with this global id.
   *
   * @param gpuId a GPU id of a member node
   * @return the id of its node
   * @throws InvalidSpecException when the id was never issued
   * @throws UnknownNodeException when the GPU's node was removed
   */
  public int nodeOfGpu(int gpuId) {
    checkGpu(gpuId);
    return nodeOfGpu[gpuId];
  }

  /**
   * The ids of the member nodes whose label {@code key} equals {@code value}, ascending.
   *
   * @param key a label key
   * @param value a label value
   * @return a fresh array, empty when none
   */
  public int[] nodesWithLabel(String key, String value) {
    Map<String, int[]> byValue = derived().labelIndex.get(key);
    int[] ids = byValue == null ? null : byValue.get(value);
    return ids == null ? new int[0] : ids.clone();
  }

  /**
   * The distinct values of label {@code key} among the member nodes, sorted.
   *
   * @param key a label key
   * @return an immutable list, empty when no member has the label
   */
  public List<String> labelValues(String key) {
    Map<String, int[]> byValue = derived().labelIndex.get(key);
    if (byValue == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>(byValue.keySet());
    out.sort(null);
    return List.copyOf(out);
  }

  /**
   * Total allocatable CPU of the member nodes.
   *
   * @return the sum, in millicores
   */
  public long totalCpuMilli() {
    long s = 0;
    for (Node n : nodes()) {
      s += n.cpuMilli();
    }
    return s;
  }

  /**
   * Throws the typed error for an id that does not name a member; the message says which node a
   * removed id was.
   */
  void checkNode(String owner, String field, int nodeId) {
    if (!isLive(nodeId)) {
      throw notMember(owner, field, nodeId);
    }
  }

  UnknownNodeException notMember(String owner, String field, int nodeId) {
    String allowed = liveNodes == 0 ? "none (the cluster is empty)"
        : liveNodes == idBound ? "0.." + (idBound - 1)
        : "the id of one of the cluster's " + liveNodes + " member nodes (0.." + (idBound - 1)
            + " less " + (idBound - liveNodes) + " removed)";
    if (nodeId >= 0 && nodeId < idBound) {
      return UnknownNodeException.unknown(owner, field, nodeId, allowed + "; id " + nodeId
          + " was node '" + nodes[nodeId].name() + "', which was removed (ids are never reused)."
          + " Maybe the decision was made before the node left: decide again.");
    }
    return UnknownNodeException.unknown(owner, field, nodeId, allowed
        + (nodeId >= idBound ? "; id " + nodeId + " was never issued" : ""));
  }

  private void checkGpu(int gpuId) {
    if (gpuId < 0 || gpuId >= gpuBound) {
      throw InvalidSpecException.of(
          "cluster", "gpu id", gpuId,
          gpuBound == 0 ? "none (the cluster has no GPUs)" : "0.." + (gpuBound - 1));
    }
    int node = nodeOfGpu[gpuId];
    if (removedAt[node] <= version) {
      throw UnknownNodeException.unknown("cluster", "gpu id", gpuId, "a GPU of a member node; GPU "
          + gpuId + " was GPU " + (gpuId - gpuOffset[node]) + " of node '" + nodes[node].name()
          + "', which was removed");
    }
  }

  private Derived derived() {
    Derived d = derived;
    if (d == null) {
      int[] ids = new int[liveNodes];
      Node[] live = new Node[liveNodes];
      Map<String, Map<String, List<Integer>>> tmp = new HashMap<>();
      int k = 0;
      for (int i = 0; i < idBound; i++) {
        if (!isLive(i)) {
          continue;
        }
        ids[k] = i;
        live[k++] = nodes[i];
        for (Map.Entry<String, String> e : nodes[i].labels().entrySet()) {
          tmp.computeIfAbsent(e.getKey(), x -> new HashMap<>())
              .computeIfAbsent(e.getValue(), x -> new ArrayList<>())
              .add(i);
        }
      }
      Map<String, Map<String, int[]>> idx = new HashMap<>();
      tmp.forEach((key, byValue) -> {
        Map<String, int[]> m = new HashMap<>();
        byValue.forEach((v, list) -> m.put(v, list.stream().mapToInt(Integer::intValue).toArray()));
        idx.put(key, m);
      });
      d = new Derived(ids, List.of(live), idx);
      derived = d;
    }
    return d;
  }

  /**
   * Equal when both have the same member nodes under the same ids (membership versions and removed
   * slots aside).
   *
   * @param o another object
   * @return whether it is an equal cluster
   */
  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    return o instanceof Cluster c && Arrays.equals(c.derived().ids, derived().ids)
        && c.nodes().equals(nodes());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(derived().ids) * 31 + nodes().hashCode();
  }

  @Override
  public String toString() {
    return "Cluster[" + liveNodes + " nodes, " + liveGpus + " GPUs"
        + (liveNodes != idBound ? ", " + (idBound - liveNodes) + " removed" : "")
        + (version != 0 ? ", membership version " + version : "") + "]";
  }
}

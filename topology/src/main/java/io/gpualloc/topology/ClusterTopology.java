package io.gpualloc.topology;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The topology domains of a cluster: at each {@link TopologyLevels level}, the nodes grouped by
 * their label values. A domain is named by the path of label values from the highest level down to
 * its own, joined with {@code /} ({@code zone-a/block-1/rack-7}), so that two racks called {@code r7}
 * in different blocks stay different domains. A node that lacks the label of a level, or of any
 * level above it, belongs to no domain at that level. Immutable; domain ids are dense per level, in
 * order of the lowest node id of each domain.
 */
public final class ClusterTopology {
  private final Cluster cluster;
  private final TopologyLevels levels;
  private final int[][] domainOfNode; // [level][node] -> domain id or -1
  private final List<List<String>> names; // [level][domain]
  private final List<Map<String, Integer>> idByName;
  private final int[][][] nodes; // [level][domain] -> node ids ascending
  private final int[][] parent; // [level][domain] -> domain id at level + 1, or -1

  private ClusterTopology(Cluster cluster, TopologyLevels levels) {
    this.cluster = cluster;
    this.levels = levels;
    int lc = levels.size();
    int nc = cluster.nodeIdBound(); // removed ids belong to no domain
    this.domainOfNode = new int[lc][nc];
    this.names = new ArrayList<>();
    this.idByName = new ArrayList<>();
    this.nodes = new int[lc][][];
    this.parent = new int[lc][];
    String[][] path = new String[lc][nc];
    for (int v = 0; v < nc; v++) {
      if (!cluster.isLive(v)) {
        continue;
      }
      Node node = cluster.node(v);
      String above = "";
      boolean ok = true;
      for (int l = lc - 1; l >= 0; l--) {
        String value = node.labels().get(levels.labelKeys().get(l));
        ok = ok && value != null;
        if (ok) {
          above = above.isEmpty() ? value : above + "/" + value;
          path[l][v] = above;
        }
      }
    }
    for (int l = 0; l < lc; l++) {
      Map<String, Integer> ids = new HashMap<>();
      List<String> nm = new ArrayList<>();
      List<List<Integer>> members = new ArrayList<>();
      for (int v = 0; v < nc; v++) {
        String p = path[l][v];
        if (p == null) {
          domainOfNode[l][v] = -1;
          continue;
        }
        Integer id = ids.get(p);
        if (id == null) {
          id = nm.size();
          ids.put(p, id);
          nm.add(p);
          members.add(new ArrayList<>());
        }
        domainOfNode[l][v] = id;
        members.get(id).add(v);
      }
      names.add(List.copyOf(nm));
      idByName.add(Map.copyOf(ids));
      nodes[l] = new int[nm.size()][];
      for (int d = 0; d < nm.size(); d++) {
        nodes[l][d] = members.get(d).stream().mapToInt(Integer::intValue).toArray();
      }
    }
    for (int l = 0; l < lc; l++) {
      parent[l] = new int[names.get(l).size()];
      for (int d = 0; d < parent[l].length; d++) {
        parent[l][d] = l + 1 < lc ? domainOfNode[l + 1][nodes[l][d][0]] : -1;
      }
    }
  }

  /**
   * The domains of {@code cluster} at {@code levels}.
   *
   * @param cluster the cluster
   * @param levels the topology levels, lowest first
   * @return the domains of {@code cluster} at {@code levels}
   */
  public static ClusterTopology of(Cluster cluster, TopologyLevels levels) {
    if (cluster == null || levels == null) {
      throw InvalidSpecException.of("cluster topology", "argument", null, "a cluster and levels");
    }
    return new ClusterTopology(cluster, levels);
  }

  /**
   * The cluster.
   *
   * @return the cluster
   */
  public Cluster cluster() {
    return cluster;
  }

  /**
   * The levels.
   *
   * @return the levels
   */
  public TopologyLevels levels() {
    return levels;
  }

  /**
   * The number of domains at {@code level}.
   *
   * @param level the topology level, 0 = lowest
   * @return the number of domains at {@code level}
   */
  public int domainCount(int level) {
    checkLevel(level);
    return names.get(level).size();
  }

  /**
   * The domain of node {@code nodeId} at {@code level}, or -1 when it has none there.
   *
   * @param nodeId the node's id in the cluster
   * @param level the topology level, 0 = lowest
   * @return the domain of node {@code nodeId} at {@code level}, or -1 when it has none there
   */
  public int domainOf(int nodeId, int level) {
    checkLevel(level);
    cluster.node(nodeId);
    return domainOfNode[level][nodeId];
  }

  /**
   * The domain path name, for example {@code zone-a/block-1/rack-7}.
   *
   * @param level the topology level, 0 = lowest
   * @param domainId the domain id at {@code level}
   * @return the domain path name, for example {@code zone-a/block-1/rack-7}
   */
  public String domainName(int level, int domainId) {
    checkDomain(level, domainId);
    return names.get(level).get(domainId);
  }

  /**
   * The id of the domain with this path name at {@code level}.
   *
   *
   * @param level the topology level, 0 = lowest
   * @param name the name
   * @return the id of the domain with this path name at {@code level}
   * @throws InvalidSpecException when there is none
   */
  public int domainId(int level, String name) {
    checkLevel(level);
    Integer id = idByName.get(level).get(name);
    if (id == null) {
      throw InvalidSpecException.of("level " + levels.labelKeys().get(level), "domain", name,
          "one of " + names.get(level).size() + " domain names such as "
              + (names.get(level).isEmpty() ? "(none)" : names.get(level).get(0)));
    }
    return id;
  }

  /**
   * The node ids of a domain, ascending (a copy).
   *
   * @param level the topology level, 0 = lowest
   * @param domainId the domain id at {@code level}
   * @return the node ids of a domain, ascending (a copy)
   */
  public int[] nodesOf(int level, int domainId) {
    checkDomain(level, domainId);
    return nodes[level][domainId].clone();
  }

  /**
   * The domain one level up that contains this domain, or -1 at the top level.
   *
   * @param level the topology level, 0 = lowest
   * @param domainId the domain id at {@code level}
   * @return the domain one level up that contains this domain, or -1 at the top level
   */
  public int parentOf(int level, int domainId) {
    checkDomain(level, domainId);
    return parent[level][domainId];
  }

  int[] nodesShared(int level, int domainId) {
    return nodes[level][domainId];
  }

  int domainOfUnchecked(int nodeId, int level) {
    return domainOfNode[level][nodeId];
  }

  private void checkLevel(int level) {
    if (level < 0 || level >= levels.size()) {
      throw InvalidSpecException.of("cluster topology", "level", level,
          "0.." + (levels.size() - 1) + " (" + String.join(" < ", levels.labelKeys()) + ")");
    }
  }

  private void checkDomain(int level, int domainId) {
    checkLevel(level);
    if (domainId < 0 || domainId >= names.get(level).size()) {
      throw InvalidSpecException.of("level " + levels.labelKeys().get(level), "domain id",
          domainId, names.get(level).isEmpty() ? "none (no domains at this level)"
              : "0.." + (names.get(level).size() - 1));
    }
  }
}

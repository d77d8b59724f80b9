package io.gpualloc.binpack.gang.internal;

import io.gpualloc.core.Cluster;
import io.gpualloc.topology.ClusterTopology;
import java.util.ArrayList;
import java.util.List;

/**
 * The domain tree of a {@link ClusterTopology} as arrays: per level each domain's parent, child
 * domains and the nodes directly under it (nodes of the domain that have no domain one level
 * down; at level 0 all its nodes). Level {@code levels} is the root (the whole cluster). Immutable.
 */
final class Tree {
  final ClusterTopology topology;
  final int levels;
  final int[][] domainOf; // [level][node] -> domain or -1
  final int[][] parent; // [level][domain]
  final int[][][] children; // [level][domain] -> domains at level - 1 (level >= 1)
  final int[][][] direct; // [level][domain] -> nodes without a domain at level - 1
  final int[] rootDomains;
  final int[] rootNodes;
  final int[] liveNodes;
  final String[] levelNames;

  Tree(ClusterTopology topology) {
    this.topology = topology;
    Cluster c = topology.cluster();
    this.levels = topology.levels().size();
    int n = c.nodeIdBound();
    domainOf = new int[levels][n];
    parent = new int[levels][];
    children = new int[levels][][];
    direct = new int[levels][][];
    levelNames = topology.levels().labelKeys().toArray(new String[0]);
    liveNodes = c.nodeIds();
    for (int l = 0; l < levels; l++) {
      java.util.Arrays.fill(domainOf[l], -1);
      for (int v : liveNodes) {
        domainOf[l][v] = topology.domainOf(v, l);
      }
      int dc = topology.domainCount(l);
      parent[l] = new int[dc];
      for (int d = 0; d < dc; d++) {
        parent[l][d] = topology.parentOf(l, d);
      }
    }
    for (int l = 0; l < levels; l++) {
      int dc = topology.domainCount(l);
      List<List<Integer>> kids = new ArrayList<>();
      List<List<Integer>> nodes = new ArrayList<>();
      for (int d = 0; d < dc; d++) {
        kids.add(new ArrayList<>());
        nodes.add(new ArrayList<>());
      }
      if (l >= 1) {
        for (int d = 0; d < topology.domainCount(l - 1); d++) {
          kids.get(parent[l - 1][d]).add(d);
        }
      }
      for (int v : liveNodes) {
        int d = domainOf[l][v];
        if (d >= 0 && (l == 0 || domainOf[l - 1][v] < 0)) {
          nodes.get(d).add(v);
        }
      }
      children[l] = new int[dc][];
      direct[l] = new int[dc][];
      for (int d = 0; d < dc; d++) {
        children[l][d] = kids.get(d).stream().mapToInt(Integer::intValue).toArray();
        direct[l][d] = nodes.get(d).stream().mapToInt(Integer::intValue).toArray();
      }
    }
    List<Integer> roots = new ArrayList<>();
    for (int d = 0; d < topology.domainCount(levels - 1); d++) {
      roots.add(d);
    }
    rootDomains = roots.stream().mapToInt(Integer::intValue).toArray();
    List<Integer> orphans = new ArrayList<>();
    for (int v : liveNodes) {
      if (domainOf[levels - 1][v] < 0) {
        orphans.add(v);
      }
    }
    rootNodes = orphans.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The domain at {@code level} (or the root, 0, at {@code levels}) that holds {@code node}. */
  int domainAt(int node, int level) {
    return level >= levels ? 0 : domainOf[level][node];
  }

  /** Whether domain {@code d} at {@code level} lies inside domain {@code rd} at {@code rl}. */
  boolean inside(int level, int d, int rl, int rd) {
    if (rl >= levels) {
      return true;
    }
    int l = level;
    int x = d;
    while (l < rl && x >= 0) {
      x = parent[l][x];
      l++;
    }
    return l == rl && x == rd;
  }

  /** The live nodes under domain {@code d} at {@code level} (all live nodes for the root). */
  int[] nodesOf(int level, int d) {
    return level >= levels ? liveNodes : topology.nodesOf(level, d);
  }

  /** A level's label key, or {@code cluster} for the root. */
  String levelName(int level) {
    return level >= levels ? "cluster" : levelNames[level];
  }

  /** A domain's path name, or {@code cluster} for the root. */
  String domainName(int level, int d) {
    return level >= levels ? "cluster" : topology.domainName(level, d);
  }
}

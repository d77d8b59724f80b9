package io.gpualloc.core;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The append-only store behind a lineage of {@link Cluster} values. Node ids and GPU ids are issued
 * in order and never reused; a removed node keeps its slot (its {@link Node} stays, for messages)
 * and is marked with the membership version that removed it. Each {@link Cluster} captures the
 * arrays and the bounds of one moment and reads only below its bounds and against its own
 * version, so the store can grow and retire slots in place without disturbing older values:
 *
 * <ul>
 *   <li>a slot at or above an older value's bound is invisible to it;
 *   <li>{@code removedAt[id]} goes from {@code Integer.MAX_VALUE} to a version larger than every
 *       older value's, so they read the node as live either way;
 *   <li>a relabel copies {@link #nodes} (it is the one change that rewrites a slot an older value
 *       sees);
 *   <li>growth doubles the arrays, and older values keep the arrays they captured.
 * </ul>
 *
 * <p>Only the ledger that {@linkplain #claim owns} the store writes it, under its lock; a ledger
 * that does not own its cluster's store (a fork, or a second ledger over the same {@code
 * Cluster}) first builds its own with {@link #copyOf}. Readers of older values on other threads
 * see ints and references written once, so they need no lock.
 */
final class Membership {
  static final int LIVE = Integer.MAX_VALUE;

  Node[] nodes;
  int[] removedAt;
  int[] gpuOffset;
  int[] nodeOfGpu;
  Gpu[] gpus;
  /** Every id ever issued under a name, ascending; at most one of them is live at a time. */
  final ConcurrentHashMap<String, int[]> idsByName;
  /** UUID to GPU id of the live GPUs; read and written by the owner only. */
  final HashMap<String, Integer> liveUuids;
  int idBound;
  int gpuBound;
  int liveNodes;
  int liveGpus;
  int version;
  private final AtomicReference<Object> owner = new AtomicReference<>();

  private Membership(int nodeCapacity, int gpuCapacity) {
    nodes = new Node[Math.max(nodeCapacity, 4)];
    removedAt = new int[nodes.length];
    gpuOffset = new int[nodes.length];
    nodeOfGpu = new int[Math.max(gpuCapacity, 8)];
    gpus = new Gpu[nodeOfGpu.length];
    idsByName = new ConcurrentHashMap<>(Math.max(16, nodeCapacity * 2));
    liveUuids = new HashMap<>(Math.max(16, gpuCapacity * 2));
  }

  /** A store of these nodes, ids in list order, version 0; validates names and UUIDs. */
  static Membership of(List<Node> list) {
    int g = 0;
    for (Node n : list) {
      g += n.gpuCount();
    }
    Membership m = new Membership(list.size(), g);
    for (int i = 0; i < list.size(); i++) {
      Node node = list.get(i);
      if (m.liveId(node.name()) >= 0) {
        throw InvalidSpecException.of(
            "cluster", "nodes[" + i + "].name", node.name(), "unique node names");
      }
      for (int k = 0; k < node.gpuCount(); k++) {
        Integer other = m.liveUuids.get(node.gpu(k).uuid());
        if (other != null) {
          throw InvalidSpecException.of(
              "cluster", "nodes[" + i + "].gpus[" + k + "].uuid", node.gpu(k).uuid(),
              "UUIDs unique in the cluster (also used by "
                  + (other >= 0 ? m.nodes[m.nodeOfGpu[other]].name() : node.name()) + ")");
        }
        m.liveUuids.put(node.gpu(k).uuid(), -1); // placeholder; set by append
      }
      m.append(node);
    }
    return m;
  }

  /** A fresh, unowned store holding exactly what {@code c} shows (its removed slots included). */
  static Membership copyOf(Cluster c) {
    Membership m = new Membership(c.nodes.length, c.gpus.length);
    int n = c.nodeIdBound();
    int g = c.gpuIdBound();
    System.arraycopy(c.nodes, 0, m.nodes, 0, n);
    System.arraycopy(c.gpuOffset, 0, m.gpuOffset, 0, n);
    System.arraycopy(c.nodeOfGpu, 0, m.nodeOfGpu, 0, g);
    System.arraycopy(c.gpus, 0, m.gpus, 0, g);
    for (int i = 0; i < n; i++) {
      int at = c.removedAt[i];
      m.removedAt[i] = at <= c.membershipVersion() ? at : LIVE;
      m.idsByName.merge(m.nodes[i].name(), new int[] {i}, Membership::concat);
      if (m.removedAt[i] == LIVE) {
        for (int k = 0; k < m.nodes[i].gpuCount(); k++) {
          m.liveUuids.put(m.nodes[i].gpu(k).uuid(), m.gpuOffset[i] + k);
        }
      }
    }
    m.idBound = n;
    m.gpuBound = g;
    m.liveNodes = c.nodeCount();
    m.liveGpus = c.gpuCount();
    m.version = (int) c.membershipVersion();
    return m;
  }

  /** Makes {@code ledger} the only writer, if no other ledger is; true when it now owns this. */
  boolean claim(Object ledger) {
    return owner.compareAndSet(null, ledger) || owner.get() == ledger;
  }

  /** The value of this moment. */
  Cluster cluster() {
    return new Cluster(this);
  }

  /** The live id named {@code name}, or -1. */
  int liveId(String name) {
    int[] ids = idsByName.get(name);
    if (ids == null) {
      return -1;
    }
    int last = ids[ids.length - 1];
    return removedAt[last] == LIVE ? last : -1;
  }

  /** The live id of the GPU with this UUID, or -1. */
  int liveGpu(String uuid) {
    Integer id = liveUuids.get(uuid);
    return id == null ? -1 : id;
  }

  /** Issues the next id to {@code node}, without validation, and bumps the version. */
  int addNode(Node node) {
    version = Math.addExact(version, 1);
    return append(node);
  }

  private int append(Node node) {
    int id = idBound;
    if (id == nodes.length) {
      int cap = nodes.length * 2;
      nodes = Arrays.copyOf(nodes, cap);
      removedAt = Arrays.copyOf(removedAt, cap);
      gpuOffset = Arrays.copyOf(gpuOffset, cap);
    }
    int count = node.gpuCount();
    if (gpuBound + count > gpus.length) {
      int cap = Math.max(gpus.length * 2, gpuBound + count);
      gpus = Arrays.copyOf(gpus, cap);
      nodeOfGpu = Arrays.copyOf(nodeOfGpu, cap);
    }
    nodes[id] = node;
    removedAt[id] = LIVE;
    gpuOffset[id] = gpuBound;
    for (int k = 0; k < count; k++) {
      gpus[gpuBound + k] = node.gpu(k);
      nodeOfGpu[gpuBound + k] = id;
      liveUuids.put(node.gpu(k).uuid(), gpuBound + k);
    }
    idsByName.merge(node.name(), new int[] {id}, Membership::concat);
    idBound++;
    gpuBound += count;
    liveNodes++;
    liveGpus += count;
    return id;
  }

  /** Retires live node {@code id} and bumps the version. */
  void removeNode(int id) {
    version = Math.addExact(version, 1);
    removedAt[id] = version;
    Node node = nodes[id];
    for (int k = 0; k < node.gpuCount(); k++) {
      liveUuids.remove(node.gpu(k).uuid());
    }
    liveNodes--;
    liveGpus -= node.gpuCount();
  }

  /** Replaces live node {@code id}'s value (same name and GPUs) and bumps the version. */
  void replaceNode(int id, Node node) {
    version = Math.addExact(version, 1);
    nodes = nodes.clone(); // older values keep the array with the old node
    nodes[id] = node;
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}

package io.gpualloc.binpack.internal;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterView;
import io.gpualloc.core.Gpu;
import io.gpualloc.core.GpuModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Interned node states of the nodes of a changing cluster, for {@link FrameworkPolicy}'s memo: a
 * node's state is its type (GPU models in index order), free CPU and memory, and each GPU's mode,
 * health, shares left under its split count (0, 1 or more), free compute and free memory; nodes in equal states share a state id, and a memo keyed
 * by state id serves them all.
 *
 * <p>The index follows membership: a new {@link Cluster} value (a node added, removed or
 * relabelled) keeps the interned states (types are interned for the index's life) and the
 * per-node entries of ids that still mean the same node (ids are never reused within a ledger),
 * and new ids are read on first use. A node is re-read when its {@link ClusterView#nodeVersion}
 * changed. Views of one {@link ClusterView#lineage} (a ledger and its snapshots) share the
 * entries, so a new snapshot after one allocation re-reads one node; a view of another lineage
 * (a fork, another ledger, an overlay) starts a new epoch, which re-reads every node (node versions
 * of different lineages say nothing about each other). Not thread-safe: the policy synchronises.
 */
final class NodeStateIndex {
  /** The state of a cordoned node (not interned). */
  static final int CORDONED = -2;
  /** The state of a removed node id. */
  static final int REMOVED = -3;

  private @Nullable Cluster cluster;
  private int[] nodeType = new int[0];
  private int[] nodeVersion = new int[0];
  private long[] nodeEpoch = new long[0];
  private int[] nodeState = new int[0];
  private @Nullable Object lastLineage;
  private long epoch;
  private long validVersion = -1;
  private final Map<StateKey, Integer> stateIds = new HashMap<>();
  private final Map<List<GpuModel>, Integer> types = new HashMap<>();
  private int states;

  /**
   * Starts a scan of {@code view}: follows its cluster and view object.
   *
   * @return whether every node's entry is known valid at the view's version (no reads needed)
   */
  boolean begin(ClusterView view) {
    Cluster c = view.cluster();
    if (c != cluster) {
      follow(c);
    }
    Object lineage = view.lineage();
    if (lineage != lastLineage) {
      lastLineage = lineage;
      epoch++; // node versions of another lineage say nothing about this one
      validVersion = -1;
    }
    if (view.version() == validVersion) {
      return true;
    }
    // this scan re-reads entries at the view's versions (an older snapshot of the lineage may
    // move them back): none is known valid at any version until a scan completes
    validVersion = -1;
    return false;
  }

  /** Records that a scan read every node of the view at {@code version}. */
  void complete(long version) {
    validVersion = version;
  }

  /** The node id bound of the cluster followed. */
  int size() {
    return nodeState.length;
  }

  /** How many states are interned. */
  int count() {
    return states;
  }

  /** The node's state id (re-read if its version changed), or {@link #CORDONED} / {@link #REMOVED}. */
  int refresh(ClusterView view, int node) {
    if (!view.isSchedulable(node)) { // removed or cordoned: no state, no memo
      nodeState[node] = view.cluster().isLive(node) ? CORDONED : REMOVED;
      nodeEpoch[node] = epoch - 1; // re-read when it comes back
      return nodeState[node];
    }
    int ver = view.nodeVersion(node);
    if (nodeEpoch[node] != epoch || nodeVersion[node] != ver) {
      nodeVersion[node] = ver;
      nodeEpoch[node] = epoch;
      nodeState[node] = intern(view, node);
    }
    return nodeState[node];
  }

  /** The node's state id as last read. */
  int state(int node) {
    return nodeState[node];
  }

  /** The node version the node's state was read at. */
  int version(int node) {
    return nodeVersion[node];
  }

  /** Forgets every interned state (the memo keyed by them must be dropped too). */
  void clear() {
    stateIds.clear();
    states = 0;
    epoch++;
    validVersion = -1;
  }

  /**
   * Follows a new {@link Cluster} value: recomputes the node types and grows the per-node arrays,
   * keeping their entries; an id whose type differs (another ledger) is marked unread.
   */
  private void follow(Cluster c) {
    cluster = c;
    int n = c.nodeIdBound();
    int[] type = new int[n];
    for (int node = 0; node < n; node++) {
      if (!c.isLive(node)) {
        continue;
      }
      List<GpuModel> models = new ArrayList<>();
      for (Gpu g : c.node(node).gpus()) {
        models.add(g.model());
      }
      Integer t = types.get(models);
      if (t == null) {
        t = types.size();
        types.put(models, t);
      }
      type[node] = t;
    }
    for (int node = 0; node < Math.min(n, nodeType.length); node++) {
      if (type[node] != nodeType[node] && c.isLive(node)) {
        nodeEpoch[node] = 0; // not the node this entry was read for: re-read it
      }
    }
    nodeType = type;
    nodeVersion = Arrays.copyOf(nodeVersion, n);
    nodeEpoch = Arrays.copyOf(nodeEpoch, n);
    nodeState = Arrays.copyOf(nodeState, n);
    validVersion = -1;
  }

  /** Interns the node's current state. */
  private int intern(ClusterView v, int node) {
    Cluster c = v.cluster();
    int base = c.gpuOffset(node);
    int g = c.node(node).gpuCount();
    int[] key = new int[3 + 3 * g];
    key[0] = nodeType[node];
    key[1] = v.freeCpuMilli(node);
    key[2] = v.freeMemoryMib(node);
    for (int i = 0; i < g; i++) {
      // shares left under the GPU's split count, as 0, 1 or "2 or more": one request takes at most
      // one share per GPU, so feasibility and every scorer's after-state depend on no more
      int left = Math.min(2, v.gpuSharesLeft(base + i));
      key[3 + 3 * i] = v.gpuMode(base + i).ordinal() + (v.isGpuHealthy(base + i) ? 0 : 8)
          + 16 * left;
      key[4 + 3 * i] = v.gpuFreeComputeMilli(base + i);
      key[5 + 3 * i] = v.gpuFreeMemoryMib(base + i);
    }
    StateKey k = new StateKey(key);
    Integer id = stateIds.get(k);
    if (id == null) {
      id = states++;
      stateIds.put(k, id);
    }
    return id;
  }

  /** An interned node state. */
  private static final class StateKey {
    final int[] key;
    final int hash;

    StateKey(int[] key) {
      this.key = key;
      this.hash = Arrays.hashCode(key);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof StateKey k && k.hash == hash && Arrays.equals(k.key, key);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}

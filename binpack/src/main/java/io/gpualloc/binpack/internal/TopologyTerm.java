package io.gpualloc.binpack.internal;

import io.gpualloc.core.ClusterView;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.GpuMode;
import io.gpualloc.core.IntraNodeTopology;
import io.gpualloc.core.NodeRejection;
import io.gpualloc.core.NodeScores;
import io.gpualloc.core.RejectReason;
import io.gpualloc.core.Request;
import io.gpualloc.topology.GpuSet;
import io.gpualloc.topology.GpuSetChoice;
import io.gpualloc.topology.GpuSetSelector;
import io.gpualloc.topology.GpuSetSelectors;
import io.gpualloc.topology.LinkClass;
import io.gpualloc.topology.LinkScores;
import io.gpualloc.topology.NodeInterconnect;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The intra-node topology constraint every policy applies to its scored list (see {@code
 * docs/topology.md}): for a request of two or more GPUs, {@link IntraNodeTopology#REQUIRED} keeps
 * only nodes with a free GPU set whose every pair is joined by NVLink or NVSwitch (the others get
 * {@link RejectReason#TOPOLOGY_NOT_SATISFIED} with what the best set there reached), and {@link
 * IntraNodeTopology#PREFERRED} adds a score term, the mean pair score of the best set times the
 * weight, then re-ranks (stable: equal totals keep the policy's order). On a kept node the grants
 * become that set. Nodes whose interconnect is unknown cannot satisfy REQUIRED and score 0 for
 * PREFERRED. MIG instances have no NVLink peer-to-peer path: REQUIRED with two or more MIG
 * instances is never satisfied, PREFERRED scores 0.
 */
public final class TopologyTerm {
  /** The name of the score term. */
  public static final String TERM = "topology";
  /** The default weight: per point of mean pair score (NV1 = 100, SYS = 10 by default). */
  public static final double DEFAULT_WEIGHT = 10_000;
  /** Search nodes allowed when looking for an all-NVLink set the selector did not return. */
  private static final long CLIQUE_BUDGET = 200_000;

  private final Map<String, NodeInterconnect> interconnects;
  private final double weight;
  private final GpuSetSelector selector;
  private final LinkScores scores;

  private TopologyTerm(Map<String, NodeInterconnect> interconnects, double weight) {
    this.interconnects = Map.copyOf(interconnects);
    this.weight = weight;
    this.scores = LinkScores.DEFAULT;
    this.selector = GpuSetSelectors.branchAndBound();
  }

  /** No interconnects known: REQUIRED fails on every node for two or more GPUs. */
  public static TopologyTerm none() {
    return new TopologyTerm(Map.of(), DEFAULT_WEIGHT);
  }

  /** The constraint with these interconnects (by node name) and PREFERRED weight. */
  public static TopologyTerm of(Map<String, NodeInterconnect> interconnects, double weight) {
    return new TopologyTerm(interconnects, weight);
  }

  /** Whether the request's topology setting changes anything: REQUIRED or PREFERRED, 2+ GPUs. */
  public boolean applies(Request r) {
    return r.topology() != IntraNodeTopology.ANY && r.gpu().count() >= 2;
  }

  /** The base policy's scored list with the constraint applied. */
  public NodeScores apply(Request r, ClusterView view, NodeScores base) {
    if (!applies(r)) {
      return base;
    }
    boolean required = r.topology() == IntraNodeTopology.REQUIRED;
    List<String> terms = base.terms();
    if (!required) {
      terms = new ArrayList<>(terms);
      terms.add(TERM);
    }
    int n = base.nodeIdBound();
    int size = base.size();
    Object[] outcome = new Object[size];
    double[] total = new double[size];
    double[] term = new double[size];
    int[] order = new int[size];
    int kept = 0;
    for (int i = 0; i < size; i++) {
      Object o = evaluate(r, view, base.nodeId(i), required);
      outcome[i] = o;
      if (o instanceof Chosen c) {
        term[i] = c.meanScore;
        total[i] = base.score(i) + (required ? 0 : weight * c.meanScore);
        order[kept++] = i;
      } else if (o == null) {
        total[i] = base.score(i);
        order[kept++] = i;
      }
    }
    if (!required) {
      int[] tie = new int[size];
      for (int i = 0; i < size; i++) {
        tie[i] = i;
      }
      Explain.sortDescending(order, 0, kept, total, tie);
    }
    NodeScores.Builder b = NodeScores.builder(r, view.cluster(), terms);
    int t = base.terms().size();
    double[] parts = new double[terms.size()];
    for (int j = 0; j < kept; j++) {
      int i = order[j];
      for (int k = 0; k < t; k++) {
        parts[k] = base.term(i, k);
      }
      if (!required) {
        parts[t] = weight * term[i];
      }
      List<GpuGrant> grants = outcome[i] instanceof Chosen c ? c.grants : base.grants(i);
      b.scored(base.nodeId(i), total[i], parts, grants);
    }
    NodeRejection[] why = new NodeRejection[n];
    for (int i = 0; i < size; i++) {
      if (outcome[i] instanceof NodeRejection nr) {
        why[base.nodeId(i)] = nr;
      }
    }
    for (int node = 0; node < n; node++) {
      if (!base.isFeasible(node)) {
        why[node] = base.rejectionFor(node);
      }
      if (why[node] != null) {
        b.rejected(node, why[node]);
      }
    }
    return b.build(kept == 0 ? Explain.message(view, why) : "");
  }

  /** A chosen set: its grants and mean pair score. */
  private record Chosen(List<GpuGrant> grants, double meanScore) {}

  /**
   * The node's best set ({@link Chosen}), a {@link NodeRejection} (REQUIRED not met), or null
   * (keep the policy's grants, term 0).
   */
  private @Nullable Object evaluate(Request r, ClusterView view, int nodeId, boolean required) {
    int k = r.gpu().count();
    String need = "topology: needs " + k + " GPUs all joined by NVLink/NVSwitch";
    if (r.gpu() instanceof GpuDemand.Mig) {
      return required ? NodeRejection.of(RejectReason.TOPOLOGY_NOT_SATISFIED,
          need + "; MIG instances have no NVLink peer-to-peer path") : null;
    }
    var node = view.cluster().node(nodeId);
    NodeInterconnect ic = interconnects.get(node.name());
    if (ic == null || ic.gpuCount() != node.gpuCount()) {
      return required ? NodeRejection.of(RejectReason.TOPOLOGY_NOT_SATISFIED,
          need + "; the node's interconnect is unknown"
              + (ic == null ? "" : " (" + ic.gpuCount() + " GPUs described, node has "
                  + node.gpuCount() + ")")) : null;
    }
    int off = view.cluster().gpuOffset(nodeId);
    List<Integer> free = new ArrayList<>();
    List<Integer> partly = new ArrayList<>();
    GpuDemand.Shared share = r.gpu() instanceof GpuDemand.Shared s ? s : null;
    for (int i = 0; i < node.gpuCount(); i++) {
      boolean ok = share == null ? Fit.canTakeWhole(r, view, nodeId, i)
          : Fit.canTakeShare(r, view, nodeId, i);
      if (ok) {
        (view.gpuMode(off + i) == GpuMode.FREE ? free : partly).add(i);
      }
    }
    GpuSetChoice choice = selector.select(ic, GpuSet.of(free), GpuSet.of(partly), GpuSet.empty(),
        k);
    if (!(choice instanceof GpuSetChoice.Chosen chosen)) {
      return null; // the filters passed, so this does not happen; keep the policy's answer
    }
    int[] set = chosen.gpus().toArray();
    if (required && !allNvlink(ic, set)) {
      List<Integer> all = new ArrayList<>(free);
      all.addAll(partly);
      int[] clique = bestNvlinkSet(ic, all.stream().mapToInt(Integer::intValue).sorted().toArray(),
          k);
      if (clique == null) {
        return NodeRejection.of(RejectReason.TOPOLOGY_NOT_SATISFIED, need + "; the best free set "
            + chosen.gpus() + " reaches " + worst(ic, set) + ", no all-NVLink set of " + k
            + " among free GPUs " + Fit.ranges(all.stream().sorted().toList()));
      }
      set = clique;
    }
    List<GpuGrant> grants = new ArrayList<>(k);
    long sum = 0;
    for (int a = 0; a < set.length; a++) {
      grants.add(share == null ? GpuGrant.whole(set[a])
          : GpuGrant.share(set[a], share.computeMilli(), share.memoryMib()));
      for (int b = a + 1; b < set.length; b++) {
        sum += ic.pairScore(scores, set[a], set[b]);
      }
    }
    return new Chosen(List.copyOf(grants), sum / (double) (k * (k - 1) / 2));
  }

  /** Whether every pair of the set is NVLink or NVSwitch. */
  static boolean allNvlink(NodeInterconnect ic, int[] set) {
    for (int a = 0; a < set.length; a++) {
      for (int b = a + 1; b < set.length; b++) {
        if (!ic.link(set[a], set[b]).linkClass().isNvLink()) {
          return false;
        }
      }
    }
    return true;
  }

  /** The worst link class among the set's pairs, as {@code topo -m} names it. */
  private static String worst(NodeInterconnect ic, int[] set) {
    LinkClass w = LinkClass.NVSWITCH;
    String pair = "";
    for (int a = 0; a < set.length; a++) {
      for (int b = a + 1; b < set.length; b++) {
        LinkClass c = ic.link(set[a], set[b]).linkClass();
        if (c.isNvLink()) {
          continue;
        }
        if (c == LinkClass.UNKNOWN || c.compareTo(w) > 0 || pair.isEmpty()) {
          w = c;
          pair = " (pair " + set[a] + "-" + set[b] + ")";
        }
      }
    }
    return (w == LinkClass.UNKNOWN ? "an unknown link" : w.token()) + pair;
  }

  /**
   * The all-NVLink set of {@code k} candidates with the largest pair-score sum (lowest indexes on
   * ties), or null when there is none (or the search budget ran out first).
   */
  private @Nullable int[] bestNvlinkSet(NodeInterconnect ic, int[] cand, int k) {
    int m = cand.length;
    if (m < k || m > 64) {
      return null;
    }
    long[] adj = new long[m];
    int[][] score = new int[m][m];
    for (int a = 0; a < m; a++) {
      for (int b = 0; b < m; b++) {
        if (a != b && ic.link(cand[a], cand[b]).linkClass().isNvLink()) {
          adj[a] |= 1L << b;
          score[a][b] = ic.pairScore(scores, cand[a], cand[b]);
        }
      }
    }
    Search s = new Search(adj, score, k);
    s.dfs(0, -1L >>> (64 - m), 0, 0L);
    if (s.best == null) {
      return null;
    }
    int[] out = new int[k];
    for (int i = 0; i < k; i++) {
      out[i] = cand[s.best[i]];
    }
    return out;
  }

  /** Depth-first search for the best k-clique of the NVLink graph, budgeted. */
  private static final class Search {
    final long[] adj;
    final int[][] score;
    final int k;
    final int[] cur;
    int @Nullable [] best;
    long bestSum = -1;
    long steps;

    Search(long[] adj, int[][] score, int k) {
      this.adj = adj;
      this.score = score;
      this.k = k;
      this.cur = new int[k];
    }

    void dfs(int depth, long allowed, long sum, long unused) {
      if (depth == k) {
        if (sum > bestSum) {
          bestSum = sum;
          best = cur.clone();
        }
        return;
      }
      if (Long.bitCount(allowed) < k - depth || ++steps > CLIQUE_BUDGET) {
        return;
      }
      long rest = allowed;
      while (rest != 0) {
        int v = Long.numberOfTrailingZeros(rest);
        rest &= rest - 1;
        long add = 0;
        for (int i = 0; i < depth; i++) {
          add += score[cur[i]][v];
        }
        cur[depth] = v;
        dfs(depth + 1, rest & adj[v], sum + add, unused);
      }
    }
  }
}

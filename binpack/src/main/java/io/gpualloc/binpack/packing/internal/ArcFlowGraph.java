package io.gpualloc.binpack.packing.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The arc-flow graph of a classic (one bin type, unlimited) vector packing instance, after
 * Valerio de Carvalho (1999) and Brandao and Pedroso (2016).
 *
 * <p>Construction: item types (identical size vectors) are ordered by decreasing normalised size.
 * Nodes are partial loads. For type {@code j} and every load {@code l} reachable with types
 * {@code < j}, arcs {@code l + k w_j -> l + (k+1) w_j} are added for {@code k < demand_j} while
 * the load fits; every node gets a loss arc to the sink. Each source-sink path is then a feasible
 * bin pattern, and every pattern (items sorted by type) is a path.
 *
 * <p>Compression: each node's label is replaced by the largest load that still lets every path
 * leaving it finish within capacity ({@code phi(u) = min(C, min over item arcs (phi(v) - w))}),
 * and nodes with equal labels are merged. An item arc then satisfies {@code phi(u) + w <= phi(v)},
 * so every path still fits, and no pattern is lost.
 */
public final class ArcFlowGraph {
  /** Item types: size vectors. */
  public final int[][] typeSize;
  /** Demand (copies) per type. */
  public final int[] demand;
  /** Items of each type (indices into the instance). */
  public final int[][] typeItems;
  /** Item type of each item. */
  public final int[] itemType;
  /** Number of nodes after compression. */
  public final int nodeCount;
  /** Source node. */
  public final int source;
  /** Sink node. */
  public final int sink;
  /** Arc tails. */
  public final int[] tail;
  /** Arc heads. */
  public final int[] head;
  /** Arc item type, or -1 for a loss arc. */
  public final int[] arcType;
  /** Nodes and arcs before compression, for reports. */
  public final int rawNodes;
  /** Arcs before compression. */
  public final int rawArcs;

  private final Map<Long, Integer> loadToOrig; // load code -> raw node
  private final int[] origToNode; // raw node -> compressed node
  private final Map<Long, Integer> origArc; // raw tail * types + type -> compressed arc
  private final int[] lossArc; // compressed node -> its loss arc (-1 for the sink)
  private final long[] radix;

  private ArcFlowGraph(Builder b) {
    this.typeSize = b.typeSize;
    this.demand = b.demand;
    this.typeItems = b.typeItems;
    this.itemType = b.itemType;
    this.nodeCount = b.nodeCount;
    this.source = b.source;
    this.sink = b.sink;
    this.tail = b.tail;
    this.head = b.head;
    this.arcType = b.arcType;
    this.rawNodes = b.rawNodes;
    this.rawArcs = b.rawArcs;
    this.loadToOrig = b.loadToOrig;
    this.origToNode = b.origToNode;
    this.origArc = b.origArc;
    this.lossArc = b.lossArc;
    this.radix = b.radix;
  }

  private ArcFlowGraph(ArcFlowGraph g, int[] tail, int[] head, int[] arcType,
      Map<Long, Integer> origArc, int[] lossArc) {
    this.typeSize = g.typeSize;
    this.demand = g.demand;
    this.typeItems = g.typeItems;
    this.itemType = g.itemType;
    this.nodeCount = g.nodeCount;
    this.source = g.source;
    this.sink = g.sink;
    this.tail = tail;
    this.head = head;
    this.arcType = arcType;
    this.rawNodes = g.rawNodes;
    this.rawArcs = g.rawArcs;
    this.loadToOrig = g.loadToOrig;
    this.origToNode = g.origToNode;
    this.origArc = origArc;
    this.lossArc = lossArc;
    this.radix = g.radix;
  }

  /**
   * The same graph with only the arcs {@code keep} marks: every path of the result is a path of
   * this graph, so every flow on it decomposes into feasible bins; {@link #path} returns null for
   * a pattern that uses a removed arc.
   *
   * @param keep one flag per arc of this graph
   * @return the restricted graph (same nodes, types and demands)
   */
  public ArcFlowGraph restrict(boolean[] keep) {
    int[] newIndex = new int[arcCount()];
    int m = 0;
    for (int a = 0; a < arcCount(); a++) {
      newIndex[a] = keep[a] ? m++ : -1;
    }
    int[] t = new int[m];
    int[] h = new int[m];
    int[] ty = new int[m];
    for (int a = 0; a < arcCount(); a++) {
      if (keep[a]) {
        t[newIndex[a]] = tail[a];
        h[newIndex[a]] = head[a];
        ty[newIndex[a]] = arcType[a];
      }
    }
    Map<Long, Integer> oa = new HashMap<>();
    for (Map.Entry<Long, Integer> e : origArc.entrySet()) {
      if (keep[e.getValue()]) {
        oa.put(e.getKey(), newIndex[e.getValue()]);
      }
    }
    int[] la = new int[lossArc.length];
    for (int v = 0; v < la.length; v++) {
      la[v] = lossArc[v] < 0 ? -1 : newIndex[lossArc[v]];
    }
    return new ArcFlowGraph(this, t, h, ty, oa, la);
  }

  /** Number of arcs. */
  public int arcCount() {
    return tail.length;
  }

  /**
   * Builds the graph, or returns null when the instance is not classic, the load space does not
   * fit a 62-bit code, or the graph would have more than {@code maxArcs} arcs (before or after
   * compression).
   */
  public static @Nullable ArcFlowGraph build(Problem p, int maxArcs) {
    return build(p, maxArcs, Long.MAX_VALUE);
  }

  /**
   * As {@link #build(Problem, int)}, and null as well when {@code deadline} (a {@link
   * System#nanoTime()} value, {@code Long.MAX_VALUE} for none) passes during the build, which
   * checks it every few thousand steps.
   */
  public static @Nullable ArcFlowGraph build(Problem p, int maxArcs, long deadline) {
    if (!p.classic()) {
      return null;
    }
    Builder b = new Builder(p, deadline);
    return b.run(maxArcs) ? new ArcFlowGraph(b) : null;
  }

  /**
   * The arcs of the path that represents one bin holding {@code items}: indices of arcs, or null
   * when the pattern is not a path (it exceeds a demand or the capacity).
   */
  public int @Nullable [] path(List<Integer> items) {
    int types = typeSize.length;
    int[] ts = new int[items.size()];
    for (int k = 0; k < ts.length; k++) {
      ts[k] = itemType[items.get(k)];
    }
    Arrays.sort(ts);
    int dims = radix.length;
    int[] load = new int[dims];
    int[] arcs = new int[ts.length + 1];
    int count = 0;
    for (int t : ts) {
      Integer from = loadToOrig.get(code(load));
      if (from == null) {
        return null;
      }
      Integer a = origArc.get((long) from * types + t);
      if (a == null) {
        return null;
      }
      arcs[count++] = a;
      for (int d = 0; d < dims; d++) {
        load[d] += typeSize[t][d];
      }
    }
    Integer last = loadToOrig.get(code(load));
    if (last == null) {
      return null;
    }
    int node = origToNode[last];
    if (node != sink) {
      if (lossArc[node] < 0) {
        return null;
      }
      arcs[count++] = lossArc[node];
    }
    return Arrays.copyOf(arcs, count);
  }

  private long code(int[] load) {
    long c = 0;
    for (int d = 0; d < load.length; d++) {
      c = c * radix[d] + load[d];
    }
    return c;
  }

  /** Construction state. */
  private static final class Builder {
    final Problem p;
    int[][] typeSize = new int[0][];
    int[] demand = new int[0];
    int[][] typeItems = new int[0][];
    int[] itemType;
    int nodeCount;
    int source;
    int sink;
    int[] tail = new int[0];
    int[] head = new int[0];
    int[] arcType = new int[0];
    int rawNodes;
    int rawArcs;
    Map<Long, Integer> loadToOrig = new HashMap<>();
    int[] origToNode = new int[0];
    final Map<Long, Integer> origArc = new HashMap<>();
    int[] lossArc = new int[0];
    final long[] radix;

    private final long deadline;
    private int steps;

    /** True when the deadline has passed; reads the clock every 4,096 calls. */
    private boolean late() {
      return deadline != Long.MAX_VALUE && (++steps & 4095) == 0
          && System.nanoTime() - deadline > 0;
    }

    Builder(Problem p, long deadline) {
      this.deadline = deadline;
      this.p = p;
      this.itemType = new int[p.n];
      this.radix = new long[p.dims];
    }

    boolean run(int maxArcs) {
      int dims = p.dims;
      int[] cap = p.cap[0];
      double bits = 0;
      for (int d = 0; d < dims; d++) {
        radix[d] = cap[d] + 1L;
        bits += Math.log(radix[d]) / Math.log(2);
      }
      if (bits > 62) {
        return false;
      }
      groupTypes();
      int types = typeSize.length;
      // Nodes of the raw graph: loads, stored as int vectors, indexed by code.
      Map<Long, Integer> id = new HashMap<>();
      List<int[]> loads = new ArrayList<>();
      List<int[]> arcs = new ArrayList<>(); // {tail, head, type}
      Set<Long> arcSeen = new HashSet<>();
      int[] zero = new int[dims];
      id.put(code(zero), 0);
      loads.add(zero);
      List<Integer> reached = new ArrayList<>(List.of(0));
      for (int t = 0; t < types; t++) {
        int[] w = typeSize[t];
        int before = reached.size();
        for (int r = 0; r < before; r++) {
          int cur = reached.get(r);
          for (int k = 0; k < demand[t]; k++) {
            int[] from = loads.get(cur);
            int[] to = new int[dims];
            boolean fits = true;
            for (int d = 0; d < dims; d++) {
              to[d] = from[d] + w[d];
              fits &= to[d] <= cap[d];
            }
            if (!fits) {
              break;
            }
            if (late()) {
              return false;
            }
            long c = code(to);
            Integer next = id.get(c);
            if (next == null) {
              next = loads.size();
              id.put(c, next);
              loads.add(to);
              reached.add(next);
            }
            if (arcSeen.add((long) cur * types + t)) {
              arcs.add(new int[] {cur, next, t});
              if (arcs.size() + loads.size() > maxArcs) {
                return false;
              }
            }
            cur = next;
          }
        }
      }
      rawNodes = loads.size() + 1;
      rawArcs = arcs.size() + loads.size();
      if (deadline != Long.MAX_VALUE && System.nanoTime() - deadline > 0) {
        return false;
      }
      compress(loads, arcs, id);
      return tail.length <= maxArcs;
    }

    private void groupTypes() {
      Map<String, List<Integer>> byKey = new HashMap<>();
      List<int[]> sizes = new ArrayList<>();
      for (int i = 0; i < p.n; i++) {
        String key = Arrays.toString(p.size[i]);
        List<Integer> l = byKey.get(key);
        if (l == null) {
          l = new ArrayList<>();
          byKey.put(key, l);
          sizes.add(p.size[i]);
        }
        l.add(i);
      }
      double[] norm = new double[sizes.size()];
      Integer[] order = new Integer[sizes.size()];
      for (int t = 0; t < sizes.size(); t++) {
        order[t] = t;
        for (int d = 0; d < p.dims; d++) {
          norm[t] += (double) sizes.get(t)[d] / p.cap[0][d];
        }
      }
      Arrays.sort(order, (a, b) -> {
        int c = Double.compare(norm[b], norm[a]);
        return c != 0 ? c : Arrays.compare(sizes.get(b), sizes.get(a));
      });
      int m = sizes.size();
      typeSize = new int[m][];
      demand = new int[m];
      typeItems = new int[m][];
      for (int t = 0; t < m; t++) {
        int[] s = sizes.get(order[t]);
        typeSize[t] = s;
        List<Integer> items = byKey.get(Arrays.toString(s));
        demand[t] = items.size();
        typeItems[t] = items.stream().mapToInt(Integer::intValue).toArray();
        for (int i : typeItems[t]) {
          itemType[i] = t;
        }
      }
    }

    private void compress(List<int[]> loads, List<int[]> arcs, Map<Long, Integer> id) {
      int dims = p.dims;
      int[] cap = p.cap[0];
      int n = loads.size();
      // Outgoing item arcs per node.
      int[] outCount = new int[n];
      for (int[] a : arcs) {
        outCount[a[0]]++;
      }
      int[][] out = new int[n][];
      for (int u = 0; u < n; u++) {
        out[u] = new int[outCount[u]];
        outCount[u] = 0;
      }
      for (int k = 0; k < arcs.size(); k++) {
        int u = arcs.get(k)[0];
        out[u][outCount[u]++] = k;
      }
      // Topological order: decreasing total load (every item has a positive total size).
      Integer[] order = new Integer[n];
      long[] total = new long[n];
      for (int u = 0; u < n; u++) {
        order[u] = u;
        for (int d = 0; d < dims; d++) {
          total[u] += loads.get(u)[d];
        }
      }
      Arrays.sort(order, (a, b) -> Long.compare(total[b], total[a]));
      int[][] phi = new int[n][];
      for (int u : order) {
        int[] f = cap.clone();
        for (int k : out[u]) {
          int[] a = arcs.get(k);
          int[] w = typeSize[a[2]];
          int[] fv = phi[a[1]];
          for (int d = 0; d < dims; d++) {
            f[d] = Math.min(f[d], fv[d] - w[d]);
          }
        }
        phi[u] = f;
      }
      Map<Long, Integer> phiId = new HashMap<>();
      long sinkCode = code(cap);
      phiId.put(sinkCode, 0);
      int[] newId = new int[n];
      for (int u = 0; u < n; u++) {
        long c = code(phi[u]);
        Integer v = phiId.get(c);
        if (v == null) {
          v = phiId.size();
          phiId.put(c, v);
        }
        newId[u] = v;
      }
      sink = 0;
      source = newId[0];
      nodeCount = phiId.size();
      int types = typeSize.length;
      List<int[]> kept = new ArrayList<>();
      Map<Long, Integer> keptIndex = new HashMap<>();
      for (int[] a : arcs) {
        long key = ((long) newId[a[0]] * nodeCount + newId[a[1]]) * types + a[2];
        Integer k = keptIndex.get(key);
        if (k == null) {
          k = kept.size();
          keptIndex.put(key, k);
          kept.add(new int[] {newId[a[0]], newId[a[1]], a[2]});
        }
        origArc.put((long) a[0] * types + a[2], k);
      }
      lossArc = new int[nodeCount];
      Arrays.fill(lossArc, -1);
      for (int u = 0; u < n; u++) {
        int v = newId[u];
        if (v != sink && lossArc[v] < 0) {
          lossArc[v] = kept.size();
          kept.add(new int[] {v, sink, -1});
        }
      }
      int m = kept.size();
      tail = new int[m];
      head = new int[m];
      arcType = new int[m];
      for (int k = 0; k < m; k++) {
        tail[k] = kept.get(k)[0];
        head[k] = kept.get(k)[1];
        arcType[k] = kept.get(k)[2];
      }
      loadToOrig = id;
      origToNode = newId;
    }

    private long code(int[] load) {
      long c = 0;
      for (int d = 0; d < load.length; d++) {
        c = c * radix[d] + load[d];
      }
      return c;
    }
  }
}

package io.gpualloc.binpack.packing.internal;

import io.gpualloc.binpack.solver.SolverInvariantException;
import java.util.ArrayDeque;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Reduced-cost fixing on the arc-flow model: which arcs can carry flow in a packing with at most
 * {@code target} bins, given any dual solution of the LP relaxation.
 *
 * <p>The argument, for any node duals {@code pi} (with {@code pi = 0} at the source and the sink,
 * which have no conservation row) and cover duals {@code sigma >= 0}: let {@code rc(a) = c(a) -
 * pi(tail) + pi(head) - sigma(type)} ({@code c = 1} on source arcs, else 0; no sigma on loss
 * arcs). For every integer flow that conserves flow and covers the demands, the number of bins is
 * {@code z = sum_a rc(a) f(a) + sum_t sigma(t) cover(t) >= D + sum_a rc(a) f(a)}, with {@code D =
 * sum_t sigma(t) d(t)}, because the node terms cancel. The flow splits into {@code z <= target}
 * source-sink paths, so {@code z >= D + rc(P) + (target - 1) min(0, SP)}, where {@code P} is the
 * path through arc {@code a} and {@code SP} the cheapest source-sink path under {@code rc}. An
 * arc whose cheapest path through it makes this exceed {@code target} carries no flow in any
 * packing with at most {@code target} bins, and is removed.
 *
 * <p>This holds for every dual vector, optimal or not (duals that are not optimal only remove
 * fewer arcs; negative reduced costs from a perturbed or inexact LP are accounted for by {@code
 * SP}), so the removal is exact up to the floating-point error of these sums, which {@link
 * #TOLERANCE} covers (the sums have at most a few thousand terms of magnitude at most a few
 * bins). Fixings from several dual vectors may be intersected. Consequently: a packing found on
 * the restricted graph is a packing of the instance (every restricted path is a path of the full
 * graph); and when the restricted model has no flow of at most {@code target} bins, neither has
 * the full one, so {@code target + 1} is a lower bound (as exact as the solver's infeasibility
 * proof: exact for CP-SAT's integer model).
 */
public final class ReducedCostFixing {
  /** Slack added to {@code target} before an arc is removed (covers floating-point error). */
  public static final double TOLERANCE = 1e-6;

  private ReducedCostFixing() {}

  /**
   * The arcs that may carry flow in a packing with at most {@code target} bins.
   *
   * @param g the graph
   * @param nodeDual dual per node (source and sink entries are ignored and taken as 0)
   * @param coverDual dual per item type (negative entries are taken as 0)
   * @param target the number of bins sought
   * @return one flag per arc; all false when even the cheapest path proves {@code target} bins
   *     impossible
   */
  public static boolean[] keep(ArcFlowGraph g, double[] nodeDual, double[] coverDual,
      int target) {
    return keep(g, null, nodeDual, coverDual, target);
  }

  /**
   * As {@link #keep(ArcFlowGraph, double[], double[], int)}, with the duals of an LP whose arc
   * costs {@code arcCost} are at most the true ones (1 on source arcs, else 0), e.g. a perturbed
   * LP with lowered costs: the number of bins is at least the lowered objective, so the argument
   * holds with {@code rc} computed from the lowered costs.
   *
   * @param g the graph
   * @param arcCost cost per arc, each at most the true cost; null for the true costs
   * @param nodeDual dual per node (source and sink entries are ignored and taken as 0)
   * @param coverDual dual per item type (negative entries are taken as 0)
   * @param target the number of bins sought
   * @return one flag per arc
   * @throws SolverInvariantException when an arc cost exceeds the true cost
   */
  public static boolean[] keep(ArcFlowGraph g, double @Nullable [] arcCost, double[] nodeDual,
      double[] coverDual, int target) {
    int nodes = g.nodeCount;
    int arcs = g.arcCount();
    double[] pi = nodeDual.clone();
    pi[g.source] = 0;
    pi[g.sink] = 0;
    double d = 0;
    double[] sigma = new double[coverDual.length];
    for (int t = 0; t < sigma.length; t++) {
      sigma[t] = Math.max(0, coverDual[t]);
      d += sigma[t] * g.demand[t];
    }
    double[] rc = new double[arcs];
    for (int a = 0; a < arcs; a++) {
      double c = g.tail[a] == g.source ? 1 : 0;
      if (arcCost != null) {
        if (arcCost[a] > c) {
          throw new SolverInvariantException("arc " + a + " cost " + arcCost[a]
              + " above its true cost " + c + ": the fixing would not be valid");
        }
        c = arcCost[a];
      }
      rc[a] = c - pi[g.tail[a]] + pi[g.head[a]] - (g.arcType[a] >= 0 ? sigma[g.arcType[a]] : 0);
    }
    int[] order = topologicalOrder(g);
    double[] fromSource = new double[nodes];
    Arrays.fill(fromSource, Double.POSITIVE_INFINITY);
    fromSource[g.source] = 0;
    int[][] out = adjacency(g, true);
    int[][] in = adjacency(g, false);
    for (int v : order) {
      if (fromSource[v] < Double.POSITIVE_INFINITY) {
        for (int a : out[v]) {
          fromSource[g.head[a]] = Math.min(fromSource[g.head[a]], fromSource[v] + rc[a]);
        }
      }
    }
    double[] toSink = new double[nodes];
    Arrays.fill(toSink, Double.POSITIVE_INFINITY);
    toSink[g.sink] = 0;
    for (int k = order.length - 1; k >= 0; k--) {
      int v = order[k];
      if (toSink[v] < Double.POSITIVE_INFINITY) {
        for (int a : in[v]) {
          toSink[g.tail[a]] = Math.min(toSink[g.tail[a]], toSink[v] + rc[a]);
        }
      }
    }
    double sp = fromSource[g.sink];
    double others = Math.max(0, target - 1) * Math.min(0, sp);
    boolean[] keep = new boolean[arcs];
    for (int a = 0; a < arcs; a++) {
      double through = fromSource[g.tail[a]] + rc[a] + toSink[g.head[a]];
      keep[a] = d + through + others <= target + TOLERANCE;
    }
    return keep;
  }

  /**
   * The flags of arcs kept by both fixings.
   *
   * @param a one fixing
   * @param b another fixing of the same graph
   * @return their intersection (a new array)
   */
  public static boolean[] intersect(boolean[] a, boolean[] b) {
    boolean[] r = new boolean[a.length];
    for (int k = 0; k < a.length; k++) {
      r[k] = a[k] && b[k];
    }
    return r;
  }

  /**
   * How many flags are set.
   *
   * @param keep flags
   * @return the number of true entries
   */
  public static int count(boolean[] keep) {
    int c = 0;
    for (boolean k : keep) {
      if (k) {
        c++;
      }
    }
    return c;
  }

  private static int[][] adjacency(ArcFlowGraph g, boolean outgoing) {
    int[] deg = new int[g.nodeCount];
    for (int a = 0; a < g.arcCount(); a++) {
      deg[outgoing ? g.tail[a] : g.head[a]]++;
    }
    int[][] adj = new int[g.nodeCount][];
    for (int v = 0; v < g.nodeCount; v++) {
      adj[v] = new int[deg[v]];
      deg[v] = 0;
    }
    for (int a = 0; a < g.arcCount(); a++) {
      int v = outgoing ? g.tail[a] : g.head[a];
      adj[v][deg[v]++] = a;
    }
    return adj;
  }

  /** Kahn's algorithm; the graph is acyclic (every item has a positive size). */
  static int[] topologicalOrder(ArcFlowGraph g) {
    int[] indeg = new int[g.nodeCount];
    for (int a = 0; a < g.arcCount(); a++) {
      indeg[g.head[a]]++;
    }
    int[][] out = adjacency(g, true);
    ArrayDeque<Integer> ready = new ArrayDeque<>();
    for (int v = 0; v < g.nodeCount; v++) {
      if (indeg[v] == 0) {
        ready.add(v);
      }
    }
    int[] order = new int[g.nodeCount];
    int k = 0;
    while (!ready.isEmpty()) {
      int v = ready.poll();
      order[k++] = v;
      for (int a : out[v]) {
        if (--indeg[g.head[a]] == 0) {
          ready.add(g.head[a]);
        }
      }
    }
    if (k != g.nodeCount) {
      throw new SolverInvariantException("arc-flow graph has a cycle (a bug)");
    }
    return order;
  }
}

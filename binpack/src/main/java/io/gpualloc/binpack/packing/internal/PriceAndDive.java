package io.gpualloc.binpack.packing.internal;

import com.google.ortools.linearsolver.MPConstraint;
import com.google.ortools.linearsolver.MPObjective;
import com.google.ortools.linearsolver.MPSolver;
import com.google.ortools.linearsolver.MPVariable;
import io.gpualloc.binpack.packing.Packing;
import io.gpualloc.binpack.solver.SolverInvariantException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A primal heuristic of branch and price for classic instances (one bin type, unlimited): diving
 * on the Gilmore-Gomory pattern LP with column generation at every node, and limited discrepancy
 * search over the dives, after Sadykov, Vanderbeck, Pessoa, Tahiri and Uchoa, "Primal heuristics
 * for branch and price: the assets of diving methods" (INFORMS J. Computing 31(2), 2019). It looks
 * for a packing with at most {@code target} bins, typically the lower bound, which the LP's
 * rounding and the restricted arc-flow searches miss on instances whose LP duals are degenerate;
 * on the way, every leaf packing with fewer bins than the best so far is kept.
 *
 * <p>A node of the search has fixed some bins (patterns of item types) and covers the residual
 * demand with the master LP (GLOP, one model for the call; the cover rows' lower bounds are the
 * residual demand, lowered and restored as the search goes down and back up). At a node:
 *
 * <ol>
 *   <li>column generation on the residual: exact pricing ({@link PatternKnapsack} with the
 *       residual demand as the copy limits) until no column has a negative reduced cost (or a
 *       round limit);
 *   <li>the node's bound: the fixed bins plus Farley's bound of the residual, computed in integers
 *       from the last pricing (valid whatever the LP's floating point did); a node whose bound
 *       exceeds {@code target} is pruned;
 *   <li>when the LP solution is integral, its columns are fixed (a leaf: a packing, counted);
 *   <li>else the candidates are the master's columns with a positive value, the one closest to
 *       rounding up first (the largest fractional part; whole values count as closest). The child
 *       fixes one bin of the first candidate; a backtrack tries the next candidate, whose
 *       siblings already tried are then tabu (never fixed) in its subtree.
 * </ol>
 *
 * <p>Limited discrepancy: a dive that does not follow the first candidate spends a discrepancy;
 * discrepancies are allowed only in the first {@code depth} levels. The search runs with 0, then
 * 1, 2, ... discrepancies (so the pure dive comes first) until it finds a packing with {@code
 * target} bins, or the deadline passes, or a round with {@code D} discrepancies explores no more
 * nodes than the round with {@code D - 1} (the tree the tabu lists allow is then exhausted).
 *
 * <p>A fixed bin of a pattern holds the pattern's item types, clipped to the demand left; a slot
 * of a type no longer demanded takes a smaller item (one at most the slot's size in every
 * dimension) still demanded, largest first, so the dual-optimal inequalities' substitutions carry
 * over into the packing. Items left when a leaf is reached are packed by the heuristic portfolio.
 * The packing returned is unchecked: the caller checks it against the instance.
 */
public final class PriceAndDive {
  /**
   * Column-generation rounds per node below the root at most (pricing, then a warm LP re-solve);
   * the root prices until no column improves.
   */
  static final int ROUNDS_PER_NODE = 60;

  /** Discrepancies are spent only in this many first levels of a dive. */
  static final int DISCREPANCY_DEPTH = 12;

  /**
   * The outcome.
   *
   * @param packing the best packing found with fewer bins than the start packing (unchecked),
   *     with at most the target bins when the search succeeded; null when none was found
   * @param nodes nodes of the search
   * @param lpSolves master LP solves
   * @param discrepancies the largest discrepancy count whose search started
   * @param rootBound the root's Farley bound (bins), 0 when the root was not solved
   */
  public record Result(@Nullable Packing packing, long nodes, long lpSolves, int discrepancies,
      long rootBound) {}

  private final Problem p;
  private final ColumnGeneration.Types types;
  private final int nt;
  private final int[] cap;
  private final int target;
  private final long deadline;
  private final MPSolver s;
  private final MPObjective obj;
  private final MPConstraint[] cover;
  private final List<MPVariable> cols = new ArrayList<>();
  private final List<int[]> patterns = new ArrayList<>();
  /** Per column, whether it may not be fixed in the current subtree. */
  private boolean[] tabu = new boolean[64];
  /** Types ordered by decreasing normalised size, for substitutions. */
  private final int[] bySizeDesc;
  private final int[] left;
  private final List<int[]> fixed = new ArrayList<>();
  private long nodes;
  private long lpSolves;
  private long rootBound;
  private boolean stopped;
  private @Nullable Packing found;
  /** Bins of {@link #found}, else of the start packing (leaves must beat it). */
  private int bestBins;

  private PriceAndDive(MPSolver s, Problem p, int target, long deadline) {
    this.s = s;
    this.p = p;
    this.types = new ColumnGeneration.Types(p);
    this.nt = types.demand.length;
    this.cap = p.cap[0];
    this.target = target;
    this.deadline = deadline;
    this.obj = s.objective();
    obj.setMinimization();
    this.cover = new MPConstraint[nt];
    for (int t = 0; t < nt; t++) {
      cover[t] = s.makeConstraint(types.demand[t], Double.POSITIVE_INFINITY, "b" + t);
    }
    this.left = types.demand.clone();
    double[] norm = new double[nt];
    Integer[] idx = new Integer[nt];
    for (int t = 0; t < nt; t++) {
      idx[t] = t;
      for (int d = 0; d < cap.length; d++) {
        norm[t] += (double) types.size[t][d] / Math.max(1, cap[d]);
      }
    }
    Arrays.sort(idx, (x, y) -> x.equals(y) ? 0
        : norm[x] != norm[y] ? Double.compare(norm[y], norm[x]) : Integer.compare(x, y));
    this.bySizeDesc = new int[nt];
    for (int t = 0; t < nt; t++) {
      bySizeDesc[t] = idx[t];
    }
  }

  /**
   * Searches for a packing of {@code p} with at most {@code target} bins until {@code deadline}.
   *
   * @param p a classic problem whose every item fits a bin
   * @param start a complete packing whose bins are the master's first columns, or null (then one
   *     column per item type, as many copies as fit)
   * @param target the bins wanted (at least 1)
   * @param deadline {@link System#nanoTime()} to stop by
   * @return the packing found (unchecked) or null, and what the search did
   * @throws SolverInvariantException when {@code p} is not classic, some item fits no bin or
   *     {@code target < 1} (a caller's bug)
   */
  public static Result search(Problem p, @Nullable Packing start, int target, long deadline) {
    return search(p, start, List.of(), target, deadline);
  }

  /**
   * As {@link #search(Problem, Packing, int, long)}, with more first columns: {@code seeds}, each
   * a pattern given by the items of one bin (the arc-flow LP's paths, say, so that the root
   * starts near the LP optimum).
   *
   * @param p a classic problem whose every item fits a bin
   * @param start a complete packing whose bins are first columns, or null
   * @param seeds further first columns, each the item indices of one bin (a bin's worth: the
   *     caller makes sure they fit together)
   * @param target the bins wanted (at least 1)
   * @param deadline {@link System#nanoTime()} to stop by
   * @return the packing found (unchecked) or null, and what the search did
   * @throws SolverInvariantException when {@code p} is not classic, some item fits no bin or
   *     {@code target < 1} (a caller's bug)
   */
  public static Result search(Problem p, @Nullable Packing start, List<int[]> seeds, int target,
      long deadline) {
    if (!p.classic() || !p.everyItemFitsSomewhere() || target < 1) {
      throw new SolverInvariantException("price-and-dive needs a classic instance whose every item "
          + "fits a bin and a target of at least 1 bin; got " + p.types + " bin types, target "
          + target);
    }
    CpSatModels.load();
    MPSolver s = MPSolver.createSolver("GLOP");
    if (s == null) {
      return new Result(null, 0, 0, -1, 0);
    }
    try {
      PriceAndDive search = new PriceAndDive(s, p, target, deadline);
      search.bestBins = start != null && start.isComplete() ? start.binCount()
          : Integer.MAX_VALUE;
      int reached = search.run(start, seeds);
      return new Result(search.found, search.nodes, search.lpSolves, reached, search.rootBound);
    } finally {
      s.delete();
    }
  }

  private int run(@Nullable Packing start, List<int[]> seeds) {
    for (int[] bin : seeds) {
      int[] a = new int[nt];
      for (int i : bin) {
        a[types.typeOf[i]]++;
      }
      addColumn(a);
    }
    for (int[] a : ColumnGeneration.startColumns(p, types, start)) {
      addColumn(a);
    }
    ColumnGeneration.dualOptimalInequalities(s, cover, types, cap);
    int d = -1;
    long lastRound = -1;
    while (bestBins > target && !stopped && System.nanoTime() - deadline < 0) {
      d++;
      long before = nodes;
      node(0, d);
      if (nodes - before == lastRound) {
        // One more discrepancy reached no further node: the tree it may explore is exhausted.
        break;
      }
      lastRound = nodes - before;
    }
    return d;
  }

  /**
   * The subtree below the current fixings, with {@code disc} discrepancies left; true when a
   * packing with at most {@code target} bins was found (then {@link #found} holds it).
   */
  private boolean node(int depth, int disc) {
    nodes++;
    if (remaining() == 0) {
      return leaf(List.of());
    }
    long bound = columnGeneration(depth == 0 && fixed.isEmpty() ? Integer.MAX_VALUE
        : ROUNDS_PER_NODE);
    if (stopped) {
      return false;
    }
    if (depth == 0 && fixed.isEmpty()) {
      rootBound = Math.max(rootBound, bound);
    }
    if (fixed.size() + bound > target) {
      return false;
    }
    List<Integer> cands = new ArrayList<>();
    List<double[]> keys = new ArrayList<>();
    boolean integral = true;
    for (int c = 0; c < cols.size(); c++) {
      double x = cols.get(c).solutionValue();
      if (x > 1e-6) {
        if (Math.abs(x - Math.rint(x)) > 1e-6) {
          integral = false;
        }
        if (!tabu[c]) {
          cands.add(c);
          double up = Math.ceil(x - 1e-6) - x;
          keys.add(new double[] {Math.max(0, up), -x, c});
        }
      }
    }
    if (integral) {
      List<int[]> leafBins = new ArrayList<>();
      for (int c = 0; c < cols.size(); c++) {
        long copies = Math.round(cols.get(c).solutionValue());
        for (long k = 0; k < copies; k++) {
          leafBins.add(patterns.get(c));
        }
      }
      if (leaf(leafBins)) {
        return true;
      }
    }
    Integer[] order = cands.toArray(new Integer[0]);
    double[][] key = keys.toArray(new double[0][]);
    Integer[] pos = new Integer[order.length];
    for (int k = 0; k < pos.length; k++) {
      pos[k] = k;
    }
    Arrays.sort(pos, (x, y) -> Arrays.compare(key[x], key[y]));
    List<Integer> madeTabu = new ArrayList<>();
    int tried = 0;
    try {
      for (Integer k : pos) {
        int c = order[k];
        int[] a = take(patterns.get(c));
        if (a == null) {
          continue;
        }
        apply(a, 1);
        fixed.add(a);
        boolean ok = node(depth + 1, disc - tried);
        fixed.remove(fixed.size() - 1);
        apply(a, -1);
        if (ok) {
          return true;
        }
        tried++;
        if (stopped || tried > disc || depth >= DISCREPANCY_DEPTH) {
          break;
        }
        tabu[c] = true;
        madeTabu.add(c);
      }
    } finally {
      for (int c : madeTabu) {
        tabu[c] = false;
      }
    }
    return false;
  }

  /**
   * Column generation on the residual demand: returns the best Farley bound (bins) over the
   * rounds, or 0 when none was computed; sets {@link #stopped} when the deadline passed or the LP
   * failed.
   */
  private long columnGeneration(int rounds) {
    long bound = 0;
    for (int round = 0; ; round++) {
      long ms = (deadline - System.nanoTime()) / 1_000_000;
      if (ms < 2) {
        stopped = true;
        return bound;
      }
      s.setTimeLimit(ms);
      if (s.solve() != MPSolver.ResultStatus.OPTIMAL) {
        stopped = true;
        return bound;
      }
      lpSolves++;
      if (round == rounds) {
        // Out of rounds: this solution (not priced out) is the node's.
        return bound;
      }
      double[] y = new double[nt];
      for (int t = 0; t < nt; t++) {
        y[t] = Math.max(0, cover[t].dualValue());
      }
      long[] scaled = ColumnGeneration.scale(y, left);
      PatternKnapsack.Answer k = PatternKnapsack.solve(scaled, types.size, cap, left,
          ColumnGeneration.NODE_LIMIT, deadline);
      bound = Math.max(bound, ColumnGeneration.farley(scaled, left, k.upper()));
      boolean added = addIfImproving(y, k.counts());
      if (added) {
        for (int[] more : k.others()) {
          addIfImproving(y, more);
        }
      } else {
        return bound;
      }
    }
  }

  /**
   * Fixes {@code extra} bins (patterns) after the current ones, packs what is left with the
   * portfolio, records the packing when it has fewer bins than the best so far, and returns
   * whether it has at most {@code target}.
   */
  private boolean leaf(List<int[]> extra) {
    List<int[]> added = new ArrayList<>();
    for (int[] pattern : extra) {
      int[] a = take(pattern);
      if (a != null) {
        apply(a, 1);
        added.add(a);
      }
    }
    try {
      if (fixed.size() + added.size() >= bestBins) {
        return false;
      }
      Packing q = toPacking(added);
      if (q != null && q.isComplete() && q.binCount() < bestBins) {
        found = q;
        bestBins = q.binCount();
      }
      return bestBins <= target;
    } finally {
      for (int[] a : added) {
        apply(a, -1);
      }
    }
  }

  /**
   * The fixed bins plus {@code added}, the rest of the items by the portfolio; null when that
   * cannot beat the best so far or the portfolio did not finish.
   */
  private @Nullable Packing toPacking(List<int[]> added) {
    if (remaining() > 0 && fixed.size() + added.size() + 1 >= bestBins) {
      return null;
    }
    List<int[]> all = new ArrayList<>(fixed);
    all.addAll(added);
    return ColumnGeneration.toPacking(p, types, all, deadline);
  }

  /**
   * One bin of {@code pattern} for the demand left: its types clipped to the demand, each slot
   * a clipped type leaves taken by the largest smaller type still demanded; null when it holds
   * nothing.
   */
  private int @Nullable [] take(int[] pattern) {
    int[] a = new int[nt];
    int[] want = left.clone();
    int placed = 0;
    for (int t = 0; t < nt; t++) {
      a[t] = Math.min(pattern[t], want[t]);
      want[t] -= a[t];
      placed += a[t];
    }
    for (int t = 0; t < nt; t++) {
      for (int slot = a[t]; slot < pattern[t]; slot++) {
        int sub = -1;
        for (int u : bySizeDesc) {
          if (want[u] > 0 && ColumnGeneration.dominates(types.size[t], types.size[u])) {
            sub = u;
            break;
          }
        }
        if (sub < 0) {
          break;
        }
        a[sub]++;
        want[sub]--;
        placed++;
      }
    }
    return placed == 0 ? null : a;
  }

  /** Lowers ({@code sign} 1) or restores ({@code -1}) the demand left by bin {@code a}. */
  private void apply(int[] a, int sign) {
    for (int t = 0; t < nt; t++) {
      if (a[t] != 0) {
        left[t] -= sign * a[t];
        cover[t].setLb(left[t]);
      }
    }
  }

  private int remaining() {
    int r = 0;
    for (int v : left) {
      r += v;
    }
    return r;
  }

  private boolean addIfImproving(double[] y, int[] a) {
    boolean added = ColumnGeneration.addIfImproving(s, obj, cover, cols, patterns, y, a);
    growTabu();
    return added;
  }

  private void addColumn(int[] a) {
    ColumnGeneration.addColumn(s, obj, cover, cols, patterns, a);
    growTabu();
  }

  private void growTabu() {
    if (tabu.length < cols.size()) {
      tabu = Arrays.copyOf(tabu, Math.max(tabu.length * 2, cols.size()));
    }
  }
}

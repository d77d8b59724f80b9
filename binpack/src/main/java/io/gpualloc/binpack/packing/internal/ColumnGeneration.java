package io.gpualloc.binpack.packing.internal;

import com.google.ortools.linearsolver.MPConstraint;
import com.google.ortools.linearsolver.MPObjective;
import com.google.ortools.linearsolver.MPSolver;
import com.google.ortools.linearsolver.MPVariable;
import io.gpualloc.binpack.packing.Packing;
import io.gpualloc.binpack.solver.SolverInvariantException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A lower bound on the number of bins of a classic instance (one bin type, unlimited, any number
 * of dimensions) by Gilmore-Gomory column generation, without an arc-flow graph.
 *
 * <p>The restricted master LP (GLOP, one model for the call, re-solved warm as columns are added)
 * covers each item type's demand with patterns and minimises the patterns used; it starts from the
 * bins of a packing. Each iteration prices with {@link PatternKnapsack} on the master's cover
 * duals and adds the best pattern when its reduced cost is negative. In several dimensions a
 * greedy heuristic ({@link GreedyPricing}) prices first and adds up to {@link #HEURISTIC_COLUMNS}
 * columns; the exact knapsack then runs only when the heuristic finds fewer than {@link
 * #HEURISTIC_FEW}, or every {@link #EXACT_EVERY} iterations, since only the exact knapsack's
 * {@code K} gives a bound and proves convergence.
 *
 * <p>The bound is Farley's, computed in integers so that floating point cannot make it invalid:
 * for any nonnegative dual vector {@code Y} and any {@code K} at least the largest {@code sum_t
 * Y_t a_t} over feasible (demand-bounded) patterns {@code a}, {@code Y / K} is a feasible solution
 * of the dual of the pattern LP, so {@code sum_t Y_t b_t / K} is at most the LP optimum, itself at
 * most the optimum. The master's duals are scaled and floored to nonnegative longs {@code Y}, the
 * knapsack returns an exact {@code K} (or a valid upper bound on it when its node limit cuts it),
 * and {@code ceil(sum_t Y_t b_t / K)} is computed in long arithmetic. The bound is valid at every
 * iteration, so the best over the iterations is kept and the loop can stop at any time.
 */
public final class ColumnGeneration {
  private ColumnGeneration() {}

  /**
   * Pricing nodes per iteration at first (beyond it the knapsack returns an upper bound, not the
   * optimum); in several dimensions a pricing that finds no column within it is repeated with four
   * times as many, up to {@link #NODE_LIMIT_MAX}.
   */
  static final long NODE_LIMIT = 20_000;

  /** Pricing rounds for the residual demand per fixing step of the dive. */
  static final int DIVE_PRICING = 5;

  /** Largest pricing node limit in several dimensions. */
  static final long NODE_LIMIT_MAX = 5_120_000;

  /** Weight of the stability center in Wentges smoothing. */
  static final double SMOOTHING = 0.8;

  /** Columns added per heuristic pricing at most (several dimensions). */
  static final int HEURISTIC_COLUMNS = 100;

  /** Fewer heuristic columns than this make the exact pricing run as well. */
  static final int HEURISTIC_FEW = 10;

  /** The exact pricing runs at least every this many iterations (several dimensions). */
  static final int EXACT_EVERY = 5;

  /**
   * The outcome.
   *
   * @param bound the best Farley bound over the iterations (bins), 0 when none was computed
   * @param iterations master LP solves that gave duals
   * @param columns patterns in the master at the end
   * @param converged whether pricing proved that no column has a negative reduced cost
   * @param lpValue the last master LP value (bins), or -1
   * @param packing the residual-rounding dive's packing (unchecked), or null when no dive ran
   *     or it did not finish
   */
  public record Result(int bound, int iterations, int columns, boolean converged,
      double lpValue, @Nullable Packing packing) {}

  /** Item types: distinct size vectors with their multiplicities. */
  static final class Types {
    final int[][] size;
    final int[] demand;
    final int[] typeOf;

    Types(Problem p) {
      Integer[] idx = new Integer[p.n];
      for (int i = 0; i < p.n; i++) {
        idx[i] = i;
      }
      Comparator<Integer> lex = (x, y) -> Arrays.compare(p.size[x], p.size[y]);
      Arrays.sort(idx, lex.thenComparing(Comparator.naturalOrder()));
      List<int[]> sizes = new ArrayList<>();
      List<Integer> counts = new ArrayList<>();
      typeOf = new int[p.n];
      for (int k = 0; k < p.n; k++) {
        int i = idx[k];
        if (k == 0 || !Arrays.equals(p.size[i], p.size[idx[k - 1]])) {
          sizes.add(p.size[i]);
          counts.add(0);
        }
        int t = sizes.size() - 1;
        counts.set(t, counts.get(t) + 1);
        typeOf[i] = t;
      }
      size = sizes.toArray(new int[0][]);
      demand = counts.stream().mapToInt(Integer::intValue).toArray();
    }
  }

  /**
   * Farley's bound in exact integer arithmetic: {@code ceil(sum_t y[t] b[t] / k)}.
   *
   * @param y nonnegative dual values
   * @param b demands
   * @param k an upper bound on {@code max sum_t y[t] a[t]} over feasible patterns, positive
   * @return the bound, or 0 when the sum overflows a long or {@code k <= 0}
   */
  public static long farley(long[] y, int[] b, long k) {
    if (k <= 0) {
      return 0;
    }
    long sum = 0;
    try {
      for (int t = 0; t < y.length; t++) {
        if (y[t] < 0) {
          throw new SolverInvariantException("negative dual " + y[t] + " of type " + t);
        }
        sum = Math.addExact(sum, Math.multiplyExact(y[t], (long) b[t]));
      }
    } catch (ArithmeticException overflow) {
      return 0;
    }
    return sum / k + (sum % k == 0 ? 0 : 1);
  }

  /** {@code sum_t y[t] b[t] / k} in floating point, to compare dual vectors; 0 when k <= 0. */
  private static double lagrangian(long[] y, int[] b, long k) {
    if (k <= 0) {
      return 0;
    }
    double sum = 0;
    for (int t = 0; t < y.length; t++) {
      sum += (double) y[t] * b[t];
    }
    return sum / k;
  }

  /**
   * Scales nonnegative duals to longs: {@code floor(y[t] * s)} with {@code s} chosen so that each
   * is at most {@link PatternKnapsack#MAX_VALUE} and {@code sum_t Y_t b_t} at most {@code 2^61}
   * (so every knapsack and Farley sum fits a long). Negative and non-finite duals become 0.
   *
   * @param y the duals
   * @param b the demands
   * @return the scaled, floored duals
   */
  public static long[] scale(double[] y, int[] b) {
    double max = 0;
    double weighted = 0;
    for (int t = 0; t < y.length; t++) {
      double v = Double.isFinite(y[t]) && y[t] > 0 ? y[t] : 0;
      max = Math.max(max, v);
      weighted += v * b[t];
    }
    long[] out = new long[y.length];
    if (max <= 0) {
      return out;
    }
    double s = Math.min(0x1p30 / max, 0x1p60 / weighted);
    for (int t = 0; t < y.length; t++) {
      double v = Double.isFinite(y[t]) && y[t] > 0 ? y[t] : 0;
      out[t] = Math.min(PatternKnapsack.MAX_VALUE, (long) Math.floor(v * s));
    }
    return out;
  }

  /**
   * Runs column generation on {@code p} until {@code deadline}, or until the bound reaches {@code
   * target} bins, or until pricing proves the master optimal.
   *
   * @param p a classic problem ({@link Problem#classic()})
   * @param start a complete packing whose bins are the first columns, or null (then one column per
   *     item type, as many copies as fit)
   * @param target stop once the bound reaches this many bins (e.g. the best packing's)
   * @param deadline {@link System#nanoTime()} to stop by
   * @return the best bound and what the loop did; bound 0 when GLOP is not available or no LP was
   *     solved in time
   * @throws SolverInvariantException when {@code p} is not classic or some item fits no bin
   */
  public static Result bound(Problem p, @Nullable Packing start, int target, long deadline) {
    return bound(p, start, target, deadline, deadline);
  }

  /**
   * As {@link #bound(Problem, Packing, int, long)}, then, when the bound is still below {@code
   * target} and time is left, a residual-rounding dive on the final master until {@code
   * diveDeadline} (a primal heuristic: its packing is in {@link Result#packing()}, unchecked).
   *
   * @param p a classic problem ({@link Problem#classic()})
   * @param start a complete packing whose bins are the first columns, or null
   * @param target stop once the bound reaches this many bins
   * @param deadline {@link System#nanoTime()} to end the column generation by
   * @param diveDeadline {@link System#nanoTime()} to end the dive by ({@code >= deadline})
   * @return the best bound, what the loop did, and the dive's packing or null
   * @throws SolverInvariantException when {@code p} is not classic or some item fits no bin
   */
  public static Result bound(Problem p, @Nullable Packing start, int target, long deadline,
      long diveDeadline) {
    if (!p.classic() || !p.everyItemFitsSomewhere()) {
      throw new SolverInvariantException("column generation needs a classic instance (one bin "
          + "type, unlimited) whose every item fits a bin; got " + p.types + " types, every item "
          + "fits: " + p.everyItemFitsSomewhere());
    }
    CpSatModels.load();
    MPSolver s = MPSolver.createSolver("GLOP");
    if (s == null) {
      return new Result(0, 0, 0, false, -1, null);
    }
    try {
      return run(s, p, start, target, deadline, diveDeadline);
    } finally {
      s.delete();
    }
  }

  private static Result run(MPSolver s, Problem p, @Nullable Packing start, int target,
      long deadline, long diveDeadline) {
    Types types = new Types(p);
    int nt = types.demand.length;
    int[] cap = p.cap[0];
    MPConstraint[] cover = new MPConstraint[nt];
    for (int t = 0; t < nt; t++) {
      cover[t] = s.makeConstraint(types.demand[t], Double.POSITIVE_INFINITY, "b" + t);
    }
    MPObjective obj = s.objective();
    obj.setMinimization();
    List<MPVariable> cols = new ArrayList<>();
    List<int[]> patterns = new ArrayList<>();
    for (int[] a : startColumns(p, types, start)) {
      addColumn(s, obj, cover, cols, patterns, a);
    }
    dualOptimalInequalities(s, cover, types, cap);
    long best = 0;
    int iterations = 0;
    boolean converged = false;
    double lp = -1;
    // Wentges smoothing: price at a point between the best dual vector so far (by its Lagrangian
    // value sum Y b / K) and the master's; when that yields no column with a negative reduced cost
    // for the master (a mis-price), price at the master's duals themselves.
    double[] center = null;
    boolean denseNext = false;
    double centerValue = -1;
    long limit = NODE_LIMIT;
    while (best < target) {
      long ms = (deadline - System.nanoTime()) / 1_000_000;
      if (ms < 2) {
        break;
      }
      s.setTimeLimit(ms);
      if (s.solve() != MPSolver.ResultStatus.OPTIMAL) {
        break;
      }
      iterations++;
      lp = obj.value();
      double[] y = new double[nt];
      for (int t = 0; t < nt; t++) {
        y[t] = Math.max(0, cover[t].dualValue());
      }
      // Several dimensions: heuristic pricing first. The exact knapsack runs when the heuristic
      // finds few columns, and every EXACT_EVERY iterations anyway for Farley's bound.
      int heuristic = 0;
      if (cap.length > 1) {
        for (int[] a : GreedyPricing.columns(y, types.size, cap, types.demand, 1 + 1e-9,
            HEURISTIC_COLUMNS, deadline)) {
          if (addIfImproving(s, obj, cover, cols, patterns, y, a)) {
            heuristic++;
          }
        }
      }
      boolean added = heuristic > 0;
      boolean exactDue = heuristic < HEURISTIC_FEW || iterations % EXACT_EVERY == 0;
      // Round 0 prices at the smoothed point, round 1 at the master's duals; a round whose
      // search was cut short without a column is repeated with four times the node limit (only
      // when the heuristic found nothing: otherwise one exact pricing is enough).
      int round = center == null ? 1 : 0;
      boolean exactAdded = false;
      while (exactDue && round < 2 && !exactAdded && System.nanoTime() - deadline < 0) {
        double[] point = y;
        if (round == 0) {
          point = new double[nt];
          for (int t = 0; t < nt; t++) {
            point[t] = SMOOTHING * center[t] + (1 - SMOOTHING) * y[t];
          }
        }
        long[] scaled = scale(point, types.demand);
        PatternKnapsack.Answer k = PatternKnapsack.solve(scaled, types.size, cap, types.demand,
            denseNext ? 1 : limit, deadline);
        // One dimension: once the state list outgrows the node limit (duals nearly proportional
        // to sizes, late in the run), go straight to the dense table.
        denseNext = cap.length == 1 && k.nodes() > NODE_LIMIT;
        best = Math.max(best, farley(scaled, types.demand, k.upper()));
        double value = lagrangian(scaled, types.demand, k.upper());
        if (value > centerValue) {
          centerValue = value;
          center = point;
        }
        exactAdded = addIfImproving(s, obj, cover, cols, patterns, y, k.counts());
        if (exactAdded) {
          for (int[] more : k.others()) {
            addIfImproving(s, obj, cover, cols, patterns, y, more);
          }
        } else if (added) {
          break;
        } else if (!k.exact() && cap.length > 1 && limit < NODE_LIMIT_MAX) {
          limit *= 4;
        } else {
          if (round == 1) {
            converged = k.exact();
          }
          round++;
        }
      }
      added |= exactAdded;
      if (!added) {
        break;
      }
    }
    Packing dived = null;
    if (iterations > 0 && best < target && diveDeadline - System.nanoTime() > 0) {
      dived = dive(s, cover, cols, patterns, types, p, diveDeadline);
    }
    return new Result((int) Math.min(Integer.MAX_VALUE, best), iterations, cols.size(),
        converged, lp, dived);
  }

  /**
   * Residual rounding on the master: fix {@code floor(x_p)} copies of every pattern (clipped to the
   * demand left), or one copy of the pattern of largest value when none is at least 1, lower the
   * cover rows to what is left, re-solve (warm) after pricing up to {@link #DIVE_PRICING} columns
   * for the residual demand, until every item is placed or the deadline passes; the rest is
   * packed by the heuristic portfolio (MBS' bounded by the deadline). Returns the packing (the
   * caller checks it), or null when the portfolio did not finish in time.
   */
  private static @Nullable Packing dive(MPSolver s, MPConstraint[] cover, List<MPVariable> cols,
      List<int[]> patterns, Types types, Problem p, long deadline) {
    int nt = types.demand.length;
    int[] cap = p.cap[0];
    int[] left = types.demand.clone();
    List<int[]> fixed = new ArrayList<>();
    int remaining = p.n;
    int priced = 0;
    try {
      while (remaining > 0) {
        long ms = (deadline - System.nanoTime()) / 1_000_000;
        if (ms < 2) {
          break;
        }
        s.setTimeLimit(ms);
        if (s.solve() != MPSolver.ResultStatus.OPTIMAL) {
          break;
        }
        double[] y = new double[nt];
        for (int t = 0; t < nt; t++) {
          y[t] = Math.max(0, cover[t].dualValue());
        }
        // Price a few columns for the residual first: columns of the full demand may not fit it.
        long[] scaled = scale(y, left);
        PatternKnapsack.Answer k = PatternKnapsack.solve(scaled, types.size, cap, left,
            NODE_LIMIT, deadline);
        if (priced++ < DIVE_PRICING
            && addIfImproving(s, s.objective(), cover, cols, patterns, y, k.counts())) {
          for (int[] more : k.others()) {
            addIfImproving(s, s.objective(), cover, cols, patterns, y, more);
          }
          continue;
        }
        int took = 0;
        int heaviest = -1;
        double heaviestX = 0;
        for (int c = 0; c < cols.size(); c++) {
          double x = cols.get(c).solutionValue();
          if (x > heaviestX) {
            heaviestX = x;
            heaviest = c;
          }
          for (long copy = (long) Math.floor(x + 1e-6); copy > 0; copy--) {
            int placed = take(patterns.get(c), left, fixed);
            took += placed;
            if (placed == 0) {
              break;
            }
          }
        }
        if (took == 0 && heaviest >= 0) {
          took = take(patterns.get(heaviest), left, fixed);
        }
        if (took == 0) {
          break;
        }
        remaining -= took;
        priced = 0;
        for (int t = 0; t < nt; t++) {
          cover[t].setLb(left[t]);
        }
      }
    } finally {
      for (int t = 0; t < nt; t++) {
        cover[t].setLb(types.demand[t]);
      }
    }
    return toPacking(p, types, fixed, deadline);
  }

  /**
   * The first columns of a master: the bins of {@code start} when it is complete, else one column
   * per item type with as many copies as fit a bin (and the demand allows).
   */
  static List<int[]> startColumns(Problem p, Types types, @Nullable Packing start) {
    int nt = types.demand.length;
    int[] cap = p.cap[0];
    List<int[]> out = new ArrayList<>();
    if (start != null && start.isComplete()) {
      for (Packing.Bin bin : start.bins()) {
        int[] a = new int[nt];
        for (int i : bin.items()) {
          a[types.typeOf[i]]++;
        }
        out.add(a);
      }
    } else {
      for (int t = 0; t < nt; t++) {
        int c = types.demand[t];
        for (int d = 0; d < cap.length; d++) {
          if (types.size[t][d] > 0) {
            c = Math.min(c, cap[d] / types.size[t][d]);
          }
        }
        int[] a = new int[nt];
        a[t] = c;
        out.add(a);
      }
    }
    return out;
  }

  /**
   * A packing of {@code p} from bins given as copies per item type ({@code fixed}, within the
   * demand): each type's items are handed out to the bins in order, the items left are packed by
   * the heuristic portfolio (MBS' bounded by {@code deadline}). Null when the portfolio did not
   * finish.
   */
  static @Nullable Packing toPacking(Problem p, Types types, List<int[]> fixed, long deadline) {
    int nt = types.demand.length;
    int[][] itemsOf = new int[nt][];
    int[] next = new int[nt];
    for (int t = 0; t < nt; t++) {
      itemsOf[t] = new int[types.demand[t]];
    }
    for (int i = 0; i < p.n; i++) {
      int t = types.typeOf[i];
      itemsOf[t][next[t]++] = i;
    }
    Arrays.fill(next, 0);
    List<Packing.Bin> bins = new ArrayList<>();
    for (int[] a : fixed) {
      List<Integer> items = new ArrayList<>();
      for (int t = 0; t < nt; t++) {
        for (int c = 0; c < a[t]; c++) {
          items.add(itemsOf[t][next[t]++]);
        }
      }
      bins.add(new Packing.Bin(0, items));
    }
    List<Integer> rest = new ArrayList<>();
    for (int t = 0; t < nt; t++) {
      while (next[t] < itemsOf[t].length) {
        rest.add(itemsOf[t][next[t]++]);
      }
    }
    int[] remainingItems = rest.stream().mapToInt(Integer::intValue).toArray();
    if (remainingItems.length == 0) {
      return new Packing(bins, List.of());
    }
    Packing tail = ArcFlowLp.packRest(p, remainingItems, deadline);
    if (!tail.isComplete()) {
      return null;
    }
    for (Packing.Bin b : tail.bins()) {
      List<Integer> items = new ArrayList<>();
      for (int k : b.items()) {
        items.add(remainingItems[k]);
      }
      bins.add(new Packing.Bin(0, items));
    }
    return new Packing(bins, List.of());
  }

  /** Fixes one bin of {@code pattern} clipped to {@code left}; returns the items placed. */
  private static int take(int[] pattern, int[] left, List<int[]> fixed) {
    int[] a = new int[pattern.length];
    int placed = 0;
    for (int t = 0; t < pattern.length; t++) {
      a[t] = Math.min(pattern[t], left[t]);
      left[t] -= a[t];
      placed += a[t];
    }
    if (placed > 0) {
      fixed.add(a);
    }
    return placed;
  }

  /**
   * Dual-optimal inequalities (Ben Amor, Desrosiers and Valerio de Carvalho): some optimal dual
   * vector gives a larger item at least the value of a smaller one, so the master may get a
   * zero-cost column per pair "type i (at least as large in every dimension) covers a copy of
   * type j", {@code +1} in row j and {@code -1} in row i. The LP optimum is unchanged and the duals
   * stop oscillating between equivalent items. Farley's bound needs no property of the duals, so
   * it stays valid either way. One column per type j: the smallest type dominating it.
   */
  static void dualOptimalInequalities(MPSolver s, MPConstraint[] cover, Types types,
      int[] cap) {
    int nt = types.demand.length;
    double[] norm = new double[nt];
    for (int t = 0; t < nt; t++) {
      for (int d = 0; d < cap.length; d++) {
        norm[t] += (double) types.size[t][d] / Math.max(1, cap[d]);
      }
    }
    for (int j = 0; j < nt; j++) {
      int pick = -1;
      for (int i = 0; i < nt; i++) {
        if (i != j && dominates(types.size[i], types.size[j])
            && (pick < 0 || norm[i] < norm[pick])) {
          pick = i;
        }
      }
      if (pick >= 0) {
        MPVariable z = s.makeNumVar(0, Double.POSITIVE_INFINITY, "z" + j);
        cover[j].setCoefficient(z, 1);
        cover[pick].setCoefficient(z, -1);
      }
    }
  }

  static boolean dominates(int[] a, int[] b) {
    for (int d = 0; d < a.length; d++) {
      if (a[d] < b[d]) {
        return false;
      }
    }
    return true;
  }

  /** Adds {@code a} when its reduced cost with the master's duals {@code y} is negative. */
  static boolean addIfImproving(MPSolver s, MPObjective obj, MPConstraint[] cover,
      List<MPVariable> cols, List<int[]> patterns, double[] y, int[] a) {
    double reduced = 1;
    for (int t = 0; t < a.length; t++) {
      reduced -= y[t] * a[t];
    }
    if (reduced < -1e-9) {
      addColumn(s, obj, cover, cols, patterns, a);
      return true;
    }
    return false;
  }

  static void addColumn(MPSolver s, MPObjective obj, MPConstraint[] cover,
      List<MPVariable> cols, List<int[]> patterns, int[] a) {
    MPVariable v = s.makeNumVar(0, Double.POSITIVE_INFINITY, "p" + cols.size());
    obj.setCoefficient(v, 1);
    for (int t = 0; t < a.length; t++) {
      if (a[t] > 0) {
        cover[t].setCoefficient(v, a[t]);
      }
    }
    cols.add(v);
    patterns.add(a.clone());
  }
}

package io.gpualloc.binpack.packing.internal;

import com.google.ortools.linearsolver.MPConstraint;
import com.google.ortools.linearsolver.MPObjective;
import com.google.ortools.linearsolver.MPSolver;
import com.google.ortools.linearsolver.MPVariable;
import io.gpualloc.binpack.packing.BinPacker;
import io.gpualloc.binpack.packing.BinPackers;
import io.gpualloc.binpack.packing.BinType;
import io.gpualloc.binpack.packing.Packing;
import io.gpualloc.binpack.packing.PackingInstance;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The LP relaxation of the arc-flow model (solved with GLOP, one {@link Model} per graph, its
 * duals kept for reduced-cost fixing) and a residual-rounding primal heuristic on it: decompose
 * the LP flow into patterns, fix {@code floor(weight)} copies of each (or one copy of the heaviest
 * pattern when none is integral, or with {@code onePattern}), lower the demands in the same model
 * and re-solve it from its previous basis, and pack the small remainder with the heuristic
 * portfolio.
 */
public final class ArcFlowLp {
  private ArcFlowLp() {}

  /**
   * The outcome.
   *
   * @param lpValue the LP optimum of the full instance (the Gilmore-Gomory bound), or -1
   * @param packing the rounded packing, or null when the time ran out
   */
  public record Result(double lpValue, @Nullable Packing packing) {}

  /**
   * An optimal LP solution of the full graph with its duals.
   *
   * @param value the LP optimum (bins)
   * @param flow the flow per arc
   * @param nodeDual the dual of each node's conservation row (0 for the source and the sink,
   *     which have none)
   * @param coverDual the dual of each item type's cover row
   * @param arcCost the objective coefficient of each arc in this LP, or null for the model's own
   *     (1 on source arcs, else 0)
   */
  public record Solution(double value, double[] flow, double[] nodeDual, double[] coverDual,
      double @Nullable [] arcCost) {}

  /**
   * The continuous arc-flow model of one graph, kept in one GLOP solver so that re-solves after
   * bound changes (the dive lowers the demands) start from the previous basis. Not thread-safe;
   * {@link #close()} frees the native model.
   */
  public static final class Model implements AutoCloseable {
    private final ArcFlowGraph g;
    private final MPSolver s;
    private final MPVariable[] f;
    private final MPConstraint[] node;
    private final MPConstraint[] cover;

    private Model(ArcFlowGraph g, MPSolver s) {
      this.g = g;
      this.s = s;
      this.node = new MPConstraint[g.nodeCount];
      this.cover = new MPConstraint[g.demand.length];
      this.f = flowModel(s, g, -1, null, node, cover);
      s.objective().setMinimization();
    }

    /**
     * Builds the model of {@code g}.
     *
     * @return the model, or null when GLOP is not available
     */
    public static @Nullable Model of(ArcFlowGraph g) {
      CpSatModels.load();
      MPSolver s = MPSolver.createSolver("GLOP");
      return s == null ? null : new Model(g, s);
    }

    /**
     * Sets the demand still to cover per item type: the cover rows' lower bounds, and each item
     * arc's flow capped at what is left of its type (so the LP is that of the residual instance).
     */
    void demand(int[] left) {
      for (int t = 0; t < cover.length; t++) {
        cover[t].setLb(left[t]);
      }
      for (int a = 0; a < f.length; a++) {
        int t = g.arcType[a];
        if (t >= 0) {
          f[a].setUb(left[t] == g.demand[t] ? Double.POSITIVE_INFINITY : left[t]);
        }
      }
    }

    /**
     * Solves with the current demands until {@code deadline}.
     *
     * @return the solution with its duals, or null when GLOP did not reach optimality in time
     */
    public @Nullable Solution solve(long deadline) {
      long ms = (deadline - System.nanoTime()) / 1_000_000;
      if (ms < 2) {
        return null;
      }
      s.setTimeLimit(ms);
      if (s.solve() != MPSolver.ResultStatus.OPTIMAL) {
        return null;
      }
      double[] flow = new double[f.length];
      for (int a = 0; a < f.length; a++) {
        flow[a] = f[a].solutionValue();
      }
      double[] pi = new double[g.nodeCount];
      for (int v = 0; v < pi.length; v++) {
        pi[v] = node[v] == null ? 0 : node[v].dualValue();
      }
      double[] sigma = new double[cover.length];
      for (int t = 0; t < sigma.length; t++) {
        sigma[t] = cover[t].dualValue();
      }
      return new Solution(s.objective().value(), flow, pi, sigma, null);
    }

    /**
     * Re-solves with the objective lowered by up to {@code eps / items} on each item arc (seeded
     * random weights), so that the optimum is a different vertex when the LP is dual degenerate.
     * The costs only go down, so the duals of this LP, with these costs, still give a valid
     * reduced-cost fixing of the original problem (see {@link ReducedCostFixing}); a path has at
     * most {@code items} item arcs, so no path gets a negative cost. The objective is restored
     * afterwards.
     *
     * @return the solution with its duals and the arc costs it used, or null
     */
    public @Nullable Solution solvePerturbed(long seed, double eps, long deadline) {
      java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
      MPObjective obj = s.objective();
      int items = 0;
      for (int d : g.demand) {
        items += d;
      }
      double[] cost = new double[f.length];
      for (int a = 0; a < f.length; a++) {
        cost[a] = g.tail[a] == g.source ? 1 : 0;
        if (g.arcType[a] >= 0) {
          cost[a] -= eps / Math.max(1, items) * rnd.nextDouble();
          obj.setCoefficient(f[a], cost[a]);
        }
      }
      try {
        Solution sol = solve(deadline);
        return sol == null ? null
            : new Solution(sol.value(), sol.flow(), sol.nodeDual(), sol.coverDual(), cost);
      } finally {
        for (int a = 0; a < f.length; a++) {
          if (g.arcType[a] >= 0) {
            obj.setCoefficient(f[a], g.tail[a] == g.source ? 1 : 0);
          }
        }
      }
    }

    @Override
    public void close() {
      s.delete();
    }
  }

  /**
   * Runs the residual-rounding dive on {@code g} (the graph of the whole instance {@code p})
   * until {@code deadline}, re-solving {@code model} with lowered demands after each fixing (a
   * warm start from the previous basis, no graph rebuild). A pattern whose copies exceed what is
   * left of a type is skipped.
   *
   * @param first the LP solution of the full demands, already computed
   */
  public static Result dive(Problem p, ArcFlowGraph g, Model model, Solution first,
      long deadline, boolean onePattern) {
    int[] left = g.demand.clone();
    int[] next = new int[g.demand.length];
    boolean[] used = new boolean[p.n];
    List<Packing.Bin> fixed = new ArrayList<>();
    int remainingItems = p.n;
    Solution sol = first;
    try {
      while (remainingItems > 0) {
        List<int[]> patterns = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        paths(g, sol.flow().clone(), patterns, weights);
        int added = 0;
        int heaviest = -1;
        for (int k = 0; k < patterns.size(); k++) {
          if (heaviest < 0 || weights.get(k) > weights.get(heaviest)) {
            heaviest = k;
          }
        }
        if (!onePattern) {
          for (int k = 0; k < patterns.size(); k++) {
            long copies = (long) Math.floor(weights.get(k) + 1e-7);
            for (long c = 0; c < copies; c++) {
              added += take(g, patterns.get(k), left, next, used, fixed, false);
            }
          }
        }
        if (added == 0) {
          // The heaviest pattern that still fits the demand left, at least one copy.
          Integer[] byWeight = new Integer[patterns.size()];
          for (int k = 0; k < byWeight.length; k++) {
            byWeight[k] = k;
          }
          final List<Double> w = weights;
          Arrays.sort(byWeight, (x, y) -> Double.compare(w.get(y), w.get(x)));
          for (int k : byWeight) {
            long copies = Math.max(1, (long) Math.floor(weights.get(k) + 1e-7));
            for (long c = 0; c < copies; c++) {
              added += take(g, patterns.get(k), left, next, used, fixed, true);
            }
            if (added > 0) {
              break;
            }
          }
        }
        if (added == 0) {
          break;
        }
        remainingItems -= added;
        if (remainingItems == 0 || System.nanoTime() >= deadline) {
          break;
        }
        model.demand(left);
        Solution s = model.solve(deadline);
        if (s == null) {
          break;
        }
        sol = s;
      }
    } finally {
      model.demand(g.demand);
    }
    List<Packing.Bin> bins = new ArrayList<>(fixed);
    if (remainingItems > 0) {
      int[] remaining = new int[remainingItems];
      int w = 0;
      for (int i = 0; i < p.n; i++) {
        if (!used[i]) {
          remaining[w++] = i;
        }
      }
      Packing tail = packRest(p, remaining, deadline);
      if (!tail.isComplete()) {
        return new Result(first.value(), null);
      }
      for (Packing.Bin b : tail.bins()) {
        List<Integer> items = new ArrayList<>();
        for (int k : b.items()) {
          items.add(remaining[k]);
        }
        bins.add(new Packing.Bin(0, items));
      }
    }
    return new Result(first.value(), new Packing(bins, List.of()));
  }

  /**
   * The rebuilding dive: after each fixing, the graph of the residual items is built anew and its
   * LP solved cold. Slower per step than {@link #dive}, but the residual graph is demand-bounded
   * for what is left, so its LP is tighter; it is what closes the Schwerin instances, where the
   * warm dive on the full graph stays one bin above the bound.
   */
  public static Result rebuildDive(Problem p, int maxArcs, long deadline, boolean onePattern) {
    CpSatModels.load();
    int[] remaining = new int[p.n];
    for (int i = 0; i < p.n; i++) {
      remaining[i] = i;
    }
    List<Packing.Bin> fixed = new ArrayList<>();
    double firstLp = -1;
    while (remaining.length > 0 && System.nanoTime() < deadline) {
      Problem sub = p.subset(remaining);
      ArcFlowGraph g = ArcFlowGraph.build(sub, maxArcs, deadline);
      if (g == null) {
        break;
      }
      Solution sol;
      try (Model m = Model.of(g)) {
        sol = m == null ? null : m.solve(deadline);
      }
      if (sol == null) {
        break;
      }
      double[] flow = sol.flow();
      double value = sol.value();
      if (firstLp < 0) {
        firstLp = value;
      }
      List<int[]> patterns = new ArrayList<>();
      List<Double> weights = new ArrayList<>();
      paths(g, flow, patterns, weights);
      int[] left = g.demand.clone();
      int[] next = new int[g.demand.length];
      boolean[] used = new boolean[sub.n];
      int added = 0;
      int heaviest = -1;
      for (int k = 0; k < patterns.size(); k++) {
        if (heaviest < 0 || weights.get(k) > weights.get(heaviest)) {
          heaviest = k;
        }
      }
      if (!onePattern) {
        for (int k = 0; k < patterns.size(); k++) {
          long copies = (long) Math.floor(weights.get(k) + 1e-7);
          for (long c = 0; c < copies; c++) {
            if (takeSub(g, patterns.get(k), left, next, used, remaining, fixed)) {
              added++;
            }
          }
        }
      }
      if (added == 0 && heaviest >= 0) {
        // The integral part of the heaviest pattern, at least one copy; with onePattern, this is
        // the only pattern fixed per LP solve, which keeps the dive close to the LP optimum.
        long copies = Math.max(1, (long) Math.floor(weights.get(heaviest) + 1e-7));
        for (long c = 0; c < copies; c++) {
          if (takeSub(g, patterns.get(heaviest), left, next, used, remaining, fixed)) {
            added++;
          }
        }
      }
      if (added == 0) {
        break;
      }
      int w = 0;
      int[] rest = new int[remaining.length];
      for (int k = 0; k < sub.n; k++) {
        if (!used[k]) {
          rest[w++] = remaining[k];
        }
      }
      remaining = Arrays.copyOf(rest, w);
    }
    if (System.nanoTime() >= deadline && remaining.length > 0 && firstLp < 0) {
      return new Result(-1, null);
    }
    List<Packing.Bin> bins = new ArrayList<>(fixed);
    if (remaining.length > 0) {
      Packing tail = packRest(p, remaining, deadline);
      if (!tail.isComplete()) {
        return new Result(firstLp, null);
      }
      for (Packing.Bin b : tail.bins()) {
        List<Integer> items = new ArrayList<>();
        for (int k : b.items()) {
          items.add(remaining[k]);
        }
        bins.add(new Packing.Bin(0, items));
      }
    }
    return new Result(firstLp, new Packing(bins, List.of()));
  }

  /** Adds one bin of {@code pattern} (item types) if the demand left allows all of it. */
  private static boolean takeSub(ArcFlowGraph g, int[] pattern, int[] left, int[] next,
      boolean[] used, int[] remaining, List<Packing.Bin> fixed) {
    int[] need = new int[left.length];
    for (int t : pattern) {
      need[t]++;
    }
    for (int t = 0; t < need.length; t++) {
      if (need[t] > left[t]) {
        return false;
      }
    }
    List<Integer> items = new ArrayList<>();
    for (int t : pattern) {
      int k = g.typeItems[t][next[t]++];
      left[t]--;
      used[k] = true;
      items.add(remaining[k]);
    }
    if (!items.isEmpty()) {
      fixed.add(new Packing.Bin(0, items));
    }
    return !items.isEmpty();
  }

  static Packing packRest(Problem p, int[] remaining, long deadline) {
    int[] cap = p.cap[0];
    PackingInstance.Builder b = PackingInstance.builder("rest", BinType.of(cap));
    for (int i : remaining) {
      b.item(p.size[i]);
    }
    PackingInstance in = b.build();
    Packing best = null;
    List<BinPacker> heuristics = new ArrayList<>();
    for (BinPacker h : BinPackers.portfolio()) {
      // MBS' searches up to 20,000 nodes per bin: bounded by the deadline here.
      heuristics.add(h instanceof GreedyPackers.MinimumBinSlack
          ? new GreedyPackers.MinimumBinSlack(20_000, deadline) : h);
    }
    for (BinPacker h : heuristics) {
      Packing q = h.pack(in);
      if (best == null || q.binCount() < best.binCount()) {
        best = q;
      }
    }
    return best == null ? new Packing(List.of(), List.of()) : best;
  }

  /** Adds one bin of {@code pattern} (item types) without the copies the demand left lacks. */
  private static int take(ArcFlowGraph g, int[] pattern, int[] left, int[] next,
      boolean[] used, List<Packing.Bin> fixed, boolean partial) {
    if (!partial) {
      int[] need = new int[left.length];
      for (int t : pattern) {
        if (++need[t] > left[t]) {
          return 0;
        }
      }
    }
    // A copy beyond what is left of a type is dropped: the bin holds a subset of a pattern.
    List<Integer> items = new ArrayList<>();
    for (int t : pattern) {
      if (left[t] == 0) {
        continue;
      }
      int k = g.typeItems[t][next[t]++];
      left[t]--;
      used[k] = true;
      items.add(k);
    }
    if (!items.isEmpty()) {
      fixed.add(new Packing.Bin(0, items));
    }
    return items.size();
  }

  /**
   * Builds the arc-flow model on {@code s}: one flow variable per arc (continuous when {@code
   * intCap < 0}; otherwise integer, capped at {@code intCap} and at the arc's item demand), flow
   * conservation at every inner node, a cover row per item type, and the objective, the flow out
   * of the source (the number of bins), left for the caller to set the sense of. Source arcs also
   * get coefficient 1 in {@code sourceRow} when one is given.
   */
  static MPVariable[] flowModel(
      MPSolver s, ArcFlowGraph g, int intCap, @Nullable MPConstraint sourceRow) {
    return flowModel(s, g, intCap, sourceRow, new MPConstraint[g.nodeCount],
        new MPConstraint[g.demand.length]);
  }

  /** As above, filling {@code node} (conservation rows) and {@code cover} (cover rows). */
  static MPVariable[] flowModel(MPSolver s, ArcFlowGraph g, int intCap,
      @Nullable MPConstraint sourceRow, @Nullable MPConstraint[] node, MPConstraint[] cover) {
    int arcs = g.arcCount();
    MPVariable[] f = new MPVariable[arcs];
    for (int a = 0; a < arcs; a++) {
      if (intCap < 0) {
        f[a] = s.makeNumVar(0, Double.POSITIVE_INFINITY, "f" + a);
      } else {
        double cap = g.arcType[a] >= 0 ? Math.min(intCap, g.demand[g.arcType[a]]) : intCap;
        f[a] = s.makeIntVar(0, cap, "f" + a);
      }
    }
    for (int v = 0; v < g.nodeCount; v++) {
      if (v != g.source && v != g.sink) {
        node[v] = s.makeConstraint(0, 0, "n" + v);
      }
    }
    for (int t = 0; t < cover.length; t++) {
      cover[t] = s.makeConstraint(g.demand[t], Double.POSITIVE_INFINITY, "d" + t);
    }
    MPObjective obj = s.objective();
    for (int a = 0; a < arcs; a++) {
      if (node[g.tail[a]] != null) {
        node[g.tail[a]].setCoefficient(f[a], 1);
      }
      if (node[g.head[a]] != null) {
        node[g.head[a]].setCoefficient(f[a], -1);
      }
      if (g.tail[a] == g.source) {
        obj.setCoefficient(f[a], 1);
        if (sourceRow != null) {
          sourceRow.setCoefficient(f[a], 1);
        }
      }
      if (g.arcType[a] >= 0) {
        cover[g.arcType[a]].setCoefficient(f[a], 1);
      }
    }
    return f;
  }

  /**
   * The patterns of {@code flow}'s path decomposition, each as one item index per slot (the first
   * item of each slot's type), for seeding a pattern master.
   *
   * @param g the graph
   * @param flow a flow on {@code g} (not changed)
   * @return the paths' bins
   */
  public static List<int[]> pathBins(ArcFlowGraph g, double[] flow) {
    List<int[]> patterns = new ArrayList<>();
    paths(g, flow.clone(), patterns, new ArrayList<>());
    List<int[]> bins = new ArrayList<>();
    for (int[] pattern : patterns) {
      int[] items = new int[pattern.length];
      for (int k = 0; k < pattern.length; k++) {
        items[k] = g.typeItems[pattern[k]][0];
      }
      bins.add(items);
    }
    return bins;
  }

  /** Decomposes a fractional flow into source-sink paths (item types) with weights. */
  static void paths(ArcFlowGraph g, double[] flow, List<int[]> patterns, List<Double> weights) {
    int n = g.nodeCount;
    List<List<Integer>> out = new ArrayList<>();
    for (int v = 0; v < n; v++) {
      out.add(new ArrayList<>());
    }
    for (int a = 0; a < g.arcCount(); a++) {
      if (flow[a] > 1e-9) {
        out.get(g.tail[a]).add(a);
      }
    }
    List<Integer> path = new ArrayList<>();
    for (int iter = 0; iter < g.arcCount() + 1; iter++) {
      path.clear();
      int v = g.source;
      double w = Double.POSITIVE_INFINITY;
      while (v != g.sink) {
        int best = -1;
        for (int a : out.get(v)) {
          if (flow[a] > 1e-9 && (best < 0 || flow[a] > flow[best])) {
            best = a;
          }
        }
        if (best < 0) {
          break;
        }
        path.add(best);
        w = Math.min(w, flow[best]);
        v = g.head[best];
      }
      if (v != g.sink || path.isEmpty()) {
        return;
      }
      List<Integer> types = new ArrayList<>();
      for (int a : path) {
        flow[a] -= w;
        if (g.arcType[a] >= 0) {
          types.add(g.arcType[a]);
        }
      }
      patterns.add(types.stream().mapToInt(Integer::intValue).toArray());
      weights.add(w);
    }
  }
}

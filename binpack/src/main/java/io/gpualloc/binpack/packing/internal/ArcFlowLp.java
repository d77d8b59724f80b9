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
 * The LP relaxation of the arc-flow model (solved with GLOP) and a residual-rounding primal
 * heuristic on it: decompose the LP flow into patterns, fix {@code floor(weight)} copies of each
 * (or one copy of the heaviest pattern when none is integral), re-solve on the remaining items,
 * and pack the small remainder with the heuristic portfolio. Two dives: all integral parts at
 * once (fast), or the heaviest pattern only per LP solve (slower, closer to the LP).
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

  /** Runs the heuristic until {@code deadline} (System.nanoTime), on a classic instance. */
  public static Result solve(Problem p, int maxArcs, long deadline, boolean onePattern) {
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
      double[] flow = new double[g.arcCount()];
      double value = lp(g, flow, deadline);
      if (value < 0) {
        break;
      }
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
            if (take(g, patterns.get(k), left, next, used, remaining, fixed)) {
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
          if (take(g, patterns.get(heaviest), left, next, used, remaining, fixed)) {
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

  private static Packing packRest(Problem p, int[] remaining, long deadline) {
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

  /** Adds one bin of {@code pattern} (item types) if the demand left allows all of it. */
  private static boolean take(ArcFlowGraph g, int[] pattern, int[] left, int[] next,
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

  /**
   * Builds the arc-flow model on {@code s}: one flow variable per arc (continuous when {@code
   * intCap < 0}; otherwise integer, capped at {@code intCap} and at the arc's item demand), flow
   * conservation at every inner node, a cover row per item type, and the objective, the flow out
   * of the source (the number of bins), left for the caller to set the sense of. Source arcs also
   * get coefficient 1 in {@code sourceRow} when one is given.
   */
  static MPVariable[] flowModel(
      MPSolver s, ArcFlowGraph g, int intCap, @Nullable MPConstraint sourceRow) {
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
    MPConstraint[] node = new MPConstraint[g.nodeCount];
    for (int v = 0; v < g.nodeCount; v++) {
      if (v != g.source && v != g.sink) {
        node[v] = s.makeConstraint(0, 0, "n" + v);
      }
    }
    MPConstraint[] cover = new MPConstraint[g.demand.length];
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

  /** Solves the LP; fills {@code flow} and returns the optimum, or -1 when GLOP failed. */
  static double lp(ArcFlowGraph g, double[] flow, long deadline) {
    MPSolver s = MPSolver.createSolver("GLOP");
    if (s == null) {
      return -1;
    }
    try {
      int arcs = g.arcCount();
      MPVariable[] f = flowModel(s, g, -1, null);
      MPObjective obj = s.objective();
      obj.setMinimization();
      // The time limit is what is left after building the model.
      long ms = (deadline - System.nanoTime()) / 1_000_000;
      if (ms < 2) {
        return -1;
      }
      s.setTimeLimit(ms);
      MPSolver.ResultStatus st = s.solve();
      if (st != MPSolver.ResultStatus.OPTIMAL) {
        return -1;
      }
      for (int a = 0; a < arcs; a++) {
        flow[a] = f[a].solutionValue();
      }
      return obj.value();
    } finally {
      s.delete();
    }
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

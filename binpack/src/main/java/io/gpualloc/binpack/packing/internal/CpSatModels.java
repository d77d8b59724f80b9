package io.gpualloc.binpack.packing.internal;

import com.google.ortools.Loader;
import com.google.ortools.sat.BoolVar;
import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.CpSolver;
import com.google.ortools.sat.CpSolverStatus;
import com.google.ortools.sat.IntVar;
import com.google.ortools.sat.LinearExpr;
import com.google.ortools.sat.LinearExprBuilder;
import io.gpualloc.binpack.packing.Packing;
import io.gpualloc.binpack.solver.SolverInvariantException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The two CP-SAT models of the exact solver. */
public final class CpSatModels {
  private CpSatModels() {}

  private static volatile boolean loaded;

  /**
   * Whether OR-Tools' native library is loaded in this JVM.
   *
   * @return true after the first successful {@link #load()}
   */
  public static boolean isLoaded() {
    return loaded;
  }

  /** Loads OR-Tools' native library once. */
  public static void load() {
    if (!loaded) {
      synchronized (CpSatModels.class) {
        if (!loaded) {
          Loader.loadNativeLibraries();
          loaded = true;
        }
      }
    }
  }

  /** What a CP-SAT run gave. */
  public enum Kind {
    /** Solved to optimality. */
    OPTIMAL,
    /** A solution, not proven optimal. */
    FEASIBLE,
    /** Proven infeasible. */
    INFEASIBLE,
    /** Nothing within the time limit. */
    UNKNOWN
  }

  /**
   * A CP-SAT run's outcome.
   *
   * @param kind the status
   * @param packing the solution's packing, when there is one
   * @param bound proven lower bound on the objective (0 when none)
   * @param ran whether CP-SAT was started (false when the model was not built or handed over in
   *     time)
   */
  public record Outcome(Kind kind, @Nullable Packing packing, long bound, boolean ran) {
    /** An outcome of a model that was not handed to CP-SAT. */
    Outcome(Kind kind, @Nullable Packing packing, long bound) {
      this(kind, packing, bound, false);
    }
  }

  /**
   * The seconds CP-SAT may run so that the call returns by {@code deadline}: what is left minus a
   * margin for the work around the search that the solver's own limit does not cover (handing the
   * model to the native solver, presolve overrun, reading the solution back). The margin is the
   * larger of twice the model's build time (the hand-over and presolve grow with the model as the
   * build does) and 50 ms plus 10% of what is left. Zero or less means: do not start.
   */
  static double solveSeconds(long deadline, long buildNanos) {
    long left = deadline - System.nanoTime();
    long margin = Math.max(2 * buildNanos, 50_000_000L + left / 10);
    return (left - margin) / 1e9;
  }

  /**
   * A conservative cost of one Boolean of the assignment model: building it in Java and handing it
   * to the native solver (measured at about 1 to 2 us on a busy 2-core machine; doubled).
   */
  static final long NANOS_PER_BOOLEAN = 4_000;

  /** The smallest time limit worth starting CP-SAT with, in seconds. */
  static final double MIN_SOLVE_SECONDS = 0.02;

  /** True every 4,096th call when {@code deadline} has passed. */
  private static boolean late(long deadline, int step) {
    return (step & 4095) == 0 && System.nanoTime() - deadline > 0;
  }

  private static CpSolver solver(double seconds, int workers, long seed) {
    CpSolver s = new CpSolver();
    s.getParameters()
        .setMaxTimeInSeconds(Math.max(0.01, seconds))
        .setNumWorkers(workers)
        .setRandomSeed((int) (seed ^ (seed >>> 32)))
        .setLogSearchProgress(false);
    return s;
  }

  private static Kind kind(CpSolverStatus st) {
    return switch (st) {
      case OPTIMAL -> Kind.OPTIMAL;
      case FEASIBLE -> Kind.FEASIBLE;
      case INFEASIBLE -> Kind.INFEASIBLE;
      default -> Kind.UNKNOWN;
    };
  }

  private static long bound(CpSolver s, Kind k) {
    if (k == Kind.UNKNOWN || k == Kind.INFEASIBLE) {
      return 0;
    }
    return (long) Math.ceil(s.bestObjectiveBound() - 1e-6);
  }

  /**
   * Solves the arc-flow model: an integer flow per arc, flow conservation, demand covered, minimise
   * the flow out of the source. Bins are read back by decomposing the flow into paths.
   */
  public static Outcome arcFlow(ArcFlowGraph g, int lb, int ub, @Nullable Packing hint,
      long deadline, int workers, long seed) {
    return arcFlow(g, lb, ub, hint, null, deadline, workers, seed);
  }

  /**
   * As above; when {@code hint} is null and {@code flowHint} is not, the flow per arc is hinted
   * (e.g. a rounded LP flow; it need not be feasible, CP-SAT repairs it).
   */
  public static Outcome arcFlow(ArcFlowGraph g, int lb, int ub, @Nullable Packing hint,
      long @Nullable [] flowHint, long deadline, int workers, long seed) {
    load();
    long buildStart = System.nanoTime();
    CpModel m = new CpModel();
    int arcs = g.arcCount();
    IntVar[] f = new IntVar[arcs];
    for (int a = 0; a < arcs; a++) {
      if (late(deadline, a)) {
        return new Outcome(Kind.UNKNOWN, null, 0);
      }
      int cap = g.arcType[a] >= 0 ? Math.min(ub, maxCopies(g, a, ub)) : ub;
      f[a] = m.newIntVar(0, cap, "f" + a);
    }
    LinearExprBuilder[] net = new LinearExprBuilder[g.nodeCount];
    for (int v = 0; v < g.nodeCount; v++) {
      net[v] = LinearExpr.newBuilder();
    }
    LinearExprBuilder[] cover = new LinearExprBuilder[g.demand.length];
    for (int t = 0; t < cover.length; t++) {
      cover[t] = LinearExpr.newBuilder();
    }
    for (int a = 0; a < arcs; a++) {
      net[g.tail[a]].addTerm(f[a], 1);
      net[g.head[a]].addTerm(f[a], -1);
      if (g.arcType[a] >= 0) {
        cover[g.arcType[a]].addTerm(f[a], 1);
      }
    }
    IntVar z = m.newIntVar(lb, ub, "z");
    for (int v = 0; v < g.nodeCount; v++) {
      if (v == g.source) {
        m.addEquality(net[v].addTerm(z, -1), 0);
      } else if (v != g.sink) {
        m.addEquality(net[v], 0);
      }
    }
    for (int t = 0; t < cover.length; t++) {
      m.addGreaterOrEqual(cover[t], g.demand[t]);
    }
    m.minimize(z);
    long[] hintFlow = new long[arcs];
    boolean hintOk = hint != null;
    for (Packing.Bin b : hint == null ? List.<Packing.Bin>of() : hint.bins()) {
      int[] path = g.path(b.items());
      if (path == null) {
        hintOk = false;
        break;
      }
      for (int a : path) {
        hintFlow[a]++;
      }
    }
    if (hintOk) {
      for (int a = 0; a < arcs; a++) {
        m.addHint(f[a], hintFlow[a]);
      }
      m.addHint(z, ub);
    } else if (hint == null && flowHint != null) {
      for (int a = 0; a < arcs; a++) {
        m.addHint(f[a], Math.min(flowHint[a], ub));
      }
    }
    double seconds = solveSeconds(deadline, System.nanoTime() - buildStart);
    if (seconds < MIN_SOLVE_SECONDS) {
      return new Outcome(Kind.UNKNOWN, null, 0);
    }
    CpSolver s = solver(seconds, workers, seed);
    Kind k = kind(s.solve(m));
    if (k != Kind.OPTIMAL && k != Kind.FEASIBLE) {
      return new Outcome(k, null, bound(s, k), true);
    }
    long[] flow = new long[arcs];
    for (int a = 0; a < arcs; a++) {
      flow[a] = s.value(f[a]);
    }
    return new Outcome(k, decompose(g, flow), bound(s, k), true);
  }

  private static int maxCopies(ArcFlowGraph g, int a, int ub) {
    return Math.max(1, Math.min(ub, g.demand[g.arcType[a]]));
  }

  /** Turns an integer flow into bins: walk source-to-sink paths, assign items of each type. */
  static Packing decompose(ArcFlowGraph g, long[] flow) {
    int n = g.nodeCount;
    List<List<Integer>> out = new ArrayList<>();
    for (int v = 0; v < n; v++) {
      out.add(new ArrayList<>());
    }
    for (int a = 0; a < g.arcCount(); a++) {
      if (flow[a] > 0) {
        out.get(g.tail[a]).add(a);
      }
    }
    int[] next = new int[g.demand.length];
    List<Packing.Bin> bins = new ArrayList<>();
    long paths = 0;
    for (int a = 0; a < g.arcCount(); a++) {
      if (g.tail[a] == g.source) {
        paths += flow[a];
      }
    }
    for (long p = 0; p < paths; p++) {
      int v = g.source;
      List<Integer> items = new ArrayList<>();
      int guard = 0;
      while (v != g.sink) {
        int chosen = -1;
        for (int a : out.get(v)) {
          if (flow[a] > 0) {
            chosen = a;
            break;
          }
        }
        if (chosen < 0 || ++guard > n + 1) {
          throw new SolverInvariantException(
              "arc-flow decomposition: flow conservation violated at node " + v + " (a bug)");
        }
        flow[chosen]--;
        int t = g.arcType[chosen];
        if (t >= 0 && next[t] < g.typeItems[t].length) {
          items.add(g.typeItems[t][next[t]++]);
        }
        v = g.head[chosen];
      }
      if (!items.isEmpty()) {
        bins.add(new Packing.Bin(0, items));
      }
    }
    for (int t = 0; t < next.length; t++) {
      if (next[t] != g.typeItems[t].length) {
        throw new SolverInvariantException(
            "arc-flow decomposition: demand of type " + t + " not covered (a bug)");
      }
    }
    return new Packing(bins, List.of());
  }

  /**
   * Solves the assignment model: one Boolean per (item, bin slot), slots per bin type limited by
   * availability, the upper bound and the item count. Symmetry breaking: slots of one type are
   * used in order, and the item of decreasing-size rank {@code r} only uses slots {@code <= r} of
   * each type.
   */
  public static Outcome assignment(Problem p, long lbCost, @Nullable Packing hint, long ubCost,
      long deadline, int workers, long seed) {
    load();
    long buildStart = System.nanoTime();
    int n = p.n;
    // Rank items by decreasing normalised size sum.
    Integer[] rankOrder = new Integer[n];
    double[] key = new double[n];
    for (int i = 0; i < n; i++) {
      rankOrder[i] = i;
      for (int d = 0; d < p.dims; d++) {
        key[i] += (double) p.size[i][d] / p.maxCap[d];
      }
    }
    Arrays.sort(rankOrder, Comparator.<Integer>comparingDouble(i -> -key[i])
        .thenComparingInt(i -> i));
    int[] rank = new int[n];
    for (int r = 0; r < n; r++) {
      rank[rankOrder[r]] = r;
    }
    // Slots per type.
    List<int[]> slots = new ArrayList<>(); // {type, indexWithinType}
    for (int t = 0; t < p.types; t++) {
      long limit = Math.min(p.available[t], n);
      if (p.cost[t] > 0 && ubCost < Long.MAX_VALUE) {
        limit = Math.min(limit, ubCost / p.cost[t]);
      }
      if (p.classic() && hint != null) {
        limit = Math.min(limit, hint.binCount());
      }
      for (int k = 0; k < limit; k++) {
        slots.add(new int[] {t, k});
      }
    }
    int sc = slots.size();
    // Skip a model whose building and hand-over cannot fit what is left (estimated per Boolean).
    long vars = sc;
    for (int i = 0; i < n; i++) {
      for (int b = 0; b < sc; b++) {
        if (slots.get(b)[1] <= rank[i] && p.fitsType(i, slots.get(b)[0])) {
          vars++;
        }
      }
    }
    if (vars * NANOS_PER_BOOLEAN > deadline - System.nanoTime()) {
      return new Outcome(Kind.UNKNOWN, null, 0);
    }
    CpModel m = new CpModel();
    int step = 0;
    BoolVar[] y = new BoolVar[sc];
    BoolVar[][] x = new BoolVar[n][sc];
    for (int b = 0; b < sc; b++) {
      y[b] = m.newBoolVar("y" + b);
    }
    for (int i = 0; i < n; i++) {
      if (System.nanoTime() - deadline > 0) {
        return new Outcome(Kind.UNKNOWN, null, 0);
      }
      LinearExprBuilder one = LinearExpr.newBuilder();
      for (int b = 0; b < sc; b++) {
        int t = slots.get(b)[0];
        if (p.fitsType(i, t) && slots.get(b)[1] <= rank[i]) {
          x[i][b] = m.newBoolVar("x" + i + "_" + b);
          one.addTerm(x[i][b], 1);
          m.addImplication(x[i][b], y[b]);
        }
      }
      m.addEquality(one, 1);
    }
    for (int b = 0; b < sc; b++) {
      if (late(deadline, ++step)) {
        return new Outcome(Kind.UNKNOWN, null, 0);
      }
      int t = slots.get(b)[0];
      for (int d = 0; d < p.dims; d++) {
        LinearExprBuilder load = LinearExpr.newBuilder();
        boolean any = false;
        for (int i = 0; i < n; i++) {
          if (x[i][b] != null && p.size[i][d] > 0) {
            load.addTerm(x[i][b], p.size[i][d]);
            any = true;
          }
        }
        if (any) {
          m.addLessOrEqual(load.addTerm(y[b], -p.cap[t][d]), 0);
        }
      }
      if (b > 0 && slots.get(b - 1)[0] == t) {
        m.addImplication(y[b], y[b - 1]);
      }
    }
    LinearExprBuilder obj = LinearExpr.newBuilder();
    for (int b = 0; b < sc; b++) {
      obj.addTerm(y[b], p.cost[slots.get(b)[0]]);
    }
    LinearExpr objective = obj.build();
    m.addGreaterOrEqual(objective, lbCost);
    m.minimize(objective);
    if (hint != null) {
      addAssignmentHint(p, m, x, y, slots, rank, hint);
    }
    double seconds = solveSeconds(deadline, System.nanoTime() - buildStart);
    if (seconds < MIN_SOLVE_SECONDS) {
      return new Outcome(Kind.UNKNOWN, null, 0);
    }
    CpSolver s = solver(seconds, workers, seed);
    Kind k = kind(s.solve(m));
    if (k != Kind.OPTIMAL && k != Kind.FEASIBLE) {
      return new Outcome(k, null, bound(s, k), true);
    }
    List<List<Integer>> content = new ArrayList<>();
    for (int b = 0; b < sc; b++) {
      content.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      for (int b = 0; b < sc; b++) {
        if (x[i][b] != null && s.booleanValue(x[i][b])) {
          content.get(b).add(i);
        }
      }
    }
    List<Packing.Bin> bins = new ArrayList<>();
    for (int b = 0; b < sc; b++) {
      if (!content.get(b).isEmpty()) {
        bins.add(new Packing.Bin(slots.get(b)[0], content.get(b)));
      }
    }
    return new Outcome(k, new Packing(bins, List.of()), bound(s, k), true);
  }

  /** Maps a packing onto the slots in the canonical order the symmetry breaking demands. */
  private static void addAssignmentHint(Problem p, CpModel m, BoolVar[][] x, BoolVar[] y,
      List<int[]> slots, int[] rank, Packing hint) {
    if (!hint.isComplete()) {
      return;
    }
    int[] slotOf = new int[p.n];
    boolean[] usedSlot = new boolean[slots.size()];
    for (int t = 0; t < p.types; t++) {
      final int type = t;
      List<Packing.Bin> ofType = new ArrayList<>();
      for (Packing.Bin b : hint.bins()) {
        if (b.binType() == type) {
          ofType.add(b);
        }
      }
      ofType.sort(Comparator.comparingInt(b -> minRank(b, rank)));
      int first = -1;
      for (int s = 0; s < slots.size(); s++) {
        if (slots.get(s)[0] == type) {
          first = s;
          break;
        }
      }
      for (int k = 0; k < ofType.size(); k++) {
        int s = first + k;
        if (first < 0 || s >= slots.size() || slots.get(s)[0] != type) {
          return; // the hint uses more slots than the model has: skip hinting
        }
        usedSlot[s] = true;
        for (int i : ofType.get(k).items()) {
          slotOf[i] = s;
          if (x[i][s] == null) {
            return;
          }
        }
      }
    }
    for (int s = 0; s < slots.size(); s++) {
      m.addHint(y[s], usedSlot[s]);
    }
    for (int i = 0; i < p.n; i++) {
      for (int s = 0; s < slots.size(); s++) {
        if (x[i][s] != null) {
          m.addHint(x[i][s], slotOf[i] == s);
        }
      }
    }
  }

  private static int minRank(Packing.Bin b, int[] rank) {
    int r = Integer.MAX_VALUE;
    for (int i : b.items()) {
      r = Math.min(r, rank[i]);
    }
    return r;
  }
}

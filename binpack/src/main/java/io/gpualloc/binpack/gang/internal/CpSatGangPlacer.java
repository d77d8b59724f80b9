package io.gpualloc.binpack.gang.internal;

import com.google.ortools.sat.BoolVar;
import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.CpSolver;
import com.google.ortools.sat.CpSolverStatus;
import com.google.ortools.sat.IntVar;
import com.google.ortools.sat.LinearExpr;
import com.google.ortools.sat.LinearExprBuilder;
import io.gpualloc.binpack.gang.BudgetedGangPlacer;
import io.gpualloc.binpack.gang.Gang;
import io.gpualloc.binpack.gang.GangDecision;
import io.gpualloc.binpack.gang.GangSolvePhase;
import io.gpualloc.binpack.gang.GangSolveResult;
import io.gpualloc.binpack.gang.GangSolveStatus;
import io.gpualloc.binpack.gang.PodSet;
import io.gpualloc.binpack.internal.Fit;
import io.gpualloc.binpack.packing.SolverOptions;
import io.gpualloc.binpack.packing.internal.OrTools;
import io.gpualloc.core.ClusterView;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.IntraNodeTopology;
import io.gpualloc.core.Request;
import io.gpualloc.topology.ClusterTopology;
import io.gpualloc.topology.GpuSetSelector;
import io.gpualloc.topology.NodeInterconnect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The exact/anytime gang placer on CP-SAT (see {@code docs/gangs.md}). Runs the greedy placer
 * first, then a CP-SAT model hinted with the greedy answer that minimises the objective: domains
 * spanned, weighted so that one domain less at a level outweighs everything below it (top level
 * first), then the free GPUs (before the gang) of the nodes it touches. Pod counts are the greedy
 * answer's (or the minimums when greedy found none). Identical nodes (same domains above the host
 * level, same room) are one class with a count when the gang has one pod set. Returns the better
 * of the two answers, so it is never worse than greedy.
 *
 * <p>One deadline from the start of the call covers every step (as in {@code CpSatPacker}): the
 * greedy answer, the native load (only with at least 2 s left, else the greedy answer comes back
 * as {@code FALLBACK}), the model build (checked while building, abandoned past CP-SAT's stop) and
 * CP-SAT, which gets what is left minus a margin (a twentieth of the budget, at least 20 ms) for
 * handing the model over and adopting its answer.
 */
public final class CpSatGangPlacer implements BudgetedGangPlacer {
  /** Below this much of the budget left, a call does not load OR-Tools' native library. */
  private static final long LOAD_RESERVE_NANOS = 2_000_000_000L;

  private final GreedyGangPlacer greedy;
  private final SolverOptions options;

  /** What CP-SAT leaves of the budget for handing the model over and adopting its answer. */
  private static long margin(long budget) {
    return Math.max(budget / 20, 20_000_000L);
  }

  /**
   * A placer with these interconnects, selector and solver options.
   *
   * @param interconnects each node's interconnect by name
   * @param selector the GPU set selector
   * @param options the time budget, workers and seed
   */
  public CpSatGangPlacer(Map<String, NodeInterconnect> interconnects, GpuSetSelector selector,
      SolverOptions options) {
    this.greedy = new GreedyGangPlacer(interconnects, selector);
    this.options = options;
  }

  @Override
  public String name() {
    return "cp-sat";
  }

  @Override
  public GangSolveResult solve(Gang gang, ClusterView view, ClusterTopology topology) {
    long start = System.nanoTime();
    long budget = options.timeLimit().toNanos();
    long deadline = start + budget;
    OrTools.requireClasses("GangPlacers.cpSat");
    Search search = greedy.search(gang, view, topology);
    GangDecision first = search.run();
    Model model = new Model(search, first);
    long greedyObjective = first instanceof GangDecision.Placed p ? model.objective(p)
        : Long.MAX_VALUE;
    if (!model.supported()) {
      return result(first, GangSolveStatus.FALLBACK, GangSolvePhase.GREEDY, greedyObjective, 0,
          start);
    }
    if (!OrTools.loaded()) {
      // the native load cannot be cut short: only with enough of the budget left for it
      if (deadline - System.nanoTime() < LOAD_RESERVE_NANOS) {
        return result(first, GangSolveStatus.FALLBACK, GangSolvePhase.GREEDY, greedyObjective, 0,
            start);
      }
      OrTools.require("GangPlacers.cpSat");
    }
    // CP-SAT stops by this instant, leaving a margin to hand the model over and read the answer
    long cpDeadline = deadline - margin(budget);
    if (!model.build(cpDeadline)) {
      return result(first, GangSolveStatus.FALLBACK, GangSolvePhase.GREEDY, greedyObjective, 0,
          start);
    }
    double seconds = (cpDeadline - System.nanoTime()) / 1e9;
    if (seconds <= 0.01) {
      return result(first, GangSolveStatus.FALLBACK, GangSolvePhase.GREEDY, greedyObjective, 0,
          start);
    }
    CpSolver solver = new CpSolver();
    solver.getParameters().setMaxTimeInSeconds(seconds).setNumWorkers(options.workers())
        .setRandomSeed((int) (options.seed() ^ (options.seed() >>> 32)))
        .setLogSearchProgress(false);
    CpSolverStatus st = solver.solve(model.cp);
    if (st == CpSolverStatus.INFEASIBLE) {
      if (first instanceof GangDecision.Placed) {
        throw new io.gpualloc.core.LedgerCorruptionException(
            "cp-sat gang model refutes the greedy placement of " + gang.name());
      }
      return result(first, GangSolveStatus.INFEASIBLE, GangSolvePhase.CP_SAT, Long.MAX_VALUE,
          Long.MAX_VALUE, start);
    }
    if (st != CpSolverStatus.OPTIMAL && st != CpSolverStatus.FEASIBLE) {
      return result(first, GangSolveStatus.FALLBACK, GangSolvePhase.GREEDY, greedyObjective, 0,
          start);
    }
    long bound = Math.max(0, (long) Math.ceil(solver.bestObjectiveBound() - 1e-6));
    GangDecision found = search.adopt(model.assignment(solver), model.counts);
    if (!(found instanceof GangDecision.Placed placed)) {
      throw new io.gpualloc.core.LedgerCorruptionException(
          "cp-sat gang solution does not fit the ledger for " + gang.name());
    }
    long objective = model.objective(placed);
    if (objective >= greedyObjective) {
      // greedy's answer is as good: keep it (never worse than greedy)
      bound = Math.min(bound, greedyObjective);
      GangSolveStatus status = bound == greedyObjective ? GangSolveStatus.OPTIMAL
          : GangSolveStatus.FEASIBLE;
      return result(first, status, GangSolvePhase.GREEDY, greedyObjective, bound, start);
    }
    bound = Math.min(bound, objective);
    GangSolveStatus status = st == CpSolverStatus.OPTIMAL || bound == objective
        ? GangSolveStatus.OPTIMAL : GangSolveStatus.FEASIBLE;
    return result(placed, status, GangSolvePhase.CP_SAT, objective, status
        == GangSolveStatus.OPTIMAL ? objective : bound, start);
  }

  private static GangSolveResult result(GangDecision d, GangSolveStatus status,
      GangSolvePhase phase, long objective, long bound, long start) {
    return new GangSolveResult(d, status, phase, objective, Math.min(bound, objective),
        Duration.ofNanos(System.nanoTime() - start));
  }

  /** The CP-SAT model of one gang on one view. */
  private static final class Model {
    final Search search;
    final Spec spec;
    final Tree tree;
    final int levels;
    final int sets;
    final int[] counts;
    final int[][] room; // [set][node]
    final int[] freeGpu; // per node, clean view
    final boolean singletonHosts;
    final long[] weight; // per level; the fragmentation term weighs 1
    final List<int[]> classNodes = new ArrayList<>(); // class -> node ids ascending
    final GangDecision greedyAnswer;
    CpModel cp;
    IntVar[][] x; // [set][class]
    IntVar[] k; // [class] nodes used

    Model(Search search, GangDecision greedyAnswer) {
      this.search = search;
      this.greedyAnswer = greedyAnswer;
      this.spec = search.spec();
      this.tree = search.tree();
      this.levels = tree.levels;
      this.sets = spec.sets.length;
      counts = new int[sets];
      if (greedyAnswer instanceof GangDecision.Placed p) {
        for (int i = 0; i < sets; i++) {
          counts[i] = p.podsPlaced().get(spec.sets[i].name());
        }
      } else {
        for (int i = 0; i < sets; i++) {
          counts[i] = spec.sets[i].minCount();
        }
      }
      room = new int[sets][];
      for (int i = 0; i < sets; i++) {
        room[i] = search.room(i, counts[i]);
      }
      ClusterView v = search.overlay();
      freeGpu = new int[v.cluster().nodeIdBound()];
      for (int n : tree.liveNodes) {
        freeGpu[n] = v.isSchedulable(n) ? Math.max(0, v.freeWholeGpus(n)) : 0;
      }
      boolean single = true;
      for (int d = 0; d < tree.topology.domainCount(0); d++) {
        single &= tree.direct[0][d].length == 1;
      }
      singletonHosts = single;
      weight = new long[levels];
      long below = 0;
      for (int n : tree.liveNodes) {
        below += freeGpu[n];
      }
      boolean overflow = false;
      for (int l = 0; l < levels; l++) {
        weight[l] = below + 1;
        long spans = tree.topology.domainCount(l);
        for (int n : tree.liveNodes) {
          spans += tree.domainOf[l][n] < 0 ? 1 : 0;
        }
        try {
          below = Math.addExact(below, Math.multiplyExact(weight[l], spans));
        } catch (ArithmeticException e) {
          overflow = true;
        }
      }
      this.overflow = overflow || below > (1L << 60);
    }

    private final boolean overflow;

    /** Whether the model covers the gang exactly (else the greedy answer stands). */
    boolean supported() {
      if (overflow) {
        return false;
      }
      if (sets == 1) {
        return true; // the room per node is exact for any template
      }
      for (PodSet p : spec.sets) {
        Request t = p.template();
        boolean linear = t.gpu() instanceof GpuDemand.None || (t.gpu() instanceof GpuDemand.Whole
            && !Fit.hasGpuFilter(t) && !(t.topology() == IntraNodeTopology.REQUIRED
                && t.gpu().count() >= 2));
        if (!linear) {
          return false;
        }
      }
      return true;
    }

    /** The objective of a placed answer: weighted spans, then free GPUs of touched nodes. */
    long objective(GangDecision.Placed p) {
      long o = 0;
      for (int l = 0; l < levels; l++) {
        o += weight[l] * p.domainsSpanned().get(l);
      }
      java.util.Set<Integer> touched = new java.util.HashSet<>();
      for (GangDecision.Member m : p.members()) {
        touched.add(m.placement().nodeId());
      }
      for (int n : touched) {
        o += freeGpu[n];
      }
      return o;
    }

    /**
     * Builds the model, checking the clock as it goes.
     *
     * @param until the instant by which it must be built with time to spare for the solve
     * @return false when it was abandoned because time ran out
     */
    boolean build(long until) {
      // classes: candidate nodes (room for some pod set), grouped when one pod set
      Map<String, Integer> byKey = new LinkedHashMap<>();
      int tick = 0;
      for (int n : tree.liveNodes) {
        if ((++tick & 255) == 0 && System.nanoTime() >= until) {
          return false;
        }
        boolean any = false;
        for (int i = 0; i < sets; i++) {
          any |= room[i][n] > 0;
        }
        if (!any) {
          continue;
        }
        String key;
        if (aggregate()) {
          StringBuilder sb = new StringBuilder();
          for (int l = 1; l < levels; l++) {
            sb.append(tree.domainOf[l][n]).append(',');
          }
          sb.append(room[0][n]).append(',').append(freeGpu[n]);
          key = sb.toString();
        } else {
          key = "n" + n;
        }
        Integer c = byKey.get(key);
        if (c == null) {
          c = classNodes.size();
          byKey.put(key, c);
          classNodes.add(new int[0]);
        }
        int[] old = classNodes.get(c);
        int[] grown = java.util.Arrays.copyOf(old, old.length + 1);
        grown[old.length] = n;
        classNodes.set(c, grown);
      }
      int cc = classNodes.size();
      cp = new CpModel();
      x = new IntVar[sets][cc];
      k = new IntVar[cc];
      for (int c = 0; c < cc; c++) {
        if ((c & 63) == 63 && System.nanoTime() >= until) {
          return false;
        }
        int[] ns = classNodes.get(c);
        int size = ns.length;
        k[c] = cp.newIntVar(0, size, "k" + c);
        LinearExprBuilder all = LinearExpr.newBuilder();
        for (int i = 0; i < sets; i++) {
          long r = room[i][ns[0]];
          x[i][c] = cp.newIntVar(0, Math.min((long) counts[i], r * size), "x" + i + "_" + c);
          all.addTerm(x[i][c], 1);
          cp.addLessOrEqual(LinearExpr.newBuilder().addTerm(x[i][c], 1).addTerm(k[c], -r), 0);
          int ks = spec.sliceSize[i];
          if (spec.sliceLevel[i] >= 0 && tree.domainOf[spec.sliceLevel[i]][ns[0]] < 0) {
            cp.addEquality(x[i][c], 0); // a slice needs a domain at its level
          }
          if (spec.sliceLevel[i] == 0 && singletonHosts && ks > 1) {
            // each used node holds whole slices: x = ks * s, ks * k <= x <= ks * floor(r/ks) * k
            IntVar s = cp.newIntVar(0, counts[i] / ks, "s" + i + "_" + c);
            cp.addEquality(LinearExpr.newBuilder().addTerm(x[i][c], 1).addTerm(s, -ks), 0);
            cp.addLessOrEqual(LinearExpr.newBuilder().addTerm(x[i][c], 1)
                .addTerm(k[c], -(r / ks) * ks), 0);
            if (sets == 1) {
              cp.addGreaterOrEqual(LinearExpr.newBuilder().addTerm(x[i][c], 1)
                  .addTerm(k[c], -ks), 0);
            }
          }
        }
        // a used node holds a member
        cp.addGreaterOrEqual(all.addTerm(k[c], -1), 0);
        if (sets > 1) {
          int n = ns[0];
          ClusterView v = search.overlay();
          LinearExprBuilder gpu = LinearExpr.newBuilder();
          LinearExprBuilder cpu = LinearExpr.newBuilder();
          LinearExprBuilder mem = LinearExpr.newBuilder();
          for (int i = 0; i < sets; i++) {
            Request t = spec.sets[i].template();
            gpu.addTerm(x[i][c], t.gpu() instanceof GpuDemand.Whole w ? w.count() : 0);
            cpu.addTerm(x[i][c], t.cpuMilli());
            mem.addTerm(x[i][c], t.memoryMib());
          }
          cp.addLessOrEqual(gpu, Math.max(0, v.freeWholeGpus(n)));
          cp.addLessOrEqual(cpu, Math.max(0, v.freeCpuMilli(n)));
          cp.addLessOrEqual(mem, Math.max(0, v.freeMemoryMib(n)));
        }
      }
      for (int i = 0; i < sets; i++) {
        LinearExprBuilder sum = LinearExpr.newBuilder();
        for (int c = 0; c < cc; c++) {
          sum.addTerm(x[i][c], 1);
        }
        cp.addEquality(sum, counts[i]);
      }
      // scopes that must share one domain
      if (spec.gangLevel >= 0 && spec.gangRequired) {
        int[] all = new int[sets];
        for (int i = 0; i < sets; i++) {
          all[i] = i;
        }
        oneDomain(spec.gangLevel, all);
      }
      for (int i = 0; i < sets; i++) {
        if (spec.level[i] >= 0 && spec.required[i]) {
          oneDomain(spec.level[i], new int[] {i});
        }
        if (spec.partner[i] > i) {
          oneDomain(spec.coLevel[i], new int[] {i, spec.partner[i]});
        }
        int ls = spec.sliceLevel[i];
        if (ls >= 0 && !(ls == 0 && singletonHosts) && spec.sliceSize[i] > 1) {
          Map<Integer, LinearExprBuilder> per = new HashMap<>();
          for (int c = 0; c < cc; c++) {
            int d = tree.domainOf[ls][classNodes.get(c)[0]];
            if (d < 0) {
              cp.addEquality(x[i][c], 0);
            } else {
              per.computeIfAbsent(d, z -> LinearExpr.newBuilder()).addTerm(x[i][c], 1);
            }
          }
          for (Map.Entry<Integer, LinearExprBuilder> e : per.entrySet()) {
            IntVar s = cp.newIntVar(0, counts[i] / spec.sliceSize[i], "sl" + i + "_" + e.getKey());
            cp.addEquality(e.getValue().addTerm(s, -spec.sliceSize[i]), 0);
          }
        }
      }
      // objective: weighted spans per level, then free GPUs of touched nodes
      LinearExprBuilder obj = LinearExpr.newBuilder();
      for (int l = 0; l < levels; l++) {
        if (l == 0 && singletonHosts) {
          for (int c = 0; c < cc; c++) {
            obj.addTerm(k[c], weight[0]);
          }
          continue;
        }
        Map<Integer, BoolVar> used = new HashMap<>();
        for (int c = 0; c < cc; c++) {
          int[] ns = classNodes.get(c);
          int d = tree.domainOf[l][ns[0]];
          if (d < 0) {
            obj.addTerm(k[c], weight[l]);
            continue;
          }
          final int level = l;
          BoolVar u = used.computeIfAbsent(d, z -> cp.newBoolVar("u" + level + "_" + z));
          cp.addLessOrEqual(LinearExpr.newBuilder().addTerm(k[c], 1).addTerm(u, -ns.length), 0);
        }
        for (BoolVar u : used.values()) {
          obj.addTerm(u, weight[l]);
        }
      }
      for (int c = 0; c < cc; c++) {
        obj.addTerm(k[c], freeGpu[classNodes.get(c)[0]]);
      }
      if (System.nanoTime() >= until) {
        return false;
      }
      cp.minimize(obj);
      hint();
      return System.nanoTime() < until;
    }

    /**
     * Whether identical nodes become one class: one pod set, one node per host domain, and no
     * constraint at the host level (which would need the class's nodes told apart).
     */
    private boolean aggregate() {
      if (sets != 1 || !singletonHosts) {
        return false;
      }
      return spec.gangLevel != 0 && spec.level[0] != 0 && spec.coLevel[0] != 0;
    }

    /** Every pod set of {@code which} inside one domain of {@code level}. */
    private void oneDomain(int level, int[] which) {
      Map<Integer, BoolVar> sel = new LinkedHashMap<>();
      for (int c = 0; c < classNodes.size(); c++) {
        int d = tree.domainOf[level][classNodes.get(c)[0]];
        for (int i : which) {
          if (d < 0) {
            cp.addEquality(x[i][c], 0);
          } else {
            BoolVar s = sel.computeIfAbsent(d, z -> cp.newBoolVar("sel" + level + "_" + z));
            cp.addLessOrEqual(LinearExpr.newBuilder().addTerm(x[i][c], 1)
                .addTerm(s, -counts[i]), 0);
          }
        }
      }
      cp.addExactlyOne(sel.values().toArray(new BoolVar[0]));
    }

    /** Hints the greedy answer when there is one. */
    private void hint() {
      if (!(greedyAnswer instanceof GangDecision.Placed p)) {
        return;
      }
      Map<Integer, Integer> classOf = new HashMap<>();
      for (int c = 0; c < classNodes.size(); c++) {
        for (int n : classNodes.get(c)) {
          classOf.put(n, c);
        }
      }
      long[][] xs = new long[sets][classNodes.size()];
      java.util.Set<Integer> nodes = new java.util.HashSet<>();
      Map<String, Integer> index = new HashMap<>();
      for (int i = 0; i < sets; i++) {
        index.put(spec.sets[i].name(), i);
      }
      for (GangDecision.Member m : p.members()) {
        Integer c = classOf.get(m.placement().nodeId());
        if (c == null) {
          return; // cannot happen: a member's node has room
        }
        xs[index.get(m.podSet())][c]++;
        nodes.add(m.placement().nodeId());
      }
      long[] ks = new long[classNodes.size()];
      for (int n : nodes) {
        ks[classOf.get(n)]++;
      }
      for (int c = 0; c < classNodes.size(); c++) {
        cp.addHint(k[c], ks[c]);
        for (int i = 0; i < sets; i++) {
          cp.addHint(x[i][c], xs[i][c]);
        }
      }
    }

    /** The solution as {set, node} per member: each class's pods spread over its first nodes. */
    List<int[]> assignment(CpSolver solver) {
      List<int[]> out = new ArrayList<>();
      for (int c = 0; c < classNodes.size(); c++) {
        int[] ns = classNodes.get(c);
        int used = (int) solver.value(k[c]);
        if (used == 0) {
          continue;
        }
        for (int i = 0; i < sets; i++) {
          int total = (int) solver.value(x[i][c]);
          if (total == 0) {
            continue;
          }
          int unit = spec.sliceLevel[i] == 0 && singletonHosts ? spec.sliceSize[i] : 1;
          int per = (room[i][ns[0]] / unit) * unit;
          int[] amount = new int[used];
          int left = total;
          // one unit on each used node first (the model keeps x >= unit * k), then fill up
          for (int j = 0; j < used && left > 0 && sets == 1; j++) {
            amount[j] = unit;
            left -= unit;
          }
          for (int j = 0; j < used && left > 0; j++) {
            int add = Math.min(per - amount[j], left);
            amount[j] += add;
            left -= add;
          }
          for (int j = 0; j < used; j++) {
            for (int a = 0; a < amount[j]; a++) {
              out.add(new int[] {i, ns[j]});
            }
          }
        }
      }
      out.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]));
      return out;
    }
  }
}

package io.gpualloc.binpack.defrag.internal;

import com.google.ortools.sat.BoolVar;
import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.CpSolver;
import com.google.ortools.sat.CpSolverStatus;
import com.google.ortools.sat.IntVar;
import com.google.ortools.sat.LinearExpr;
import com.google.ortools.sat.LinearExprBuilder;
import io.gpualloc.binpack.defrag.DefragGoal;
import io.gpualloc.binpack.defrag.DefragPhase;
import io.gpualloc.binpack.defrag.DefragPlan;
import io.gpualloc.binpack.defrag.DefragPlanner;
import io.gpualloc.binpack.defrag.DefragProblem;
import io.gpualloc.binpack.defrag.DefragStep;
import io.gpualloc.binpack.packing.SolverOptions;
import io.gpualloc.binpack.packing.internal.OrTools;
import io.gpualloc.binpack.solver.SolveOutcome;
import io.gpualloc.binpack.solver.SolveStatus;
import io.gpualloc.core.Gpu;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.GpuMode;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import io.gpualloc.core.Request;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The exact/anytime planner on CP-SAT, for the fit and empty-nodes goals (the fragmentation goal
 * has no model: it gets the greedy plan).
 *
 * <p>The model works on a neighbourhood of nodes: the whole cluster when it has at most {@link
 * #FULL_NODES} nodes, else the candidate nodes with the lowest bounds ({@link #SOURCES} per pod;
 * {@code 2k + 8} for k nodes to empty), the nodes of the greedy plan and the {@link #DESTINATIONS}
 * nodes with the most free GPUs. Each movable allocation there stays, is evicted (if allowed) or
 * moves to one node, and takes as many GPUs there as it holds, GPU by GPU (whole grants take a
 * GPU's compute and memory, shares theirs); pending pods go to one node the same way. Every GPU's
 * compute, memory and share cap and every node's CPU and memory hold at the end; a level per node makes the
 * moves acyclic (a move from h to j needs level(h) > level(j)), so ordering moves by their source's
 * level makes every intermediate state a subset of a valid final state on each node. Started from
 * the greedy plan as a hint, with one deadline for greedy, native load, model and search; a plan
 * no cheaper than the greedy one (or none) gives the greedy plan back.
 */
public final class CpSatDefragPlanner implements DefragPlanner {
  /** Clusters up to this many nodes are modelled whole (the answer is then exact). */
  static final int FULL_NODES = 24;
  /** Source nodes per pending pod, by lower bound. */
  static final int SOURCES = 8;
  /** Destination nodes with the most free GPUs added to the neighbourhood. */
  static final int DESTINATIONS = 16;
  private static final long LOAD_RESERVE_NANOS = 2_000_000_000L;

  private final SolverOptions options;

  /**
   * A planner with this budget.
   *
   * @param options time limit, workers, seed
   */
  public CpSatDefragPlanner(SolverOptions options) {
    this.options = options;
  }

  @Override
  public String name() {
    return "cp-sat";
  }

  @Override
  public DefragPlan plan(DefragProblem problem) {
    OrTools.requireClasses("DefragPlanners cp-sat plan");
    long budget = options.timeLimit().toNanos();
    Work w = new Work(problem);
    long deadline = w.t0 + budget;
    DefragPlan greedy = Greedy.plan(w);
    DefragGoal goal = problem.goal();
    if (goal instanceof DefragGoal.ReduceFragmentation
        || greedy.outcome().status() == SolveStatus.INFEASIBLE
        || greedy.outcome().status() == SolveStatus.OPTIMAL) {
      return greedy;
    }
    long bound = greedy.outcome().bound();
    if (!OrTools.loaded()) {
      if (deadline - System.nanoTime() < LOAD_RESERVE_NANOS) {
        return fallback(w, greedy);
      }
      OrTools.require("DefragPlanners cp-sat plan");
    }
    long margin = Math.max(budget / 10, 50_000_000L);
    Model m = new Model(w, greedy);
    DefragPlan best = m.solve(deadline - margin, bound);
    return best == null ? fallback(w, greedy) : best;
  }

  private static DefragPlan fallback(Work w, DefragPlan greedy) {
    if (greedy instanceof DefragPlan.Planned p) {
      SolveOutcome<DefragPhase> o = p.outcome();
      return new DefragPlan.Planned(new SolveOutcome<>(SolveStatus.TIMEOUT_FALLBACK, o.phase(),
          o.objective(), o.bound(), w.elapsed()), p.steps(), p.placements(), p.emptiedNodes(),
          p.explanation());
    }
    return greedy;
  }

  /** One model build and solve. */
  private final class Model {
    final Work w;
    final DefragPlan greedy;
    final CpModel model = new CpModel();
    final List<Integer> nodes = new ArrayList<>();
    final Map<Integer, Integer> pos = new HashMap<>();
    /** Nodes whose movable allocations may move (all in the neighbourhood when full). */
    final Set<Integer> sources = new HashSet<>();
    boolean full;
    final List<Placement> items = new ArrayList<>();
    final List<Request> itemReq = new ArrayList<>();
    BoolVar[] stay;
    BoolVar[] evict;
    /** per item (then per pod), per node position: the move (or placement) literal, or null. */
    final List<BoolVar[]> go = new ArrayList<>();
    /** per item (then per pod), per node position, per GPU index: the grant literal, or null. */
    final List<BoolVar[][]> gpu = new ArrayList<>();
    List<Request> pods = List.of();
    IntVar[] level;
    BoolVar[] emptied;

    Model(Work w, DefragPlan greedy) {
      this.w = w;
      this.greedy = greedy;
    }

    DefragPlan solve(long cpDeadline, long bound) {
      chooseNodes();
      if (!build(cpDeadline)) {
        return null;
      }
      hint();
      double seconds = (cpDeadline - System.nanoTime()) / 1e9;
      if (seconds <= 0.01) {
        return null;
      }
      CpSolver solver = new CpSolver();
      solver.getParameters().setMaxTimeInSeconds(seconds).setNumWorkers(options.workers())
          .setRandomSeed((int) (options.seed() ^ (options.seed() >>> 32)))
          .setLogSearchProgress(false);
      CpSolverStatus st = solver.solve(model);
      if (st == CpSolverStatus.MODEL_INVALID) {
        throw new io.gpualloc.binpack.solver.SolverInvariantException(
            "the defrag CP-SAT model must be valid: " + model.validate());
      }
      if (st != CpSolverStatus.OPTIMAL && st != CpSolverStatus.FEASIBLE) {
        if (st == CpSolverStatus.INFEASIBLE && full && !(greedy instanceof DefragPlan.Planned)) {
          return w.rejected(SolveStatus.INFEASIBLE, DefragPhase.CP_SAT, bound,
              "no plan exists: CP-SAT proved that no set of moves"
                  + (w.problem.evictionAllowed() ? " and evictions" : "")
                  + " (each allocation moving at most once, without cycles) reaches the goal");
        }
        return null;
      }
      long cost = Math.round(solver.objectiveValue());
      long cpBound = (long) Math.ceil(solver.bestObjectiveBound() - 1e-6);
      if (greedy instanceof DefragPlan.Planned g && cost >= g.cost()) {
        // never worse than greedy: keep its plan, with what CP-SAT proved
        long b = full ? Math.max(g.outcome().bound(), Math.min(cpBound, g.cost()))
            : g.outcome().bound();
        SolveStatus s = b == g.cost() ? SolveStatus.OPTIMAL : SolveStatus.FEASIBLE;
        return w.planned(new SolveOutcome<>(s, DefragPhase.GREEDY, g.cost(), b, w.elapsed()),
            g.steps(), g.placements(), g.emptiedNodes(), g.explanation());
      }
      return extract(solver, st, cost, cpBound, bound);
    }

    void chooseNodes() {
      Set<Integer> chosen = new LinkedHashSet<>();
      int live = w.cluster.nodeCount();
      if (live <= FULL_NODES) {
        for (int n = 0; n < w.cluster.nodeIdBound(); n++) {
          if (w.cluster.isLive(n)) {
            chosen.add(n);
          }
        }
        full = true;
        sources.addAll(chosen);
      } else {
        if (greedy instanceof DefragPlan.Planned p) {
          for (DefragStep s : p.steps()) {
            if (s instanceof DefragStep.Move mv) {
              sources.add(mv.fromNode());
              chosen.add(mv.toNode());
            } else {
              sources.add(((DefragStep.Evict) s).fromNode());
            }
          }
          for (Placement q : p.placements()) {
            sources.add(q.nodeId());
          }
          for (int n : p.emptiedNodes()) {
            if (!w.base.allocationsOn(n).isEmpty()) {
              sources.add(n);
            }
          }
        }
        if (w.problem.goal() instanceof DefragGoal.Fit f) {
          List<long[]> per = new ArrayList<>();
          Greedy.fitBound(w, f, per);
          for (long[] b : per) {
            sources.addAll(lowest(b, SOURCES));
          }
        } else {
          DefragGoal.EmptyNodes e = (DefragGoal.EmptyNodes) w.problem.goal();
          long[] ec = Bounds.emptyCosts(w, e);
          int already = 0;
          for (int n = 0; n < ec.length; n++) {
            if (ec[n] == 0 && w.base.allocationsOn(n).isEmpty()) {
              ec[n] = Bounds.IMPOSSIBLE; // counted as empty outside the model
              already++;
            }
          }
          sources.addAll(lowest(ec, 2 * Math.max(0, e.count() - already) + 8));
        }
        chosen.addAll(sources);
        Integer[] byFree = new Integer[w.cluster.nodeIdBound()];
        for (int n = 0; n < byFree.length; n++) {
          byFree[n] = n;
        }
        java.util.Arrays.sort(byFree, Comparator.<Integer>comparingInt(
            n -> w.usable(n) ? -w.base.freeWholeGpus(n) * 100_000 - w.base.freeCpuMilli(n) / 1000
                : Integer.MAX_VALUE).thenComparingInt(n -> n));
        int added = 0;
        for (int n : byFree) {
          if (added == DESTINATIONS || !w.usable(n)) {
            break;
          }
          if (chosen.add(n)) {
            added++;
          }
        }
        full = chosen.size() == live;
      }
      nodes.addAll(new TreeSet<>(chosen));
      for (int i = 0; i < nodes.size(); i++) {
        pos.put(nodes.get(i), i);
      }
    }

    List<Integer> lowest(long[] b, int k) {
      Integer[] o = new Integer[b.length];
      for (int n = 0; n < o.length; n++) {
        o[n] = n;
      }
      java.util.Arrays.sort(o, Comparator.<Integer>comparingLong(n -> b[n])
          .thenComparingInt(n -> n));
      List<Integer> out = new ArrayList<>();
      for (int n : o) {
        if (out.size() == k || b[n] == Bounds.IMPOSSIBLE) {
          break;
        }
        out.add(n);
      }
      return out;
    }

    /** Whether GPU index g of node n may take a new grant for r. */
    boolean gpuOk(Request r, int n, int g) {
      Gpu x = w.cluster.node(n).gpu(g);
      int id = w.cluster.gpuId(n, g);
      return r.allowsGpu(x) && w.base.isGpuHealthy(id) && !x.isStaticMig()
          && w.base.gpuMode(id) != GpuMode.MIG;
    }

    /** Literals for r going to each node (not home), with their GPU literals. */
    void addGoer(Request r, int home, String tag) {
      int k = r.gpu().count();
      BoolVar[] mv = new BoolVar[nodes.size()];
      BoolVar[][] z = new BoolVar[nodes.size()][];
      for (int j = 0; j < nodes.size(); j++) {
        int n = nodes.get(j);
        if (n == home || !w.usable(n)) {
          continue;
        }
        Node node = w.cluster.node(n);
        if (r.cpuMilli() > node.cpuMilli() || r.memoryMib() > node.memoryMib()) {
          continue;
        }
        int okGpus = 0;
        for (int g = 0; g < node.gpuCount(); g++) {
          okGpus += gpuOk(r, n, g) ? 1 : 0;
        }
        if (okGpus < k) {
          continue;
        }
        mv[j] = model.newBoolVar(tag + "@" + n);
        if (k > 0) {
          z[j] = new BoolVar[node.gpuCount()];
          LinearExprBuilder sum = LinearExpr.newBuilder();
          for (int g = 0; g < node.gpuCount(); g++) {
            if (gpuOk(r, n, g)) {
              z[j][g] = model.newBoolVar(tag + "@" + n + "." + g);
              sum.add(z[j][g]);
            }
          }
          model.addEquality(sum, LinearExpr.term(mv[j], k));
        }
      }
      go.add(mv);
      gpu.add(z);
    }

    /** Builds the model; false when the deadline passed meanwhile. */
    boolean build(long cpDeadline) {
      Set<Integer> inN = new HashSet<>(nodes);
      for (int n : nodes) {
        if (!sources.contains(n)) {
          continue; // a destination only: its allocations stay
        }
        for (Placement p : w.movableOn.get(n)) {
          items.add(p);
          itemReq.add(w.problem.request(p.allocationId()));
        }
      }
      int m = items.size();
      stay = new BoolVar[m];
      evict = new BoolVar[m];
      LinearExprBuilder cost = LinearExpr.newBuilder();
      for (int i = 0; i < m; i++) {
        if ((i & 15) == 15 && System.nanoTime() >= cpDeadline) {
          return false;
        }
        Placement p = items.get(i);
        stay[i] = model.newBoolVar("s" + i);
        addGoer(itemReq.get(i), p.nodeId(), "m" + i);
        LinearExprBuilder one = LinearExpr.newBuilder().add(stay[i]);
        long mc = w.problem.cost(p.allocationId()).move();
        for (BoolVar v : go.get(i)) {
          if (v != null) {
            one.add(v);
            cost.addTerm(v, mc);
          }
        }
        if (w.problem.evictionAllowed()) {
          evict[i] = model.newBoolVar("e" + i);
          one.add(evict[i]);
          cost.addTerm(evict[i], w.problem.cost(p.allocationId()).evict());
        }
        model.addEquality(one, 1);
      }
      if (w.problem.goal() instanceof DefragGoal.Fit f) {
        pods = f.pods();
        for (int q = 0; q < pods.size(); q++) {
          addGoer(pods.get(q), -1, "p" + q);
          LinearExprBuilder one = LinearExpr.newBuilder();
          for (BoolVar v : go.get(m + q)) {
            if (v != null) {
              one.add(v);
            }
          }
          model.addEquality(one, 1);
        }
      }
      Map<String, Integer> itemIndex = new HashMap<>();
      for (int i = 0; i < m; i++) {
        itemIndex.put(items.get(i).allocationId(), i);
      }
      // capacities at the end, per node and GPU
      for (int j = 0; j < nodes.size(); j++) {
        if (System.nanoTime() >= cpDeadline) {
          return false;
        }
        int n = nodes.get(j);
        Node node = w.cluster.node(n);
        LinearExprBuilder cpu = LinearExpr.newBuilder();
        LinearExprBuilder mem = LinearExpr.newBuilder();
        long freeCpu = w.base.freeCpuMilli(n);
        long freeMem = w.base.freeMemoryMib(n);
        int gs = node.gpuCount();
        long[] constC = new long[gs];
        long[] constM = new long[gs];
        long[] constS = new long[gs]; // share grants that stay put, for the share cap
        List<List<long[]>> terms = new ArrayList<>(); // per gpu: {goer, coefC, coefM}
        List<List<BoolVar>> lits = new ArrayList<>();
        for (int g = 0; g < gs; g++) {
          terms.add(new ArrayList<>());
          lits.add(new ArrayList<>());
        }
        boolean incoming = false;
        for (Placement p : w.base.allocationsOn(n)) {
          Integer i = itemIndex.get(p.allocationId());
          for (GpuGrant x : p.grants()) {
            int cap = node.gpu(x.gpuIndex()).model().memoryMib();
            long c = x instanceof GpuGrant.Share s ? s.computeMilli() : 1000;
            long mm = x instanceof GpuGrant.Share s ? s.memoryMib() : cap;
            if (x instanceof GpuGrant.Mig) {
              continue; // MIG GPUs take no new grant
            }
            long share = x instanceof GpuGrant.Share ? 1 : 0;
            if (i == null) {
              constC[x.gpuIndex()] += c;
              constM[x.gpuIndex()] += mm;
              constS[x.gpuIndex()] += share;
            } else {
              terms.get(x.gpuIndex()).add(new long[] {c, mm, share});
              lits.get(x.gpuIndex()).add(stay[i]);
            }
          }
          if (i != null) {
            // leaving frees its CPU and memory: free + cpu*(1 - stay) >= incoming
            freeCpu += p.cpuMilli();
            freeMem += p.memoryMib();
            cpu.addTerm(stay[i], p.cpuMilli());
            mem.addTerm(stay[i], p.memoryMib());
          }
        }
        int goers = go.size();
        for (int i = 0; i < goers; i++) {
          BoolVar v = go.get(i)[j];
          if (v == null) {
            continue;
          }
          incoming = true;
          Request r = i < m ? itemReq.get(i) : pods.get(i - m);
          cpu.addTerm(v, r.cpuMilli());
          mem.addTerm(v, r.memoryMib());
          BoolVar[] z = gpu.get(i)[j];
          if (z == null) {
            continue;
          }
          for (int g = 0; g < gs; g++) {
            if (z[g] == null) {
              continue;
            }
            int cap = node.gpu(g).model().memoryMib();
            GpuDemand d = r.gpu();
            long c = d instanceof GpuDemand.Shared s ? s.computeMilli() : 1000;
            long mm = d instanceof GpuDemand.Shared s ? s.memoryMib() : cap;
            terms.get(g).add(new long[] {c, mm, d instanceof GpuDemand.Shared ? 1 : 0});
            lits.get(g).add(z[g]);
          }
        }
        if (!incoming) {
          continue;
        }
        model.addLessOrEqual(cpu, freeCpu);
        model.addLessOrEqual(mem, freeMem);
        for (int g = 0; g < gs; g++) {
          if (terms.get(g).isEmpty()) {
            continue;
          }
          int cap = node.gpu(g).model().memoryMib();
          LinearExprBuilder cc = LinearExpr.newBuilder();
          LinearExprBuilder cm = LinearExpr.newBuilder();
          for (int t = 0; t < terms.get(g).size(); t++) {
            cc.addTerm(lits.get(g).get(t), terms.get(g).get(t)[0]);
            cm.addTerm(lits.get(g).get(t), terms.get(g).get(t)[1]);
          }
          model.addLessOrEqual(cc, 1000 - constC[g]);
          model.addLessOrEqual(cm, cap - constM[g]);
          int maxShares = node.gpu(g).maxShares();
          if (maxShares != Gpu.UNLIMITED_SHARES) {
            // the share cap (HAMi's split count): shared grants at the end
            LinearExprBuilder cs = LinearExpr.newBuilder();
            for (int t = 0; t < terms.get(g).size(); t++) {
              cs.addTerm(lits.get(g).get(t), terms.get(g).get(t)[2]);
            }
            model.addLessOrEqual(cs, maxShares - constS[g]);
          }
        }
      }
      // acyclic moves: level(home) > level(destination)
      level = new IntVar[nodes.size()];
      for (int j = 0; j < nodes.size(); j++) {
        level[j] = model.newIntVar(0, nodes.size(), "l" + nodes.get(j));
      }
      for (int i = 0; i < m; i++) {
        int h = pos.get(items.get(i).nodeId());
        for (int j = 0; j < nodes.size(); j++) {
          BoolVar v = go.get(i)[j];
          if (v != null) {
            model.addGreaterOrEqual(LinearExpr.newBuilder().add(level[h]).addTerm(level[j], -1),
                1).onlyEnforceIf(v);
          }
        }
      }
      if (w.problem.goal() instanceof DefragGoal.EmptyNodes e) {
        long[] ec = Bounds.emptyCosts(w, e);
        int outside = 0;
        for (int n = 0; n < w.cluster.nodeIdBound(); n++) {
          if (ec[n] == 0 && !inN.contains(n) && w.base.allocationsOn(n).isEmpty()) {
            outside++;
          }
        }
        emptied = new BoolVar[nodes.size()];
        LinearExprBuilder count = LinearExpr.newBuilder();
        for (int j = 0; j < nodes.size(); j++) {
          int n = nodes.get(j);
          if (ec[n] == Bounds.IMPOSSIBLE
              || !sources.contains(n) && !w.base.allocationsOn(n).isEmpty()) {
            continue;
          }
          emptied[j] = model.newBoolVar("x" + n);
          count.add(emptied[j]);
          for (int i = 0; i < m; i++) {
            if (items.get(i).nodeId() == n) {
              model.addLessOrEqual(LinearExpr.newBuilder().add(stay[i]).add(emptied[j]), 1);
            }
          }
          for (int i = 0; i < go.size(); i++) {
            if (go.get(i)[j] != null) {
              model.addLessOrEqual(LinearExpr.newBuilder().add(go.get(i)[j]).add(emptied[j]), 1);
            }
          }
        }
        model.addGreaterOrEqual(count, Math.max(0, e.count() - outside));
      }
      model.minimize(cost);
      return true;
    }

    void hint() {
      if (!(greedy instanceof DefragPlan.Planned p)) {
        return;
      }
      Map<String, DefragStep> byId = new HashMap<>();
      for (DefragStep s : p.steps()) {
        byId.put(s.allocationId(), s);
      }
      int m = items.size();
      for (int i = 0; i < m; i++) {
        DefragStep s = byId.get(items.get(i).allocationId());
        model.addHint(stay[i], s == null ? 1 : 0);
        if (evict[i] != null) {
          model.addHint(evict[i], s instanceof DefragStep.Evict ? 1 : 0);
        }
        hintGoer(i, s instanceof DefragStep.Move mv ? mv.placement() : null);
      }
      for (int q = 0; q < pods.size(); q++) {
        hintGoer(m + q, p.placements().get(q));
      }
      // levels: the longest chain of moves below each node (the greedy's moves are acyclic)
      int[] lv = new int[nodes.size()];
      for (int round = 0; round < nodes.size(); round++) {
        boolean changed = false;
        for (DefragStep s : p.steps()) {
          if (s instanceof DefragStep.Move mv && pos.containsKey(mv.fromNode())
              && pos.containsKey(mv.toNode())) {
            int h = pos.get(mv.fromNode());
            int j = pos.get(mv.toNode());
            if (lv[h] < lv[j] + 1 && lv[j] + 1 <= nodes.size()) {
              lv[h] = lv[j] + 1;
              changed = true;
            }
          }
        }
        if (!changed) {
          break;
        }
      }
      for (int j = 0; j < nodes.size(); j++) {
        model.addHint(level[j], lv[j]);
      }
      if (emptied != null) {
        Set<Integer> e = new HashSet<>(p.emptiedNodes());
        for (int j = 0; j < nodes.size(); j++) {
          if (emptied[j] != null) {
            model.addHint(emptied[j], e.contains(nodes.get(j)) ? 1 : 0);
          }
        }
      }
    }

    void hintGoer(int i, Placement to) {
      BoolVar[] mv = go.get(i);
      for (int j = 0; j < nodes.size(); j++) {
        if (mv[j] == null) {
          continue;
        }
        boolean here = to != null && to.nodeId() == nodes.get(j);
        model.addHint(mv[j], here ? 1 : 0);
        BoolVar[] z = gpu.get(i)[j];
        if (z == null) {
          continue;
        }
        Set<Integer> used = new HashSet<>();
        if (here) {
          for (GpuGrant g : to.grants()) {
            used.add(g.gpuIndex());
          }
        }
        for (int g = 0; g < z.length; g++) {
          if (z[g] != null) {
            model.addHint(z[g], used.contains(g) ? 1 : 0);
          }
        }
      }
    }

    DefragPlan extract(CpSolver solver, CpSolverStatus st, long cost, long cpBound,
        long bound) {
      int m = items.size();
      List<DefragStep> evictions = new ArrayList<>();
      List<DefragStep> moves = new ArrayList<>();
      List<long[]> order = new ArrayList<>(); // {source level, source node, index into moves}
      for (int i = 0; i < m; i++) {
        Placement p = items.get(i);
        String id = p.allocationId();
        if (evict[i] != null && solver.booleanValue(evict[i])) {
          evictions.add(new DefragStep.Evict(id, p.nodeId(), w.problem.cost(id).evict()));
          continue;
        }
        Placement to = placed(solver, i, itemReq.get(i));
        if (to != null) {
          order.add(new long[] {solver.value(level[pos.get(p.nodeId())]), p.nodeId(),
              moves.size()});
          moves.add(new DefragStep.Move(id, p.nodeId(), to.nodeId(), to,
              w.problem.cost(id).move()));
        }
      }
      evictions.sort(Comparator.comparing(DefragStep::allocationId));
      final List<DefragStep> mv = moves;
      order.sort(Comparator.<long[]>comparingLong(a -> a[0]).thenComparingLong(a -> a[1])
          .thenComparing(a -> mv.get((int) a[2]).allocationId()));
      List<DefragStep> steps = new ArrayList<>(evictions);
      for (long[] o : order) {
        steps.add(moves.get((int) o[2]));
      }
      List<Placement> placements = new ArrayList<>();
      for (int q = 0; q < pods.size(); q++) {
        placements.add(placed(solver, m + q, pods.get(q)));
      }
      List<Integer> emptiedNodes = new ArrayList<>();
      if (emptied != null) {
        DefragGoal.EmptyNodes e = (DefragGoal.EmptyNodes) w.problem.goal();
        Set<Integer> fromModel = new TreeSet<>();
        for (int j = 0; j < nodes.size(); j++) {
          if (emptied[j] != null && solver.booleanValue(emptied[j])) {
            fromModel.add(nodes.get(j));
          }
        }
        emptiedNodes.addAll(fromModel);
        long[] ec = Bounds.emptyCosts(w, e);
        for (int n = 0; n < w.cluster.nodeIdBound() && emptiedNodes.size() < e.count(); n++) {
          if (ec[n] == 0 && !pos.containsKey(n) && w.base.allocationsOn(n).isEmpty()) {
            emptiedNodes.add(n);
          }
        }
      }
      boolean proven = full && st == CpSolverStatus.OPTIMAL;
      long b = proven ? cost : Math.min(cost, Math.max(bound, full ? cpBound : bound));
      SolveStatus s = b == cost ? SolveStatus.OPTIMAL : SolveStatus.FEASIBLE;
      String explain = "CP-SAT over " + nodes.size() + (full ? " nodes (all)" : " nodes of "
          + w.cluster.nodeCount()) + ": " + moves.size() + " moves, " + evictions.size()
          + " evictions";
      return w.planned(new SolveOutcome<>(s, DefragPhase.CP_SAT, cost, b, w.elapsed()), steps,
          placements, emptiedNodes, explain);
    }

    Placement placed(CpSolver solver, int i, Request r) {
      BoolVar[] mv = go.get(i);
      for (int j = 0; j < nodes.size(); j++) {
        if (mv[j] != null && solver.booleanValue(mv[j])) {
          List<GpuGrant> grants = new ArrayList<>();
          BoolVar[] z = gpu.get(i)[j];
          GpuDemand d = r.gpu();
          if (z != null) {
            for (int g = 0; g < z.length; g++) {
              if (z[g] != null && solver.booleanValue(z[g])) {
                grants.add(d instanceof GpuDemand.Shared s
                    ? GpuGrant.share(g, s.computeMilli(), s.memoryMib()) : GpuGrant.whole(g));
              }
            }
          }
          return new Placement(r.name(), nodes.get(j), r.cpuMilli(), r.memoryMib(), grants);
        }
      }
      return null;
    }
  }
}

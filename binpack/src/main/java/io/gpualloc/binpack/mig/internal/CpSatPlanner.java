package io.gpualloc.binpack.mig.internal;

import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.CpSolver;
import com.google.ortools.sat.CpSolverStatus;
import com.google.ortools.sat.IntVar;
import com.google.ortools.sat.LinearExpr;
import com.google.ortools.sat.LinearExprBuilder;
import io.gpualloc.binpack.mig.MigPlan;
import io.gpualloc.binpack.mig.MigPlanPhase;
import io.gpualloc.binpack.mig.MigPlanProblem;
import io.gpualloc.binpack.mig.MigPlanStatus;
import io.gpualloc.binpack.mig.MigPlanner;
import io.gpualloc.binpack.packing.SolverOptions;
import io.gpualloc.binpack.packing.internal.OrTools;
import io.gpualloc.binpack.solver.SolverInvariantException;
import java.time.Duration;

/**
 * The exact planner on CP-SAT over classes of interchangeable GPUs ({@link PlanClasses}: same
 * instances-in-use flag, same option vectors). Per class and option an integer counts the class's
 * GPUs moved to that option and serving ("active"; at most the class size in total); per class
 * and profile an integer counts the instances served (at most what its active GPUs offer);
 * demand caps; and the lexicographic objective as one weighted sum. The model is exact (any
 * counts expand to per-GPU options with the same served total and no more used or reconfigured
 * GPUs, {@link PlanClasses#expand}); its size grows with the number of classes, not GPUs, and it
 * has none of the per-GPU model's symmetry between interchangeable GPUs, so with second-level
 * linearization CP-SAT closes the gap on large fleets ({@code MigPlanBenchmark}'s 1,000 H100s:
 * proven optimal in about half a second of CP-SAT time). Started from the greedy plan as a hint;
 * an answer worse than the greedy one (or none) falls back to it.
 *
 * <p>One deadline from the start of the call covers every step (as in {@code CpSatPacker}): the
 * greedy plan (its reconfiguration loop cut at half the budget when CP-SAT may follow, else just
 * before the deadline; a cut plan is feasible and serves less), the native load (only with at
 * least 2 s left, else the greedy plan comes back as {@code TIMEOUT_FALLBACK}), the model build
 * (checked every 32 classes, abandoned past CP-SAT's stop)
 * and CP-SAT, which gets what is left minus a margin (a tenth of the budget, at least 50 ms)
 * for handing the model over and checking the plan. A {@link SolverOptions#deterministicTime()}
 * also stops CP-SAT after that much of its deterministic time.
 */
public final class CpSatPlanner implements MigPlanner {
  /** Below this much of the budget left, a call does not load OR-Tools' native library. */
  private static final long LOAD_RESERVE_NANOS = 2_000_000_000L;

  private final SolverOptions options;

  /**
   * A planner with this budget.
   *
   * @param options time limit, workers, seed
   */
  public CpSatPlanner(SolverOptions options) {
    this.options = options;
  }

  private static MigPlan fallback(PlanModel m, GreedyPlanner.Solution greedy, long t0) {
    return m.plan(greedy.option, greedy.assign, MigPlanStatus.TIMEOUT_FALLBACK,
        MigPlanPhase.GREEDY, m.trivialBound(), Duration.ofNanos(System.nanoTime() - t0));
  }

  @Override
  public String name() {
    return "cp-sat";
  }

  @Override
  public MigPlan plan(MigPlanProblem problem) {
    long t0 = System.nanoTime();
    long budget = options.timeLimit().toNanos();
    long deadline = t0 + budget;
    OrTools.requireClasses("MigPlanners cp-sat plan");
    PlanModel m = new PlanModel(problem);
    // greedy's reconfiguration loop is quadratic in the fleet: it stops at half the budget when
    // CP-SAT may follow, else just before the deadline (the packer's rule for MBS, in spirit)
    boolean cpSat = OrTools.loaded() || budget / 2 >= LOAD_RESERVE_NANOS;
    long margin = Math.max(budget / 10, 50_000_000L);
    GreedyPlanner.Solution greedy = GreedyPlanner.solve(m,
        cpSat ? t0 + budget / 2 : deadline - margin, true);
    long greedyObjective = greedy.objective(m);
    if (!OrTools.loaded()) {
      // the native load cannot be cut short: only with enough of the budget left for it
      if (deadline - System.nanoTime() < LOAD_RESERVE_NANOS) {
        return fallback(m, greedy, t0);
      }
      OrTools.require("MigPlanners cp-sat plan");
    }
    // CP-SAT stops by this instant, leaving a margin to hand the model over and check the plan
    long cpDeadline = deadline - margin;
    PlanClasses c = new PlanClasses(m);
    int ps = m.profiles.length;
    int[][] hint = c.counts(greedy);
    CpModel model = new CpModel();
    IntVar[][] z = new IntVar[c.size][];
    IntVar[][] y = new IntVar[c.size][ps];
    LinearExprBuilder objective = LinearExpr.newBuilder();
    int[][] hintServed = new int[c.size][ps];
    for (int g = 0; g < m.gpus; g++) {
      for (int p = 0; p < ps; p++) {
        hintServed[c.classOf[g]][p] += greedy.assign[g][p];
      }
    }
    for (int k = 0; k < c.size; k++) {
      if ((k & 31) == 31 && System.nanoTime() >= cpDeadline) {
        return fallback(m, greedy, t0);
      }
      int n = c.members[k].length;
      int[][] v = c.free[k];
      z[k] = new IntVar[v.length];
      LinearExprBuilder active = LinearExpr.newBuilder();
      for (int o = 0; o < v.length; o++) {
        z[k][o] = model.newIntVar(0, n, "z" + k + "_" + o);
        active.add(z[k][o]);
        model.addHint(z[k][o], hint[k][o]);
        // an active GPU of a class with nothing in use counts as used; a reconfigured one too
        objective.addTerm(z[k][o], -(c.inUse[k] ? 0 : m.usedWeight) - (o > 0 ? 1 : 0));
      }
      model.addLessOrEqual(active, n);
      for (int p = 0; p < ps; p++) {
        y[k][p] = model.newIntVar(0, m.demand[p], "y" + k + "_" + p);
        LinearExprBuilder offer = LinearExpr.newBuilder();
        for (int o = 0; o < v.length; o++) {
          offer.addTerm(z[k][o], v[o][p]);
        }
        model.addLessOrEqual(y[k][p], offer);
        objective.addTerm(y[k][p], m.servedWeight);
        model.addHint(y[k][p], hintServed[k][p]);
      }
    }
    for (int p = 0; p < ps; p++) {
      LinearExprBuilder total = LinearExpr.newBuilder();
      for (int k = 0; k < c.size; k++) {
        total.add(y[k][p]);
      }
      model.addLessOrEqual(total, m.demand[p]);
    }
    // GPUs with an instance in use count as used whatever they serve: a constant of the objective
    long constant = -(long) c.inUseGpus * m.usedWeight;
    model.maximize(objective);
    double seconds = (cpDeadline - System.nanoTime()) / 1e9;
    if (seconds <= 0.01) {
      return fallback(m, greedy, t0);
    }
    CpSolver solver = new CpSolver();
    solver.getParameters()
        .setMaxTimeInSeconds(seconds)
        .setNumWorkers(options.workers())
        .setRandomSeed((int) (options.seed() ^ (options.seed() >>> 32)))
        .setLogSearchProgress(false)
        // cuts of the second level close the class model's gap (1,000 H100s: OPTIMAL within
        // about half a second instead of a 0.003% gap left after 5 s on the first level)
        .setLinearizationLevel(2);
    // with 1 worker and a fixed seed, a stop on CP-SAT's own work count instead of the wall clock
    // makes the answer the same on any machine (the wall-clock limit above stays as a safety net)
    options.deterministicTime().ifPresent(d -> solver.getParameters().setMaxDeterministicTime(d));
    CpSolverStatus st = solver.solve(model);
    long trivial = m.trivialBound();
    if (st != CpSolverStatus.OPTIMAL && st != CpSolverStatus.FEASIBLE) {
      return fallback(m, greedy, t0);
    }
    long bound = Math.min(trivial,
        (long) Math.floor(solver.bestObjectiveBound() + 1e-6) + constant);
    long found = Math.round(solver.objectiveValue()) + constant;
    if (found <= greedyObjective) {
      // never worse than the greedy plan (equal: keep the greedy plan, it is what the hint was)
      long b = Math.max(bound, greedyObjective);
      return m.plan(greedy.option, greedy.assign,
          b == greedyObjective ? MigPlanStatus.OPTIMAL : MigPlanStatus.FEASIBLE,
          MigPlanPhase.GREEDY, b, Duration.ofNanos(System.nanoTime() - t0));
    }
    int[][] counts = new int[c.size][];
    int[][] served = new int[c.size][ps];
    for (int k = 0; k < c.size; k++) {
      counts[k] = new int[z[k].length];
      for (int o = 0; o < z[k].length; o++) {
        counts[k][o] = (int) solver.value(z[k][o]);
      }
      for (int p = 0; p < ps; p++) {
        served[k][p] = (int) solver.value(y[k][p]);
      }
    }
    GreedyPlanner.Solution s = c.expand(counts, served);
    long expanded = s.objective(m);
    if (expanded < found) {
      throw new SolverInvariantException("MIG class model: the expanded plan's objective "
          + expanded + " is below the model's " + found);
    }
    boolean optimal = st == CpSolverStatus.OPTIMAL || bound <= expanded;
    return m.plan(s.option, s.assign, optimal ? MigPlanStatus.OPTIMAL : MigPlanStatus.FEASIBLE,
        MigPlanPhase.CP_SAT, optimal ? expanded : Math.max(bound, expanded),
        Duration.ofNanos(System.nanoTime() - t0));
  }
}

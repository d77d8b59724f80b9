package io.gpualloc.binpack.mig.internal;

import com.google.ortools.sat.BoolVar;
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
import io.gpualloc.binpack.packing.internal.CpSatModels;
import java.time.Duration;

/**
 * The exact planner on CP-SAT: one Boolean per GPU option (exactly one per GPU), an integer per
 * GPU and profile for the instances it serves (at most what the chosen option offers, and only on
 * a used GPU), demand caps, and the lexicographic objective as one weighted sum. Started from the
 * greedy plan as a hint; an answer worse than the greedy one (or none) falls back to it.
 */
public final class CpSatPlanner implements MigPlanner {
  private final SolverOptions options;

  /**
   * A planner with this budget.
   *
   * @param options time limit, workers, seed
   */
  public CpSatPlanner(SolverOptions options) {
    this.options = options;
  }

  @Override
  public String name() {
    return "cp-sat";
  }

  @Override
  public MigPlan plan(MigPlanProblem problem) {
    io.gpualloc.binpack.packing.internal.OrTools.require("MigPlanners cp-sat plan");
    long t0 = System.nanoTime();
    PlanModel m = new PlanModel(problem);
    GreedyPlanner.Solution greedy = GreedyPlanner.solve(m);
    long greedyObjective = greedy.objective(m);
    CpSatModels.load();
    CpModel model = new CpModel();
    int gs = m.gpus;
    int ps = m.profiles.length;
    BoolVar[][] x = new BoolVar[gs][];
    IntVar[][] y = new IntVar[gs][ps];
    BoolVar[] used = new BoolVar[gs];
    LinearExprBuilder objective = LinearExpr.newBuilder();
    for (int g = 0; g < gs; g++) {
      int options = m.free[g].length;
      x[g] = new BoolVar[options];
      LinearExprBuilder one = LinearExpr.newBuilder();
      for (int o = 0; o < options; o++) {
        x[g][o] = model.newBoolVar("x" + g + "_" + o);
        one.add(x[g][o]);
        if (o > 0) {
          objective.addTerm(x[g][o], -1); // reconfigured
        }
        model.addHint(x[g][o], greedy.option[g] == o ? 1 : 0);
      }
      model.addEquality(one, 1);
      used[g] = model.newBoolVar("u" + g);
      if (m.inUse[g]) {
        model.addEquality(used[g], 1);
      }
      objective.addTerm(used[g], -m.usedWeight);
      int any = 0;
      for (int p = 0; p < ps; p++) {
        y[g][p] = model.newIntVar(0, m.demand[p], "y" + g + "_" + p);
        LinearExprBuilder offer = LinearExpr.newBuilder();
        for (int o = 0; o < options; o++) {
          offer.addTerm(x[g][o], m.free[g][o][p]);
        }
        model.addLessOrEqual(y[g][p], offer);
        model.addLessOrEqual(LinearExpr.term(y[g][p], 1),
            LinearExpr.term(used[g], m.demand[p]));
        objective.addTerm(y[g][p], m.servedWeight);
        model.addHint(y[g][p], greedy.assign[g][p]);
        any += greedy.assign[g][p];
      }
      model.addHint(used[g], any > 0 || m.inUse[g] ? 1 : 0);
    }
    for (int p = 0; p < ps; p++) {
      LinearExprBuilder total = LinearExpr.newBuilder();
      for (int g = 0; g < gs; g++) {
        total.add(y[g][p]);
      }
      model.addLessOrEqual(total, m.demand[p]);
    }
    model.maximize(objective);
    CpSolver solver = new CpSolver();
    solver.getParameters()
        .setMaxTimeInSeconds(Math.max(0.01, options.timeLimit().toNanos() / 1e9))
        .setNumWorkers(options.workers())
        .setRandomSeed((int) (options.seed() ^ (options.seed() >>> 32)))
        .setLogSearchProgress(false);
    CpSolverStatus st = solver.solve(model);
    Duration wall = Duration.ofNanos(System.nanoTime() - t0);
    long trivial = m.trivialBound();
    if (st != CpSolverStatus.OPTIMAL && st != CpSolverStatus.FEASIBLE) {
      return m.plan(greedy.option, greedy.assign, MigPlanStatus.TIMEOUT_FALLBACK,
          MigPlanPhase.GREEDY, trivial, wall);
    }
    long bound = Math.min(trivial, (long) Math.floor(solver.bestObjectiveBound() + 1e-6));
    long found = Math.round(solver.objectiveValue());
    if (found <= greedyObjective) {
      // never worse than the greedy plan (equal: keep the greedy plan, it is what the hint was)
      return m.plan(greedy.option, greedy.assign,
          Math.max(bound, greedyObjective) == greedyObjective ? MigPlanStatus.OPTIMAL
              : MigPlanStatus.FEASIBLE, MigPlanPhase.GREEDY, Math.max(bound, greedyObjective),
          wall);
    }
    int[] option = new int[gs];
    int[][] assign = new int[gs][ps];
    for (int g = 0; g < gs; g++) {
      for (int o = 0; o < x[g].length; o++) {
        if (solver.booleanValue(x[g][o])) {
          option[g] = o;
        }
      }
      for (int p = 0; p < ps; p++) {
        assign[g][p] = (int) solver.value(y[g][p]);
      }
    }
    boolean optimal = st == CpSolverStatus.OPTIMAL || bound <= found;
    return m.plan(option, assign, optimal ? MigPlanStatus.OPTIMAL : MigPlanStatus.FEASIBLE,
        MigPlanPhase.CP_SAT, optimal ? found : Math.max(bound, found), wall);
  }
}

package io.gpualloc.binpack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.ortools.Loader;
import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.CpSolver;
import com.google.ortools.sat.CpSolverStatus;
import com.google.ortools.sat.IntVar;
import com.google.ortools.sat.LinearExpr;
import org.junit.jupiter.api.Test;

/** CP-SAT's native library loads and solves on this platform. */
class CpSatSmokeTest {
  @Test
  void solvesATinyKnapsack() {
    Loader.loadNativeLibraries();
    CpModel model = new CpModel();
    IntVar x = model.newIntVar(0, 10, "x");
    IntVar y = model.newIntVar(0, 10, "y");
    model.addLessOrEqual(LinearExpr.weightedSum(new IntVar[] {x, y}, new long[] {3, 5}), 17);
    model.maximize(LinearExpr.weightedSum(new IntVar[] {x, y}, new long[] {4, 7}));
    CpSolver solver = new CpSolver();
    solver.getParameters().setNumWorkers(1).setRandomSeed(1);
    assertEquals(CpSolverStatus.OPTIMAL, solver.solve(model));
    assertEquals(23, solver.objectiveValue(), 1e-9);
  }
}

package io.gpualloc.binpack.packing.internal;

import com.google.ortools.linearsolver.MPConstraint;
import com.google.ortools.linearsolver.MPObjective;
import com.google.ortools.linearsolver.MPSolver;
import com.google.ortools.linearsolver.MPVariable;
import io.gpualloc.binpack.packing.Packing;
import org.jspecify.annotations.Nullable;

/**
 * The arc-flow model as a MIP for SCIP (single-threaded, bundled with OR-Tools), asked for a
 * packing with fewer bins than the current best: the number of bins is constrained to {@code
 * [lb, ub - 1]}. SCIP's LP-based branch-and-bound with its diving heuristics finds the perfect
 * packings of triplet-like instances that CP-SAT's flow search misses; when it proves the range
 * empty, the current best is optimal.
 */
public final class ArcFlowMip {
  private ArcFlowMip() {}

  /** What SCIP found. */
  public enum Kind {
    /** A packing with fewer bins. */
    IMPROVED,
    /** No packing with fewer than {@code ub} bins exists. */
    NONE_BETTER,
    /** Nothing within the time limit, or SCIP unavailable. */
    UNKNOWN
  }

  /**
   * The outcome.
   *
   * @param kind what was found
   * @param packing the improved packing when {@code IMPROVED}
   */
  public record Outcome(Kind kind, @Nullable Packing packing) {}

  /** Searches for a packing with {@code lb..ub-1} bins until {@code deadline} (nanoTime). */
  public static Outcome solve(ArcFlowGraph g, int lb, int ub, long deadline) {
    CpSatModels.load();
    if (ub - 1 < lb) {
      return new Outcome(Kind.NONE_BETTER, null);
    }
    MPSolver s = MPSolver.createSolver("SCIP");
    if (s == null) {
      return new Outcome(Kind.UNKNOWN, null);
    }
    try {
      if ((deadline - System.nanoTime()) / 1_000_000 < 10) {
        return new Outcome(Kind.UNKNOWN, null);
      }
      MPConstraint bins = s.makeConstraint(lb, ub - 1, "bins");
      MPVariable[] f = ArcFlowLp.flowModel(s, g, ub - 1, bins);
      MPObjective obj = s.objective();
      obj.setMinimization();
      // The time limit is what is left after building the model.
      long ms = (deadline - System.nanoTime()) / 1_000_000;
      if (ms < 10) {
        return new Outcome(Kind.UNKNOWN, null);
      }
      s.setTimeLimit(ms);
      MPSolver.ResultStatus st = s.solve();
      if (st == MPSolver.ResultStatus.INFEASIBLE) {
        return new Outcome(Kind.NONE_BETTER, null);
      }
      if (st != MPSolver.ResultStatus.OPTIMAL && st != MPSolver.ResultStatus.FEASIBLE) {
        return new Outcome(Kind.UNKNOWN, null);
      }
      long[] flow = new long[f.length];
      for (int a = 0; a < f.length; a++) {
        flow[a] = Math.round(f[a].solutionValue());
      }
      return new Outcome(Kind.IMPROVED, CpSatModels.decompose(g, flow));
    } finally {
      s.delete();
    }
  }
}

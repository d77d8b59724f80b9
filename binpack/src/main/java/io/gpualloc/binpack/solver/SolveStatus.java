package io.gpualloc.binpack.solver;

/** How far a budgeted solver's answer is proven. */
public enum SolveStatus {
  /** An answer whose objective equals the proven bound. */
  OPTIMAL,
  /** An answer, not proven optimal; {@link SolveOutcome#gap()} says how far the bound is. */
  FEASIBLE,
  /** Proven that no answer exists (the result says why). */
  INFEASIBLE,
  /**
   * The exact solver found nothing better in its budget, or could not run; the heuristic's answer
   * is given.
   */
  TIMEOUT_FALLBACK,
  /** No answer was found and none was proven impossible (a heuristic gave up). */
  UNKNOWN;

  /**
   * Whether a status comes with an answer.
   *
   * @return true for {@link #OPTIMAL}, {@link #FEASIBLE} and {@link #TIMEOUT_FALLBACK}
   */
  public boolean hasAnswer() {
    return this == OPTIMAL || this == FEASIBLE || this == TIMEOUT_FALLBACK;
  }
}

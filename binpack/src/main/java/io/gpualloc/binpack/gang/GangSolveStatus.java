package io.gpualloc.binpack.gang;

/** How far a budgeted gang placer's answer is proven (the packing family's shape). */
public enum GangSolveStatus {
  /** The placement is optimal for the objective: it equals the proven bound. */
  OPTIMAL,
  /** A placement no worse than the greedy one, not proven optimal; see the gap. */
  FEASIBLE,
  /** No placement of the pod sets' minimums exists (proven); the decision is the rejection. */
  INFEASIBLE,
  /**
   * The exact phase gave nothing of its own (time ran out, or the gang has a template the model
   * does not cover); the decision is the greedy placer's.
   */
  FALLBACK
}

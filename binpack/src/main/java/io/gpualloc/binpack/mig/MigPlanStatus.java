package io.gpualloc.binpack.mig;

/** How far a plan is proven, as every budgeted solver reports it. */
public enum MigPlanStatus {
  /** The plan is optimal: its objective equals the proven bound. */
  OPTIMAL,
  /** A plan, not proven optimal; {@link MigPlan#gap()} says how far the bound is. */
  FEASIBLE,
  /** The exact solver found nothing in its budget (or could not run); the greedy plan is given. */
  TIMEOUT_FALLBACK
}

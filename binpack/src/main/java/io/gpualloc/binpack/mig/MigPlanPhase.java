package io.gpualloc.binpack.mig;

/** What produced a plan. */
public enum MigPlanPhase {
  /** The greedy planner. */
  GREEDY,
  /** The CP-SAT model (started from the greedy plan). */
  CP_SAT,
  /** Exhaustive search over every GPU's options (small fleets). */
  EXHAUSTIVE
}

package io.gpualloc.binpack.gang;

/** Which phase of a budgeted gang placer produced the decision. */
public enum GangSolvePhase {
  /** The greedy placer (the start, and the fallback). */
  GREEDY,
  /** The CP-SAT model. */
  CP_SAT
}

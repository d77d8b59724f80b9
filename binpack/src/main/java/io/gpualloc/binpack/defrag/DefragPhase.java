package io.gpualloc.binpack.defrag;

/** What produced a defragmentation plan (or gave up). */
public enum DefragPhase {
  /** The goal already holds: the empty plan, found before any search. */
  ALREADY_MET,
  /** The bound check alone: the goal is impossible (a rejection). */
  BOUND,
  /** The evict-lowest-priority baseline. */
  EVICT_BASELINE,
  /** The greedy planner. */
  GREEDY,
  /** The CP-SAT model (hinted with the greedy plan). */
  CP_SAT
}

package io.gpualloc.binpack.packing;

/** How far an answer of the exact solver is proven. */
public enum PackingStatus {
  /** The packing is optimal: its cost equals the lower bound. */
  OPTIMAL,
  /** A complete packing, not proven optimal; the gap to the lower bound is reported. */
  FEASIBLE,
  /** No complete packing exists (an item fits no bin type, or the available bins are too few). */
  INFEASIBLE,
  /**
   * The time budget ran out before the solver produced or refuted an answer of its own; the result
   * is the best heuristic packing with the cheap lower bounds (possibly incomplete when bins are
   * limited).
   */
  TIMEOUT_FALLBACK
}

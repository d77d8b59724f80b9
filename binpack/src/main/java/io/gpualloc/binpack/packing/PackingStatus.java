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
   * The time budget ran out before any exact step (LP bound, MIP, CP-SAT) ran, or the packing is
   * incomplete; the result is the best heuristic packing with the cheap lower bounds (possibly
   * incomplete when bins are limited). A complete packing after an exact step that found nothing
   * better is {@link #FEASIBLE}.
   */
  TIMEOUT_FALLBACK
}

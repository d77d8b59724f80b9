/**
 * What every budgeted solver of binpack reports: {@link io.gpualloc.binpack.solver.SolveOutcome}
 * (status, objective, proven bound, gap, the phase that produced the answer, wall time) with its
 * {@link io.gpualloc.binpack.solver.SolveStatus}, and {@link
 * io.gpualloc.binpack.solver.SolverInvariantException} for a solver's own bug. Defragmentation
 * ({@code io.gpualloc.binpack.defrag}) reports through it; packing, gangs and MIG planning still
 * have their own status types and move to this shape later.
 */
@NullMarked
package io.gpualloc.binpack.solver;

import org.jspecify.annotations.NullMarked;

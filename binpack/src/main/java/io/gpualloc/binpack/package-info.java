/**
 * The solvers: online placement policies and scorers, fragmentation measures and FGD, and exact
 * packing on OR-Tools CP-SAT with lower bounds.
 */
@NullMarked
package io.gpualloc.binpack;

import org.jspecify.annotations.NullMarked;

/**
 * The solvers: online placement policies and scorers, fragmentation measures and FGD, and exact
 * packing on OR-Tools CP-SAT with lower bounds.
 *
 * <p>Start with {@link io.gpualloc.binpack.Policies#named}: every policy answers {@code place} (one
 * decision) and {@code scoreAll} (every node scored or rejected with the numbers, its best equal to
 * {@code place}), and applies a request's intra-node topology setting given the interconnects in
 * its {@link io.gpualloc.binpack.PolicyConfig}. For a custom policy, combine {@link
 * io.gpualloc.binpack.Filters}, {@link io.gpualloc.binpack.Scorers} and {@link
 * io.gpualloc.binpack.GpuPickers} with {@link io.gpualloc.binpack.PolicyComposer}.
 */
@NullMarked
package io.gpualloc.binpack;

import org.jspecify.annotations.NullMarked;

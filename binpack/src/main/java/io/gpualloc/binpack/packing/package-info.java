/**
 * Offline (vector) bin packing with proofs of quality: the problem model ({@link
 * io.gpualloc.binpack.packing.PackingInstance}, {@link io.gpualloc.binpack.packing.BinType}),
 * readers for the BPPLIB and VPSolver formats ({@link io.gpualloc.binpack.packing.PackingReaders}),
 * greedy heuristics ({@link io.gpualloc.binpack.packing.BinPackers}), lower bounds ({@link
 * io.gpualloc.binpack.packing.LowerBounds}), the exact/anytime CP-SAT solver ({@link
 * io.gpualloc.binpack.packing.CpSatPacker}) and the GPU-aware repacking of requests onto nodes
 * ({@link io.gpualloc.binpack.packing.GpuRepacker}).
 *
 * <p>Start with {@code CpSatPacker.solve(instance, SolverOptions.defaults())}: it always answers
 * with a feasible packing (at worst a heuristic one), a lower bound and the gap between them.
 */
@NullMarked
package io.gpualloc.binpack.packing;

import org.jspecify.annotations.NullMarked;

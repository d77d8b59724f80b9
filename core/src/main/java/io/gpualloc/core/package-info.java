/**
 * The gpualloc model and ledger.
 *
 * <p>Start with {@link io.gpualloc.core.Node} and {@link io.gpualloc.core.Cluster} to describe
 * hardware (GPU models come from {@link io.gpualloc.core.GpuModelCatalog#builtIn()}), {@link
 * io.gpualloc.core.Request} to describe a pod, {@link io.gpualloc.core.Placement} for where it goes
 * and {@link io.gpualloc.core.ClusterState}, the ledger that records allocations. Policies answer
 * with a {@link io.gpualloc.core.Decision}.
 *
 * <p>Units are integers: GPU compute in milli-GPU (1000 = one GPU), GPU and host memory in MiB,
 * CPU in millicores. Caller mistakes throw subclasses of {@link
 * io.gpualloc.core.GpuallocException}.
 */
@NullMarked
package io.gpualloc.core;

import org.jspecify.annotations.NullMarked;

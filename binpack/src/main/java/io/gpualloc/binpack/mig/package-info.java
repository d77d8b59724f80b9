/**
 * MIG layout planning: given a fleet ({@link io.gpualloc.binpack.mig.MigGpuState}: each GPU's
 * layout and the instances in use) and a demand (instances per profile), a {@link
 * io.gpualloc.binpack.mig.MigPlanner} proposes target layouts and reconfiguration steps ({@link
 * io.gpualloc.binpack.mig.MigPlan}) that serve the most demand on the fewest GPUs with the fewest
 * reconfigured GPUs, never touching an instance in use. Start with {@link
 * io.gpualloc.binpack.mig.MigPlanners#named}: {@code greedy} or {@code cp-sat}; {@link
 * io.gpualloc.binpack.mig.MigPlanners#onDemand} is the one-instance step.
 */
@NullMarked
package io.gpualloc.binpack.mig;

import org.jspecify.annotations.NullMarked;

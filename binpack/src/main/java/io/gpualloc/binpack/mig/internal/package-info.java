/** Engines of the MIG layout planners: the option model, the greedy and the CP-SAT planners. */
@NullMarked
package io.gpualloc.binpack.mig.internal;

import org.jspecify.annotations.NullMarked;

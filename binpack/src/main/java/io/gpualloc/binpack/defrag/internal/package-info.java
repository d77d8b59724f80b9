/**
 * Engines of the defragmentation planners: the working model, lower bounds, the greedy planner,
 * the evict-lowest-priority baseline and the CP-SAT model.
 */
@NullMarked
package io.gpualloc.binpack.defrag.internal;

import org.jspecify.annotations.NullMarked;

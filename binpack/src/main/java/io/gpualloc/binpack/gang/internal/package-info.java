/** Engines of the gang placers: the working overlay on a view, pod counting, the greedy search. */
@NullMarked
package io.gpualloc.binpack.gang.internal;

import org.jspecify.annotations.NullMarked;

/** Implementation of the packing heuristics and CP-SAT models; not an API. */
@NullMarked
package io.gpualloc.binpack.packing.internal;

import org.jspecify.annotations.NullMarked;

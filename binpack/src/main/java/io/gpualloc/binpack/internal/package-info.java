/**
 * Implementation of the placement policies: feasibility checks, GPU pickers, the scorer-based
 * framework, and the memoised fragmentation engine behind FGD. Not API.
 */
@NullMarked
package io.gpualloc.binpack.internal;

import org.jspecify.annotations.NullMarked;

/** Internals of the extender: views and caches not exported by the module. */
@NullMarked
package io.gpualloc.binpack.extender.internal;

import org.jspecify.annotations.NullMarked;

/**
 * HAMi's NVIDIA annotations as gpualloc values: the node inventory {@code
 * hami.io/node-nvidia-register} (both the CSV form of HAMi up to 2.7 and the JSON form from 2.8),
 * the per-container allocations {@code hami.io/vgpu-devices-to-allocate} / {@code -allocated}, and
 * the user's options on a pod ({@link io.gpualloc.core.io.hami.HamiPodOptions}).
 *
 * <p>Start with {@link io.gpualloc.core.io.hami.HamiCodec}. Like the rest of {@code
 * io.gpualloc.core.io}, this package needs the optional Jackson dependency.
 */
@NullMarked
package io.gpualloc.core.io.hami;

import org.jspecify.annotations.NullMarked;

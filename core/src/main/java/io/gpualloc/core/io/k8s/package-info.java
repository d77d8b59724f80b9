/**
 * Kubernetes objects as gpualloc values: {@code v1.Pod} JSON to a {@link
 * io.gpualloc.core.io.k8s.KubePod} (with its {@link io.gpualloc.core.Request}) and {@code v1.Node}
 * JSON to a {@link io.gpualloc.core.io.k8s.KubeNode} (with its {@link io.gpualloc.core.Node}).
 *
 * <p>Start with {@link io.gpualloc.core.io.k8s.KubeMapping#of}. Quantities ({@code "500m"},
 * {@code "16Gi"}) are parsed exactly by {@link io.gpualloc.core.io.k8s.Quantity}; resource and
 * label names are configurable through {@link io.gpualloc.core.io.k8s.ResourceNames}. The tables
 * are in {@code docs/kubernetes.md}. Like the rest of {@code io.gpualloc.core.io}, this package
 * needs the optional Jackson dependency.
 */
@NullMarked
package io.gpualloc.core.io.k8s;

import org.jspecify.annotations.NullMarked;

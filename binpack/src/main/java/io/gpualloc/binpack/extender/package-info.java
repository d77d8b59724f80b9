/**
 * kube-scheduler's extender, transport-free: {@link io.gpualloc.binpack.extender.Extender} turns
 * request bodies of the {@code filter}, {@code prioritize}, {@code bind} and {@code preempt} verbs
 * into response bodies with any named policy on a live ledger; {@link
 * io.gpualloc.binpack.extender.BindOutcome} carries a bind's placement and the HAMi annotations
 * ({@link io.gpualloc.binpack.extender.BindAnnotations}) the host writes on the pod. The wire types
 * and the Pod/Node mapping are in {@code io.gpualloc.core.io.k8s}; an HTTP server built on it is
 * {@code io.gpualloc.examples.extender}; see {@code docs/kubernetes.md}.
 */
@NullMarked
package io.gpualloc.binpack.extender;

import org.jspecify.annotations.NullMarked;

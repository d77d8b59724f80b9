/**
 * kube-scheduler's extender, transport-free: {@link io.gpualloc.binpack.extender.Extender} turns
 * request bodies into response bodies with any named policy on a live ledger. The wire types and
 * the Pod/Node mapping are in {@code io.gpualloc.core.io.k8s}; see {@code docs/kubernetes.md}.
 */
@NullMarked
package io.gpualloc.binpack.extender;

import org.jspecify.annotations.NullMarked;

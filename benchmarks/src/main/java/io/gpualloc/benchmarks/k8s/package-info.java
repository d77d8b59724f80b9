/** Benchmarks of the Kubernetes and HAMi mapping: Pods, Nodes and allocation annotations. */
package io.gpualloc.benchmarks.k8s;

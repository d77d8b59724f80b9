package io.gpualloc.core.io.k8s;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * kube-scheduler's {@code ExtenderFilterResult}.
 *
 * @param nodeNames the passing node names (name mode), or null
 * @param rawNodes the passing Node objects' JSON, unmodified (object mode), or null
 * @param failedNodes rejected nodes a preemption may help, with the reason
 * @param failedAndUnresolvableNodes rejected nodes no preemption helps, with the reason
 * @param error a non-empty message fails the pod's scheduling attempt; empty for none
 */
public record FilterResult(
    @Nullable List<String> nodeNames,
    @Nullable List<String> rawNodes,
    Map<String, String> failedNodes,
    Map<String, String> failedAndUnresolvableNodes,
    String error) {

  /**
   * Copies the collections (maps sorted by node name).
   *
   * @param nodeNames the passing node names, or null
   * @param rawNodes the passing Node objects' JSON, or null
   * @param failedNodes rejected nodes a preemption may help
   * @param failedAndUnresolvableNodes rejected nodes no preemption helps
   * @param error the error message, empty for none
   */
  public FilterResult {
    nodeNames = nodeNames == null ? null : List.copyOf(nodeNames);
    rawNodes = rawNodes == null ? null : List.copyOf(rawNodes);
    failedNodes = Collections.unmodifiableMap(new TreeMap<>(failedNodes));
    failedAndUnresolvableNodes =
        Collections.unmodifiableMap(new TreeMap<>(failedAndUnresolvableNodes));
    error = error == null ? "" : error;
  }

  /**
   * A result that fails the scheduling attempt with {@code message}.
   *
   * @param message what went wrong
   * @return the error result
   */
  public static FilterResult ofError(String message) {
    return new FilterResult(null, null, Map.of(), Map.of(), message);
  }
}

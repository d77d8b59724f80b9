package io.gpualloc.core.io.k8s;

import io.gpualloc.core.InvalidSpecException;

/**
 * One entry of kube-scheduler's {@code HostPriorityList}.
 *
 * @param host the node name
 * @param score the score, 0..10 ({@code MaxExtenderPriority}); kube-scheduler multiplies it by the
 *     extender's weight and by 10
 */
public record HostPriority(String host, int score) {
  /**
   * Validates the score range.
   *
   * @param host the node name, non-blank
   * @param score the score, 0..10
   */
  public HostPriority {
    if (host == null || host.isBlank()) {
      throw InvalidSpecException.of("host priority", "host", host, "a node name");
    }
    if (score < 0 || score > 10) {
      throw InvalidSpecException.of("host priority " + host, "score", score, "0..10");
    }
  }
}

package io.gpualloc.core.io.k8s;

import io.gpualloc.core.InvalidSpecException;
import java.util.List;

/**
 * The pods to evict on one node, kube-scheduler's {@code Victims} / {@code MetaVictims}.
 *
 * @param pods the victims, in kube-scheduler's order
 * @param numPdbViolations how many of them violate a PodDisruptionBudget ({@code NumPDBViolations})
 */
public record Victims(List<VictimPod> pods, long numPdbViolations) {
  /**
   * Validates and copies.
   *
   * @param pods the victims
   * @param numPdbViolations PDB violations, at least 0
   */
  public Victims {
    if (pods == null) {
      throw InvalidSpecException.of("victims", "pods", null, "a list");
    }
    pods = List.copyOf(pods);
    if (numPdbViolations < 0) {
      throw InvalidSpecException.of("victims", "numPdbViolations", numPdbViolations, ">= 0");
    }
  }
}

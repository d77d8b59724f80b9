package io.gpualloc.core.io.k8s;

import io.gpualloc.core.InvalidSpecException;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * kube-scheduler's {@code ExtenderPreemptionResult}: the nodes on which the preemption works, each
 * with the victims to evict ({@code NodeNameToMetaVictims}; kube-scheduler finds the pods by UID).
 * kube-scheduler's type has no error field: an error is written as an extra {@code Error} key,
 * which Go's decoder skips, beside an empty map, so kube-scheduler sees no candidate node.
 *
 * @param victims the victims per node name, sorted by node name; every list non-empty
 * @param error a message for malformed input, empty for none
 */
public record PreemptionResult(Map<String, Victims> victims, String error) {
  /**
   * Validates and copies.
   *
   * @param victims the victims per node; each node with at least one victim
   * @param error the error message, empty for none
   */
  public PreemptionResult {
    if (victims == null) {
      throw InvalidSpecException.of("preemption result", "victims", null, "a map");
    }
    for (Map.Entry<String, Victims> e : victims.entrySet()) {
      if (e.getValue().pods().isEmpty()) {
        throw InvalidSpecException.of("preemption result", "victims[" + e.getKey() + "]",
            "no pods", "at least one victim per node (kube-scheduler rejects an empty list)");
      }
    }
    victims = Collections.unmodifiableMap(new TreeMap<>(victims));
    error = error == null ? "" : error;
  }

  /**
   * A result offering no node, with a message.
   *
   * @param message what went wrong
   * @return the error result
   */
  public static PreemptionResult ofError(String message) {
    return new PreemptionResult(Map.of(), message);
  }
}

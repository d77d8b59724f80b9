package io.gpualloc.core.io.k8s;

import io.gpualloc.core.InvalidSpecException;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * kube-scheduler's {@code ExtenderPreemptionArgs}: the pod to make room for and, per candidate
 * node, the victims kube-scheduler proposes. With {@code nodeCacheCapable} it sends {@code
 * NodeNameToMetaVictims} (victims by UID), otherwise {@code NodeNameToVictims} (full Pods); both
 * read into the same map.
 *
 * @param pod the pod being scheduled
 * @param victims the proposed victims per node name, sorted by node name
 * @param meta whether the request carried {@code NodeNameToMetaVictims} (UIDs only)
 */
public record PreemptionArgs(KubePod pod, Map<String, Victims> victims, boolean meta) {
  /**
   * Validates and copies.
   *
   * @param pod the pod being scheduled
   * @param victims the proposed victims per node
   * @param meta whether victims came by UID only
   */
  public PreemptionArgs {
    if (pod == null || victims == null) {
      throw InvalidSpecException.of("preemption args", "pod/victims", null, "non-null values");
    }
    victims = Collections.unmodifiableMap(new TreeMap<>(victims));
  }
}

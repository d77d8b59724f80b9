package io.gpualloc.core.io.k8s;

import io.gpualloc.core.InvalidSpecException;

/**
 * A pod proposed for eviction in a preemption: kube-scheduler's {@code MetaPod} ({@code UID} only)
 * or the identity of a full {@code v1.Pod} from {@code NodeNameToVictims}.
 *
 * @param uid the pod's UID ({@code UID} of a {@code MetaPod}, {@code metadata.uid} of a Pod), or
 *     empty when a full Pod carried none
 * @param namespace the pod's namespace, or empty when only the UID is known
 * @param name the pod's name, or empty when only the UID is known
 */
public record VictimPod(String uid, String namespace, String name) {
  /**
   * Validates.
   *
   * @param uid the UID, or empty
   * @param namespace the namespace, or empty
   * @param name the name, or empty
   */
  public VictimPod {
    if (uid == null || namespace == null || name == null) {
      throw InvalidSpecException.of("victim pod", "uid/namespace/name", null, "non-null strings");
    }
    if (uid.isEmpty() && name.isEmpty()) {
      throw InvalidSpecException.of("victim pod", "uid/name", "both empty",
          "a UID or a namespace and name");
    }
  }

  /**
   * A victim known by UID only, as in {@code NodeNameToMetaVictims}.
   *
   * @param uid the pod's UID, non-empty
   * @return the victim
   */
  public static VictimPod ofUid(String uid) {
    return new VictimPod(uid, "", "");
  }

  /**
   * {@code namespace/name}, or the empty string when only the UID is known.
   *
   * @return the pod key
   */
  public String key() {
    return name.isEmpty() ? "" : namespace + "/" + name;
  }
}

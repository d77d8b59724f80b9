package io.gpualloc.binpack.extender;

import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.Placement;
import io.gpualloc.core.io.k8s.ExtenderJson;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What {@link Extender#bindOutcome} did: either the pod's placement was committed to the ledger
 * (then {@link #annotations()} are what the host writes on the pod before it creates the {@code
 * Binding}), or nothing changed and {@link #error()} says why.
 *
 * @param namespace the pod's namespace (empty when the body was unreadable)
 * @param name the pod's name (empty when the body was unreadable)
 * @param uid the pod's UID (may be empty)
 * @param node the node kube-scheduler chose (empty when the body was unreadable)
 * @param placement the committed placement, or null on error
 * @param annotations the HAMi annotations to write on the pod (empty on error, and for a pod
 *     without GPUs)
 * @param error the message of an {@code ExtenderBindingResult}; empty when bound
 */
public record BindOutcome(String namespace, String name, String uid, String node,
    @Nullable Placement placement, Map<String, String> annotations, String error) {

  /**
   * Validates and copies.
   *
   * @param namespace the pod's namespace
   * @param name the pod's name
   * @param uid the pod's UID
   * @param node the chosen node
   * @param placement the committed placement, or null exactly when {@code error} is non-empty
   * @param annotations the annotations to write
   * @param error the error, empty when bound
   */
  public BindOutcome {
    if (namespace == null || name == null || uid == null || node == null || annotations == null
        || error == null) {
      throw InvalidSpecException.of("bind outcome", "fields", null, "non-null values");
    }
    if ((placement == null) == error.isEmpty()) {
      throw InvalidSpecException.of("bind outcome", "placement/error",
          placement == null ? "neither" : "both", "a placement or an error, not both");
    }
    annotations = Collections.unmodifiableMap(new TreeMap<>(annotations));
  }

  static BindOutcome failed(String namespace, String name, String uid, String node, String error) {
    return new BindOutcome(namespace, name, uid, node, null, Map.of(), error);
  }

  /**
   * Whether the placement was committed.
   *
   * @return true when bound
   */
  public boolean bound() {
    return placement != null;
  }

  /**
   * The {@code ExtenderBindingResult} body.
   *
   * @return {@code {"Error":""}} when bound, else the message
   */
  public String toJson() {
    return ExtenderJson.writeBindingResult(error);
  }
}

package io.gpualloc.core.io.k8s;

import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.Request;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Kubernetes Pod as gpualloc sees it: its identity, its annotations (where HAMi keeps user
 * options and allocations) and the {@link Request} its containers add up to.
 *
 * @param namespace {@code metadata.namespace} ({@code "default"} when absent)
 * @param name {@code metadata.name}
 * @param uid {@code metadata.uid}, or the empty string when absent
 * @param nodeName {@code spec.nodeName}, or the empty string when the pod is not bound
 * @param annotations {@code metadata.annotations}, sorted by key
 * @param request the pod's effective request; its name is {@code namespace/name}
 * @param containers the containers in HAMi's order (init containers first), with the GPUs each
 *     asks for; empty when the pod was built without them (then a bind writes the pod's GPUs as one
 *     app container)
 */
public record KubePod(
    String namespace,
    String name,
    String uid,
    String nodeName,
    Map<String, String> annotations,
    Request request,
    List<KubeContainer> containers) {

  /**
   * Validates and copies.
   *
   * @param namespace {@code metadata.namespace}
   * @param name {@code metadata.name}
   * @param uid {@code metadata.uid}, or empty
   * @param nodeName {@code spec.nodeName}, or empty
   * @param annotations {@code metadata.annotations}
   * @param request the pod's effective request
   * @param containers the containers, init containers first
   */
  public KubePod {
    if (namespace == null || namespace.isBlank() || name == null || name.isBlank()) {
      throw InvalidSpecException.of("pod", "namespace/name", namespace + "/" + name,
          "non-blank namespace and name");
    }
    if (uid == null || nodeName == null || annotations == null || request == null) {
      throw InvalidSpecException.of("pod " + namespace + "/" + name, "uid/nodeName/annotations/request",
          null, "non-null values");
    }
    annotations = Collections.unmodifiableMap(new TreeMap<>(annotations));
    if (containers == null) {
      throw InvalidSpecException.of("pod " + namespace + "/" + name, "containers", null,
          "a list (empty when unknown)");
    }
    containers = List.copyOf(containers);
  }

  /**
   * A pod without its container layout.
   *
   * @param namespace {@code metadata.namespace}
   * @param name {@code metadata.name}
   * @param uid {@code metadata.uid}, or empty
   * @param nodeName {@code spec.nodeName}, or empty
   * @param annotations {@code metadata.annotations}
   * @param request the pod's effective request
   */
  public KubePod(String namespace, String name, String uid, String nodeName,
      Map<String, String> annotations, Request request) {
    this(namespace, name, uid, nodeName, annotations, request, List.of());
  }

  /**
   * {@code namespace/name}, the key gpualloc uses for the pod's allocation.
   *
   * @return {@code namespace/name}
   */
  public String key() {
    return namespace + "/" + name;
  }
}

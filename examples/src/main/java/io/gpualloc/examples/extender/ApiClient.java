package io.gpualloc.examples.extender;

import java.io.IOException;
import java.util.Map;

/**
 * What the extender server needs from the Kubernetes API server: write a pod's annotations,
 * create its {@code Binding}, and list nodes and pods. Pluggable so that tests run against a
 * loopback fake; {@link HttpApiClient} is the real one.
 */
public interface ApiClient {

  /**
   * Merges {@code annotations} into the pod's {@code metadata.annotations}.
   *
   * @param namespace the pod's namespace
   * @param name the pod's name
   * @param annotations the annotations to set
   * @throws IOException when the request fails or the API server refuses it
   */
  void patchPodAnnotations(String namespace, String name, Map<String, String> annotations)
      throws IOException;

  /**
   * Binds the pod to the node ({@code POST .../pods/{name}/binding}).
   *
   * @param namespace the pod's namespace
   * @param name the pod's name
   * @param uid the pod's UID (a precondition: the API server refuses a different pod of that
   *     name), or empty
   * @param node the node
   * @throws IOException when the request fails or the API server refuses it
   */
  void bind(String namespace, String name, String uid, String node) throws IOException;

  /**
   * Lists every node ({@code GET /api/v1/nodes}).
   *
   * @return the NodeList JSON
   * @throws IOException when the request fails
   */
  String listNodes() throws IOException;

  /**
   * Lists every pod that is bound to a node and not finished ({@code GET /api/v1/pods} with a
   * field selector).
   *
   * @return the PodList JSON
   * @throws IOException when the request fails
   */
  String listActivePods() throws IOException;

  /** No API server: bind records the decision in the ledger only (tests, dry runs). */
  ApiClient NONE = new ApiClient() {
    @Override
    public void patchPodAnnotations(String namespace, String name,
        Map<String, String> annotations) {}

    @Override
    public void bind(String namespace, String name, String uid, String node) {}

    @Override
    public String listNodes() {
      return "{\"items\":[]}";
    }

    @Override
    public String listActivePods() {
      return "{\"items\":[]}";
    }
  };
}

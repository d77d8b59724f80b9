package io.gpualloc.core.io.k8s;

/**
 * kube-scheduler's {@code ExtenderBindingArgs}.
 *
 * @param podName the pod's name
 * @param podNamespace the pod's namespace
 * @param podUid the pod's UID
 * @param node the node chosen
 */
public record BindingArgs(String podName, String podNamespace, String podUid, String node) {

  /**
   * The key of the pod's allocation, {@code namespace/name} as {@link KubePod#key()}.
   *
   * @return {@code namespace/name}
   */
  public String podKey() {
    return podNamespace + "/" + podName;
  }
}

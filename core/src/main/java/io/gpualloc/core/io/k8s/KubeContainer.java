package io.gpualloc.core.io.k8s;

import io.gpualloc.core.InvalidSpecException;

/**
 * One container of a pod as the GPU annotations need it: where it sits in HAMi's per-container
 * layout and how many GPUs it asked for. A pod's containers are listed as HAMi lists them: init
 * containers first (in {@code spec.initContainers} order), then app containers.
 *
 * @param name the container's name
 * @param init whether it is an init container
 * @param sidecar whether it is a restartable init container ({@code restartPolicy: Always}), which
 *     keeps running beside the app containers
 * @param gpus the GPUs it requests ({@code nvidia.com/gpu} or the configured name; requests, else
 *     limits), 0 when none
 */
public record KubeContainer(String name, boolean init, boolean sidecar, int gpus) {
  /**
   * Validates.
   *
   * @param name the container's name, non-null
   * @param init whether it is an init container
   * @param sidecar whether it is a restartable init container (only init containers can be)
   * @param gpus the GPUs it requests, at least 0
   */
  public KubeContainer {
    if (name == null) {
      throw InvalidSpecException.of("kubernetes container", "name", null, "a name");
    }
    if (sidecar && !init) {
      throw InvalidSpecException.of("kubernetes container " + name, "sidecar", true,
          "only for init containers");
    }
    if (gpus < 0) {
      throw InvalidSpecException.of("kubernetes container " + name, "gpus", gpus, ">= 0");
    }
  }
}

package io.gpualloc.core;

/**
 * One physical GPU of a node.
 *
 * @param index index within its node, 0-based, as the device plugin and {@code nvidia-smi} number
 *     it
 * @param uuid the device UUID, unique within a cluster
 * @param model the GPU model
 * @param numaNode the NUMA node the GPU hangs off, 0-based
 */
public record Gpu(int index, String uuid, GpuModel model, int numaNode) {

  /**
   * Validates every field.
   *
   * @param index index within its node, 0-based, as the device plugin and {@code nvidia-smi} number
   *     it
   * @param uuid the device UUID, unique within a cluster
   * @param model the GPU model
   * @param numaNode the NUMA node the GPU hangs off, 0-based
   */
  public Gpu {
    Checks.atLeast("GPU", "index", index, 0);
    String owner = "GPU " + index;
    Checks.name(owner, "uuid", uuid);
    Checks.notNull(owner, "model", model);
    Checks.atLeast(owner, "numaNode", numaNode, 0);
  }
}

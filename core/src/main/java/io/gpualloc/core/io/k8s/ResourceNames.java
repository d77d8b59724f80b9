package io.gpualloc.core.io.k8s;

import io.gpualloc.core.InvalidSpecException;

/**
 * The extended resource and label names the Kubernetes mapping reads. HAMi's chart lets an operator
 * rename its resources ({@code resourceName}, {@code resourceMem}, {@code resourceMemPercentage},
 * {@code resourceCores}); so does this record. {@link #defaults()} holds the names NVIDIA's device
 * plugin and HAMi use out of the box.
 *
 * @param gpu GPUs per container ({@code nvidia.com/gpu})
 * @param gpuMemory HAMi memory per GPU in MiB ({@code nvidia.com/gpumem})
 * @param gpuMemoryPercentage HAMi memory per GPU in percent ({@code nvidia.com/gpumem-percentage})
 * @param gpuCores HAMi compute per GPU in percent ({@code nvidia.com/gpucores})
 * @param migPrefix prefix of MIG resources ({@code nvidia.com/mig-}, as in {@code
 *     nvidia.com/mig-1g.10gb}); the rest of the name is the MIG profile
 * @param productLabel node label naming the GPU model ({@code nvidia.com/gpu.product}, written by
 *     GPU feature discovery)
 * @param countLabel node label with the number of physical GPUs ({@code nvidia.com/gpu.count})
 */
public record ResourceNames(
    String gpu,
    String gpuMemory,
    String gpuMemoryPercentage,
    String gpuCores,
    String migPrefix,
    String productLabel,
    String countLabel) {

  /**
   * Validates every name: non-blank and pairwise distinct.
   *
   * @param gpu GPUs per container
   * @param gpuMemory HAMi memory per GPU in MiB
   * @param gpuMemoryPercentage HAMi memory per GPU in percent
   * @param gpuCores HAMi compute per GPU in percent
   * @param migPrefix prefix of MIG resources
   * @param productLabel node label naming the GPU model
   * @param countLabel node label with the number of physical GPUs
   */
  public ResourceNames {
    String[] names = {gpu, gpuMemory, gpuMemoryPercentage, gpuCores, migPrefix};
    String[] fields = {"gpu", "gpuMemory", "gpuMemoryPercentage", "gpuCores", "migPrefix"};
    for (int i = 0; i < names.length; i++) {
      check(fields[i], names[i]);
      for (int j = 0; j < i; j++) {
        if (names[i].equals(names[j])) {
          throw InvalidSpecException.of("resource names", fields[i], names[i],
              "a name different from " + fields[j]);
        }
      }
    }
    for (int i = 0; i < 4; i++) {
      if (names[i].startsWith(migPrefix)) {
        throw InvalidSpecException.of("resource names", fields[i], names[i],
            "a name that does not start with migPrefix '" + migPrefix + "'");
      }
    }
    check("productLabel", productLabel);
    check("countLabel", countLabel);
  }

  private static void check(String field, String value) {
    if (value == null || value.isBlank()) {
      throw InvalidSpecException.of("resource names", field, value, "a non-blank name");
    }
  }

  /**
   * The default names of NVIDIA's device plugin, GPU feature discovery and HAMi.
   *
   * @return the default names
   */
  public static ResourceNames defaults() {
    return new ResourceNames("nvidia.com/gpu", "nvidia.com/gpumem",
        "nvidia.com/gpumem-percentage", "nvidia.com/gpucores", "nvidia.com/mig-",
        "nvidia.com/gpu.product", "nvidia.com/gpu.count");
  }

  /**
   * These names with the four HAMi resources renamed, as HAMi's chart allows.
   *
   * @param gpu GPUs per container
   * @param gpuMemory memory per GPU in MiB
   * @param gpuMemoryPercentage memory per GPU in percent
   * @param gpuCores compute per GPU in percent
   * @return the renamed names
   * @throws InvalidSpecException when a name is blank or two names are equal
   */
  public ResourceNames withHami(
      String gpu, String gpuMemory, String gpuMemoryPercentage, String gpuCores) {
    return new ResourceNames(gpu, gpuMemory, gpuMemoryPercentage, gpuCores, migPrefix,
        productLabel, countLabel);
  }

  /**
   * Whether {@code name} is one of the GPU resources this mapping reads (the four HAMi names or a
   * MIG resource).
   *
   * @param name a resource name
   * @return whether it is a GPU resource
   */
  public boolean isGpuResource(String name) {
    return name.equals(gpu) || name.equals(gpuMemory) || name.equals(gpuMemoryPercentage)
        || name.equals(gpuCores) || name.startsWith(migPrefix);
  }
}

package io.gpualloc.core;

/**
 * What one GPU of the placement's node gives to the allocation: the whole GPU, a share of its
 * compute and memory, or one MIG instance at a start slot.
 */
public sealed interface GpuGrant {

  /**
   * The GPU's index within its node.
   *
   * @return the GPU's index within its node
   */
  int gpuIndex();

  /**
   * The whole GPU, exclusively.
   *
   * @param gpuIndex index within the node
   * @return the whole GPU, exclusively
   */
  static GpuGrant whole(int gpuIndex) {
    return new Whole(gpuIndex);
  }

  /**
   * A share of a GPU.
   *
   * @param gpuIndex index within the node
   * @param computeMilli compute, 0..1000 milli-GPU
   * @param memoryMib memory in MiB
   * @return a share of a GPU
   */
  static GpuGrant share(int gpuIndex, int computeMilli, int memoryMib) {
    return new Share(gpuIndex, computeMilli, memoryMib);
  }

  /**
   * A MIG instance of {@code profile} at memory slice {@code startSlot}.
   *
   * @param gpuIndex index within the node
   * @param profile profile name from the GPU model's table
   * @param startSlot start memory slice, one of the profile's start slots
   * @return a MIG instance of {@code profile} at memory slice {@code startSlot}
   */
  static GpuGrant mig(int gpuIndex, String profile, int startSlot) {
    return new Mig(gpuIndex, profile, startSlot);
  }

  /**
   * The whole GPU.
   *
   * @param gpuIndex index within the node
   */
  record Whole(int gpuIndex) implements GpuGrant {
    /**
     * Validates the index.
     *
     * @param gpuIndex index within the node
     */
    public Whole {
      Checks.atLeast("whole-GPU grant", "gpuIndex", gpuIndex, 0);
    }
  }

  /**
   * A share of a GPU.
   *
   * @param gpuIndex index within the node
   * @param computeMilli compute, 0..1000 milli-GPU
   * @param memoryMib memory in MiB
   */
  record Share(int gpuIndex, int computeMilli, int memoryMib) implements GpuGrant {
    /**
     * Validates the share: at least one of compute and memory is positive.
     *
     * @param gpuIndex index within the node
     * @param computeMilli compute, 0..1000 milli-GPU
     * @param memoryMib memory in MiB
     */
    public Share {
      Checks.atLeast("GPU share grant", "gpuIndex", gpuIndex, 0);
      Checks.between("GPU share grant", "computeMilli", computeMilli, 0, 1000);
      Checks.atLeast("GPU share grant", "memoryMib", memoryMib, 0);
      if (computeMilli == 0 && memoryMib == 0) {
        throw InvalidSpecException.of(
            "GPU share grant", "computeMilli/memoryMib", "0/0", "at least one positive");
      }
    }
  }

  /**
   * A MIG instance.
   *
   * @param gpuIndex index within the node
   * @param profile profile name from the GPU model's table
   * @param startSlot start memory slice, one of the profile's start slots
   */
  record Mig(int gpuIndex, String profile, int startSlot) implements GpuGrant {
    /**
     * Validates the fields; the profile and slot are checked against the GPU on allocation.
     *
     * @param gpuIndex index within the node
     * @param profile profile name from the GPU model's table
     * @param startSlot start memory slice, one of the profile's start slots
     */
    public Mig {
      Checks.atLeast("MIG grant", "gpuIndex", gpuIndex, 0);
      Checks.name("MIG grant", "profile", profile);
      Checks.atLeast("MIG grant", "startSlot", startSlot, 0);
    }
  }
}

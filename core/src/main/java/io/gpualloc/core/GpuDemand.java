package io.gpualloc.core;

/**
 * What a request needs of GPUs: nothing, whole GPUs, shares of GPUs (compute and/or memory per
 * GPU, as HAMi or the openb trace express it), or MIG instances of one profile.
 */
public sealed interface GpuDemand {

  /**
   * The number of GPUs (or MIG instances) involved.
   *
   * @return the number of GPUs (or MIG instances) involved
   */
  int count();

  /**
   * No GPU.
   *
   * @return the demand for no GPU
   */
  static GpuDemand none() {
    return None.INSTANCE;
  }

  /**
   * {@code count} whole, exclusive GPUs.
   *
   * @param count number of GPUs, at least 1
   * @return {@code count} whole, exclusive GPUs
   */
  static GpuDemand whole(int count) {
    return new Whole(count);
  }

  /**
   * {@code count} GPUs, each shared at {@code computeMilli} and {@code memoryMib}.
   *
   * @param count number of GPUs, at least 1
   * @param computeMilli compute per GPU, 0..1000 milli-GPU
   * @param memoryMib memory per GPU in MiB, at least 0
   * @return {@code count} GPUs, each shared at {@code computeMilli} and {@code memoryMib}
   */
  static GpuDemand shared(int count, int computeMilli, int memoryMib) {
    return new Shared(count, computeMilli, memoryMib);
  }

  /**
   * {@code count} MIG instances of profile {@code profile}.
   *
   * @param profile profile name, for example {@code 1g.10gb}
   * @param count number of instances, at least 1
   * @return {@code count} MIG instances of profile {@code profile}
   */
  static GpuDemand mig(String profile, int count) {
    return new Mig(profile, count);
  }

  /** No GPU: a CPU-only request. */
  enum None implements GpuDemand {
    /** The only instance. */
    INSTANCE;

    @Override
    public int count() {
      return 0;
    }
  }

  /**
   * Whole, exclusive GPUs.
   *
   * @param count number of GPUs, at least 1
   */
  record Whole(int count) implements GpuDemand {
    /**
     * Validates the count.
     *
     * @param count number of GPUs, at least 1
     */
    public Whole {
      Checks.atLeast("whole-GPU demand", "count", count, 1);
    }
  }

  /**
   * Shares of GPUs: each of {@code count} distinct GPUs gives {@code computeMilli} of compute and
   * {@code memoryMib} of memory, alongside other shares.
   *
   * @param count number of distinct GPUs, at least 1
   * @param computeMilli compute per GPU, 0..1000 milli-GPU
   * @param memoryMib memory per GPU in MiB, at least 0
   */
  record Shared(int count, int computeMilli, int memoryMib) implements GpuDemand {
    /**
     * Validates the share: at least one of compute and memory is positive.
     *
     * @param count number of GPUs, at least 1
     * @param computeMilli compute per GPU, 0..1000 milli-GPU
     * @param memoryMib memory per GPU in MiB, at least 0
     */
    public Shared {
      Checks.atLeast("shared-GPU demand", "count", count, 1);
      Checks.between("shared-GPU demand", "computeMilli", computeMilli, 0, 1000);
      Checks.atLeast("shared-GPU demand", "memoryMib", memoryMib, 0);
      if (computeMilli == 0 && memoryMib == 0) {
        throw InvalidSpecException.of(
            "shared-GPU demand", "computeMilli/memoryMib", "0/0",
            "at least one positive. Maybe this request needs no GPU: use GpuDemand.none()");
      }
    }
  }

  /**
   * MIG instances of one profile.
   *
   * @param profile profile name, for example {@code 1g.10gb}
   * @param count number of instances, at least 1
   */
  record Mig(String profile, int count) implements GpuDemand {
    /**
     * Validates the profile name and count.
     *
     * @param profile profile name, for example {@code 1g.10gb}
     * @param count number of instances, at least 1
     */
    public Mig {
      Checks.name("MIG demand", "profile", profile);
      Checks.atLeast("MIG demand", "count", count, 1);
    }
  }
}

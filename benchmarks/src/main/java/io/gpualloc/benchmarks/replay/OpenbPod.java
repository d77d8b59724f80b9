package io.gpualloc.benchmarks.replay;

import java.util.List;

/**
 * One row of an openb pod list (the 11-column form; the 5-column multigpu form leaves the rest
 * empty).
 *
 * @param name pod name
 * @param cpuMilli CPU request in millicores
 * @param memoryMib memory request in MiB
 * @param numGpu number of GPUs
 * @param gpuMilli GPU share per GPU in milli-GPU (1000 for whole GPUs)
 * @param gpuSpec allowed GPU models (empty: any)
 * @param creationTime creation time in seconds, or -1 when the file has none
 * @param deletionTime deletion time in seconds, or -1 when the file has none
 */
public record OpenbPod(
    String name,
    int cpuMilli,
    int memoryMib,
    int numGpu,
    int gpuMilli,
    List<String> gpuSpec,
    long creationTime,
    long deletionTime) {

  /** Copies the model list. */
  public OpenbPod {
    gpuSpec = List.copyOf(gpuSpec);
  }

  /** Requested GPU in milli-GPU: {@code numGpu * gpuMilli}. */
  public long gpuRequestMilli() {
    return (long) numGpu * gpuMilli;
  }

  /** The pod's type, as the FGD paper's failed-pod breakdown groups them. */
  public PodType type() {
    if (numGpu == 0) {
      return PodType.CPU_ONLY;
    }
    if (gpuMilli < 1000) {
      return PodType.SHARED;
    }
    return numGpu == 1 ? PodType.ONE_GPU : PodType.MULTI_GPU;
  }

  /** Pod types for reports. */
  public enum PodType {
    /** No GPU. */
    CPU_ONLY,
    /** A share of one GPU. */
    SHARED,
    /** One whole GPU. */
    ONE_GPU,
    /** Two or more whole GPUs. */
    MULTI_GPU
  }
}

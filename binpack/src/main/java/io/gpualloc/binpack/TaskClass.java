package io.gpualloc.binpack;

import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.InvalidSpecException;
import java.util.Set;
import java.util.TreeSet;

/**
 * One task class of a {@link TargetWorkload}: a request shape (host CPU, GPU demand, GPU model
 * filter) and how often it occurs. The FGD paper's {@code (c_m, d_m, k_m, T_m)}.
 *
 * @param cpuMilli host CPU in millicores
 * @param gpu the GPU demand: none, whole GPUs, or a share of one or more GPUs (MIG is not part of
 *     the fragmentation measure and is rejected)
 * @param modelInclude GPU models the class may use (empty: any)
 * @param modelExclude GPU models the class may not use
 * @param weight how often the class occurs (a pod count, or a probability scaled to an integer)
 */
public record TaskClass(
    int cpuMilli, GpuDemand gpu, Set<String> modelInclude, Set<String> modelExclude, long weight) {

  /**
   * Validates and copies the model sets (sorted).
   *
   * @param cpuMilli host CPU in millicores
   * @param gpu the GPU demand: none, whole GPUs, or a share of one or more GPUs (MIG is not part of
   *     the fragmentation measure and is rejected)
   * @param modelInclude GPU models the class may use (empty: any)
   * @param modelExclude GPU models the class may not use
   * @param weight how often the class occurs (a pod count, or a probability scaled to an integer)
   */
  public TaskClass {
    if (cpuMilli < 0) {
      throw InvalidSpecException.of("task class", "cpuMilli", cpuMilli, ">= 0");
    }
    if (gpu == null || gpu instanceof GpuDemand.Mig) {
      throw InvalidSpecException.of(
          "task class", "gpu", gpu, "none, whole or shared (MIG demands have no fragmentation class)");
    }
    if (weight < 1) {
      throw InvalidSpecException.of("task class", "weight", weight, ">= 1");
    }
    modelInclude = java.util.Collections.unmodifiableSet(new TreeSet<>(modelInclude));
    modelExclude = java.util.Collections.unmodifiableSet(new TreeSet<>(modelExclude));
  }

  /**
   * A class without a model filter.
   *
   * @param cpuMilli host CPU in millicores
   * @param gpu the GPU demand: none, whole GPUs, or a share of one or more GPUs (MIG is not part of
   *     the fragmentation measure and is rejected)
   * @param weight how often the class occurs (a pod count, or a probability scaled to an integer)
   * @return a class without a model filter
   */
  public static TaskClass of(int cpuMilli, GpuDemand gpu, long weight) {
    return new TaskClass(cpuMilli, gpu, Set.of(), Set.of(), weight);
  }

  /**
   * The number of GPUs one task of the class uses (0 for CPU-only).
   *
   * @return the number of GPUs one task of the class uses (0 for CPU-only)
   */
  public int gpuCount() {
    return gpu.count();
  }

  /**
   * Compute per GPU in milli-GPU: 0 for CPU-only, 1000 for whole GPUs.
   *
   * @return the compute per GPU in milli-GPU: 0 for CPU-only, 1000 for whole GPUs
   */
  public int gpuMilli() {
    if (gpu instanceof GpuDemand.Whole) {
      return 1000;
    }
    if (gpu instanceof GpuDemand.Shared s) {
      return s.computeMilli();
    }
    return 0;
  }

  /**
   * GPU memory per GPU in MiB for shares; 0 otherwise (a whole GPU needs a fully free GPU).
   *
   * @return GPU memory per GPU in MiB for shares; 0 otherwise (a whole GPU needs a fully free GPU)
   */
  public int gpuMemoryMib() {
    return gpu instanceof GpuDemand.Shared s ? s.memoryMib() : 0;
  }

  /**
   * Whether the class may use GPUs of {@code model}.
   *
   * @param model a GPU model
   * @return whether the class may use GPUs of {@code model}
   */
  public boolean allowsModel(GpuModel model) {
    String m = model.name();
    return (modelInclude.isEmpty() || modelInclude.contains(m)) && !modelExclude.contains(m);
  }
}

package io.gpualloc.binpack.mig;

import io.gpualloc.core.GpuModel;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.MigInstance;
import io.gpualloc.core.MigLayout;
import java.util.List;

/**
 * One GPU of a fleet to plan: its current MIG layout and which of its instances are in use.
 *
 * @param name how reports name the GPU, for example {@code node-3/gpu-5}
 * @param current the instances that exist now (empty when the GPU is not partitioned)
 * @param inUse the instances of {@code current} that hold a workload; the planner never touches
 *     them
 */
public record MigGpuState(String name, MigLayout current, List<MigInstance> inUse) {

  /**
   * Validates that the instances in use are instances of the current layout.
   *
   * @param name how reports name the GPU, for example {@code node-3/gpu-5}
   * @param current the instances that exist now (empty when the GPU is not partitioned)
   * @param inUse the instances of {@code current} that hold a workload; the planner never touches
   *     them
   * @throws InvalidSpecException when a field is null or blank, or an instance in use is not in
   *     the current layout (or listed twice)
   */
  public MigGpuState {
    if (name == null || name.isBlank()) {
      throw InvalidSpecException.of("MIG GPU state", "name", name, "a non-blank name");
    }
    if (current == null) {
      throw InvalidSpecException.of("MIG GPU state " + name, "current", null,
          "a layout (MigLayout.empty(model) when not partitioned)");
    }
    if (inUse == null) {
      throw InvalidSpecException.of("MIG GPU state " + name, "inUse", null, "a list");
    }
    inUse = List.copyOf(inUse);
    for (int i = 0; i < inUse.size(); i++) {
      MigInstance x = inUse.get(i);
      if (!current.instances().contains(x) || inUse.indexOf(x) != i) {
        throw InvalidSpecException.of("MIG GPU state " + name, "inUse[" + i + "]", x,
            "an instance of the current layout " + current + ", listed once");
      }
    }
  }

  /**
   * An idle GPU: not partitioned, nothing in use.
   *
   * @param name the GPU's name
   * @param model a MIG-capable model
   * @return the state
   * @throws InvalidSpecException when the model does not support MIG
   */
  public static MigGpuState idle(String name, GpuModel model) {
    return new MigGpuState(name, MigLayout.empty(model), List.of());
  }

  /**
   * The GPU's model.
   *
   * @return the model of the current layout
   */
  public GpuModel model() {
    return current.model();
  }
}

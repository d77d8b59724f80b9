package io.gpualloc.binpack.mig;

import io.gpualloc.core.GpuModel;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.UnknownGpuModelException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What to plan: a fleet of MIG GPUs (each with its current layout and instances in use) and a
 * demand (how many instances of each profile are wanted).
 *
 * <p>A demand names profiles as the GPUs' models name them (with the spellings {@link
 * GpuModel#migProfile(String)} accepts); a GPU whose model lacks a profile cannot serve it.
 *
 * @param gpus the fleet, GPU {@code i} at position {@code i}
 * @param demand instances wanted per profile name, in a stable order
 */
public record MigPlanProblem(List<MigGpuState> gpus, Map<String, Integer> demand) {

  /**
   * Validates and copies.
   *
   * @param gpus the fleet, GPU {@code i} at position {@code i}
   * @param demand instances wanted per profile name, in a stable order
   * @throws InvalidSpecException when the fleet or demand is null, a count is negative, two GPUs
   *     share a name, or a demanded profile is offered by no GPU's model
   */
  public MigPlanProblem {
    if (gpus == null || demand == null) {
      throw InvalidSpecException.of("MIG plan problem", gpus == null ? "gpus" : "demand", null,
          "a list of GPUs and a map of profile name to count");
    }
    gpus = List.copyOf(gpus);
    java.util.HashSet<String> names = new java.util.HashSet<>();
    for (MigGpuState g : gpus) {
      if (!names.add(g.name())) {
        throw InvalidSpecException.of("MIG plan problem", "gpus", g.name(), "distinct GPU names");
      }
    }
    LinkedHashMap<String, Integer> d = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> e : demand.entrySet()) {
      Integer n = e.getValue();
      if (e.getKey() == null || n == null || n < 0) {
        throw InvalidSpecException.of("MIG plan problem", "demand[" + e.getKey() + "]", n,
            "a profile name with a count >= 0");
      }
      boolean offered = false;
      for (MigGpuState g : gpus) {
        offered |= offers(g.model(), e.getKey());
      }
      if (!offered && !gpus.isEmpty()) {
        throw InvalidSpecException.of("MIG plan problem", "demand", e.getKey(),
            "a profile one of the fleet's models offers");
      }
      d.put(e.getKey(), n);
    }
    demand = Collections.unmodifiableMap(d);
  }

  /**
   * Whether {@code model} offers the profile {@code name} (in any accepted spelling).
   *
   * @param model a GPU model
   * @param name a profile name
   * @return true when {@link GpuModel#migProfile(String)} finds it
   */
  public static boolean offers(GpuModel model, String name) {
    if (!model.supportsMig()) {
      return false;
    }
    try {
      model.migProfile(name);
      return true;
    } catch (UnknownGpuModelException e) {
      return false;
    }
  }
}

package io.gpualloc.binpack.gang;

import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.Request;
import org.jspecify.annotations.Nullable;

/**
 * One kind of member of a gang: {@code count} pods made from one {@link Request} template, of
 * which at least {@code minCount} must be placed (above it the pod set is elastic), with an
 * optional topology constraint and optional slices.
 *
 * @param name the pod set's name, unique in its gang; members are named {@code <gang>/<name>-<i>}
 * @param template what each pod needs (its own name is not used)
 * @param count how many pods at most, at least 1
 * @param minCount how many pods at least, 1..count
 * @param topology where its members must (or should) stay, or null for no constraint
 * @param slices groups of pods that each stay inside one lower domain, or null
 */
public record PodSet(String name, Request template, int count, int minCount,
    @Nullable TopologyConstraint topology, @Nullable Slices slices) {

  /**
   * Validates the fields.
   *
   * @param name the pod set's name, unique in its gang; members are named {@code <gang>/<name>-<i>}
   * @param template what each pod needs (its own name is not used)
   * @param count how many pods at most, at least 1
   * @param minCount how many pods at least, 1..count
   * @param topology where its members must (or should) stay, or null for no constraint
   * @param slices groups of pods that each stay inside one lower domain, or null
   * @throws InvalidSpecException for a blank name, a null template, a count below 1, a minimum
   *     outside 1..count, or a count or minimum that is no multiple of the slice size
   */
  public PodSet {
    if (name == null || name.isBlank() || name.contains("/")) {
      throw InvalidSpecException.of("pod set", "name", name, "a non-blank name without '/'");
    }
    String owner = "pod set " + name;
    if (template == null) {
      throw InvalidSpecException.of(owner, "template", null, "a Request");
    }
    if (count < 1) {
      throw InvalidSpecException.of(owner, "count", count, ">= 1 pods");
    }
    if (minCount < 1 || minCount > count) {
      throw InvalidSpecException.of(owner, "minCount", minCount, "1.." + count + " (the count)");
    }
    if (slices != null && (count % slices.size() != 0 || minCount % slices.size() != 0)) {
      throw InvalidSpecException.of(owner, "slices.size", slices.size(),
          "a divisor of count (" + count + ") and of minCount (" + minCount + ")");
    }
  }

  /**
   * A rigid pod set: {@code count} pods, all required, no constraint.
   *
   * @param name the name
   * @param template the pod template
   * @param count the number of pods
   * @return the pod set
   * @throws InvalidSpecException as the constructor
   */
  public static PodSet of(String name, Request template, int count) {
    return new PodSet(name, template, count, count, null, null);
  }

  /**
   * A copy with another minimum (elastic above it).
   *
   * @param min the minimum count
   * @return the copy
   * @throws InvalidSpecException as the constructor
   */
  public PodSet withMinCount(int min) {
    return new PodSet(name, template, count, min, topology, slices);
  }

  /**
   * A copy with a topology constraint.
   *
   * @param constraint the constraint, or null for none
   * @return the copy
   */
  public PodSet withTopology(@Nullable TopologyConstraint constraint) {
    return new PodSet(name, template, count, minCount, constraint, slices);
  }

  /**
   * A copy with slices.
   *
   * @param value the slices, or null for none
   * @return the copy
   * @throws InvalidSpecException as the constructor
   */
  public PodSet withSlices(@Nullable Slices value) {
    return new PodSet(name, template, count, minCount, topology, value);
  }

  /**
   * GPUs one pod asks for, in milli-GPU: whole GPUs count 1000 each, shares their compute, MIG
   * instances one seventh of a GPU each (a rough weight, used only to order pod sets).
   *
   * @return milli-GPU per pod
   */
  public long gpuMilliPerPod() {
    GpuDemand d = template.gpu();
    if (d instanceof GpuDemand.Whole w) {
      return 1000L * w.count();
    }
    if (d instanceof GpuDemand.Shared s) {
      return (long) s.count() * s.computeMilli();
    }
    if (d instanceof GpuDemand.Mig m) {
      return 1000L * m.count() / 7;
    }
    return 0;
  }
}

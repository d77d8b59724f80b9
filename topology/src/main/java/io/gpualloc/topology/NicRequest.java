package io.gpualloc.topology;

import io.gpualloc.core.InvalidSpecException;

/**
 * The NICs a job wants with its GPUs: {@code count} NICs, each close to the GPUs as {@code
 * affinity} says. A NIC <em>serves</em> a GPU when their cell admits the affinity.
 *
 * <p>{@code required}: every chosen GPU is served by a chosen NIC and every chosen NIC serves a
 * chosen GPU, or there is no answer. Preferred ({@code required == false}): the number of served
 * GPUs plus serving NICs is maximised right after the GPU set's own link quality (see {@link
 * GpuNicSelector}).
 *
 * @param count how many NICs, {@code >= 0}
 * @param affinity how close
 * @param required whether the affinity is a constraint (else a preference)
 */
public record NicRequest(int count, NicAffinity affinity, boolean required) {

  /**
   * Validates.
   *
   * @param count how many NICs, {@code >= 0}
   * @param affinity how close
   * @param required whether the affinity is a constraint (else a preference)
   * @throws InvalidSpecException for a negative count or a null affinity
   */
  public NicRequest {
    if (count < 0) {
      throw InvalidSpecException.of("NIC request", "count", count, ">= 0");
    }
    if (affinity == null) {
      throw InvalidSpecException.of("NIC request", "affinity", null,
          "SAME_SWITCH, SAME_ROOT_COMPLEX or SAME_NUMA");
    }
  }
}

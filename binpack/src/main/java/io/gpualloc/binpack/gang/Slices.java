package io.gpualloc.binpack.gang;

import io.gpualloc.core.InvalidSpecException;

/**
 * A pod set split into groups of {@code size} pods, each group inside one domain of {@code level}
 * (Kueue's slice size and slice topology, Volcano's partitions). Several groups may share a
 * domain. The level must be below the pod set's (or the gang's) constraint level.
 *
 * @param size pods per group, at least 1; the pod set's count and minimum are multiples of it
 * @param level the label key of the level each group stays inside
 */
public record Slices(int size, String level) {

  /**
   * Validates the fields.
   *
   * @param size pods per group, at least 1; the pod set's count and minimum are multiples of it
   * @param level the label key of the level each group stays inside
   * @throws InvalidSpecException for a size below 1 or a blank level
   */
  public Slices {
    if (size < 1) {
      throw InvalidSpecException.of("slices", "size", size, ">= 1");
    }
    if (level == null || level.isBlank()) {
      throw InvalidSpecException.of("slices", "level", level,
          "a non-blank label key of the topology levels");
    }
  }
}

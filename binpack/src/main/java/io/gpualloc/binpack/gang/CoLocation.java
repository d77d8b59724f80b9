package io.gpualloc.binpack.gang;

import io.gpualloc.core.InvalidSpecException;

/**
 * Two pod sets of a gang whose members must all sit inside one domain of {@code level} together,
 * for example a leader in its workers' rack (Kueue's pod set groups). REQUIRED by nature.
 *
 * @param first one pod set's name
 * @param second the other pod set's name, different from {@code first}
 * @param level the label key of the level
 */
public record CoLocation(String first, String second, String level) {

  /**
   * Validates the fields.
   *
   * @param first one pod set's name
   * @param second the other pod set's name, different from {@code first}
   * @param level the label key of the level
   * @throws InvalidSpecException for blank names, equal names or a blank level
   */
  public CoLocation {
    if (first == null || first.isBlank()) {
      throw InvalidSpecException.of("co-location", "first", first, "a pod set name");
    }
    if (second == null || second.isBlank() || second.equals(first)) {
      throw InvalidSpecException.of("co-location", "second", second,
          "a pod set name other than " + first);
    }
    if (level == null || level.isBlank()) {
      throw InvalidSpecException.of("co-location " + first + "+" + second, "level", level,
          "a non-blank label key of the topology levels");
    }
  }
}

package io.gpualloc.topology;

import io.gpualloc.core.InvalidSpecException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The topology levels of a cluster as node label keys, lowest (smallest domain) first, for example
 * {@code [nvlink-domain, rack, block, zone]}: the same idea as the ordered levels of Kueue's
 * topology-aware scheduling.
 *
 * @param labelKeys the label keys, lowest level first; non-blank and distinct
 */
public record TopologyLevels(List<String> labelKeys) {

  /**
   * Validates and copies.
   *
   * @param labelKeys the label keys, lowest level first; non-blank and distinct
   */
  public TopologyLevels {
    if (labelKeys == null || labelKeys.isEmpty()) {
      throw InvalidSpecException.of("topology levels", "labelKeys", labelKeys,
          "at least one label key, lowest level first");
    }
    labelKeys = List.copyOf(labelKeys);
    Set<String> seen = new HashSet<>();
    for (String k : labelKeys) {
      if (k.isBlank() || !seen.add(k)) {
        throw InvalidSpecException.of("topology levels", "label key", k, "non-blank, distinct keys");
      }
    }
  }

  /**
   * Levels from these keys, lowest first.
   *
   * @param labelKeys the label keys, lowest level first; non-blank and distinct
   * @return levels from these keys, lowest first
   */
  public static TopologyLevels of(String... labelKeys) {
    return new TopologyLevels(List.of(labelKeys));
  }

  /**
   * The number of levels.
   *
   * @return the number of levels
   */
  public int size() {
    return labelKeys.size();
  }

  /**
   * The index of the level with this key.
   *
   *
   * @param labelKey the label key
   * @return the index of the level with this key
   * @throws InvalidSpecException when no level has it
   */
  public int indexOf(String labelKey) {
    int i = labelKeys.indexOf(labelKey);
    if (i < 0) {
      throw InvalidSpecException.of("topology levels", "label key", labelKey,
          String.join(", ", labelKeys));
    }
    return i;
  }
}

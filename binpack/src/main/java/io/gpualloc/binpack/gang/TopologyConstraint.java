package io.gpualloc.binpack.gang;

import io.gpualloc.core.InvalidSpecException;

/**
 * A topology constraint on a gang or a pod set: the members inside one domain of a level of the
 * cluster's {@link io.gpualloc.topology.TopologyLevels}, named by its label key. The level is
 * checked against the topology when the gang is placed.
 *
 * @param level the label key of the level, for example {@code rack}
 * @param mode {@link TopologyMode#REQUIRED} or {@link TopologyMode#PREFERRED}
 */
public record TopologyConstraint(String level, TopologyMode mode) {

  /**
   * Validates the fields.
   *
   * @param level the label key of the level, for example {@code rack}
   * @param mode {@link TopologyMode#REQUIRED} or {@link TopologyMode#PREFERRED}
   * @throws InvalidSpecException for a blank level or a null mode
   */
  public TopologyConstraint {
    if (level == null || level.isBlank()) {
      throw InvalidSpecException.of("topology constraint", "level", level,
          "a non-blank label key of the topology levels");
    }
    if (mode == null) {
      throw InvalidSpecException.of("topology constraint", "mode", null, "REQUIRED or PREFERRED");
    }
  }

  /**
   * Every member inside one domain of {@code level}.
   *
   * @param level the label key of the level
   * @return the constraint
   * @throws InvalidSpecException for a blank level
   */
  public static TopologyConstraint required(String level) {
    return new TopologyConstraint(level, TopologyMode.REQUIRED);
  }

  /**
   * Members as low as possible, starting at {@code level}.
   *
   * @param level the label key of the level
   * @return the constraint
   * @throws InvalidSpecException for a blank level
   */
  public static TopologyConstraint preferred(String level) {
    return new TopologyConstraint(level, TopologyMode.PREFERRED);
  }
}

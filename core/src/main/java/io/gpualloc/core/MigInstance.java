package io.gpualloc.core;

/**
 * One MIG GPU instance: a profile at a start slot. It occupies memory slices {@code [start, start +
 * profile.placementSize())}.
 *
 * @param profile the instance's profile
 * @param start the first memory slice, one of the profile's {@link MigProfile#startSlots()}
 */
public record MigInstance(MigProfile profile, int start) {

  /**
   * Validates the start slot against the profile's table.
   *
   * @param profile the instance's profile
   * @param start the first memory slice, one of the profile's {@link MigProfile#startSlots()}
   * @throws InvalidSpecException when the profile is null or {@code start} is not one of its start
   *     slots
   */
  public MigInstance {
    Checks.notNull("MIG instance", "profile", profile);
    if (!profile.isValidStart(start)) {
      throw InvalidSpecException.of("MIG instance of " + profile.name(), "start", start,
          "one of the profile's start slots " + profile.startSlots());
    }
  }

  /**
   * The memory-slice occupancy mask (bit {@code i} = slice {@code i}).
   *
   * @return the mask
   */
  public int mask() {
    return profile.mask(start);
  }

  /**
   * One past the last memory slice the instance occupies.
   *
   * @return {@code start + placementSize}
   */
  public int end() {
    return start + profile.placementSize();
  }

  /**
   * The instance as {@code name@start}, for example {@code 3g.40gb@4}.
   *
   * @return the text
   */
  @Override
  public String toString() {
    return profile.name() + "@" + start;
  }
}

package io.gpualloc.binpack.gang;

import io.gpualloc.core.InvalidSpecException;

/**
 * A gang waiting for placement, with how many scheduling rounds it has waited so far (the host
 * counts them; the batch's reservation rule reads it).
 *
 * @param gang the gang
 * @param roundsWaited rounds waited, at least 0
 */
public record PendingGang(Gang gang, int roundsWaited) {
  /**
   * Validates the fields.
   *
   * @param gang the gang
   * @param roundsWaited rounds waited, at least 0
   * @throws InvalidSpecException for a null gang or negative rounds
   */
  public PendingGang {
    if (gang == null) {
      throw InvalidSpecException.of("pending gang", "gang", null, "a Gang");
    }
    if (roundsWaited < 0) {
      throw InvalidSpecException.of("pending gang " + gang.name(), "roundsWaited", roundsWaited,
          ">= 0");
    }
  }
}

package io.gpualloc.core;

import java.util.List;

/**
 * A GPU model or MIG profile name was not found in the catalog in use. {@link #closeMatches()}
 * lists the known names closest to it (also in the message's {@code Maybe} line).
 */
public class UnknownGpuModelException extends GpuallocException {
  private static final long serialVersionUID = 1L;

  /** The known names closest to the unknown one, best first; empty when none is close. */
  private final List<String> closeMatches;

  /**
   * Creates an exception with the given message and no close matches.
   *
   * @param message the message
   */
  public UnknownGpuModelException(String message) {
    this(message, List.of());
  }

  /**
   * Creates an exception with the given message and the known names closest to the unknown one.
   *
   * @param message the message, which should already name the close matches
   * @param closeMatches known names, best first
   */
  public UnknownGpuModelException(String message, List<String> closeMatches) {
    super(message);
    this.closeMatches = List.copyOf(closeMatches);
  }

  /**
   * The known names closest to the unknown one, best first.
   *
   * @return the names; empty when none is close
   */
  public List<String> closeMatches() {
    return closeMatches;
  }
}

package io.gpualloc.core;

/**
 * A bug in gpualloc: an internal invariant was found violated. Not a caller mistake, so it is not a
 * {@link GpuallocException}. The message names the invariant.
 */
public final class LedgerCorruptionException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception naming the violated invariant.
   *
   * @param invariant the invariant found broken
   */
  public LedgerCorruptionException(String invariant) {
    super("gpualloc internal invariant violated (please report): " + invariant);
  }
}

package io.gpualloc.core;

/**
 * Root of every exception gpualloc throws for a caller's mistake: an invalid specification, an
 * unknown GPU model, a conflicting allocation, unparseable input. Messages name the field, the
 * value and what was allowed, and may end with a {@code Maybe ...} hint.
 *
 * <p>Our own bugs are reported with {@link LedgerCorruptionException} instead, which is not a
 * {@code GpuallocException}: a caller can catch this hierarchy without hiding our defects.
 */
public class GpuallocException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with the given message.
   *
   * @param message the detail message
   */
  public GpuallocException(String message) {
    super(message);
  }

  /**
   * Creates an exception with the given message and cause.
   *
   * @param message the detail message
   * @param cause the underlying cause
   */
  public GpuallocException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.gpualloc.core;

/** {@code release} named an allocation id the ledger does not hold (never allocated, or released). */
public class UnknownAllocationException extends GpuallocException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with the given message.
   *
   * @param message the detail message
   */
  public UnknownAllocationException(String message) {
    super(message);
  }
}

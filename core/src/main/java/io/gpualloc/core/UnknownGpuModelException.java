package io.gpualloc.core;

/** A GPU model or MIG profile name was not found in the catalog in use. */
public class UnknownGpuModelException extends GpuallocException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with the given message.
   *
   * @param message the detail message
   */
  public UnknownGpuModelException(String message) {
    super(message);
  }
}

package io.gpualloc.core;

/**
 * A placement does not fit the ledger's current state: capacity exceeded, a GPU held in another
 * mode, an overlapping MIG instance, a duplicate allocation id. The ledger is unchanged.
 */
public class AllocationConflictException extends GpuallocException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with the given message.
   *
   * @param message the detail message
   */
  public AllocationConflictException(String message) {
    super(message);
  }
}

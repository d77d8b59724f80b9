package io.gpualloc.binpack.solver;

/**
 * A bug in a gpualloc solver: an answer failed the solver's own check (for example a plan that
 * does not replay on the ledger). Not a caller mistake, so it is not a {@link
 * io.gpualloc.core.GpuallocException}. The message names the violated invariant.
 */
public final class SolverInvariantException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception naming the violated invariant.
   *
   * @param invariant the invariant found broken
   */
  public SolverInvariantException(String invariant) {
    super("gpualloc solver invariant violated (please report): " + invariant);
  }
}

package io.gpualloc.core;

/**
 * An online placement policy: given a request and the current capacity, decide where it goes. The
 * answer is a {@link Decision}; the caller applies a {@link Decision.Placed} to the ledger.
 *
 * <p>Implementations are deterministic for equal inputs (and equal seed, for randomised ones) and
 * never modify the view.
 */
public interface PlacementPolicy {

  /** The policy's registry name, for example {@code fgd}. */
  String name();

  /** Decides where {@code request} goes on {@code view}. Never returns null. */
  Decision place(Request request, ClusterView view);
}

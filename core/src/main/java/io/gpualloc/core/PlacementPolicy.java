package io.gpualloc.core;

/**
 * An online placement policy: given a request and the current capacity, decide where it goes. The
 * answer is a {@link Decision}; the caller applies a {@link Decision.Placed} to the ledger.
 *
 * <p>Implementations are deterministic for equal inputs (and equal seed, for randomised ones) and
 * never modify the view.
 */
public interface PlacementPolicy {

  /**
   * The policy's registry name, for example {@code fgd}.
   *
   * @return the policy's registry name, for example {@code fgd}
   */
  String name();

  /**
   * Decides where {@code request} goes on {@code view}. Never returns null.
   *
   * @param request the request to place
   * @param view the cluster state or snapshot to read
   * @return {@link Decision.Placed} with the placement and its score, or {@link
   *     Decision.Rejected} with the reason for every node
   */
  Decision place(Request request, ClusterView view);
}

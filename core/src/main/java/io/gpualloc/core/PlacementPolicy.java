package io.gpualloc.core;

/**
 * An online placement policy: given a request and the current capacity, decide where it goes. The
 * answer is a {@link Decision}; the caller applies a {@link Decision.Placed} to the ledger.
 *
 * <p>A host's prioritize step asks {@link #scoreAll} for the score of every node that can take the
 * request and the rejection of every other node, in one call; {@link #place} is always the best
 * of that list ({@code place(r, v).equals(scoreAll(r, v).best())}).
 *
 * <p>Implementations are deterministic for equal inputs (and equal seed, for randomised ones) and
 * never modify the view.
 */
public interface PlacementPolicy {

  /**
   * The policy's registry name.
   *
   * @return for example {@code fgd}
   */
  String name();

  /**
   * Decides where {@code request} goes on {@code view}.
   *
   * @param request the request
   * @param view the ledger or a snapshot; not modified
   * @return the decision, never null; equal to {@code scoreAll(request, view).best()}
   */
  Decision place(Request request, ClusterView view);

  /**
   * Scores every node for {@code request}: each node that can take it, best first in the order
   * this policy ranks them (its score, the score's terms and the GPUs it would grant there), and
   * for every other node why not, with the numbers.
   *
   * @param request the request
   * @param view the ledger or a snapshot; not modified
   * @return the scored list, never null; {@link NodeScores#best()} equals {@link #place}
   */
  NodeScores scoreAll(Request request, ClusterView view);
}

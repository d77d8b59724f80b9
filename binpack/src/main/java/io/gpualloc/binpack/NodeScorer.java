package io.gpualloc.binpack;

import io.gpualloc.core.ClusterView;
import io.gpualloc.core.Request;

/**
 * A soft preference among nodes that passed every filter, as a Kubernetes score plugin. Higher is
 * better. A policy sums its scorers' scores times their weights. The built-in ones are in {@link
 * Scorers}; {@link PolicyComposer} combines scorers into a policy.
 */
public interface NodeScorer {

  /**
   * The scorer's name; it names the score's term in the breakdown.
   *
   * @return for example {@code best-fit}
   */
  String name();

  /**
   * The node's score for the request; only called for nodes that passed every filter.
   *
   * @param request the request
   * @param view the ledger or a snapshot; not modified
   * @param nodeId the node
   * @return the score, larger is better; not NaN
   */
  double score(Request request, ClusterView view, int nodeId);

  /**
   * Whether the policy min-max normalises this scorer's scores over the feasible nodes to integers
   * in 0..100 before weighting (Kubernetes' NormalizeScore); all 0 when every score is equal.
   *
   * @return true to normalise; false (the default) to weight the raw score
   */
  default boolean normalized() {
    return false;
  }
}

package io.gpualloc.binpack;

import io.gpualloc.core.ClusterView;
import io.gpualloc.core.Request;

/**
 * A soft preference among nodes that passed every filter, as a Kubernetes score plugin. Higher is
 * better. A policy sums its scorers' scores times their weights.
 */
public interface NodeScorer {

  /**
   * The scorer's name, for example {@code best-fit}; it names the score in the breakdown.
   *
   * @return the scorer's name, for example {@code best-fit}; it names the score in the breakdown
   */
  String name();

  /**
   * The node's score for the request; only called for feasible nodes.
   *
   * @param request the request to place
   * @param view the cluster state or snapshot to read
   * @param nodeId the node's id in the cluster
   * @return the node's score for the request; only called for feasible nodes
   */
  double score(Request request, ClusterView view, int nodeId);

  /**
   * Whether the policy min-max normalises this scorer's scores over the feasible nodes to integers
   * in 0..100 before weighting (Kubernetes' NormalizeScore); all 0 when every score is equal.
   *
   * @return whether the policy min-max normalises this scorer's scores over the feasible nodes to
   *     integers in 0..100 before weighting (Kubernetes' NormalizeScore); all 0 when every score is
   *     equal
   */
  default boolean normalized() {
    return false;
  }
}

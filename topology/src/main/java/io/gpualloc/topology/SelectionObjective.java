package io.gpualloc.topology;

/**
 * What {@link GpuSetSelectors#branchAndBound(LinkScores, long, SelectionObjective)} optimises. Both
 * are lexicographic orders; the last key of each, the lexicographically smallest sorted index list,
 * makes the answer unique.
 */
public enum SelectionObjective {
  /**
   * The default, in this order:
   *
   * <ol>
   *   <li>maximise the set's link <em>quality</em>: the sum over its pairs of {@link
   *       LinkScores#quality(Link)} (NVLink points for NVLinked pairs, PCIe points for the others)
   *       or of the node's custom {@link PairScores};
   *   <li>maximise the <em>lookahead</em>: the best quality of a set of the same size among the
   *       wholly-free GPUs left outside the set (no such set ranks below every quality);
   *   <li>maximise the <em>locality</em>: the sum over its pairs of {@link
   *       LinkScores#locality(Link)}, the PCIe class points of every pair;
   *   <li>minimise the <em>damage</em> ({@link GpuSetChoice.Chosen#damage()});
   *   <li>the lexicographically smallest index list.
   * </ol>
   */
  QUALITY_LOOKAHEAD_LOCALITY,
  /**
   * The objective of earlier versions: maximise the sum of pair scores ({@link
   * LinkScores#score(Link)} or the node's {@link PairScores}), then minimise the damage, then the
   * lexicographically smallest index list. Kept for comparison and for callers that relied on it.
   */
  PAIR_SCORE
}

package io.gpualloc.topology;

/**
 * Chooses which {@code k} GPUs of a node a job gets, given the node's interconnect. Implementations
 * are created by {@link GpuSetSelectors}.
 *
 * <p>Contract for every implementation: a {@link GpuSetChoice.Chosen} answer has exactly {@code k}
 * GPUs, all of them free or partly used, and contains every must-include GPU; a request that no
 * set satisfies ({@code k} above the usable GPUs, a must-include GPU that is not usable, more
 * must-include GPUs than {@code k}) is a {@link GpuSetChoice.Rejected} with the reason. Caller
 * mistakes (negative {@code k}, GPU indices outside the interconnect, a GPU both free and partly
 * used) throw {@link io.gpualloc.core.InvalidSpecException}.
 */
public interface GpuSetSelector {

  /** The selector's name, as {@link GpuSetSelectors#named(String)} knows it. */
  String name();

  /**
   * Chooses {@code k} GPUs.
   *
   * @param node the node's interconnect
   * @param free the wholly free GPUs
   * @param partlyUsed GPUs already partly used under sharing that can still take this job's share
   *     (empty for whole-GPU jobs); disjoint from {@code free}
   * @param mustInclude GPUs the answer must contain
   * @param k how many GPUs, {@code >= 0}
   * @return the chosen set, or why there is none
   */
  GpuSetChoice select(
      NodeInterconnect node, GpuSet free, GpuSet partlyUsed, GpuSet mustInclude, int k);

  /** {@link #select(NodeInterconnect, GpuSet, GpuSet, GpuSet, int)} for whole-GPU jobs. */
  default GpuSetChoice select(NodeInterconnect node, GpuSet free, GpuSet mustInclude, int k) {
    return select(node, free, GpuSet.empty(), mustInclude, k);
  }
}

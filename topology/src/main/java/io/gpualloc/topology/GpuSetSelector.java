package io.gpualloc.topology;

import io.gpualloc.core.ClusterView;
import io.gpualloc.core.GpuMode;
import io.gpualloc.core.InvalidSpecException;

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

  /**
   * The selector's name, as {@link GpuSetSelectors#named(String)} knows it.
   *
   * @return the selector's name, as {@link GpuSetSelectors#named(String)} knows it
   */
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

  /**
   * {@link #select(NodeInterconnect, GpuSet, GpuSet, GpuSet, int)} for whole-GPU jobs.
   *
   * @param node the node's interconnect
   * @param free the wholly free GPUs
   * @param mustInclude GPUs the answer must contain
   * @param k how many GPUs, {@code >= 0}
   * @return {@link #select(NodeInterconnect, GpuSet, GpuSet, GpuSet, int)} for whole-GPU jobs
   */
  default GpuSetChoice select(NodeInterconnect node, GpuSet free, GpuSet mustInclude, int k) {
    return select(node, free, GpuSet.empty(), mustInclude, k);
  }

  /**
   * Chooses {@code k} whole GPUs of node {@code nodeId} in a ledger view: the candidates are the
   * node's {@link GpuMode#FREE} GPUs.
   *
   * @param view the ledger or a snapshot
   * @param nodeId the node
   * @param node the node's interconnect (same GPU count as the node)
   * @param mustInclude GPUs the answer must contain
   * @param k how many GPUs
   * @return the chosen set, or why there is none
   */
  default GpuSetChoice selectWhole(
      ClusterView view, int nodeId, NodeInterconnect node, GpuSet mustInclude, int k) {
    checkSameNode(view, nodeId, node);
    return select(node, GpuSet.wholeFree(view, nodeId), GpuSet.empty(), mustInclude, k);
  }

  /**
   * Chooses {@code k} GPUs of node {@code nodeId} for a share of {@code computeMilli} and {@code
   * memoryMib} on each: free GPUs that can hold the share are candidates, and so are partly used
   * ({@link GpuMode#SHARED}) GPUs that still can; the tie-break prefers the partly used ones.
   *
   * @param view the ledger or a snapshot
   * @param nodeId the node
   * @param node the node's interconnect (same GPU count as the node)
   * @param computeMilli compute per GPU, milli-GPU
   * @param memoryMib memory per GPU, MiB
   * @param mustInclude GPUs the answer must contain
   * @param k how many GPUs
   * @return the chosen set, or why there is none
   */
  default GpuSetChoice selectShared(ClusterView view, int nodeId, NodeInterconnect node,
      int computeMilli, int memoryMib, GpuSet mustInclude, int k) {
    checkSameNode(view, nodeId, node);
    int count = node.gpuCount();
    int off = view.cluster().gpuOffset(nodeId);
    int[] free = new int[count];
    int f = 0;
    for (int i = 0; i < count; i++) {
      if (view.canTakeWhole(off + i) && view.canShare(off + i, computeMilli, memoryMib)) {
        free[f++] = i;
      }
    }
    return select(node, GpuSet.of(java.util.Arrays.copyOf(free, f)),
        GpuSet.partlyUsed(view, nodeId, computeMilli, memoryMib), mustInclude, k);
  }

  private static void checkSameNode(ClusterView view, int nodeId, NodeInterconnect node) {
    int gpus = view.cluster().node(nodeId).gpuCount();
    if (gpus != node.gpuCount()) {
      throw InvalidSpecException.of("node " + view.cluster().node(nodeId).name(), "interconnect",
          node.name() + " (" + node.gpuCount() + " GPUs)",
          "an interconnect with the node's " + gpus + " GPUs");
    }
  }
}

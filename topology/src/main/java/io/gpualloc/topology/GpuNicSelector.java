package io.gpualloc.topology;

import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.RejectReason;
import java.util.ArrayList;
import java.util.List;

/**
 * Chooses {@code k} GPUs and {@code n} NICs of one node together, for jobs that use GPUDirect RDMA
 * and want their NICs close to their GPUs (Koordinator's joint GPU+RDMA allocation, the NVIDIA
 * network operator's "GPU and NIC under one PCIe switch").
 *
 * <p>Objective, lexicographic: the GPU set's link quality; with a preferred {@link NicRequest}, the
 * coverage (GPUs served by a chosen NIC plus chosen NICs serving a GPU); then as {@link
 * SelectionObjective#QUALITY_LOOKAHEAD_LOCALITY} (lookahead, locality, damage, lowest indices). A
 * required request admits only GPU sets whose every GPU is served and NIC sets whose every NIC
 * serves. For a GPU set, the NICs are the combination of serving NICs with the highest coverage
 * (the first in index order among equals), filled with the lowest other free NICs when a preferred
 * request cannot use them all. With a required affinity, only the free GPUs that some free NIC
 * serves count, for the lookahead and the damage too (they are what the next such request can
 * use). Exact with up to 16 candidate GPUs, as {@link
 * GpuSetSelectors#branchAndBound(LinkScores, long)}.
 */
public final class GpuNicSelector {
  /** The largest number of NIC combinations a request may ask to compare. */
  public static final long MAX_NIC_COMBINATIONS = 100_000L;

  private final BranchAndBoundSelector selector;

  private GpuNicSelector(BranchAndBoundSelector selector) {
    this.selector = selector;
  }

  /**
   * A selector with the given scores and node budget.
   *
   * @param scores the score table
   * @param nodeBudget the node budget above 16 candidate GPUs, {@code >= 1}
   * @return the selector
   * @throws InvalidSpecException for null scores or a budget below 1
   */
  public static GpuNicSelector of(LinkScores scores, long nodeBudget) {
    GpuSetSelector s = GpuSetSelectors.branchAndBound(scores, nodeBudget);
    return new GpuNicSelector((BranchAndBoundSelector) s);
  }

  /**
   * A selector with the default scores and node budget.
   *
   * @return the selector
   */
  public static GpuNicSelector create() {
    return of(LinkScores.DEFAULT, GpuSetSelectors.DEFAULT_NODE_BUDGET);
  }

  /**
   * Chooses {@code k} GPUs among {@code free} and {@code nics.count()} NICs among {@code freeNics}.
   *
   * @param node the interconnect (at most 64 GPUs and 64 NICs)
   * @param free the wholly free GPUs
   * @param mustInclude GPUs the answer must contain
   * @param k how many GPUs, {@code >= 0}
   * @param freeNics the free NICs, as positions in {@link NodeInterconnect#nics()}
   * @param nics what NICs and how close
   * @return the chosen GPUs and NICs, or why there are none ({@code INSUFFICIENT_GPUS} for too few
   *     free GPUs or NICs, {@code TOPOLOGY_NOT_SATISFIED} when a required affinity cannot be met,
   *     {@code POLICY} for more NIC combinations than {@link #MAX_NIC_COMBINATIONS})
   * @throws InvalidSpecException for a null argument, indices outside the node, a node above 64
   *     GPUs or NICs, or the caller mistakes of {@link GpuSetSelector#select}
   */
  public GpuNicChoice select(NodeInterconnect node, GpuSet free, GpuSet mustInclude, int k,
      GpuSet freeNics, NicRequest nics) {
    if (node == null || free == null || mustInclude == null || freeNics == null || nics == null) {
      throw InvalidSpecException.of("GPU+NIC selection", "argument", null, "non-null values");
    }
    String owner = "GPU+NIC selection on " + node.name();
    if (node.gpuCount() > 64 || node.nics().size() > 64) {
      throw InvalidSpecException.of(owner, "node size",
          node.gpuCount() + " GPUs, " + node.nics().size() + " NICs", "at most 64 of each");
    }
    if (freeNics.bound() > node.nics().size()) {
      throw InvalidSpecException.of(owner, "freeNics", freeNics.toString(),
          "NIC positions 0.." + (node.nics().size() - 1));
    }
    if (nics.count() > freeNics.size()) {
      return new GpuNicChoice.Rejected(RejectReason.INSUFFICIENT_GPUS, nics.count()
          + " NICs requested, " + freeNics.size() + " free " + freeNics + " on " + node.name());
    }
    if (HamiTopologyScore.binomial(freeNics.size(), nics.count()) > MAX_NIC_COMBINATIONS) {
      return new GpuNicChoice.Rejected(RejectReason.POLICY, "choosing " + nics.count() + " of "
          + freeNics.size() + " free NICs compares more than " + MAX_NIC_COMBINATIONS
          + " combinations");
    }
    NicPlan plan = new NicPlan(node, freeNics.toArray(), nics);
    GpuSet candidates = free;
    if (nics.required() && nics.count() > 0) {
      // only GPUs that some free NIC serves can be in a required answer
      List<Integer> served = new ArrayList<>();
      for (int g : free.toArray()) {
        if (plan.servedBy[g] != 0) {
          served.add(g);
        }
      }
      candidates = GpuSet.of(served);
      if (!mustInclude.isSubsetOf(candidates) && mustInclude.isSubsetOf(free)) {
        return new GpuNicChoice.Rejected(RejectReason.TOPOLOGY_NOT_SATISFIED, "must-include GPUs "
            + mustInclude.minus(candidates) + " are served by no free NIC at " + nics.affinity());
      }
    }
    Problem p = Problem.of(node, candidates, GpuSet.empty(), mustInclude, k, selector.scores);
    if (p.rejected != null) {
      return new GpuNicChoice.Rejected(p.rejected.reason(), p.rejected.message());
    }
    p.nic = plan;
    BranchAndBoundSelector.Search search = selector.search(p);
    GpuSetChoice c = search.run();
    if (c instanceof GpuSetChoice.Rejected rej) {
      return new GpuNicChoice.Rejected(rej.reason(), rej.message());
    }
    GpuSetChoice.Chosen chosen = (GpuSetChoice.Chosen) c;
    List<Integer> out = new ArrayList<>();
    long served = 0;
    int serving = 0;
    long mask = Problem.mask(chosen.gpus().toArray());
    for (int x : search.bestNics()) {
      out.add(plan.nics[x]);
      served |= plan.serves[x] & mask;
      serving += (plan.serves[x] & mask) != 0 ? 1 : 0;
    }
    out.sort(null);
    return new GpuNicChoice.Chosen(chosen, out, Long.bitCount(served), serving);
  }
}

package io.gpualloc.binpack.gang;

import io.gpualloc.core.ClusterView;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.topology.ClusterTopology;

/**
 * A gang placer with a time budget that also says how far its answer is proven. {@link #place} is
 * {@code solve(...).decision()}.
 */
public interface BudgetedGangPlacer extends GangPlacer {

  /**
   * Places the gang within the budget.
   *
   * @param gang the gang
   * @param view the ledger or a snapshot
   * @param topology the domains of {@code view.cluster()}
   * @return the decision with status, phase, objective and bound
   * @throws InvalidSpecException as {@link GangPlacer#place}
   */
  GangSolveResult solve(Gang gang, ClusterView view, ClusterTopology topology);

  @Override
  default GangDecision place(Gang gang, ClusterView view, ClusterTopology topology) {
    return solve(gang, view, topology).decision();
  }
}

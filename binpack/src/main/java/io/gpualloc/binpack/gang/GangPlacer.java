package io.gpualloc.binpack.gang;

import io.gpualloc.core.ClusterState;
import io.gpualloc.core.ClusterView;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.topology.ClusterTopology;

/**
 * Places a {@link Gang} as one decision: all members (at least every pod set's minimum) inside
 * the gang's topology constraints, or an explained rejection. Implementations come from {@link
 * GangPlacers}; they read the view and never change it.
 *
 * <p>Contract for every implementation: a {@link GangDecision.Placed} answer is accepted by {@code
 * ClusterState.allocateAll} on the ledger the view was read from (no GPU, CPU or memory of a node
 * is booked twice across members); every REQUIRED constraint, co-location and slice holds; every
 * pod set has between its minimum and its count of members; the same inputs give the same answer.
 */
public interface GangPlacer {

  /**
   * The placer's name, as {@link GangPlacers#named(String, GangOptions)} knows it.
   *
   * @return the name
   */
  String name();

  /**
   * Places the gang.
   *
   * @param gang the gang
   * @param view the ledger or a snapshot
   * @param topology the domains of {@code view.cluster()}
   * @return the placement or the explained rejection
   * @throws InvalidSpecException for a null argument, a topology of another cluster, a constraint
   *     on a level the topology does not have, or a slice level not below its constraint level
   */
  GangDecision place(Gang gang, ClusterView view, ClusterTopology topology);

  /**
   * Places the gang and, when placed, commits every member at once with {@link
   * ClusterState#allocateAll}.
   *
   * @param gang the gang
   * @param state the ledger
   * @param topology the domains of {@code state.cluster()}
   * @return the decision; when it is placed, the members are recorded
   * @throws InvalidSpecException as {@link #place}
   * @throws io.gpualloc.core.GpuallocException when the ledger refuses the members (it changed
   *     between the decision and the commit); nothing is then recorded
   */
  default GangDecision placeAndCommit(Gang gang, ClusterState state, ClusterTopology topology) {
    GangDecision d = place(gang, state, topology);
    if (d instanceof GangDecision.Placed p) {
      state.allocateAll(p.placements());
    }
    return d;
  }
}

package io.gpualloc.binpack.gang;

import io.gpualloc.binpack.gang.internal.Batch;
import io.gpualloc.core.ClusterView;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.topology.ClusterTopology;
import java.util.List;

/**
 * Several pending gangs in one pass (see {@code docs/gangs.md}, "Batch mode"). Gangs are tried
 * by priority, then in two orders of size (largest first, and smallest first), each gang seeing the
 * members placed before it; the order that admits more priority-weighted GPUs wins (ties: largest
 * first). Reservation rule: the largest pending gang that has waited at least {@code
 * reserveAfterRounds} rounds and does not fit now is tried first and gets a domain held for it,
 * the one at its REQUIRED level (gang first, else its lowest pod set level, else the top level)
 * with the most free GPUs; no other gang of the batch may place a member there. So a stream of
 * small gangs cannot keep taking the capacity it waits for: as the domain's jobs end, it drains
 * until the gang fits.
 */
public final class GangBatch {
  private GangBatch() {}

  /**
   * Places the pending gangs.
   *
   * @param pending the gangs, distinct names
   * @param view the ledger or a snapshot (not changed)
   * @param topology the domains of {@code view.cluster()}
   * @param placer the gang placer
   * @param reserveAfterRounds rounds a gang waits before the reservation rule applies to it; 0
   *     turns the rule off
   * @return one decision per gang and the reservation
   * @throws InvalidSpecException for null arguments, duplicate gang names, a negative round count,
   *     or as {@link GangPlacer#place}
   */
  public static BatchResult place(List<PendingGang> pending, ClusterView view,
      ClusterTopology topology, GangPlacer placer, int reserveAfterRounds) {
    if (pending == null || view == null || topology == null || placer == null) {
      throw InvalidSpecException.of("gang batch", "pending/view/topology/placer", null,
          "non-null arguments");
    }
    if (reserveAfterRounds < 0) {
      throw InvalidSpecException.of("gang batch", "reserveAfterRounds", reserveAfterRounds,
          ">= 0 (0: no reservation)");
    }
    return Batch.run(List.copyOf(pending), view, topology, placer, reserveAfterRounds);
  }
}

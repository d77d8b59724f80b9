package io.gpualloc.binpack.gang;

import io.gpualloc.binpack.gang.internal.Batch;
import io.gpualloc.binpack.packing.SolverOptions;
import io.gpualloc.binpack.packing.internal.OrTools;
import io.gpualloc.core.MissingDependencyException;
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

  /**
   * Places the pending gangs like {@link #place}, then, when the greedy orders leave a gang out,
   * lets a CP-SAT model choose which gangs to admit: it maximises priority-weighted GPUs under the
   * free GPU capacity of every domain a gang's REQUIRED level names and of the cluster. Each chosen
   * set is realised by placing its gangs with {@code placer} in a fixed order (the reserved gang,
   * then by priority, size and name; the rest after them); when a chosen gang does not fit, the
   * chosen gang of least value is dropped and the set realised again. The better of this and the
   * greedy batch is kept, so the answer never admits fewer weighted GPUs than {@link #place}.
   *
   * @param pending the gangs, distinct names
   * @param view the ledger or a snapshot (not changed)
   * @param topology the domains of {@code view.cluster()}
   * @param placer the gang placer
   * @param reserveAfterRounds rounds a gang waits before the reservation rule applies; 0 turns it
   *     off
   * @param solver the CP-SAT time budget, workers and seed
   * @return the batch with its status, phase and bound
   * @throws InvalidSpecException as {@link #place}, or for null solver options
   * @throws MissingDependencyException when OR-Tools is not on the class path
   */
  public static BatchSolveResult placeWithSelection(List<PendingGang> pending, ClusterView view,
      ClusterTopology topology, GangPlacer placer, int reserveAfterRounds, SolverOptions solver) {
    if (pending == null || view == null || topology == null || placer == null || solver == null) {
      throw InvalidSpecException.of("gang batch", "pending/view/topology/placer/solver", null,
          "non-null arguments");
    }
    if (reserveAfterRounds < 0) {
      throw InvalidSpecException.of("gang batch", "reserveAfterRounds", reserveAfterRounds,
          ">= 0 (0: no reservation)");
    }
    OrTools.require("GangBatch.placeWithSelection");
    return Batch.runWithSelection(List.copyOf(pending), view, topology, placer,
        reserveAfterRounds, solver);
  }
}

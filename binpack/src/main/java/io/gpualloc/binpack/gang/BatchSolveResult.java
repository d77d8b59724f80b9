package io.gpualloc.binpack.gang;

import io.gpualloc.core.InvalidSpecException;
import java.time.Duration;

/**
 * The answer of {@link GangBatch#placeWithSelection}: the batch and how far it is proven. The
 * objective is {@link BatchResult#admittedWeightedGpuMilli()} (higher is better); the bound is an
 * upper bound on it proven by the aggregate CP-SAT model over the gangs the placer can place alone
 * (see {@code docs/gangs.md}, "Batch mode").
 *
 * @param result the batch, never worse than {@link GangBatch#place}'s
 * @param status OPTIMAL when every gang was admitted or the objective meets the bound; FEASIBLE
 *     when the selection's answer is kept with a gap; FALLBACK when the greedy batch is kept
 *     (CP-SAT found nothing better in its budget); never INFEASIBLE
 * @param phase what produced the kept batch: GREEDY (the greedy orders) or CP_SAT (the selection)
 * @param greedyWeightedGpuMilli the greedy batch's objective, for comparison
 * @param bound the proven upper bound ({@link Long#MAX_VALUE} when nothing was proven)
 * @param wallTime time spent, greedy orders included
 */
public record BatchSolveResult(BatchResult result, GangSolveStatus status, GangSolvePhase phase,
    long greedyWeightedGpuMilli, long bound, Duration wallTime) {

  /**
   * Validates the fields.
   *
   * @param result the batch
   * @param status how far it is proven
   * @param phase what produced the kept batch
   * @param greedyWeightedGpuMilli the greedy batch's objective
   * @param bound the proven upper bound ({@link Long#MAX_VALUE} when nothing was proven)
   * @param wallTime time spent
   * @throws InvalidSpecException for null fields, a bound below the objective, an objective below
   *     the greedy one, or OPTIMAL with a gap
   */
  public BatchSolveResult {
    if (result == null || status == null || phase == null || wallTime == null) {
      throw InvalidSpecException.of("batch solve result", "fields", null, "non-null fields");
    }
    long objective = result.admittedWeightedGpuMilli();
    if (bound < objective) {
      throw InvalidSpecException.of("batch solve result", "bound", bound,
          ">= objective (" + objective + ")");
    }
    if (objective < greedyWeightedGpuMilli) {
      throw InvalidSpecException.of("batch solve result", "objective", objective,
          ">= the greedy batch's (" + greedyWeightedGpuMilli + ")");
    }
    if (status == GangSolveStatus.OPTIMAL && bound != objective) {
      throw InvalidSpecException.of("batch solve result", "status", status,
          "OPTIMAL only when bound == objective (" + bound + " vs " + objective + ")");
    }
  }

  /**
   * {@code bound - objective}: 0 means proven optimal over the candidate gangs.
   *
   * @return the gap, {@link Long#MAX_VALUE} when nothing was proven
   */
  public long gap() {
    return bound == Long.MAX_VALUE ? Long.MAX_VALUE : bound - result.admittedWeightedGpuMilli();
  }
}

package io.gpualloc.binpack.gang;

import io.gpualloc.core.InvalidSpecException;
import java.time.Duration;

/**
 * A budgeted gang placer's answer: the decision and how far it is proven. Objective and bound are
 * in the placer's objective units (see {@code docs/gangs.md}: domains spanned weighted from the top
 * level down, then free GPUs left on touched nodes; lower is better).
 *
 * @param decision the placement or the rejection
 * @param status how far it is proven
 * @param phase what produced the decision
 * @param objective the decision's objective ({@link Long#MAX_VALUE} when rejected)
 * @param bound the proven lower bound on the objective ({@link Long#MAX_VALUE} when infeasible, 0
 *     when nothing was proven)
 * @param wallTime time spent
 */
public record GangSolveResult(GangDecision decision, GangSolveStatus status, GangSolvePhase phase,
    long objective, long bound, Duration wallTime) {

  /**
   * Validates the fields.
   *
   * @param decision the placement or the rejection
   * @param status how far it is proven
   * @param phase what produced the decision
   * @param objective the decision's objective ({@link Long#MAX_VALUE} when rejected)
   * @param bound the proven lower bound on the objective ({@link Long#MAX_VALUE} when infeasible, 0
   *     when nothing was proven)
   * @param wallTime time spent
   * @throws InvalidSpecException for null fields, a bound above the objective, or OPTIMAL with a
   *     gap
   */
  public GangSolveResult {
    if (decision == null || status == null || phase == null || wallTime == null) {
      throw InvalidSpecException.of("gang solve result", "fields", null, "non-null fields");
    }
    if (bound > objective) {
      throw InvalidSpecException.of("gang solve result", "bound", bound,
          "<= objective (" + objective + ")");
    }
    if (status == GangSolveStatus.OPTIMAL && bound != objective) {
      throw InvalidSpecException.of("gang solve result", "status", status,
          "OPTIMAL only when bound == objective (" + bound + " vs " + objective + ")");
    }
  }

  /**
   * {@code objective - bound}: 0 means proven optimal (or infeasible).
   *
   * @return the gap
   */
  public long gap() {
    return objective == Long.MAX_VALUE ? 0 : objective - bound;
  }
}

package io.gpualloc.binpack.solver;

import io.gpualloc.core.InvalidSpecException;
import java.time.Duration;
import java.util.Locale;

/**
 * The outcome of one budgeted solve, in the one shape DESIGN.md asks of every optimising solver:
 * status, objective, proven lower bound, gap and the phase that produced the answer. The objective
 * is minimised (a family that maximises reports the negated value or its own cost), so {@code
 * bound <= objective} for every status with an answer.
 *
 * <p>Defragmentation reports through this type. Packing ({@code PackingResult}), gangs ({@code
 * GangSolveResult}) and MIG planning ({@code MigPlan}) still carry their own status and phase
 * enums; this is the shape they move to.
 *
 * @param <P> the family's phase enum
 * @param status how far the answer is proven
 * @param phase what produced the answer (or, without one, what gave up)
 * @param objective the answer's objective, {@code >= 0}; {@code -1} when the status has no answer
 * @param bound a proven lower bound on the objective of any answer, {@code >= 0} and {@code <=
 *     objective} when there is an answer
 * @param wallTime time spent, {@code >= 0}
 */
public record SolveOutcome<P extends Enum<P>>(
    SolveStatus status, P phase, long objective, long bound, Duration wallTime) {

  /**
   * Validates the fields against each other.
   *
   * @param status how far the answer is proven
   * @param phase what produced the answer (or, without one, what gave up)
   * @param objective the answer's objective, {@code >= 0}; {@code -1} when the status has no
   *     answer
   * @param bound a proven lower bound, {@code >= 0} and {@code <= objective} when there is an
   *     answer
   * @param wallTime time spent, {@code >= 0}
   * @throws InvalidSpecException when a field is null or the fields contradict each other
   *     (OPTIMAL with a gap, a bound above the objective, an objective without an answer)
   */
  public SolveOutcome {
    if (status == null || phase == null || wallTime == null) {
      throw InvalidSpecException.of("solve outcome",
          status == null ? "status" : phase == null ? "phase" : "wallTime", null, "non-null");
    }
    if (wallTime.isNegative()) {
      throw InvalidSpecException.of("solve outcome", "wallTime", wallTime, ">= 0");
    }
    if (bound < 0) {
      throw InvalidSpecException.of("solve outcome", "bound", bound, ">= 0");
    }
    if (status.hasAnswer()) {
      if (objective < bound) {
        throw InvalidSpecException.of("solve outcome", "objective", objective,
            ">= bound " + bound + " (the bound is a lower bound)");
      }
      if (status == SolveStatus.OPTIMAL && objective != bound) {
        throw InvalidSpecException.of("solve outcome", "status", status,
            "OPTIMAL only when objective == bound (" + objective + " vs " + bound + ")");
      }
    } else if (objective != -1) {
      throw InvalidSpecException.of("solve outcome", "objective", objective,
          "-1 when the status (" + status + ") has no answer");
    }
  }

  /**
   * {@code objective - bound} for an answer (0: proven optimal), -1 without one.
   *
   * @return the absolute gap
   */
  public long gap() {
    return status.hasAnswer() ? objective - bound : -1;
  }

  /**
   * Whether there is an answer.
   *
   * @return {@link SolveStatus#hasAnswer()} of the status
   */
  public boolean hasAnswer() {
    return status.hasAnswer();
  }

  /**
   * One line for people, for example {@code cp-sat FEASIBLE: cost 12, bound 9 (gap 3), 0.41 s}.
   *
   * @return the text
   */
  public String summary() {
    String ph = phase.name().toLowerCase(Locale.ROOT).replace('_', '-');
    String t = String.format(Locale.ROOT, "%.2f s", wallTime.toNanos() / 1e9);
    if (!hasAnswer()) {
      return ph + " " + status + ": no answer, bound " + bound + ", " + t;
    }
    return ph + " " + status + ": cost " + objective + ", bound " + bound
        + (gap() == 0 ? "" : " (gap " + gap() + ")") + ", " + t;
  }
}

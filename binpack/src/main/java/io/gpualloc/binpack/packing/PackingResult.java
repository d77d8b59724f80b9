package io.gpualloc.binpack.packing;

import io.gpualloc.core.InvalidSpecException;
import java.time.Duration;

/**
 * The exact solver's answer: a packing, how far it is proven, and how it was found.
 *
 * @param status how far the answer is proven
 * @param packing the best packing found (complete unless {@code INFEASIBLE} or {@code
 *     TIMEOUT_FALLBACK} with limited bins)
 * @param upperBound cost of {@code packing} ({@link Long#MAX_VALUE} when it is incomplete)
 * @param lowerBound proven lower bound on the optimal cost ({@link Long#MAX_VALUE} when
 *     infeasible)
 * @param bounds the cheap bounds on the number of bins, computed for every answer
 * @param model the models that ran: {@code none} (heuristic met the bound), {@code arc-flow-lp}
 *     or {@code arc-flow-mip} (the LP dive or SCIP closed the gap), {@code arc-flow+lp+mip} (all
 *     phases up to CP-SAT on the arc-flow model), or {@code assignment}
 * @param source what produced the packing: a heuristic's name, {@code lp-rounding}, {@code scip}
 *     or {@code cp-sat}
 * @param wallTime time spent in the solve
 */
public record PackingResult(
    PackingStatus status,
    Packing packing,
    long upperBound,
    long lowerBound,
    Bounds bounds,
    String model,
    String source,
    Duration wallTime) {

  /**
   * Validates that the lower bound does not exceed the upper bound.
   *
   * @param status how far the answer is proven
   * @param packing the best packing found (complete unless {@code INFEASIBLE} or {@code
   *     TIMEOUT_FALLBACK} with limited bins)
   * @param upperBound cost of {@code packing} ({@link Long#MAX_VALUE} when it is incomplete)
   * @param lowerBound proven lower bound on the optimal cost ({@link Long#MAX_VALUE} when
   *     infeasible)
   * @param bounds the cheap bounds on the number of bins, computed for every answer
   * @param model the models that ran: {@code none} (heuristic met the bound), {@code arc-flow-lp}
   *     or {@code arc-flow-mip} (the LP dive or SCIP closed the gap), {@code arc-flow+lp+mip} (all
   *     phases up to CP-SAT on the arc-flow model), or {@code assignment}
   * @param source what produced the packing: a heuristic's name, {@code lp-rounding}, {@code scip}
   *     or {@code cp-sat}
   * @param wallTime time spent in the solve
   */
  public PackingResult {
    if (lowerBound > upperBound) {
      throw InvalidSpecException.of(
          "packing result", "lowerBound", lowerBound, "<= upperBound (" + upperBound + ")");
    }
    if (status == PackingStatus.OPTIMAL && lowerBound != upperBound) {
      throw InvalidSpecException.of("packing result", "status", status,
          "OPTIMAL only when lowerBound == upperBound (" + lowerBound + " vs " + upperBound + ")");
    }
  }

  /**
   * {@code upperBound - lowerBound}: 0 means proven optimal.
   *
   * @return {@code upperBound - lowerBound}: 0 means proven optimal
   */
  public long gap() {
    return upperBound == Long.MAX_VALUE ? (lowerBound == Long.MAX_VALUE ? 0 : Long.MAX_VALUE)
        : upperBound - lowerBound;
  }

  /**
   * {@code gap / upperBound}, 0 when optimal or infeasible.
   *
   * @return {@code gap / upperBound}, 0 when optimal or infeasible
   */
  public double relativeGap() {
    long g = gap();
    if (g == 0) {
      return 0;
    }
    return upperBound == Long.MAX_VALUE ? 1.0 : (double) g / upperBound;
  }

  /**
   * Whether the packing is proven optimal.
   *
   * @return whether the packing is proven optimal
   */
  public boolean isOptimal() {
    return status == PackingStatus.OPTIMAL;
  }
}

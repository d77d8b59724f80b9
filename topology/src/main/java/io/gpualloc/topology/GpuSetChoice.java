package io.gpualloc.topology;

import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.RejectReason;

/**
 * The answer of a {@link GpuSetSelector}: {@link Chosen} or {@link Rejected}. Never null and never
 * an exception for an unsatisfiable request.
 */
public sealed interface GpuSetChoice {

  /**
   * Whether a set was chosen.
   *
   * @return whether a set was chosen
   */
  boolean isChosen();

  /**
   * A chosen set, with the terms of the objective evaluated on it.
   *
   * @param gpus the chosen GPU indices
   * @param score the primary term of the selector's objective: for {@link
   *     SelectionObjective#QUALITY_LOOKAHEAD_LOCALITY} the set's link quality (the sum of the pair
   *     qualities inside the set, {@link LinkScores#quality}, or the node's {@link PairScores}); for
   *     {@link SelectionObjective#PAIR_SCORE} and the baselines the sum of the pair scores
   *     ({@link LinkScores#score(Link)} or the node's {@link PairScores})
   * @param lookahead what the GPUs left free can still offer the next request of the same size: the
   *     best link quality of a set of {@code k} GPUs among the free GPUs outside this set, or {@link
   *     #NO_SET} when fewer than {@code k} stay free (or the selector's objective does not compute
   *     it, as {@link SelectionObjective#PAIR_SCORE})
   * @param locality the PCIe locality of the set: the sum of {@link LinkScores#locality} over its
   *     pairs
   * @param damage the final tie-break, smaller is better: for each chosen wholly-free GPU, 1 plus
   *     its pair scores to the other wholly-free GPUs (what the set takes away from the free
   *     structure); 0 for GPUs that were already partly used
   * @param upperBound an upper bound on the {@code score} of any feasible set; equals {@code score}
   *     when the answer is proven optimal, and is {@link Long#MAX_VALUE} for selectors that compute
   *     no bound (the baselines)
   * @param optimal whether the answer is proven optimal for the selector's objective
   */
  record Chosen(GpuSet gpus, long score, long lookahead, long locality, long damage,
      long upperBound, boolean optimal) implements GpuSetChoice {

    /** The {@code lookahead} value when no set of the same size stays free (or none was computed). */
    public static final long NO_SET = Long.MIN_VALUE;

    /**
     * Validates the bound.
     *
     * @param gpus the chosen GPU indices
     * @param score the primary term of the selector's objective: for {@link
     *     SelectionObjective#QUALITY_LOOKAHEAD_LOCALITY} the set's link quality (the sum of the
     *     pair qualities inside the set, {@link LinkScores#quality}, or the node's {@link
     *     PairScores}); for {@link SelectionObjective#PAIR_SCORE} and the baselines the sum of the
     *     pair scores ({@link LinkScores#score(Link)} or the node's {@link PairScores})
     * @param lookahead what the GPUs left free can still offer the next request of the same size:
     *     the best link quality of a set of {@code k} GPUs among the free GPUs outside this set, or
     *     {@link #NO_SET} when fewer than {@code k} stay free (or the selector's objective does not
     *     compute it, as {@link SelectionObjective#PAIR_SCORE})
     * @param locality the PCIe locality of the set: the sum of {@link LinkScores#locality} over its
     *     pairs
     * @param damage the final tie-break, smaller is better: for each chosen wholly-free GPU, 1 plus
     *     its pair scores to the other wholly-free GPUs (what the set takes away from the free
     *     structure); 0 for GPUs that were already partly used
     * @param upperBound an upper bound on the {@code score} of any feasible set; equals {@code
     *     score} when the answer is proven optimal, and is {@link Long#MAX_VALUE} for selectors
     *     that compute no bound (the baselines)
     * @param optimal whether the answer is proven optimal for the selector's objective
     * @throws InvalidSpecException without gpus, or when the bound is below the score (or differs
     *     from it while optimal)
     */
    public Chosen {
      if (gpus == null || upperBound < score || (optimal && upperBound != score)) {
        throw new InvalidSpecException(
            "chosen set needs gpus and upperBound (" + upperBound + ") >= score (" + score
                + "), equal when optimal");
      }
    }

    /**
     * The five-component form used before lookahead and locality were reported: {@code lookahead}
     * is {@link #NO_SET} and {@code locality} 0.
     *
     * @param gpus the chosen GPU indices
     * @param score the primary term
     * @param damage the tie-break
     * @param upperBound the bound on the score
     * @param optimal whether proven optimal
     * @throws InvalidSpecException as the canonical constructor
     */
    public Chosen(GpuSet gpus, long score, long damage, long upperBound, boolean optimal) {
      this(gpus, score, NO_SET, 0, damage, upperBound, optimal);
    }

    /**
     * The gap between the bound and the score, relative to the bound (0 when optimal).
     *
     * @return the gap between the bound and the score, relative to the bound (0 when optimal)
     */
    public double gap() {
      return upperBound == 0 ? 0.0 : (upperBound - score) / (double) upperBound;
    }

    @Override
    public boolean isChosen() {
      return true;
    }
  }

  /**
   * No set satisfies the request.
   *
   * @param reason the reason, in core's vocabulary (for example {@link
   *     RejectReason#INSUFFICIENT_GPUS})
   * @param message what exactly was wrong, with the numbers
   */
  record Rejected(RejectReason reason, String message) implements GpuSetChoice {
    /**
     * Validates.
     *
     * @param reason the reason, in core's vocabulary (for example {@link
     *     RejectReason#INSUFFICIENT_GPUS})
     * @param message what exactly was wrong, with the numbers
     */
    public Rejected {
      if (reason == null || message == null || message.isBlank()) {
        throw new InvalidSpecException("rejection needs a reason and a message");
      }
    }

    @Override
    public boolean isChosen() {
      return false;
    }
  }
}

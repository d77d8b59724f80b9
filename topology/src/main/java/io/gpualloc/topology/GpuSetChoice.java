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
   * A chosen set.
   *
   * @param gpus the chosen GPU indices
   * @param score the primary objective: the sum of pairwise link scores inside the set
   * @param damage the tie-break objective, smaller is better: for each chosen wholly-free GPU, 1
   *     plus its scores to the other wholly-free GPUs (what the set takes away from the free
   *     structure); 0 for GPUs that were already partly used
   * @param upperBound an upper bound on the score of any feasible set; equals {@code score} when
   *     the answer is proven optimal, and is {@link Long#MAX_VALUE} for selectors that compute no
   *     bound (the baselines)
   * @param optimal whether the answer is proven optimal for the selector's objective
   */
  record Chosen(GpuSet gpus, long score, long damage, long upperBound, boolean optimal)
      implements GpuSetChoice {
    /**
     * Validates the bound.
     *
     * @param gpus the chosen GPU indices
     * @param score the primary objective: the sum of pairwise link scores inside the set
     * @param damage the tie-break objective, smaller is better: for each chosen wholly-free GPU, 1
     *     plus its scores to the other wholly-free GPUs (what the set takes away from the free
     *     structure); 0 for GPUs that were already partly used
     * @param upperBound an upper bound on the score of any feasible set; equals {@code score} when
     *     the answer is proven optimal, and is {@link Long#MAX_VALUE} for selectors that compute no
     *     bound (the baselines)
     * @param optimal whether the answer is proven optimal for the selector's objective
     */
    public Chosen {
      if (gpus == null || upperBound < score || (optimal && upperBound != score)) {
        throw new InvalidSpecException(
            "chosen set needs gpus and upperBound (" + upperBound + ") >= score (" + score
                + "), equal when optimal");
      }
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

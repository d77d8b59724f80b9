package io.gpualloc.topology;

import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.RejectReason;
import java.util.List;

/** The answer of a {@link GpuNicSelector}: {@link Chosen} or {@link Rejected}, never null. */
public sealed interface GpuNicChoice {

  /**
   * Whether GPUs and NICs were chosen.
   *
   * @return true for {@link Chosen}
   */
  boolean isChosen();

  /**
   * Chosen GPUs and NICs.
   *
   * @param gpus the GPU set with its objective terms
   * @param nics the chosen NICs' positions in {@link NodeInterconnect#nics()}, ascending
   * @param servedGpus how many chosen GPUs a chosen NIC serves
   * @param servingNics how many chosen NICs serve a chosen GPU
   */
  record Chosen(GpuSetChoice.Chosen gpus, List<Integer> nics, int servedGpus, int servingNics)
      implements GpuNicChoice {
    /**
     * Validates and copies.
     *
     * @param gpus the GPU set
     * @param nics the chosen NICs' positions
     * @param servedGpus how many chosen GPUs are served
     * @param servingNics how many chosen NICs serve
     * @throws InvalidSpecException for null parts or counts outside the sets' sizes
     */
    public Chosen {
      if (gpus == null || nics == null || servedGpus < 0 || servedGpus > gpus.gpus().size()
          || servingNics < 0 || servingNics > nics.size()) {
        throw new InvalidSpecException("a GPU+NIC choice needs gpus, nics and counts within them");
      }
      nics = List.copyOf(nics);
    }

    @Override
    public boolean isChosen() {
      return true;
    }
  }

  /**
   * No GPU and NIC sets satisfy the request.
   *
   * @param reason the reason in core's vocabulary
   * @param message what exactly was wrong
   */
  record Rejected(RejectReason reason, String message) implements GpuNicChoice {
    /**
     * Validates.
     *
     * @param reason the reason
     * @param message the message
     * @throws InvalidSpecException without a reason or message
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

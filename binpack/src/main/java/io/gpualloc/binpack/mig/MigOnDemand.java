package io.gpualloc.binpack.mig;

import io.gpualloc.core.MigInstance;

/**
 * The answer of {@link MigPlanners#onDemand}: how one more instance of a profile can be had.
 */
public sealed interface MigOnDemand {

  /**
   * One line for people.
   *
   * @return the text
   */
  String summary();

  /**
   * A free instance of the profile already exists: no reconfiguration.
   *
   * @param gpu the GPU's position in the fleet
   * @param instance the free instance
   */
  record Existing(int gpu, MigInstance instance) implements MigOnDemand {
    @Override
    public String summary() {
      return "use the free " + instance + " on GPU " + gpu;
    }
  }

  /**
   * The cheapest reconfiguration that creates one: on an idle or partly idle GPU, destroying the
   * fewest free instances (then creating the fewest), ties to the lowest GPU position and start
   * slot. Instances in use stay.
   *
   * @param step the reconfiguration
   * @param instance the new instance to use
   */
  record Reconfigure(MigReconfiguration step, MigInstance instance) implements MigOnDemand {
    @Override
    public String summary() {
      return "reconfigure " + step + ", then use " + instance;
    }
  }

  /**
   * No GPU can host one without touching an instance in use.
   *
   * @param reason why, for people
   */
  record Impossible(String reason) implements MigOnDemand {
    @Override
    public String summary() {
      return "impossible: " + reason;
    }
  }
}

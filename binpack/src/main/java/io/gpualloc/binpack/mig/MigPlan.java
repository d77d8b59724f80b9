package io.gpualloc.binpack.mig;

import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.MigLayout;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A planner's answer: the target layout of every GPU, which demand each serves, the
 * reconfiguration steps, and how far the plan is proven.
 *
 * <p>The objective is lexicographic, folded into one number to maximise: {@code served * (G+1)^2
 * - gpusUsed * (G+1) - gpusReconfigured} for a fleet of {@code G} GPUs: first serve the most
 * demanded instances, then use the fewest GPUs (a GPU is used when it has an instance in use or
 * serves demand), then reconfigure the fewest. {@code bound} is a proven upper bound on it.
 *
 * @param status how far the plan is proven
 * @param phase what produced it
 * @param targets the target layout of GPU {@code i} at position {@code i} (its current layout
 *     when not reconfigured); every instance in use is in it
 * @param assigned per GPU, how many demanded instances of each profile (by the demand's names) it
 *     serves
 * @param steps the reconfigurations, by GPU position
 * @param served demanded instances served, per profile name
 * @param unserved demanded instances not served, per profile name
 * @param gpusUsed GPUs with an instance in use or serving demand
 * @param gpusReconfigured GPUs whose layout changes
 * @param objective the objective (see above)
 * @param bound a proven upper bound on the objective, {@code >= objective}
 * @param wallTime time spent
 */
public record MigPlan(MigPlanStatus status, MigPlanPhase phase, List<MigLayout> targets,
    List<Map<String, Integer>> assigned, List<MigReconfiguration> steps,
    Map<String, Integer> served, Map<String, Integer> unserved, int gpusUsed,
    int gpusReconfigured, long objective, long bound, Duration wallTime) {

  /**
   * Validates the bound and copies the collections.
   *
   * @param status how far the plan is proven
   * @param phase what produced it
   * @param targets the target layout of GPU {@code i} at position {@code i} (its current layout
   *     when not reconfigured); every instance in use is in it
   * @param assigned per GPU, how many demanded instances of each profile (by the demand's names) it
   *     serves
   * @param steps the reconfigurations, by GPU position
   * @param served demanded instances served, per profile name
   * @param unserved demanded instances not served, per profile name
   * @param gpusUsed GPUs with an instance in use or serving demand
   * @param gpusReconfigured GPUs whose layout changes
   * @param objective the objective (see above)
   * @param bound a proven upper bound on the objective, {@code >= objective}
   * @param wallTime time spent
   * @throws InvalidSpecException when the bound is below the objective, or the status is OPTIMAL
   *     with a gap
   */
  public MigPlan {
    if (bound < objective) {
      throw InvalidSpecException.of("MIG plan", "bound", bound, ">= objective " + objective);
    }
    if (status == MigPlanStatus.OPTIMAL && bound != objective) {
      throw InvalidSpecException.of("MIG plan", "status", status,
          "OPTIMAL only when bound == objective (" + bound + " vs " + objective + ")");
    }
    targets = List.copyOf(targets);
    assigned = List.copyOf(assigned);
    steps = List.copyOf(steps);
    served = Map.copyOf(served);
    unserved = Map.copyOf(unserved);
  }

  /**
   * {@code bound - objective}: 0 means proven optimal.
   *
   * @return the gap
   */
  public long gap() {
    return bound - objective;
  }

  /**
   * Demanded instances served, in total.
   *
   * @return the sum of {@link #served()}
   */
  public int servedTotal() {
    int s = 0;
    for (int n : served.values()) {
      s += n;
    }
    return s;
  }

  /**
   * One line for people, for example {@code cp-sat OPTIMAL: served 30/32 instances on 6 GPUs, 4
   * reconfigured (unserved: 7g.80gb x2)}.
   *
   * @return the text
   */
  public String summary() {
    int total = servedTotal();
    int missing = 0;
    StringBuilder un = new StringBuilder();
    for (Map.Entry<String, Integer> e : unserved.entrySet()) {
      if (e.getValue() > 0) {
        missing += e.getValue();
        un.append(un.length() == 0 ? "" : ", ").append(e.getKey()).append(" x")
            .append(e.getValue());
      }
    }
    return phase.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + " " + status
        + ": served " + total + "/" + (total + missing) + " instances on " + gpusUsed + " GPUs, "
        + gpusReconfigured + " reconfigured" + (un.length() == 0 ? "" : " (unserved: " + un + ")")
        + (gap() == 0 ? "" : ", gap " + gap());
  }
}

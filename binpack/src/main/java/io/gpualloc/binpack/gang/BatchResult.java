package io.gpualloc.binpack.gang;

import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.Placement;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The answer of {@link GangBatch#place}: a decision per pending gang (each placed one sees the
 * members of those placed before it) and the reservation made, if any. Commit with {@code
 * ClusterState.allocateAll(result.placements())} (all admitted gangs at once) or gang by gang.
 *
 * @param decisions one decision per pending gang, in the order they were given
 * @param order the names of the gangs in the order they were tried
 * @param admittedWeightedGpuMilli the objective: over placed gangs, members' GPU milli (see {@link
 *     PodSet#gpuMilliPerPod()}) times {@code 1 + max(0, priority)}
 * @param reservedFor the gang the reservation rule holds a domain for, or null
 * @param reservedDomain that domain as {@code level:path}, or null
 */
public record BatchResult(List<GangDecision> decisions, List<String> order,
    long admittedWeightedGpuMilli, @Nullable String reservedFor, @Nullable String reservedDomain) {

  /**
   * Validates and copies.
   *
   * @param decisions one decision per pending gang, in the order they were given
   * @param order the names of the gangs in the order they were tried
   * @param admittedWeightedGpuMilli the objective: over placed gangs, members' GPU milli (see {@link
   *     PodSet#gpuMilliPerPod()}) times {@code 1 + max(0, priority)}
   * @param reservedFor the gang the reservation rule holds a domain for, or null
   * @param reservedDomain that domain as {@code level:path}, or null
   * @throws InvalidSpecException for null lists
   */
  public BatchResult {
    if (decisions == null || order == null) {
      throw InvalidSpecException.of("batch result", "decisions/order", null, "lists");
    }
    decisions = List.copyOf(decisions);
    order = List.copyOf(order);
  }

  /**
   * Every member of every placed gang.
   *
   * @return the placements, gang by gang in the order tried
   */
  public List<Placement> placements() {
    List<Placement> out = new ArrayList<>();
    for (String name : order) {
      for (GangDecision d : decisions) {
        if (d.gangName().equals(name) && d instanceof GangDecision.Placed p) {
          out.addAll(p.placements());
        }
      }
    }
    return out;
  }

  /**
   * How many gangs were placed.
   *
   * @return the count
   */
  public int admitted() {
    int n = 0;
    for (GangDecision d : decisions) {
      n += d.isPlaced() ? 1 : 0;
    }
    return n;
  }
}

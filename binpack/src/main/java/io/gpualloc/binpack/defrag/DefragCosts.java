package io.gpualloc.binpack.defrag;

import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.Placement;

/**
 * The cost model: what moving and evicting an allocation costs. A caller's own model is a lambda;
 * the factories give the common ones. The default is {@link #byPriority()}.
 */
@FunctionalInterface
public interface DefragCosts {

  /**
   * The cost of moving and of evicting one allocation.
   *
   * @param allocation the allocation as the ledger holds it
   * @param priority its priority (from the request the problem was given for it, else 0)
   * @return the costs
   * @throws InvalidSpecException when the model cannot price it
   */
  AllocationCost cost(Placement allocation, int priority);

  /**
   * Every move costs 1 and every eviction 1: the plan with the fewest steps.
   *
   * @return the model
   */
  static DefragCosts uniform() {
    return (a, p) -> new AllocationCost(1, 1);
  }

  /**
   * The default: a move costs {@code 1 + priority}, an eviction ten times that, so low-priority
   * pods move first and moving is preferred to evicting. Priorities must be {@code >= 0} (a
   * negative one is rejected rather than clamped).
   *
   * @return the model
   */
  static DefragCosts byPriority() {
    return (a, p) -> {
      if (p < 0 || p > AllocationCost.MAX / 10 - 1) {
        throw InvalidSpecException.of("cost model byPriority, allocation " + a.allocationId(),
            "priority", p, "0.." + (AllocationCost.MAX / 10 - 1)
                + ". Maybe pass a cost function of your own (DefragProblem.Builder.costs)");
      }
      return new AllocationCost(1L + p, 10L * (1L + p));
    };
  }

  /**
   * A move costs the number of GPUs the allocation holds (at least 1, for CPU-only pods), an
   * eviction ten times that: big jobs are expensive to disturb.
   *
   * @return the model
   */
  static DefragCosts byGpuCount() {
    return (a, p) -> {
      long n = Math.max(1, a.grants().size());
      return new AllocationCost(n, 10 * n);
    };
  }
}

package io.gpualloc.binpack.mig;

/**
 * Plans MIG layouts for a fleet against a demand: target layouts and the reconfiguration steps to
 * reach them, serving the most demand on the fewest GPUs with the fewest reconfigured GPUs, never
 * touching an instance in use. Implementations are made by {@link MigPlanners}.
 */
public interface MigPlanner {

  /**
   * The planner's name in {@link MigPlanners#names()}.
   *
   * @return the name
   */
  String name();

  /**
   * Plans.
   *
   * @param problem the fleet and the demand
   * @return the plan, never null (a budgeted solver falls back to the greedy plan)
   * @throws io.gpualloc.core.MissingDependencyException from {@code cp-sat} when OR-Tools is not
   *     on the class path, before any work
   */
  MigPlan plan(MigPlanProblem problem);
}

package io.gpualloc.binpack.defrag;

/**
 * Plans moves and evictions that reach a {@link DefragGoal}. Implementations are made by {@link
 * DefragPlanners}; each checks its plan with {@link DryRun} before returning it.
 */
public interface DefragPlanner {

  /**
   * The planner's name in {@link DefragPlanners#names()}.
   *
   * @return the name
   */
  String name();

  /**
   * Plans. The problem (and the ledger it was built from) is not changed.
   *
   * @param problem the problem
   * @return a plan or a rejection, never null
   * @throws io.gpualloc.core.MissingDependencyException from {@code cp-sat} when OR-Tools is not
   *     on the class path, before any work
   * @throws io.gpualloc.binpack.solver.SolverInvariantException when the planner's own plan
   *     fails its dry run (a bug)
   */
  DefragPlan plan(DefragProblem problem);
}

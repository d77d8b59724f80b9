package io.gpualloc.binpack.defrag.internal;

import io.gpualloc.binpack.defrag.DefragPlan;
import io.gpualloc.binpack.defrag.DefragPlanner;
import io.gpualloc.binpack.defrag.DefragProblem;

/** The {@code greedy} planner; see {@link Greedy}. */
public final class GreedyPlanner implements DefragPlanner {

  @Override
  public String name() {
    return "greedy";
  }

  @Override
  public DefragPlan plan(DefragProblem problem) {
    return Greedy.plan(new Work(problem));
  }
}

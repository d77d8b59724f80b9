package io.gpualloc.binpack.packing;

import io.gpualloc.core.InvalidSpecException;
import java.time.Duration;

/**
 * Parameters of the exact/anytime solver.
 *
 * @param timeLimit wall-clock budget for the whole solve (heuristics, bounds and CP-SAT), positive
 * @param workers CP-SAT worker threads, at least 1; the solver starts no other threads
 * @param seed CP-SAT random seed
 * @param maxArcs largest arc-flow graph (arcs after compression) worth handing to CP-SAT; larger
 *     instances use the assignment model
 * @param model which model to use
 */
public record SolverOptions(
    Duration timeLimit, int workers, long seed, int maxArcs, Model model) {

  /** The CP-SAT model to build. */
  public enum Model {
    /** Arc-flow for classic instances whose graph has at most {@code maxArcs} arcs, else assignment. */
    AUTO,
    /** Arc-flow (falls back to assignment when the instance is not classic or the graph too big). */
    ARC_FLOW,
    /** The assignment model with symmetry breaking. */
    ASSIGNMENT
  }

  /**
   * Validates the fields.
   *
   * @param timeLimit wall-clock budget for the whole solve (heuristics, bounds and CP-SAT),
   *     positive
   * @param workers CP-SAT worker threads, at least 1; the solver starts no other threads
   * @param seed CP-SAT random seed
   * @param maxArcs largest arc-flow graph (arcs after compression) worth handing to CP-SAT; larger
   *     instances use the assignment model
   * @param model which model to use
   */
  public SolverOptions {
    if (timeLimit == null || timeLimit.isNegative() || timeLimit.isZero()) {
      throw InvalidSpecException.of("solver options", "timeLimit", timeLimit, "a positive duration");
    }
    if (workers < 1) {
      throw InvalidSpecException.of("solver options", "workers", workers, ">= 1");
    }
    if (maxArcs < 0) {
      throw InvalidSpecException.of("solver options", "maxArcs", maxArcs, ">= 0");
    }
    if (model == null) {
      throw InvalidSpecException.of("solver options", "model", null, "AUTO, ARC_FLOW or ASSIGNMENT");
    }
  }

  /**
   * 10 seconds, 1 worker, seed 0, at most 300,000 arcs, automatic model choice.
   *
   * @return the default options
   */
  public static SolverOptions defaults() {
    return new SolverOptions(Duration.ofSeconds(10), 1, 0, 300_000, Model.AUTO);
  }

  /**
   * A copy with another time limit.
   *
   * @param limit the new time limit
   * @return a copy with another time limit
   */
  public SolverOptions withTimeLimit(Duration limit) {
    return new SolverOptions(limit, workers, seed, maxArcs, model);
  }

  /**
   * A copy with another worker count.
   *
   * @param count CP-SAT worker threads, at least 1
   * @return a copy with another worker count
   */
  public SolverOptions withWorkers(int count) {
    return new SolverOptions(timeLimit, count, seed, maxArcs, model);
  }

  /**
   * A copy with another seed.
   *
   * @param value the CP-SAT random seed
   * @return a copy with another seed
   */
  public SolverOptions withSeed(long value) {
    return new SolverOptions(timeLimit, workers, value, maxArcs, model);
  }

  /**
   * A copy with another model choice.
   *
   * @param value which model CP-SAT solves
   * @return a copy with another model choice
   */
  public SolverOptions withModel(Model value) {
    return new SolverOptions(timeLimit, workers, seed, maxArcs, value);
  }
}

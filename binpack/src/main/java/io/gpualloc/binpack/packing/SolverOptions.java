package io.gpualloc.binpack.packing;

import io.gpualloc.core.InvalidSpecException;
import java.time.Duration;
import java.util.OptionalDouble;

/**
 * Parameters of the exact/anytime solver.
 *
 * @param timeLimit wall-clock budget for the whole solve (heuristics, bounds and CP-SAT), positive
 * @param workers CP-SAT worker threads, at least 1; the solver starts no other threads
 * @param seed CP-SAT random seed
 * @param maxArcs largest arc-flow graph (arcs after compression) worth handing to CP-SAT; larger
 *     instances use the assignment model
 * @param model which model to use
 * @param deterministicTime CP-SAT's deterministic-time limit per solve, in CP-SAT's deterministic
 *     seconds, when present (finite and positive); absent by default, and then only the wall-clock
 *     {@code timeLimit} stops the search (see {@link #withDeterministicTime(double)})
 */
public record SolverOptions(
    Duration timeLimit, int workers, long seed, int maxArcs, Model model,
    OptionalDouble deterministicTime) {

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
   * @param deterministicTime CP-SAT's deterministic-time limit per solve, when present
   * @throws InvalidSpecException when a field is out of its range: a time limit that is not
   *     positive, fewer than 1 worker, a negative {@code maxArcs}, a null model, or a
   *     deterministic time that is null, not finite or not positive
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
    if (deterministicTime == null) {
      throw InvalidSpecException.of("solver options", "deterministicTime", null,
          "OptionalDouble.empty() or a finite number > 0");
    }
    if (deterministicTime.isPresent()) {
      double d = deterministicTime.getAsDouble();
      if (!(d > 0) || Double.isInfinite(d)) {
        throw InvalidSpecException.of("solver options", "deterministicTime", d,
            "a finite number > 0");
      }
    }
  }

  /**
   * The options without a deterministic-time limit, as before that limit existed.
   *
   * @param timeLimit wall-clock budget for the whole solve (heuristics, bounds and CP-SAT),
   *     positive
   * @param workers CP-SAT worker threads, at least 1; the solver starts no other threads
   * @param seed CP-SAT random seed
   * @param maxArcs largest arc-flow graph (arcs after compression) worth handing to CP-SAT; larger
   *     instances use the assignment model
   * @param model which model to use
   * @throws InvalidSpecException when a field is out of its range (see the canonical constructor)
   */
  public SolverOptions(Duration timeLimit, int workers, long seed, int maxArcs, Model model) {
    this(timeLimit, workers, seed, maxArcs, model, OptionalDouble.empty());
  }

  /**
   * 10 seconds, 1 worker, seed 0, at most 300,000 arcs, automatic model choice, no
   * deterministic-time limit.
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
    return new SolverOptions(limit, workers, seed, maxArcs, model, deterministicTime);
  }

  /**
   * A copy with another worker count.
   *
   * @param count CP-SAT worker threads, at least 1
   * @return a copy with another worker count
   */
  public SolverOptions withWorkers(int count) {
    return new SolverOptions(timeLimit, count, seed, maxArcs, model, deterministicTime);
  }

  /**
   * A copy with another seed.
   *
   * @param value the CP-SAT random seed
   * @return a copy with another seed
   */
  public SolverOptions withSeed(long value) {
    return new SolverOptions(timeLimit, workers, value, maxArcs, model, deterministicTime);
  }

  /**
   * A copy with another model choice.
   *
   * @param value which model CP-SAT solves
   * @return a copy with another model choice
   */
  public SolverOptions withModel(Model value) {
    return new SolverOptions(timeLimit, workers, seed, maxArcs, value, deterministicTime);
  }

  /**
   * A copy that also stops CP-SAT after {@code seconds} of its deterministic time (CP-SAT's
   * {@code max_deterministic_time}: a count of the work done, scaled to be roughly seconds, that
   * does not depend on the machine's speed or load). The wall-clock {@link #timeLimit()} stays in
   * force as a safety net; CP-SAT stops at whichever limit it reaches first. Today only the MIG
   * layout planner ({@code MigPlanners.named("cp-sat", options)}) passes it to CP-SAT; {@link
   * CpSatPacker}, {@link GpuRepacker}, the gang placer and batch selection and the defragmentation
   * planner ignore it and stop on the wall clock alone.
   *
   * <p>What it guarantees: with 1 worker and a fixed seed, the same model stops at the same point
   * of the same search on any machine, so a solve returns the same answer (the same plan among
   * several optimal ones, the same status and bound) run after run, as long as the wall-clock
   * limit does not bind first. What it does not: when the wall-clock limit binds first (a slow or
   * busy machine, or a deterministic limit too large for the budget), the answer is again the
   * machine's; with more than 1 worker the threads race and the answer may differ; a different
   * OR-Tools version may search differently; and the steps before CP-SAT that also watch the
   * wall clock (the heuristics, bounds and model building of each solver) are not limited by it.
   * A solve that reaches the deterministic limit before a proof returns its best answer so far as
   * feasible, like a wall-clock timeout.
   *
   * @param seconds CP-SAT's deterministic-time limit per solve, finite and positive
   * @return a copy with this deterministic-time limit
   * @throws InvalidSpecException when {@code seconds} is not finite or not positive
   */
  public SolverOptions withDeterministicTime(double seconds) {
    return new SolverOptions(timeLimit, workers, seed, maxArcs, model, OptionalDouble.of(seconds));
  }
}

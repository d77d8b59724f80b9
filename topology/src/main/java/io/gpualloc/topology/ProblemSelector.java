package io.gpualloc.topology;

/**
 * The shared frame of the selectors: a name, the link scores, and the validation that turns the
 * caller's sets into a {@link Problem} (or a rejection) before the selector's own search runs.
 */
abstract class ProblemSelector implements GpuSetSelector {
  private final String name;
  final LinkScores scores;

  ProblemSelector(String name, LinkScores scores) {
    this.name = name;
    this.scores = scores;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final GpuSetChoice select(
      NodeInterconnect node, GpuSet free, GpuSet partlyUsed, GpuSet mustInclude, int k) {
    Problem p = Problem.of(node, free, partlyUsed, mustInclude, k, scores);
    return p.rejected != null ? p.rejected : solve(p, k);
  }

  /** Chooses {@code k} GPUs for a validated problem. */
  abstract GpuSetChoice solve(Problem p, int k);
}

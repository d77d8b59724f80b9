package io.gpualloc.topology;

import io.gpualloc.core.InvalidSpecException;
import java.util.List;

/** Factories and a by-name registry for {@link GpuSetSelector}s. */
public final class GpuSetSelectors {
  /**
   * The default node budget of {@link #branchAndBound(LinkScores, long)}: enough to prove most
   * answers on 17..72-GPU domains optimal within milliseconds, and to stop early otherwise.
   */
  public static final long DEFAULT_NODE_BUDGET = 1_000L;

  private GpuSetSelectors() {}

  /**
   * The exact selector with the default scores and node budget.
   *
   * @return the exact selector with the default scores and node budget
   */
  public static GpuSetSelector branchAndBound() {
    return branchAndBound(LinkScores.DEFAULT, DEFAULT_NODE_BUDGET);
  }

  /**
   * The exact branch-and-bound selector: maximises the set's pair-score sum, then minimises the
   * damage to the free structure, then takes the lowest indices. Always exact with up to 16
   * candidate GPUs (the whole search tree has fewer than 2^17 nodes, so the budget does not apply);
   * with more candidates it stops after {@code nodeBudget} search nodes and then returns its best set
   * (greedy construction improved by swaps and by the search so far) with an upper bound.
   *
   * @param scores the score table
   * @param nodeBudget the largest number of search nodes with more than 16 candidates, {@code >= 1}
   * @return the selector
   */
  public static GpuSetSelector branchAndBound(LinkScores scores, long nodeBudget) {
    if (scores == null) {
      throw InvalidSpecException.of("branch-and-bound selector", "scores", null, "a LinkScores");
    }
    if (nodeBudget < 1) {
      throw InvalidSpecException.of("branch-and-bound selector", "nodeBudget", nodeBudget, ">= 1");
    }
    return new BranchAndBoundSelector(scores, nodeBudget);
  }

  /**
   * The go-gpuallocator best-effort baseline (partition enumeration).
   *
   * @param scores the score table
   * @return the go-gpuallocator best-effort baseline (partition enumeration)
   */
  public static GpuSetSelector goGpuAllocatorBestEffort(LinkScores scores) {
    if (scores == null) {
      throw InvalidSpecException.of("go-gpuallocator selector", "scores", null, "a LinkScores");
    }
    return new GoGpuAllocatorBestEffort(scores);
  }

  /**
   * The HAMi topology-score baseline ({@code C(n, k)} enumeration).
   *
   * @param scores the score table
   * @return the HAMi topology-score baseline ({@code C(n, k)} enumeration)
   */
  public static GpuSetSelector hamiTopologyScore(LinkScores scores) {
    if (scores == null) {
      throw InvalidSpecException.of("HAMi selector", "scores", null, "a LinkScores");
    }
    return new HamiTopologyScore(scores);
  }

  /**
   * The registered names: the exact selector first, then the baselines.
   *
   * @return the registered names: the exact selector first, then the baselines
   */
  public static List<String> names() {
    return List.of(BranchAndBoundSelector.NAME, GoGpuAllocatorBestEffort.NAME,
        HamiTopologyScore.NAME);
  }

  /**
   * The selector registered under {@code name} with the default scores.
   *
   *
   * @param name the name
   * @return the selector registered under {@code name} with the default scores
   * @throws InvalidSpecException for an unknown name
   */
  public static GpuSetSelector named(String name) {
    if (BranchAndBoundSelector.NAME.equals(name)) {
      return branchAndBound();
    }
    if (GoGpuAllocatorBestEffort.NAME.equals(name)) {
      return goGpuAllocatorBestEffort(LinkScores.DEFAULT);
    }
    if (HamiTopologyScore.NAME.equals(name)) {
      return hamiTopologyScore(LinkScores.DEFAULT);
    }
    throw InvalidSpecException.of("selector registry", "name", name, String.join(", ", names()));
  }
}

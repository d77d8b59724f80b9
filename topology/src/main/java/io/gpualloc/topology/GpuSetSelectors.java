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
   * The exact branch-and-bound selector with the default objective ({@link
   * SelectionObjective#QUALITY_LOOKAHEAD_LOCALITY}): maximises the set's link quality, then the
   * lookahead (the best quality the free GPUs left can still offer the next request of the same
   * size), then the PCIe locality, then minimises the damage to the free structure, then takes the
   * lowest indices. Always exact with up to 16 candidate GPUs (the whole search tree has fewer than
   * 2^17 nodes, so the budget does not apply); with more candidates it stops after {@code nodeBudget}
   * search nodes and then returns its best set (greedy construction improved by swaps and by the
   * search so far) with an upper bound.
   *
   * @param scores the score table
   * @param nodeBudget the largest number of search nodes with more than 16 candidates, {@code >= 1}
   * @return the selector
   * @throws InvalidSpecException for null scores or a budget below 1
   */
  public static GpuSetSelector branchAndBound(LinkScores scores, long nodeBudget) {
    return branchAndBound(scores, nodeBudget, SelectionObjective.QUALITY_LOOKAHEAD_LOCALITY);
  }

  /**
   * The exact branch-and-bound selector for the given objective (see {@link SelectionObjective};
   * {@link SelectionObjective#PAIR_SCORE} is the objective of earlier versions).
   *
   * @param scores the score table
   * @param nodeBudget the largest number of search nodes with more than 16 candidates, {@code >= 1}
   * @param objective the objective
   * @return the selector
   * @throws InvalidSpecException for null scores or objective, or a budget below 1
   */
  public static GpuSetSelector branchAndBound(
      LinkScores scores, long nodeBudget, SelectionObjective objective) {
    if (scores == null) {
      throw InvalidSpecException.of("branch-and-bound selector", "scores", null, "a LinkScores");
    }
    if (nodeBudget < 1) {
      throw InvalidSpecException.of("branch-and-bound selector", "nodeBudget", nodeBudget, ">= 1");
    }
    if (objective == null) {
      throw InvalidSpecException.of("branch-and-bound selector", "objective", null,
          "a SelectionObjective");
    }
    return new BranchAndBoundSelector(scores, nodeBudget, objective);
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
   * The registered names: the exact selector first, then the baselines, then the exact selector
   * with the pair-score objective of earlier versions ({@code branch-and-bound-pair-score}, for
   * comparisons).
   *
   * @return the names
   */
  public static List<String> names() {
    return List.of(BranchAndBoundSelector.NAME, GoGpuAllocatorBestEffort.NAME,
        HamiTopologyScore.NAME, BranchAndBoundSelector.PAIR_SCORE_NAME);
  }

  /**
   * The selector registered under {@code name} with the default scores.
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
    if (BranchAndBoundSelector.PAIR_SCORE_NAME.equals(name)) {
      return branchAndBound(LinkScores.DEFAULT, DEFAULT_NODE_BUDGET, SelectionObjective.PAIR_SCORE);
    }
    throw InvalidSpecException.of("selector registry", "name", name, String.join(", ", names()));
  }
}

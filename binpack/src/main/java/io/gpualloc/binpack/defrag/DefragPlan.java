package io.gpualloc.binpack.defrag;

import io.gpualloc.binpack.solver.SolveOutcome;
import io.gpualloc.binpack.solver.SolveStatus;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.Placement;
import java.util.List;

/**
 * A planner's answer: a {@link Planned} plan or a {@link Rejected} goal. Both carry the {@link
 * SolveOutcome}: status, cost (the objective), the lower bound on the cost of any plan, the gap
 * and the phase that produced it.
 */
public sealed interface DefragPlan {

  /**
   * Status, cost, bound, gap and phase.
   *
   * @return the outcome
   */
  SolveOutcome<DefragPhase> outcome();

  /**
   * One line for people, no program has to parse it.
   *
   * @return the text
   */
  String summary();

  /**
   * Whether this is a plan.
   *
   * @return true for {@link Planned}
   */
  boolean isPlanned();

  /**
   * A plan. Apply {@link #steps()} in order (each {@link DefragStep.Move} releases the allocation
   * and records {@link DefragStep.Move#placement()}; each {@link DefragStep.Evict} releases it),
   * then, for a {@link DefragGoal.Fit} goal, record {@link #placements()} together ({@code
   * ClusterState.allocateAll}). Every intermediate state is valid on the ledger the problem was
   * built from: each allocation moves at most once; for the fit and empty-nodes goals the moves
   * never form a cycle between nodes (a swap would need a temporary state, so plans contain none)
   * and a node's departures come before its arrivals; the fragmentation greedy's steps come in
   * the order it applied them. {@link DryRun} replays it; every planner does so before returning.
   *
   * @param outcome status, cost (the sum of the steps' costs), bound, phase
   * @param steps the steps, in order
   * @param placements for a fit goal, where each pending pod goes (in the goal's order); else
   *     empty
   * @param emptiedNodes for an empty-nodes goal, the ids of the nodes left empty (already empty
   *     ones included); else empty
   * @param explanation what the plan does and why, for people
   */
  record Planned(SolveOutcome<DefragPhase> outcome, List<DefragStep> steps,
      List<Placement> placements, List<Integer> emptiedNodes, String explanation)
      implements DefragPlan {
    /**
     * Validates the cost and copies the lists.
     *
     * @param outcome status, cost, bound, phase; must have an answer
     * @param steps the steps, in order
     * @param placements the pending pods' placements, or empty
     * @param emptiedNodes the emptied nodes' ids, or empty
     * @param explanation for people
     * @throws InvalidSpecException when the outcome has no answer or its objective is not the
     *     steps' total cost
     */
    public Planned {
      if (outcome == null || !outcome.hasAnswer()) {
        throw InvalidSpecException.of("defrag plan", "outcome", outcome,
            "an outcome with an answer (OPTIMAL, FEASIBLE or TIMEOUT_FALLBACK)");
      }
      steps = List.copyOf(steps);
      placements = List.copyOf(placements);
      emptiedNodes = List.copyOf(emptiedNodes);
      long total = 0;
      for (DefragStep s : steps) {
        total += s.cost();
      }
      if (total != outcome.objective()) {
        throw InvalidSpecException.of("defrag plan", "outcome.objective", outcome.objective(),
            "the steps' total cost " + total);
      }
      if (explanation == null) {
        throw InvalidSpecException.of("defrag plan", "explanation", null, "a text");
      }
    }

    /**
     * The total cost.
     *
     * @return the sum of the steps' costs
     */
    public long cost() {
      return outcome.objective();
    }

    /**
     * How many moves.
     *
     * @return the number of {@link DefragStep.Move} steps
     */
    public int moves() {
      int n = 0;
      for (DefragStep s : steps) {
        n += s instanceof DefragStep.Move ? 1 : 0;
      }
      return n;
    }

    /**
     * How many evictions.
     *
     * @return the number of {@link DefragStep.Evict} steps
     */
    public int evictions() {
      return steps.size() - moves();
    }

    @Override
    public boolean isPlanned() {
      return true;
    }

    @Override
    public String summary() {
      return outcome.summary() + "; " + moves() + " moves, " + evictions() + " evictions: "
          + explanation;
    }
  }

  /**
   * No plan: the goal is impossible ({@link SolveStatus#INFEASIBLE}, with the proof in the
   * reason) or the planner found none ({@link SolveStatus#UNKNOWN}).
   *
   * @param outcome INFEASIBLE or UNKNOWN, with the bound known
   * @param reason why, for example "pod train-0 needs 8 GPUs on one node; no node has 8 GPUs even
   *     when empty"
   */
  record Rejected(SolveOutcome<DefragPhase> outcome, String reason) implements DefragPlan {
    /**
     * Validates.
     *
     * @param outcome INFEASIBLE or UNKNOWN
     * @param reason why
     * @throws InvalidSpecException when the outcome has an answer or the reason is missing
     */
    public Rejected {
      if (outcome == null || outcome.hasAnswer()) {
        throw InvalidSpecException.of("defrag rejection", "outcome", outcome,
            "an outcome without an answer (INFEASIBLE or UNKNOWN)");
      }
      if (reason == null || reason.isBlank()) {
        throw InvalidSpecException.of("defrag rejection", "reason", reason, "a text");
      }
    }

    @Override
    public boolean isPlanned() {
      return false;
    }

    @Override
    public String summary() {
      return outcome.summary() + ": " + reason;
    }
  }
}

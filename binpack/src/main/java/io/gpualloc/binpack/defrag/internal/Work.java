package io.gpualloc.binpack.defrag.internal;

import io.gpualloc.binpack.defrag.AllocationCost;
import io.gpualloc.binpack.defrag.DefragGoal;
import io.gpualloc.binpack.defrag.DefragPhase;
import io.gpualloc.binpack.defrag.DefragPlan;
import io.gpualloc.binpack.defrag.DefragProblem;
import io.gpualloc.binpack.defrag.DefragStep;
import io.gpualloc.binpack.defrag.DryRun;
import io.gpualloc.binpack.internal.Fit;
import io.gpualloc.binpack.solver.SolveOutcome;
import io.gpualloc.binpack.solver.SolveStatus;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.ClusterView;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.NodeScores;
import io.gpualloc.core.Placement;
import io.gpualloc.core.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The per-call working view of a problem: allocations by node, costs, and plan building. */
final class Work {
  final DefragProblem problem;
  final ClusterState base;
  final Cluster cluster;
  /** Movable allocations per node id, in id order. */
  final List<List<Placement>> movableOn;
  final long t0;

  Work(DefragProblem problem) {
    this.t0 = System.nanoTime();
    this.problem = problem;
    this.base = problem.ledger();
    this.cluster = base.cluster();
    this.movableOn = new ArrayList<>();
    for (int n = 0; n < cluster.nodeIdBound(); n++) {
      movableOn.add(new ArrayList<>());
    }
    for (Placement p : problem.allocations()) {
      if (problem.isMovable(p.allocationId())) {
        movableOn.get(p.nodeId()).add(p);
      }
    }
  }

  /** The cheapest way to take an allocation off its node: a move, or an eviction if allowed. */
  long removalCost(String id) {
    AllocationCost k = problem.cost(id);
    return problem.evictionAllowed() ? Math.min(k.move(), k.evict()) : k.move();
  }

  /** Whether a node can take new placements at all. */
  boolean usable(int n) {
    return cluster.isLive(n) && base.isSchedulable(n);
  }

  /** The grants of {@code r} on node {@code n} now, or null when it does not fit there. */
  static @Nullable List<GpuGrant> fitOn(Request r, ClusterView v, int n) {
    if (!v.isSchedulable(n) || Fit.check(r, v, n) != null) {
      return null;
    }
    return Fit.grants(r, v, n, Fit.ShareOrder.TIGHTEST);
  }

  static Placement placement(Request r, int node, List<GpuGrant> grants) {
    return new Placement(r.name(), node, r.cpuMilli(), r.memoryMib(), grants);
  }

  /**
   * Where the replacement policy would put {@code r} on {@code v}, skipping {@code forbidden}
   * nodes; null when no allowed node takes it.
   */
  @Nullable Placement replace(Request r, ClusterView v, Set<Integer> forbidden) {
    NodeScores s = problem.replacement().scoreAll(r, v);
    for (int i = 0; i < s.size(); i++) {
      int n = s.nodeId(i);
      if (!forbidden.contains(n) && v.isSchedulable(n)) {
        return placement(r, n, s.grants(i));
      }
    }
    return null;
  }

  /** The order the greedy and the baseline take allocations off a node: cheapest first. */
  Comparator<Placement> cheapestFirst() {
    return Comparator.<Placement>comparingLong(p -> problem.cost(p.allocationId()).move())
        .thenComparing(Comparator.<Placement>comparingInt(p -> p.grants().size()).reversed())
        .thenComparing(Placement::allocationId);
  }

  Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  /** A plan, checked by its dry run; OPTIMAL when its cost meets the bound. */
  DefragPlan.Planned planned(DefragPhase phase, List<DefragStep> steps, List<Placement> placements,
      List<Integer> emptied, long bound, String explanation) {
    long cost = 0;
    for (DefragStep s : steps) {
      cost += s.cost();
    }
    long b = Math.min(bound, cost);
    SolveStatus st = b == cost ? SolveStatus.OPTIMAL : SolveStatus.FEASIBLE;
    return planned(new SolveOutcome<>(st, phase, cost, b, elapsed()), steps, placements, emptied,
        explanation);
  }

  DefragPlan.Planned planned(SolveOutcome<DefragPhase> outcome, List<DefragStep> steps,
      List<Placement> placements, List<Integer> emptied, String explanation) {
    DefragPlan.Planned p = new DefragPlan.Planned(outcome, steps, placements, emptied,
        explanation);
    DryRun.check(problem, p).orThrow();
    return p;
  }

  DefragPlan.Rejected rejected(SolveStatus status, DefragPhase phase, long bound, String why) {
    return new DefragPlan.Rejected(new SolveOutcome<>(status, phase, -1,
        Math.max(0, bound == Long.MAX_VALUE ? 0 : bound), elapsed()), why);
  }

  boolean goalIsFit() {
    return problem.goal() instanceof DefragGoal.Fit;
  }

  String nodeName(int n) {
    return cluster.node(n).name();
  }
}

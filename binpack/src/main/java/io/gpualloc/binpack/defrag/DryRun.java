package io.gpualloc.binpack.defrag;

import io.gpualloc.binpack.Fragmentation;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.GpuallocException;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.Placement;
import io.gpualloc.core.Request;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The result of replaying a plan step by step on a fork of a ledger: whether every step applied,
 * honoured the problem (only movable allocations, evictions only when allowed, each re-placement
 * matching the allocation's request, the stated costs) and reached the goal at the end. The ledger
 * given is never changed.
 *
 * @param valid true when every step applied and the goal holds at the end
 * @param failedStep the index of the first step that failed, {@code steps().size()} when the
 *     final placements or the goal failed, -1 when valid
 * @param detail what failed, or a one-line account of the final state when valid
 */
public record DryRun(boolean valid, int failedStep, String detail) {

  /**
   * Replays on the problem's own ledger (as it was when the problem was built).
   *
   * @param problem the problem
   * @param plan the plan
   * @return the result
   * @throws InvalidSpecException for a null argument
   */
  public static DryRun check(DefragProblem problem, DefragPlan.Planned plan) {
    if (problem == null) {
      throw InvalidSpecException.of("dry run", "problem", null, "a DefragProblem");
    }
    return replay(problem.ledger(), problem, plan);
  }

  /**
   * Replays on a fork of {@code ledger}, for example the live ledger now, which may have moved
   * since the problem was built.
   *
   * @param ledger the ledger to fork; not changed
   * @param problem the problem (goal, movable allocations, costs)
   * @param plan the plan
   * @return the result
   * @throws InvalidSpecException for a null argument
   */
  public static DryRun check(ClusterState ledger, DefragProblem problem,
      DefragPlan.Planned plan) {
    if (ledger == null || problem == null || plan == null) {
      throw InvalidSpecException.of("dry run", ledger == null ? "ledger"
          : problem == null ? "problem" : "plan", null, "non-null");
    }
    return replay(ledger.fork(), problem, plan);
  }

  private static DryRun replay(ClusterState fork, DefragProblem problem,
      DefragPlan.Planned plan) {
    if (plan == null) {
      throw InvalidSpecException.of("dry run", "plan", null, "a DefragPlan.Planned");
    }
    List<DefragStep> steps = plan.steps();
    for (int i = 0; i < steps.size(); i++) {
      DefragStep s = steps.get(i);
      String id = s.allocationId();
      if (!problem.isMovable(id)) {
        return new DryRun(false, i, "step " + i + " touches " + id + ", which may not move");
      }
      Placement now = fork.allocation(id);
      if (now == null) {
        return new DryRun(false, i, "step " + i + ": " + id + " is not allocated at that point");
      }
      AllocationCost k = problem.cost(id);
      try {
        if (s instanceof DefragStep.Move m) {
          if (now.nodeId() != m.fromNode()) {
            return new DryRun(false, i, "step " + i + ": " + id + " is on node " + now.nodeId()
                + ", not " + m.fromNode());
          }
          if (m.cost() != k.move()) {
            return new DryRun(false, i, "step " + i + " costs " + m.cost() + ", the model says "
                + k.move());
          }
          String bad = mismatch(problem.request(id), m.placement(), fork);
          if (bad != null) {
            return new DryRun(false, i, "step " + i + " re-places " + id + " wrongly: " + bad);
          }
          fork.release(id);
          fork.allocate(m.placement());
        } else {
          DefragStep.Evict e = (DefragStep.Evict) s;
          if (!problem.evictionAllowed()) {
            return new DryRun(false, i, "step " + i + " evicts " + id
                + " but the problem allows no eviction");
          }
          if (now.nodeId() != e.fromNode() || e.cost() != k.evict()) {
            return new DryRun(false, i, "step " + i + ": eviction of " + id
                + " names node " + e.fromNode() + " and cost " + e.cost() + "; it is on node "
                + now.nodeId() + " and costs " + k.evict());
          }
          fork.release(id);
        }
      } catch (GpuallocException x) {
        return new DryRun(false, i, "step " + i + " does not apply: " + x.getMessage());
      }
    }
    int end = steps.size();
    DefragGoal goal = problem.goal();
    if (goal instanceof DefragGoal.Fit f) {
      List<Placement> ps = plan.placements();
      if (ps.size() != f.pods().size()) {
        return new DryRun(false, end, "the plan places " + ps.size() + " pods, the goal has "
            + f.pods().size());
      }
      for (int i = 0; i < ps.size(); i++) {
        Request r = f.pods().get(i);
        if (!ps.get(i).allocationId().equals(r.name())) {
          return new DryRun(false, end, "placement " + i + " is for " + ps.get(i).allocationId()
              + ", not " + r.name());
        }
        String bad = mismatch(r, ps.get(i), fork);
        if (bad != null) {
          return new DryRun(false, end, "pod " + r.name() + " placed wrongly: " + bad);
        }
      }
      try {
        fork.allocateAll(ps);
      } catch (GpuallocException x) {
        return new DryRun(false, end, "the pending pods do not fit at the end: " + x.getMessage());
      }
      return new DryRun(true, -1, "all " + ps.size() + " pending pods placed after " + end
          + " steps");
    }
    if (goal instanceof DefragGoal.EmptyNodes e) {
      Set<Integer> nodes = new HashSet<>(plan.emptiedNodes());
      if (nodes.size() < e.count()) {
        return new DryRun(false, end, "the plan names " + nodes.size() + " emptied nodes, the goal "
            + e.count());
      }
      for (int n : nodes) {
        if (!fork.cluster().isLive(n)) {
          return new DryRun(false, end, "node " + n + " is not a member");
        }
        String name = fork.cluster().node(n).name();
        if (!e.candidates().isEmpty() && !e.candidates().contains(name)) {
          return new DryRun(false, end, "node " + name + " is not a candidate");
        }
        if (!fork.allocationsOn(n).isEmpty()) {
          return new DryRun(false, end, "node " + name + " still holds "
              + fork.allocationsOn(n).size() + " allocations");
        }
      }
      return new DryRun(true, -1, nodes.size() + " nodes empty after " + end + " steps");
    }
    DefragGoal.ReduceFragmentation rf = (DefragGoal.ReduceFragmentation) goal;
    long f = Fragmentation.cluster(fork, rf.workload());
    if (f > rf.targetMilli()) {
      return new DryRun(false, end, "fragmentation " + f + " milli-GPU at the end, target "
          + rf.targetMilli());
    }
    return new DryRun(true, -1, "fragmentation " + f + " milli-GPU after " + end + " steps");
  }

  /** Why a placement does not honour its request, or null when it does. */
  static @org.jspecify.annotations.Nullable String mismatch(Request r, Placement p, ClusterState view) {
    if (p.cpuMilli() != r.cpuMilli() || p.memoryMib() != r.memoryMib()) {
      return "cpu/memory " + p.cpuMilli() + "m/" + p.memoryMib() + "MiB, request "
          + r.cpuMilli() + "m/" + r.memoryMib() + "MiB";
    }
    GpuDemand d = r.gpu();
    if (p.grants().size() != d.count()) {
      return p.grants().size() + " GPU grants, request " + d.count();
    }
    if (!view.cluster().isLive(p.nodeId())) {
      return "node " + p.nodeId() + " is not a member";
    }
    for (GpuGrant g : p.grants()) {
      boolean kind = d instanceof GpuDemand.Whole ? g instanceof GpuGrant.Whole
          : g instanceof GpuGrant.Share s && d instanceof GpuDemand.Shared sd
              && s.computeMilli() == sd.computeMilli() && s.memoryMib() == sd.memoryMib();
      if (!kind) {
        return "grant " + g + " does not match demand " + d;
      }
      if (g.gpuIndex() >= view.cluster().node(p.nodeId()).gpuCount()
          || !r.allowsGpu(view.cluster().node(p.nodeId()).gpu(g.gpuIndex()))) {
        return "GPU " + g.gpuIndex() + " of node " + p.nodeId() + " is not allowed";
      }
    }
    return null;
  }

  /**
   * Whether the plan replayed; for assertions.
   *
   * @return this, when valid
   * @throws io.gpualloc.binpack.solver.SolverInvariantException when not valid
   */
  public DryRun orThrow() {
    if (!valid) {
      throw new io.gpualloc.binpack.solver.SolverInvariantException(
          "a defrag plan must replay on its ledger: " + detail);
    }
    return this;
  }
}

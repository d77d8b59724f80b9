package io.gpualloc.binpack.defrag.internal;

import io.gpualloc.binpack.FragmentationTracker;
import io.gpualloc.binpack.defrag.DefragGoal;
import io.gpualloc.binpack.defrag.DefragPhase;
import io.gpualloc.binpack.defrag.DefragPlan;
import io.gpualloc.binpack.defrag.DefragPlanner;
import io.gpualloc.binpack.defrag.DefragProblem;
import io.gpualloc.binpack.defrag.DefragStep;
import io.gpualloc.binpack.solver.SolveStatus;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.Placement;
import io.gpualloc.core.Request;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The baseline {@code evict-lowest-priority}, as preemption and reclaim do it: never re-places.
 * Fit: on each node, evict its movable allocations lowest priority first (then cheapest, then by
 * id) until the pod fits, and take the node where that costs least. Empty nodes: evict everything
 * on the cheapest candidates. Fragmentation: evict the lowest-priority allocations of the cluster
 * one by one until F(M) meets the target. Needs evictions to be allowed.
 */
public final class EvictBaseline implements DefragPlanner {

  @Override
  public String name() {
    return "evict-lowest-priority";
  }

  @Override
  public DefragPlan plan(DefragProblem problem) {
    Work w = new Work(problem);
    DefragGoal goal = problem.goal();
    if (!problem.evictionAllowed()) {
      long bound = 0;
      return w.rejected(SolveStatus.UNKNOWN, DefragPhase.EVICT_BASELINE, bound,
          "the evict-lowest-priority baseline only evicts, and the problem allows no eviction");
    }
    if (goal instanceof DefragGoal.Fit f) {
      return fit(w, f);
    }
    if (goal instanceof DefragGoal.EmptyNodes e) {
      return empty(w, e);
    }
    return fragmentation(w, (DefragGoal.ReduceFragmentation) goal);
  }

  private static Comparator<Placement> lowestPriorityFirst(Work w) {
    return Comparator.<Placement>comparingInt(
            p -> w.problem.request(p.allocationId()).priority())
        .thenComparingLong(p -> w.problem.cost(p.allocationId()).evict())
        .thenComparing(Placement::allocationId);
  }

  private static DefragPlan fit(Work w, DefragGoal.Fit f) {
    List<long[]> per = new ArrayList<>();
    Object b = Greedy.fitBound(w, f, per);
    if (b instanceof DefragPlan.Rejected r) {
      return r;
    }
    long bound = (Long) b;
    ClusterState state = w.base.fork();
    List<DefragStep> steps = new ArrayList<>();
    List<Placement> placements = new ArrayList<>();
    for (Request r : f.pods()) {
      Placement now = w.replace(r, state, Set.of());
      if (now != null) {
        state.allocate(now);
        placements.add(now);
        continue;
      }
      ClusterState bestState = null;
      List<DefragStep> bestSteps = null;
      Placement bestPod = null;
      long bestCost = Long.MAX_VALUE;
      for (int t = 0; t < w.cluster.nodeIdBound(); t++) {
        if (!w.cluster.isLive(t) || !state.isSchedulable(t)) {
          continue;
        }
        ClusterState s = state.fork();
        List<Placement> on = new ArrayList<>();
        for (Placement p : s.allocationsOn(t)) {
          if (w.problem.isMovable(p.allocationId())) {
            on.add(p);
          }
        }
        on.sort(lowestPriorityFirst(w));
        List<DefragStep> ev = new ArrayList<>();
        long cost = 0;
        List<GpuGrant> g = Work.fitOn(r, s, t);
        for (int i = 0; i < on.size() && g == null; i++) {
          String id = on.get(i).allocationId();
          s.release(id);
          long c = w.problem.cost(id).evict();
          ev.add(new DefragStep.Evict(id, t, c));
          cost += c;
          g = Work.fitOn(r, s, t);
        }
        if (g != null && cost < bestCost) {
          bestCost = cost;
          bestSteps = ev;
          bestPod = Work.placement(r, t, g);
          s.allocate(bestPod);
          bestState = s;
        }
      }
      if (bestState == null) {
        return w.rejected(SolveStatus.UNKNOWN, DefragPhase.EVICT_BASELINE, bound,
            "evicting every movable allocation of any one node does not make room for "
                + r.name());
      }
      state = bestState;
      steps.addAll(bestSteps);
      placements.add(bestPod);
    }
    return w.planned(DefragPhase.EVICT_BASELINE, steps, placements, List.of(), bound,
        "evicts " + steps.size() + " allocations");
  }

  private static DefragPlan empty(Work w, DefragGoal.EmptyNodes e) {
    long[] cost = Bounds.emptyCosts(w, e);
    long bound = Bounds.kSmallest(cost, e.count());
    if (bound == Bounds.IMPOSSIBLE) {
      return Greedy.empty(w, e); // the same proof of infeasibility
    }
    long[] evictCost = new long[cost.length];
    for (int n = 0; n < cost.length; n++) {
      evictCost[n] = Bounds.IMPOSSIBLE;
      if (cost[n] != Bounds.IMPOSSIBLE) {
        long sum = 0;
        for (Placement p : w.base.allocationsOn(n)) {
          sum += w.problem.cost(p.allocationId()).evict();
        }
        evictCost[n] = sum;
      }
    }
    Integer[] order = new Integer[cost.length];
    for (int n = 0; n < order.length; n++) {
      order[n] = n;
    }
    java.util.Arrays.sort(order, (a, b) -> {
      int c = Long.compare(evictCost[a], evictCost[b]);
      return c != 0 ? c : Integer.compare(a, b);
    });
    List<DefragStep> steps = new ArrayList<>();
    List<Integer> emptied = new ArrayList<>();
    for (int i = 0; i < e.count(); i++) {
      int n = order[i];
      List<Placement> on = new ArrayList<>(w.base.allocationsOn(n));
      on.sort(Comparator.comparing(Placement::allocationId));
      for (Placement p : on) {
        steps.add(new DefragStep.Evict(p.allocationId(), n,
            w.problem.cost(p.allocationId()).evict()));
      }
      emptied.add(n);
    }
    return w.planned(DefragPhase.EVICT_BASELINE, steps, List.of(), emptied, bound,
        "evicts everything on the " + e.count() + " cheapest nodes");
  }

  private static DefragPlan fragmentation(Work w, DefragGoal.ReduceFragmentation g) {
    long now = Bounds.fragmentationNow(w, g);
    long bound = Bounds.fragmentation(w, g, now);
    if (bound == Bounds.IMPOSSIBLE || now <= g.targetMilli()) {
      return Greedy.fragmentation(w, g); // the same proof, or the empty plan
    }
    List<Placement> all = new ArrayList<>();
    for (Placement p : w.problem.allocations()) {
      if (w.problem.isMovable(p.allocationId())) {
        all.add(p);
      }
    }
    all.sort(lowestPriorityFirst(w));
    ClusterState s = w.base.fork();
    FragmentationTracker tracker = new FragmentationTracker(g.workload());
    List<DefragStep> steps = new ArrayList<>();
    long f = now;
    for (Placement p : all) {
      if (f <= g.targetMilli()) {
        break;
      }
      s.release(p.allocationId());
      steps.add(new DefragStep.Evict(p.allocationId(), p.nodeId(),
          w.problem.cost(p.allocationId()).evict()));
      f = tracker.measure(s).fragmentationMilli();
    }
    if (f > g.targetMilli()) {
      return w.rejected(SolveStatus.UNKNOWN, DefragPhase.EVICT_BASELINE, bound,
          "evicting every movable allocation leaves fragmentation at " + f + " milli-GPU, above "
              + g.targetMilli());
    }
    return w.planned(DefragPhase.EVICT_BASELINE, steps, List.of(), List.of(), bound,
        "fragmentation " + now + " -> " + f + " milli-GPU by " + steps.size() + " evictions");
  }
}

package io.gpualloc.binpack.defrag.internal;

import io.gpualloc.binpack.FragmentationTracker;
import io.gpualloc.binpack.defrag.DefragGoal;
import io.gpualloc.binpack.defrag.DefragPhase;
import io.gpualloc.binpack.defrag.DefragPlan;
import io.gpualloc.binpack.defrag.DefragStep;
import io.gpualloc.binpack.solver.SolveStatus;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.Placement;
import io.gpualloc.core.Request;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The greedy planner. Fit: for each pending pod (in the goal's order), take the candidate nodes
 * by their lower bound, cheapest first; on each, take movable allocations off cheapest first
 * until the pod fits, put back those not needed, re-place the rest with the problem's policy on
 * other nodes (evicting only when no node takes one and evictions are allowed), and keep the
 * cheapest node; stop when the next node's bound cannot beat it. Empty nodes: a lazy greedy that
 * empties the candidate whose real cost (its allocations re-placed on nodes not being emptied,
 * evicted when none takes them) is lowest on the current state, one by one. Fragmentation:
 * repeatedly make the move (or allowed eviction) that lowers F(M) most per unit of cost, among
 * the allocations of the most fragmented schedulable nodes, until the target is met.
 */
final class Greedy {
  /** Candidate target nodes tried per pending pod beyond the first that works. */
  static final int MAX_TARGETS = 24;
  /** Allocations considered per round of the fragmentation greedy. */
  static final int FRAG_CANDIDATES = 24;
  /** Most steps the fragmentation greedy takes. */
  static final int FRAG_MAX_STEPS = 400;

  private Greedy() {}

  /** One pending pod's part of a fit plan, evaluated on its own fork. */
  static final class PodPlan {
    final ClusterState state;
    final List<DefragStep> evictions = new ArrayList<>();
    final List<DefragStep> moves = new ArrayList<>();
    final Set<Integer> destinations = new HashSet<>();
    Placement placement;
    long cost;

    PodPlan(ClusterState state, Placement placement) {
      this.state = state;
      this.placement = placement;
    }
  }

  /** The greedy plan, or a rejection. */
  static DefragPlan plan(Work w) {
    if (w.problem.goal() instanceof DefragGoal.Fit f) {
      return fit(w, f);
    }
    if (w.problem.goal() instanceof DefragGoal.EmptyNodes e) {
      return empty(w, e);
    }
    return fragmentation(w, (DefragGoal.ReduceFragmentation) w.problem.goal());
  }

  // ---- fit -----------------------------------------------------------------------------------

  /** The goal's lower bound, or a rejection with the proof. */
  static Object fitBound(Work w, DefragGoal.Fit f, List<long[]> perNode) {
    ClusterState scratch = w.base.fork();
    long bound = 0;
    for (Request r : f.pods()) {
      long[] per = new long[w.cluster.nodeIdBound()];
      long b = Bounds.pod(w, r, scratch, per);
      if (b == Bounds.IMPOSSIBLE) {
        return w.rejected(SolveStatus.INFEASIBLE, DefragPhase.BOUND, 0, Bounds.whyNoNode(w, r));
      }
      perNode.add(per);
      bound = Math.max(bound, b);
    }
    return bound;
  }

  static DefragPlan fit(Work w, DefragGoal.Fit f) {
    List<long[]> perNode = new ArrayList<>();
    Object b = fitBound(w, f, perNode);
    if (b instanceof DefragPlan.Rejected rej) {
      return rej;
    }
    long bound = (Long) b;
    FitResult r = fitSteps(w, f, perNode);
    if (r.failure != null) {
      return w.rejected(SolveStatus.UNKNOWN, DefragPhase.GREEDY, bound, r.failure);
    }
    boolean none = r.steps.isEmpty();
    return w.planned(none ? DefragPhase.ALREADY_MET : DefragPhase.GREEDY, r.steps, r.placements,
        List.of(), bound, r.explain(w));
  }

  /** The steps and placements of a greedy fit plan, or why it failed. */
  static final class FitResult {
    final List<DefragStep> steps = new ArrayList<>();
    final List<Placement> placements = new ArrayList<>();
    @Nullable String failure;

    String explain(Work w) {
      StringBuilder s = new StringBuilder();
      for (Placement p : placements) {
        s.append(s.length() == 0 ? "" : ", ").append(p.allocationId()).append(" on ")
            .append(w.nodeName(p.nodeId()));
      }
      return (steps.isEmpty() ? "fits as is: " : "then ") + s;
    }
  }

  static FitResult fitSteps(Work w, DefragGoal.Fit f, List<long[]> perNode) {
    FitResult out = new FitResult();
    ClusterState state = w.base.fork();
    Set<String> fixed = new HashSet<>(); // moved in or pending: not taken off again
    Set<Integer> sources = new HashSet<>();
    for (int i = 0; i < f.pods().size(); i++) {
      Request r = f.pods().get(i);
      PodPlan best = bestTarget(w, r, state, perNode.get(i), fixed, sources);
      if (best == null) {
        out.failure = "the greedy found no node for pod " + r.name() + (f.pods().size() > 1
            ? " (pod " + (i + 1) + " of the gang)" : "") + " by moving allocations"
            + (w.problem.evictionAllowed() ? " or evicting them" : " (evictions not allowed)");
        return out;
      }
      state = best.state;
      out.steps.addAll(best.evictions);
      out.steps.addAll(best.moves);
      out.placements.add(best.placement);
      fixed.add(r.name());
      for (DefragStep s : best.moves) {
        fixed.add(s.allocationId());
      }
      if (!best.evictions.isEmpty() || !best.moves.isEmpty()) {
        sources.add(best.placement.nodeId());
      }
    }
    return out;
  }

  /** The cheapest way found to make room for r, on a fork of state; null when none. */
  static @Nullable PodPlan bestTarget(Work w, Request r, ClusterState state, long[] bound,
      Set<String> fixed, Set<Integer> sources) {
    Placement now = w.replace(r, state, Set.of());
    if (now != null) {
      ClusterState s = state.fork();
      s.allocate(now);
      return new PodPlan(s, now);
    }
    Integer[] order = new Integer[bound.length];
    for (int t = 0; t < order.length; t++) {
      order[t] = t;
    }
    java.util.Arrays.sort(order, (a, b) -> {
      int c = Long.compare(bound[a], bound[b]);
      return c != 0 ? c : Integer.compare(a, b);
    });
    PodPlan best = null;
    int tried = 0;
    for (int t : order) {
      if (bound[t] == Bounds.IMPOSSIBLE || best != null && bound[t] >= best.cost
          || best != null && tried >= MAX_TARGETS) {
        break;
      }
      PodPlan p = onNode(w, r, state, t, fixed, sources);
      tried++;
      if (p != null && (best == null || p.cost < best.cost)) {
        best = p;
      }
    }
    return best;
  }

  /** Make room for r on node t: take off, prune, re-place. Null when it cannot. */
  static @Nullable PodPlan onNode(Work w, Request r, ClusterState state, int t, Set<String> fixed,
      Set<Integer> sources) {
    if (!state.isSchedulable(t)) {
      return null;
    }
    ClusterState s = state.fork();
    List<Placement> items = new ArrayList<>();
    for (Placement p : s.allocationsOn(t)) {
      if (w.problem.isMovable(p.allocationId()) && !fixed.contains(p.allocationId())) {
        items.add(p);
      }
    }
    items.sort(w.cheapestFirst());
    List<Placement> off = new ArrayList<>();
    List<GpuGrant> grants = Work.fitOn(r, s, t);
    for (int i = 0; i < items.size() && grants == null; i++) {
      s.release(items.get(i).allocationId());
      off.add(items.get(i));
      grants = Work.fitOn(r, s, t);
    }
    if (grants == null) {
      return null;
    }
    // put back what is not needed, most expensive first
    for (int i = off.size() - 1; i >= 0; i--) {
      Placement p = off.get(i);
      s.allocate(p);
      List<GpuGrant> g = Work.fitOn(r, s, t);
      if (g != null) {
        off.remove(i);
        grants = g;
      } else {
        s.release(p.allocationId());
      }
    }
    Placement pod = Work.placement(r, t, grants);
    s.allocate(pod);
    PodPlan plan = new PodPlan(s, pod);
    Set<Integer> forbidden = new HashSet<>(sources);
    forbidden.add(t);
    off.sort(java.util.Comparator.<Placement>comparingInt(p -> p.grants().size()).reversed()
        .thenComparing(Placement::allocationId));
    for (Placement p : off) {
      String id = p.allocationId();
      Placement to = w.replace(w.problem.request(id), s, forbidden);
      if (to != null) {
        s.allocate(to);
        long c = w.problem.cost(id).move();
        plan.moves.add(new DefragStep.Move(id, t, to.nodeId(), to, c));
        plan.destinations.add(to.nodeId());
        plan.cost += c;
      } else if (w.problem.evictionAllowed()) {
        long c = w.problem.cost(id).evict();
        plan.evictions.add(new DefragStep.Evict(id, t, c));
        plan.cost += c;
      } else {
        return null;
      }
    }
    return plan;
  }

  // ---- empty nodes ---------------------------------------------------------------------------

  static DefragPlan empty(Work w, DefragGoal.EmptyNodes e) {
    long[] cost = Bounds.emptyCosts(w, e);
    long bound = Bounds.kSmallest(cost, e.count());
    if (bound == Bounds.IMPOSSIBLE) {
      int finite = 0;
      for (long c : cost) {
        finite += c == Bounds.IMPOSSIBLE ? 0 : 1;
      }
      return w.rejected(SolveStatus.INFEASIBLE, DefragPhase.BOUND, 0, "only " + finite
          + " candidate nodes hold no allocation that may not move; " + e.count() + " must be"
          + " emptied");
    }
    EmptyResult r = emptySteps(w, e, cost);
    if (r.failure != null) {
      return w.rejected(SolveStatus.UNKNOWN, DefragPhase.GREEDY, bound, r.failure);
    }
    return w.planned(r.steps.isEmpty() ? DefragPhase.ALREADY_MET : DefragPhase.GREEDY, r.steps,
        List.of(), r.emptied, bound, r.explain(w));
  }

  static final class EmptyResult {
    final List<DefragStep> steps = new ArrayList<>();
    final List<Integer> emptied = new ArrayList<>();
    final Set<Integer> receivers = new HashSet<>();
    @Nullable String failure;

    String explain(Work w) {
      StringBuilder s = new StringBuilder("empties ");
      int shown = 0;
      for (int n : emptied) {
        if (shown++ == 8) {
          s.append(", ...");
          break;
        }
        s.append(shown == 1 ? "" : ", ").append(w.nodeName(n));
      }
      return s.toString();
    }
  }

  /** One node's evaluated emptying, on its own fork of the state it was evaluated on. */
  private record Emptying(ClusterState state, List<DefragStep> evictions, List<DefragStep> moves,
      Set<Integer> destinations, long cost) {}

  /**
   * Lazy greedy: take the candidate with the lowest estimate; if its estimate was computed on
   * the current state, empty it, else evaluate it for real (re-placing its allocations on nodes
   * not being emptied) and put it back with the real cost.
   */
  static EmptyResult emptySteps(Work w, DefragGoal.EmptyNodes e, long[] cost) {
    EmptyResult out = new EmptyResult();
    ClusterState state = w.base.fork();
    java.util.PriorityQueue<long[]> queue = new java.util.PriorityQueue<>((a, b) -> {
      int c = Long.compare(a[0], b[0]);
      return c != 0 ? c : Long.compare(a[1], b[1]);
    });
    for (int n = 0; n < cost.length; n++) {
      if (cost[n] != Bounds.IMPOSSIBLE) {
        queue.add(new long[] {cost[n], n, -1});
      }
    }
    Set<Integer> forbidden = new HashSet<>();
    java.util.Map<Integer, Emptying> evaluated = new java.util.HashMap<>();
    int commits = 0;
    while (out.emptied.size() < e.count() && !queue.isEmpty()) {
      long[] top = queue.poll();
      int n = (int) top[1];
      if (out.receivers.contains(n)) {
        continue;
      }
      if (top[2] == commits) {
        Emptying x = evaluated.get(n);
        state = x.state;
        out.steps.addAll(x.evictions);
        out.steps.addAll(x.moves);
        out.emptied.add(n);
        out.receivers.addAll(x.destinations);
        forbidden.add(n);
        commits++;
        evaluated.clear();
        continue;
      }
      Emptying x = emptyOne(w, state, n, forbidden);
      if (x != null) {
        evaluated.put(n, x);
        queue.add(new long[] {x.cost, n, commits});
      }
    }
    if (out.emptied.size() < e.count()) {
      out.failure = "the greedy emptied " + out.emptied.size() + " of " + e.count()
          + " nodes: the allocations of the others found no room elsewhere"
          + (w.problem.evictionAllowed() ? "" : " (evictions not allowed)");
    }
    return out;
  }

  private static @Nullable Emptying emptyOne(Work w, ClusterState state, int n,
      Set<Integer> forbidden) {
    ClusterState s = state.fork();
    List<DefragStep> ev = new ArrayList<>();
    List<DefragStep> mv = new ArrayList<>();
    Set<Integer> dest = new HashSet<>();
    List<Placement> off = new ArrayList<>(s.allocationsOn(n));
    off.sort(java.util.Comparator.<Placement>comparingInt(p -> p.grants().size()).reversed()
        .thenComparing(Placement::allocationId));
    for (Placement p : off) {
      s.release(p.allocationId());
    }
    Set<Integer> no = new HashSet<>(forbidden);
    no.add(n);
    long cost = 0;
    for (Placement p : off) {
      String id = p.allocationId();
      Placement to = w.replace(w.problem.request(id), s, no);
      if (to != null) {
        s.allocate(to);
        long c = w.problem.cost(id).move();
        mv.add(new DefragStep.Move(id, n, to.nodeId(), to, c));
        dest.add(to.nodeId());
        cost += c;
      } else if (w.problem.evictionAllowed()) {
        long c = w.problem.cost(id).evict();
        ev.add(new DefragStep.Evict(id, n, c));
        cost += c;
      } else {
        return null;
      }
    }
    return new Emptying(s, ev, mv, dest, cost);
  }

  // ---- fragmentation -------------------------------------------------------------------------

  static DefragPlan fragmentation(Work w, DefragGoal.ReduceFragmentation g) {
    long now = Bounds.fragmentationNow(w, g);
    long bound = Bounds.fragmentation(w, g, now);
    if (bound == Bounds.IMPOSSIBLE) {
      return w.rejected(SolveStatus.INFEASIBLE, DefragPhase.BOUND, 0, "fragmentation is " + now
          + " milli-GPU, above the target " + g.targetMilli() + ", and no allocation may move");
    }
    if (now <= g.targetMilli()) {
      return w.planned(DefragPhase.ALREADY_MET, List.of(), List.of(), List.of(), 0,
          "fragmentation " + now + " milli-GPU already meets the target " + g.targetMilli());
    }
    ClusterState s = w.base.fork();
    FragmentationTracker tracker = new FragmentationTracker(g.workload());
    long f = tracker.measure(s).fragmentationMilli();
    List<DefragStep> steps = new ArrayList<>();
    Set<String> moved = new HashSet<>();
    io.gpualloc.binpack.internal.FragEngine engine =
        new io.gpualloc.binpack.internal.FragEngine(g.workload());
    int nodes = w.cluster.nodeIdBound();
    long[] per = new long[nodes];
    for (int n = 0; n < nodes; n++) {
      per[n] = w.cluster.isLive(n) ? engine.nodeScaled(s, n) : 0;
    }
    while (f > g.targetMilli() && steps.size() < FRAG_MAX_STEPS) {
      // candidates: movable allocations on the most fragmented nodes
      Integer[] byFrag = new Integer[nodes];
      for (int n = 0; n < nodes; n++) {
        byFrag[n] = n;
      }
      final long[] pf = per;
      java.util.Arrays.sort(byFrag, (a, b) -> {
        int c = Long.compare(pf[b], pf[a]);
        return c != 0 ? c : Integer.compare(a, b);
      });
      List<Placement> cand = new ArrayList<>();
      for (int n : byFrag) {
        if (cand.size() >= FRAG_CANDIDATES || pf[n] == 0) {
          break;
        }
        if (!s.isSchedulable(n)) {
          continue; // a cordoned node's allocations could not be put back while trying
        }
        List<Placement> on = new ArrayList<>(s.allocationsOn(n));
        on.sort(w.cheapestFirst());
        for (Placement p : on) {
          if (w.problem.isMovable(p.allocationId()) && !moved.contains(p.allocationId())
              && cand.size() < FRAG_CANDIDATES) {
            cand.add(p);
          }
        }
      }
      DefragStep bestStep = null;
      double bestRate = 0;
      long bestDelta = 0;
      for (Placement p : cand) {
        String id = p.allocationId();
        int from = p.nodeId();
        s.release(id);
        long fromAfter = engine.nodeScaled(s, from);
        Placement to = w.replace(w.problem.request(id), s, Set.of(from));
        if (to != null) {
          s.allocate(to);
          long delta = fromAfter + engine.nodeScaled(s, to.nodeId()) - per[from] - per[to.nodeId()];
          s.release(id);
          long c = w.problem.cost(id).move();
          double rate = delta / (double) Math.max(1, c);
          if (delta < 0 && (bestStep == null || rate < bestRate)) {
            bestStep = new DefragStep.Move(id, from, to.nodeId(), to, c);
            bestRate = rate;
            bestDelta = delta;
          }
        }
        if (w.problem.evictionAllowed()) {
          long delta = fromAfter - per[from];
          long c = w.problem.cost(id).evict();
          double rate = delta / (double) Math.max(1, c);
          if (delta < 0 && (bestStep == null || rate < bestRate)) {
            bestStep = new DefragStep.Evict(id, from, c);
            bestRate = rate;
            bestDelta = delta;
          }
        }
        s.allocate(p);
      }
      if (bestStep == null || bestDelta >= 0) {
        break;
      }
      s.release(bestStep.allocationId());
      int from = ((bestStep instanceof DefragStep.Move m) ? m.fromNode()
          : ((DefragStep.Evict) bestStep).fromNode());
      per[from] = engine.nodeScaled(s, from);
      if (bestStep instanceof DefragStep.Move m) {
        s.allocate(m.placement());
        per[m.toNode()] = engine.nodeScaled(s, m.toNode());
      }
      moved.add(bestStep.allocationId());
      steps.add(bestStep);
      f = tracker.measure(s).fragmentationMilli();
    }
    if (f > g.targetMilli()) {
      return w.rejected(SolveStatus.UNKNOWN, DefragPhase.GREEDY, bound, "the greedy brought"
          + " fragmentation from " + now + " to " + f + " milli-GPU in " + steps.size()
          + " steps and found no further step that lowers it; target " + g.targetMilli());
    }
    // evictions first keeps the order valid only if they do not feed a later move; the greedy
    // applied the steps in this order, so it keeps it
    return w.planned(DefragPhase.GREEDY, steps, List.of(), List.of(), bound,
        "fragmentation " + now + " -> " + f + " milli-GPU (target " + g.targetMilli() + ")");
  }
}

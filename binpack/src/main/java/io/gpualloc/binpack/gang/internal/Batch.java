package io.gpualloc.binpack.gang.internal;

import io.gpualloc.binpack.gang.BatchResult;
import io.gpualloc.binpack.gang.BatchSolveResult;
import io.gpualloc.binpack.gang.Gang;
import io.gpualloc.binpack.gang.GangDecision;
import io.gpualloc.binpack.gang.GangPlacer;
import io.gpualloc.binpack.gang.GangSolvePhase;
import io.gpualloc.binpack.gang.GangSolveStatus;
import io.gpualloc.binpack.gang.PendingGang;
import io.gpualloc.binpack.gang.PodSet;
import io.gpualloc.binpack.gang.TopologyMode;
import io.gpualloc.binpack.packing.SolverOptions;
import io.gpualloc.core.ClusterView;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.Placement;
import io.gpualloc.topology.ClusterTopology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The batch pass of {@link io.gpualloc.binpack.gang.GangBatch}. */
public final class Batch {
  private Batch() {}

  /**
   * Runs the batch (arguments checked by the caller).
   *
   * @param pending the gangs
   * @param view the view
   * @param topology the topology
   * @param placer the placer
   * @param reserveAfterRounds the reservation threshold, 0 for none
   * @return the result
   */
  public static BatchResult run(List<PendingGang> pending, ClusterView view,
      ClusterTopology topology, GangPlacer placer, int reserveAfterRounds) {
    Set<String> names = new HashSet<>();
    for (PendingGang p : pending) {
      if (p == null || !names.add(p.gang().name())) {
        throw InvalidSpecException.of("gang batch", "pending", p == null ? null : p.gang().name(),
            "non-null gangs with distinct names");
      }
    }
    Reservation res = reservation(pending, view, topology, placer, reserveAfterRounds);
    final PendingGang first = res.gang;
    int[] reservedNodes = res.nodes;
    PendingGang reserved = res.gang;
    String reservedDomain = res.domain;
    Comparator<PendingGang> byPriority = Comparator.comparingInt(
        (PendingGang p) -> p == first ? 0 : 1)
        .thenComparing(Comparator.comparingInt((PendingGang p) -> p.gang().priority()).reversed());
    Comparator<PendingGang> byName = Comparator.comparing(p -> p.gang().name());
    List<PendingGang> largest = new ArrayList<>(pending);
    largest.sort(byPriority.thenComparing(Comparator.comparingLong(
        (PendingGang p) -> p.gang().gpuMilli()).reversed()).thenComparing(byName));
    List<PendingGang> smallest = new ArrayList<>(pending);
    smallest.sort(byPriority.thenComparing(Comparator.comparingLong(
        (PendingGang p) -> p.gang().gpuMilli())).thenComparing(byName));
    Pass a = pass(largest, view, topology, placer, first, reservedNodes);
    Pass b = largest.equals(smallest) ? a
        : pass(smallest, view, topology, placer, first, reservedNodes);
    Pass win = b.weighted > a.weighted ? b : a;
    List<GangDecision> inOrder = new ArrayList<>();
    for (PendingGang p : pending) {
      inOrder.add(win.decisions.get(p.gang().name()));
    }
    return new BatchResult(inOrder, win.order, win.weighted,
        reserved == null ? null : reserved.gang().name(), reservedDomain);
  }

  /**
   * The batch with a CP-SAT selection when the greedy orders leave a gang out (arguments checked
   * and OR-Tools loaded by the caller).
   *
   * @param pending the gangs
   * @param view the view
   * @param topology the topology
   * @param placer the placer
   * @param reserveAfterRounds the reservation threshold, 0 for none
   * @param options the CP-SAT budget, workers and seed
   * @return the better of the greedy batch and the realised selection
   */
  public static BatchSolveResult runWithSelection(List<PendingGang> pending, ClusterView view,
      ClusterTopology topology, GangPlacer placer, int reserveAfterRounds,
      SolverOptions options) {
    long start = System.nanoTime();
    long deadline = start + options.timeLimit().toNanos();
    BatchResult greedy = run(pending, view, topology, placer, reserveAfterRounds);
    long g = greedy.admittedWeightedGpuMilli();
    if (greedy.admitted() == pending.size()) {
      return new BatchSolveResult(greedy, GangSolveStatus.OPTIMAL, GangSolvePhase.GREEDY, g, g,
          Duration.ofNanos(System.nanoTime() - start));
    }
    Reservation res = reservation(pending, view, topology, placer, reserveAfterRounds);
    Set<String> admitted = new HashSet<>();
    for (GangDecision d : greedy.decisions()) {
      if (d.isPlaced()) {
        admitted.add(d.gangName());
      }
    }
    // candidates: the gangs the placer can place alone on the view
    List<PendingGang> cands = new ArrayList<>();
    for (PendingGang p : pending) {
      if (admitted.contains(p.gang().name()) || placer.place(p.gang(), view, topology).isPlaced()) {
        cands.add(p);
      }
    }
    int n = cands.size();
    List<Gang> gangs = new ArrayList<>();
    long[] value = new long[n];
    long[] need = new long[n];
    int[] level = new int[n];
    boolean[] hint = new boolean[n];
    for (int i = 0; i < n; i++) {
      Gang gang = cands.get(i).gang();
      gangs.add(gang);
      value[i] = gang.gpuMilli() * (1 + Math.max(0, gang.priority()));
      for (PodSet ps : gang.podSets()) {
        need[i] += ps.gpuMilliPerPod() * ps.minCount();
      }
      level[i] = gang.topology() != null && gang.topology().mode() == TopologyMode.REQUIRED
          ? topology.levels().indexOf(gang.topology().level()) : -1;
      hint[i] = admitted.contains(gang.name());
    }
    BatchSelection.Choice choice = BatchSelection.solve(gangs, value, need, level, hint, view,
        topology, deadline, options);
    if (choice == null) {
      return new BatchSolveResult(greedy, GangSolveStatus.FALLBACK, GangSolvePhase.GREEDY, g,
          Long.MAX_VALUE, Duration.ofNanos(System.nanoTime() - start));
    }
    boolean[] chosen = choice.chosen().clone();
    Pass realised;
    while (true) {
      realised = realise(pending, cands, chosen, view, topology, placer, res);
      int drop = -1;
      boolean all = true;
      for (int i = 0; i < n; i++) {
        if (chosen[i]) {
          all &= realised.decisions.get(cands.get(i).gang().name()).isPlaced();
          if (drop < 0 || value[i] < value[drop]) {
            drop = i;
          }
        }
      }
      if (all || drop < 0) {
        break;
      }
      chosen[drop] = false; // the chosen set does not realise: drop its least valuable gang
    }
    long bound = Math.max(choice.bound(), Math.max(g, realised.weighted));
    if (realised.weighted > g) {
      List<GangDecision> inOrder = new ArrayList<>();
      for (PendingGang p : pending) {
        inOrder.add(realised.decisions.get(p.gang().name()));
      }
      BatchResult r = new BatchResult(inOrder, realised.order, realised.weighted,
          res.gang == null ? null : res.gang.gang().name(), res.domain);
      return new BatchSolveResult(r, realised.weighted == bound ? GangSolveStatus.OPTIMAL
          : GangSolveStatus.FEASIBLE, GangSolvePhase.CP_SAT, g, bound,
          Duration.ofNanos(System.nanoTime() - start));
    }
    return new BatchSolveResult(greedy, g == bound ? GangSolveStatus.OPTIMAL
        : GangSolveStatus.FALLBACK, GangSolvePhase.GREEDY, g, bound,
        Duration.ofNanos(System.nanoTime() - start));
  }

  /**
   * Places the reserved gang, then the chosen candidates, then everyone else, each group by
   * priority, size and name, on one overlay.
   */
  private static Pass realise(List<PendingGang> pending, List<PendingGang> cands,
      boolean[] chosen, ClusterView view, ClusterTopology topology, GangPlacer placer,
      Reservation res) {
    Set<String> pick = new HashSet<>();
    for (int i = 0; i < cands.size(); i++) {
      if (chosen[i]) {
        pick.add(cands.get(i).gang().name());
      }
    }
    final PendingGang first = res.gang;
    Comparator<PendingGang> order = Comparator.comparingInt(
        (PendingGang p) -> p == first ? 0 : pick.contains(p.gang().name()) ? 1 : 2)
        .thenComparing(Comparator.comparingInt((PendingGang p) -> p.gang().priority()).reversed())
        .thenComparing(Comparator.comparingLong((PendingGang p) -> p.gang().gpuMilli()).reversed())
        .thenComparing(p -> p.gang().name());
    List<PendingGang> sorted = new ArrayList<>(pending);
    sorted.sort(order);
    return pass(sorted, view, topology, placer, first, res.nodes);
  }

  /** The reservation rule's choice: the gang (or null), the nodes held and the domain's name. */
  record Reservation(@Nullable PendingGang gang, int[] nodes, @Nullable String domain) {}

  static Reservation reservation(List<PendingGang> pending, ClusterView view,
      ClusterTopology topology, GangPlacer placer, int reserveAfterRounds) {
    PendingGang reserved = null;
    int[] reservedNodes = new int[0];
    String reservedDomain = null;
    if (reserveAfterRounds > 0) {
      for (PendingGang p : pending) {
        if (p.roundsWaited() >= reserveAfterRounds && (reserved == null
            || p.gang().gpuMilli() > reserved.gang().gpuMilli())) {
          reserved = p;
        }
      }
      if (reserved != null && placer.place(reserved.gang(), view, topology).isPlaced()) {
        reservedNodes = new int[0]; // it fits now: tried first, nothing to hold
      } else if (reserved != null) {
        int level = reservationLevel(reserved.gang(), topology);
        int best = -1;
        long bestFree = -1;
        for (int d = 0; d < topology.domainCount(level); d++) {
          long free = 0;
          for (int v : topology.nodesOf(level, d)) {
            free += view.isSchedulable(v) ? Math.max(0, view.freeWholeGpus(v)) : 0;
          }
          if (free > bestFree) {
            bestFree = free;
            best = d;
          }
        }
        if (best >= 0) {
          reservedNodes = topology.nodesOf(level, best);
          reservedDomain = topology.levels().labelKeys().get(level) + ":"
              + topology.domainName(level, best);
        }
      }
    }
    return new Reservation(reserved, reservedNodes, reservedDomain);
  }

  record Pass(Map<String, GangDecision> decisions, List<String> order, long weighted) {}

  static Pass pass(List<PendingGang> order, ClusterView view, ClusterTopology topology,
      GangPlacer placer, @Nullable PendingGang reserved, int[] reservedNodes) {
    Overlay ov = new Overlay(view);
    Map<String, GangDecision> out = new HashMap<>();
    List<String> names = new ArrayList<>();
    long weighted = 0;
    boolean holding = false;
    for (PendingGang p : order) {
      if (p == reserved) {
        ov.unhideAll();
      } else if (!holding && reserved != null && reservedNodes.length > 0
          && !out.get(reserved.gang().name()).isPlaced()) {
        for (int v : reservedNodes) {
          ov.hide(v);
        }
        holding = true;
      }
      GangDecision d = placer.place(p.gang(), ov, topology);
      out.put(p.gang().name(), d);
      names.add(p.gang().name());
      if (d instanceof GangDecision.Placed placed) {
        for (Placement pl : placed.placements()) {
          ov.apply(pl);
        }
        long gpu = 0;
        for (GangDecision.Member m : placed.members()) {
          gpu += p.gang().podSet(m.podSet()).gpuMilliPerPod();
        }
        weighted += gpu * (1 + Math.max(0, p.gang().priority()));
      }
    }
    return new Pass(out, names, weighted);
  }

  /** The gang's REQUIRED level: the gang's, else its pod sets' lowest, else the top level. */
  private static int reservationLevel(Gang gang, ClusterTopology topology) {
    if (gang.topology() != null && gang.topology().mode() == TopologyMode.REQUIRED) {
      return topology.levels().indexOf(gang.topology().level());
    }
    int level = topology.levels().size() - 1;
    for (PodSet p : gang.podSets()) {
      if (p.topology() != null && p.topology().mode() == TopologyMode.REQUIRED) {
        level = Math.min(level, topology.levels().indexOf(p.topology().level()));
      }
    }
    return level;
  }
}

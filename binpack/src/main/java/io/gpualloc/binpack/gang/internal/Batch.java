package io.gpualloc.binpack.gang.internal;

import io.gpualloc.binpack.gang.BatchResult;
import io.gpualloc.binpack.gang.Gang;
import io.gpualloc.binpack.gang.GangDecision;
import io.gpualloc.binpack.gang.GangPlacer;
import io.gpualloc.binpack.gang.PendingGang;
import io.gpualloc.binpack.gang.PodSet;
import io.gpualloc.binpack.gang.TopologyMode;
import io.gpualloc.core.ClusterView;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.Placement;
import io.gpualloc.topology.ClusterTopology;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    // the reservation
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
    final PendingGang first = reserved;
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

  private record Pass(Map<String, GangDecision> decisions, List<String> order, long weighted) {}

  private static Pass pass(List<PendingGang> order, ClusterView view, ClusterTopology topology,
      GangPlacer placer, PendingGang reserved, int[] reservedNodes) {
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

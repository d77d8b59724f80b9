package io.gpualloc.binpack.gang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.ClusterState;
import io.gpualloc.core.ClusterView;
import io.gpualloc.core.Placement;
import io.gpualloc.topology.ClusterTopology;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * The gang placer contract on seeded small clusters (see {@link GangScenario}): all or nothing,
 * REQUIRED constraints, co-locations and slices hold, PREFERRED reports the level used, the
 * ledger accepts every member at once, same inputs give the same answer, and for one pod set the
 * greedy placer finds a placement whenever exhaustive search does.
 */
class GangProperties {
  private final List<GangPlacer> placers = placers();

  private static List<GangPlacer> placers() {
    List<GangPlacer> out = new ArrayList<>();
    for (String name : GangPlacers.names()) {
      out.add(GangPlacers.named(name, GangOptions.defaults()));
    }
    return out;
  }

  @Property(tries = 300)
  void placedGangsAreValidAndRejectedOnesChangeNothing(@ForAll long seed) {
    GangScenario s = new GangScenario(seed, 2);
    for (GangPlacer placer : placers) {
      long before = s.state.version();
      int allocations = s.state.allocationCount();
      GangDecision d = placer.place(s.gang, s.state, s.topology);
      Statistics.label(placer.name()).collect(d instanceof GangDecision.Rejected r
          ? r.reason().name() + (s.gang.podSets().size() > 1
              && new BruteForce(s.gang, s.state, s.topology).feasible() ? " (feasible: limit)" : "")
          : "placed " + s.gang.podSets().size() + " pod sets");
      assertEquals(before, s.state.version(), "place changed the ledger");
      assertEquals(d, placer.place(s.gang, s.state, s.topology), "same inputs, same answer");
      ClusterState fork = s.state.fork();
      GangDecision committed = placer.placeAndCommit(s.gang, fork, s.topology);
      assertEquals(d, committed);
      if (d instanceof GangDecision.Placed p) {
        assertEquals(allocations + p.members().size(), fork.allocationCount());
        check(s, p);
        assertTrue(new BruteForce(s.gang, s.state, s.topology).feasible(),
            "placed but exhaustive search finds nothing: " + s);
      } else {
        assertEquals(allocations, fork.allocationCount(), "a rejected gang left members");
        assertEquals(before, fork.version());
        GangDecision.Rejected r = (GangDecision.Rejected) d;
        assertTrue(!r.shortfalls().isEmpty() && !r.message().isEmpty(), r.toString());
      }
    }
  }

  @Property(tries = 300)
  void greedyPlacesEveryFeasibleGangOfOnePodSet(@ForAll long seed) {
    GangScenario s = new GangScenario(seed, 1);
    boolean feasible = new BruteForce(s.gang, s.state, s.topology).feasible();
    GangDecision d = GangPlacers.greedy(GangOptions.defaults()).place(s.gang, s.state, s.topology);
    Statistics.collect(feasible ? "feasible" : "infeasible");
    assertEquals(feasible, d.isPlaced(), s + " -> " + d.summary());
  }

  /** Every promise a placed answer makes, checked from the placements alone. */
  static void check(GangScenario s, GangDecision.Placed p) {
    check(s.gang, s.state, s.topology, p);
  }

  /** Every promise a placed answer of {@code gang} on {@code view} makes. */
  static void check(Gang gang, ClusterView view, ClusterTopology t, GangDecision.Placed p) {
    Map<String, List<Placement>> bySet = new HashMap<>();
    Set<String> ids = new HashSet<>();
    for (GangDecision.Member m : p.members()) {
      bySet.computeIfAbsent(m.podSet(), k -> new ArrayList<>()).add(m.placement());
      assertTrue(ids.add(m.placement().allocationId()));
      assertTrue(view.isSchedulable(m.placement().nodeId()));
    }
    List<Placement> all = p.placements();
    for (PodSet ps : gang.podSets()) {
      List<Placement> list = bySet.getOrDefault(ps.name(), List.of());
      assertTrue(list.size() >= ps.minCount() && list.size() <= ps.count(), ps + " " + list);
      assertEquals(list.size(), p.podsPlaced().get(ps.name()));
      if (ps.topology() != null && ps.topology().mode() == TopologyMode.REQUIRED) {
        assertTrue(lowest(t, list) <= t.levels().indexOf(ps.topology().level()), ps.name());
      }
      if (ps.slices() != null) {
        int l = t.levels().indexOf(ps.slices().level());
        Map<Integer, Integer> per = new HashMap<>();
        for (Placement pl : list) {
          int d = t.domainOf(pl.nodeId(), l);
          assertTrue(d >= 0, "slice member outside every " + ps.slices().level());
          per.merge(d, 1, Integer::sum);
        }
        for (int c : per.values()) {
          assertEquals(0, c % ps.slices().size(), "slices of " + ps.name() + ": " + per);
        }
      }
    }
    if (gang.topology() != null && gang.topology().mode() == TopologyMode.REQUIRED) {
      assertTrue(lowest(t, all) <= t.levels().indexOf(gang.topology().level()));
    }
    for (CoLocation c : gang.coLocations()) {
      List<Placement> both = new ArrayList<>(bySet.getOrDefault(c.first(), List.of()));
      both.addAll(bySet.getOrDefault(c.second(), List.of()));
      assertTrue(lowest(t, both) <= t.levels().indexOf(c.level()), c.toString());
    }
    for (GangDecision.ConstraintOutcome o : p.constraints()) {
      List<Placement> scope = switch (o.scope()) {
        case "gang" -> all;
        default -> {
          List<Placement> l = new ArrayList<>();
          for (String part : o.scope().split("\\+")) {
            l.addAll(bySet.getOrDefault(part, List.of()));
          }
          yield l;
        }
      };
      assertEquals(lowest(t, scope), o.levelIndex(), "level reported for " + o.scope());
    }
    for (int l = 0; l < t.levels().size(); l++) {
      Set<Long> ds = new HashSet<>();
      for (Placement pl : all) {
        int d = t.domainOf(pl.nodeId(), l);
        ds.add(d >= 0 ? d : -1L - pl.nodeId());
      }
      assertEquals(ds.size(), p.domainsSpanned().get(l));
    }
  }

  /** The lowest level whose one domain holds every placement, or the level count. */
  static int lowest(ClusterTopology t, List<Placement> list) {
    for (int l = 0; l < t.levels().size(); l++) {
      Set<Integer> ds = new HashSet<>();
      for (Placement p : list) {
        ds.add(t.domainOf(p.nodeId(), l));
      }
      if (ds.size() == 1 && !ds.contains(-1)) {
        return l;
      }
    }
    return t.levels().size();
  }
}

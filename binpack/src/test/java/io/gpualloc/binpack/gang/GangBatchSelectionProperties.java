package io.gpualloc.binpack.gang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.binpack.packing.SolverOptions;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.Placement;
import io.gpualloc.topology.ClusterTopology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * The batch with a CP-SAT selection: never fewer weighted GPUs than the greedy batch, every
 * admitted gang's placement keeps all its promises, the ledger takes all of them at once, and on
 * whole-node gangs (where free nodes per rack decide feasibility exactly) it never beats the
 * optimum found by brute force over subsets, whose value its bound never falls below.
 */
class GangBatchSelectionProperties {
  private static final SolverOptions SOLVER =
      SolverOptions.defaults().withTimeLimit(Duration.ofSeconds(2));
  private final GangPlacer greedy = GangPlacers.greedy(GangOptions.defaults());

  @Property(tries = 60)
  void selectionIsFeasibleAndNoWorseThanGreedy(@ForAll long seed) {
    GangScenario s = new GangScenario(seed, 2);
    Random r = new Random(seed);
    List<PendingGang> pending = new ArrayList<>();
    int count = 2 + r.nextInt(4);
    for (int i = 0; i < count; i++) {
      Gang g = i == 0 ? s.gang : new GangScenario(seed + 7919L * i, 2).gang;
      if (names(pending).contains(g.name())) {
        continue;
      }
      pending.add(new PendingGang(new Gang(g.name(), r.nextInt(3), g.podSets(), g.topology(),
          g.coLocations()), r.nextInt(3)));
    }
    int reserve = r.nextInt(3);
    long before = s.state.version();
    BatchResult plain = GangBatch.place(pending, s.state, s.topology, greedy, reserve);
    BatchSolveResult sel = GangBatch.placeWithSelection(pending, s.state, s.topology, greedy,
        reserve, SOLVER);
    assertEquals(before, s.state.version(), "the batch changed the ledger");
    BatchResult r2 = sel.result();
    Statistics.collect(sel.phase() + " " + sel.status());
    assertEquals(plain.admittedWeightedGpuMilli(), sel.greedyWeightedGpuMilli());
    assertTrue(r2.admittedWeightedGpuMilli() >= plain.admittedWeightedGpuMilli(), s.toString());
    assertTrue(sel.bound() >= r2.admittedWeightedGpuMilli());
    long weighted = 0;
    for (int i = 0; i < pending.size(); i++) {
      Gang g = pending.get(i).gang();
      GangDecision d = r2.decisions().get(i);
      assertEquals(g.name(), d.gangName());
      if (d instanceof GangDecision.Placed p) {
        GangProperties.check(g, s.state, s.topology, p);
        for (GangDecision.Member m : p.members()) {
          weighted += g.podSet(m.podSet()).gpuMilliPerPod() * (1 + Math.max(0, g.priority()));
        }
      }
    }
    assertEquals(weighted, r2.admittedWeightedGpuMilli());
    ClusterState fork = s.state.fork();
    fork.allocateAll(r2.placements()); // throws if two admitted gangs overlap
    assertEquals(s.state.allocationCount() + r2.placements().size(), fork.allocationCount());
  }

  @Property(tries = 60)
  void wholeNodeGangsAgainstBruteForceOverSubsets(@ForAll long seed) {
    Random r = new Random(seed);
    int racks = 2 + r.nextInt(2);
    int perRack = 2 + r.nextInt(3);
    Cluster c = GangClusters.cluster(1, racks, perRack, 8);
    ClusterState state = new ClusterState(c);
    ClusterTopology t = ClusterTopology.of(c, GangClusters.LEVELS);
    int[] free = new int[racks];
    for (int k = 0; k < racks; k++) {
      for (int n = 0; n < perRack; n++) {
        int v = c.nodeId("b0-r" + k + "-n" + n);
        if (r.nextInt(4) == 0) {
          Placement.Builder p = Placement.builder("busy" + v, v);
          for (int g = 0; g < 8; g++) {
            p.whole(g);
          }
          state.allocate(p.build());
        } else {
          free[k]++;
        }
      }
    }
    int m = 3 + r.nextInt(4);
    List<PendingGang> pending = new ArrayList<>();
    int[] pods = new int[m];
    boolean[] rack = new boolean[m];
    long[] value = new long[m];
    for (int i = 0; i < m; i++) {
      pods[i] = 1 + r.nextInt(perRack + 1);
      rack[i] = r.nextBoolean();
      int prio = r.nextInt(3);
      value[i] = 8000L * pods[i] * (1 + prio);
      Gang.Builder b = Gang.builder("g" + i).priority(prio)
          .podSet(PodSet.of("w", GangClusters.whole(8), pods[i]));
      if (rack[i]) {
        b.topology(TopologyConstraint.required("rack"));
      }
      pending.add(new PendingGang(b.build(), 0));
    }
    long opt = 0;
    for (int mask = 0; mask < 1 << m; mask++) {
      long v = 0;
      for (int i = 0; i < m; i++) {
        v += (mask >> i & 1) == 1 ? value[i] : 0;
      }
      if (v > opt && feasible(mask, pods, rack, free.clone(), 0)) {
        opt = v;
      }
    }
    BatchSolveResult sel = GangBatch.placeWithSelection(pending, state, t, greedy, 0, SOLVER);
    long got = sel.result().admittedWeightedGpuMilli();
    Statistics.collect(got == opt ? "optimal" : "below the optimum",
        sel.greedyWeightedGpuMilli() == opt ? "greedy optimal" : "greedy below the optimum");
    assertTrue(got >= sel.greedyWeightedGpuMilli());
    assertTrue(got <= opt, "above the brute-force optimum " + opt + ": " + got);
    assertTrue(sel.bound() >= opt, "bound " + sel.bound() + " below the optimum " + opt);
    state.fork().allocateAll(sel.result().placements());
  }

  /** Whether the gangs in {@code mask} from {@code i} on fit: rack gangs each in one rack. */
  private static boolean feasible(int mask, int[] pods, boolean[] rack, int[] free, int i) {
    if (i == pods.length) {
      int left = 0;
      for (int f : free) {
        left += f;
      }
      int loose = 0;
      for (int j = 0; j < pods.length; j++) {
        loose += (mask >> j & 1) == 1 && !rack[j] ? pods[j] : 0;
      }
      return loose <= left;
    }
    if ((mask >> i & 1) == 0 || !rack[i]) {
      return feasible(mask, pods, rack, free, i + 1);
    }
    for (int k = 0; k < free.length; k++) {
      if (free[k] >= pods[i]) {
        free[k] -= pods[i];
        boolean ok = feasible(mask, pods, rack, free, i + 1);
        free[k] += pods[i];
        if (ok) {
          return true;
        }
      }
    }
    return false;
  }

  private static List<String> names(List<PendingGang> pending) {
    List<String> out = new ArrayList<>();
    for (PendingGang p : pending) {
      out.add(p.gang().name());
    }
    return out;
  }
}

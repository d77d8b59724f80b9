package io.gpualloc.binpack.defrag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.binpack.packing.SolverOptions;
import io.gpualloc.binpack.solver.SolveStatus;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.Placement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The specification of the defrag planners, on seeded tiny clusters ({@link TinyClusters}). */
class DefragProperties {
  static final SolverOptions BUDGET = SolverOptions.defaults().withTimeLimit(Duration.ofSeconds(5))
      .withWorkers(1);

  @Property(tries = 80)
  void everyPlanReplaysReachesItsGoalAndMovesOnlyMovables(@ForAll long seed) {
    DefragProblem p = TinyClusters.problem(seed);
    ClusterState ledger = p.ledger();
    for (String name : List.of("evict-lowest-priority", "greedy")) {
      DefragPlan plan = DefragPlanners.named(name, BUDGET).plan(p);
      if (plan instanceof DefragPlan.Planned pl) {
        DryRun run = DryRun.check(p, pl);
        assertTrue(run.valid(), () -> name + " seed " + seed + ": " + run.detail());
        long sum = 0;
        for (DefragStep s : pl.steps()) {
          assertTrue(p.isMovable(s.allocationId()), () -> name + " moved an immovable " + s);
          assertTrue(p.evictionAllowed() || s instanceof DefragStep.Move);
          sum += s.cost();
        }
        assertEquals(sum, pl.cost());
        assertTrue(pl.outcome().bound() <= pl.cost());
      }
    }
    // the problem's ledger is a copy: planning changed nothing
    assertEquals(Set.copyOf(ledger.allocations()), Set.copyOf(p.ledger().allocations()));
  }

  @Property(tries = 100)
  void cpSatEqualsBruteForceAndNoPlannerBeatsIt(@ForAll long seed) {
    DefragProblem p = TinyClusters.problem(seed);
    long opt = BruteForce.optimum(p);
    DefragPlan exact = DefragPlanners.named("cp-sat", BUDGET).plan(p);
    DefragPlan greedy = DefragPlanners.named("greedy", BUDGET).plan(p);
    DefragPlan base = DefragPlanners.named("evict-lowest-priority", BUDGET).plan(p);
    String where = "seed " + seed + " " + p + ": brute force " + opt + ", cp-sat "
        + exact.summary() + ", greedy " + greedy.summary();
    net.jqwik.api.statistics.Statistics.collect(opt < 0 ? "no plan" : opt == 0 ? "cost 0"
        : greedy instanceof DefragPlan.Planned g && g.cost() == opt ? "greedy optimal"
        : "greedy worse or failed");
    if (opt < 0) {
      assertTrue(!exact.isPlanned() && !greedy.isPlanned() && !base.isPlanned(), where);
      assertEquals(SolveStatus.INFEASIBLE, exact.outcome().status(), where);
      return;
    }
    DefragPlan.Planned e = (DefragPlan.Planned) exact;
    assertEquals(opt, e.cost(), where);
    assertEquals(SolveStatus.OPTIMAL, e.outcome().status(), where);
    assertTrue(DryRun.check(p, e).valid(), where);
    // every bound is sound and no planner beats the optimum
    for (DefragPlan d : List.of(greedy, base)) {
      assertTrue(d.outcome().bound() <= opt, where);
      assertTrue(d.outcome().status() != SolveStatus.INFEASIBLE, where);
      if (d instanceof DefragPlan.Planned pl) {
        assertTrue(pl.cost() >= opt, where);
      }
    }
    if (greedy instanceof DefragPlan.Planned g) {
      assertTrue(e.cost() <= g.cost(), where);
    }
  }

  @Property(tries = 30)
  void aFailedProblemChangesNothing(@ForAll long seed) {
    DefragProblem p = TinyClusters.problem(seed);
    ClusterState ledger = p.ledger();
    long version = ledger.version();
    List<Placement> before = List.copyOf(ledger.allocations());
    assertThrows(InvalidSpecException.class, () -> DefragProblem.builder(ledger, p.goal())
        .movable(Set.of("no-such-allocation")).build());
    assertThrows(InvalidSpecException.class, () -> DefragProblem.builder(ledger,
        DefragGoal.EmptyNodes.any(ledger.cluster().nodeCount() + 1)).build());
    assertEquals(version, ledger.version());
    assertEquals(Set.copyOf(before), Set.copyOf(ledger.allocations()));
  }

  @Property(tries = 30)
  void samePlanForTheSameProblem(@ForAll long seed) {
    DefragProblem p = TinyClusters.problem(seed);
    for (String name : DefragPlanners.names()) {
      DefragPlan a = DefragPlanners.named(name, BUDGET).plan(p);
      DefragPlan b = DefragPlanners.named(name, BUDGET).plan(p);
      if (a instanceof DefragPlan.Planned x && b instanceof DefragPlan.Planned y) {
        assertEquals(x.steps(), y.steps(), name);
        assertEquals(x.placements(), y.placements(), name);
      } else {
        assertEquals(a.isPlanned(), b.isPlanned(), name);
      }
    }
  }
}

package io.gpualloc.binpack.mig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.binpack.packing.SolverOptions;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.MigConfigs;
import io.gpualloc.core.MigInstance;
import io.gpualloc.core.MigLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hand-computed MIG plans and the on-demand step. */
class MigPlannerTest {
  private static final GpuModel H100 = GpuModelCatalog.builtIn().get("H100-80GB-SXM");
  private static final SolverOptions OPTS =
      SolverOptions.defaults().withTimeLimit(Duration.ofSeconds(5)).withSeed(7);

  private static Map<String, Integer> demand(Object... kv) {
    LinkedHashMap<String, Integer> d = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      d.put((String) kv[i], (Integer) kv[i + 1]);
    }
    return d;
  }

  @Test
  void threeIdleGpusServeSevenOnesTwoThreesAndASeven() {
    List<MigGpuState> fleet = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      fleet.add(MigGpuState.idle("gpu-" + i, H100));
    }
    MigPlanProblem problem = new MigPlanProblem(fleet,
        demand("1g.10gb", 7, "3g.40gb", 2, "7g.80gb", 1));
    for (String name : MigPlanners.names()) {
      MigPlan plan = MigPlanners.named(name, OPTS).plan(problem);
      assertEquals(10, plan.servedTotal(), plan.summary());
      assertEquals(3, plan.gpusUsed(), plan.summary());
      assertEquals(3, plan.gpusReconfigured(), plan.summary());
      assertEquals(MigLayout.empty(H100), plan.targets().get(3), "GPU 3 stays untouched");
    }
    MigPlan exact = MigPlanners.named("cp-sat", OPTS).plan(problem);
    assertEquals(MigPlanStatus.OPTIMAL, exact.status(), exact.summary());
    assertEquals(0, exact.gap());
  }

  @Test
  void aTinyBudgetGivesTheGreedyPlanAsTheFallback() {
    // 1 ms: too little to load OR-Tools' native library or to run CP-SAT, whether or not an
    // earlier test loaded it; the plan is the (possibly cut) greedy plan, marked as the fallback
    List<MigGpuState> fleet = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      fleet.add(MigGpuState.idle("gpu-" + i, H100));
    }
    MigPlanProblem problem = new MigPlanProblem(fleet,
        demand("1g.10gb", 7, "3g.40gb", 2, "7g.80gb", 1));
    MigPlan greedy = MigPlanners.named("greedy", OPTS).plan(problem);
    MigPlan plan = MigPlanners.named("cp-sat", OPTS.withTimeLimit(Duration.ofMillis(1)))
        .plan(problem);
    assertEquals(MigPlanStatus.TIMEOUT_FALLBACK, plan.status(), plan.summary());
    assertEquals(MigPlanPhase.GREEDY, plan.phase(), plan.summary());
    // greedy itself may have been cut short: a valid plan that serves no more than greedy's
    assertEquals(fleet.size(), plan.targets().size(), plan.summary());
    for (int g = 0; g < fleet.size(); g++) {
      assertEquals(H100, plan.targets().get(g).model());
    }
    plan.served().forEach((profile, n) ->
        assertTrue(n <= problem.demand().get(profile), plan.summary()));
    assertTrue(plan.servedTotal() <= greedy.servedTotal(), plan.summary());
    assertTrue(plan.objective() <= greedy.objective(), plan.summary());
    assertTrue(plan.bound() >= greedy.objective(), plan.summary());
  }

  @Test
  void aGpuAlreadyInUseIsReconfiguredAroundItsInstanceRatherThanTakingANewGpu() {
    MigLayout current = MigLayout.parse(H100, "1g.10gb@0, 1g.10gb@1, 3g.40gb@4");
    MigInstance busy = current.instances().get(2);
    List<MigGpuState> fleet = List.of(new MigGpuState("a", current, List.of(busy)),
        MigGpuState.idle("b", H100));
    MigPlanProblem problem = new MigPlanProblem(fleet, demand("4g.40gb", 1));
    for (String name : MigPlanners.names()) {
      MigPlan plan = MigPlanners.named(name, OPTS).plan(problem);
      assertEquals("[4g.40gb@0, 3g.40gb@4]", plan.targets().get(0).toString(), name);
      assertEquals(1, plan.gpusUsed(), plan.summary());
      assertEquals(1, plan.steps().size());
      MigReconfiguration step = plan.steps().get(0);
      assertEquals(List.of(current.instances().get(0), current.instances().get(1)),
          step.destroy());
      assertTrue(plan.targets().get(0).instances().contains(busy));
    }
  }

  @Test
  void existingFreeInstancesServeWithoutReconfiguration() {
    List<MigGpuState> fleet = List.of(
        new MigGpuState("s", MigConfigs.named(H100, "all-balanced"), List.of()),
        MigGpuState.idle("t", H100));
    MigPlan plan = MigPlanners.named("cp-sat", OPTS)
        .plan(new MigPlanProblem(fleet, demand("1g.10gb", 2, "3g.40gb", 1)));
    assertEquals(3, plan.servedTotal());
    assertEquals(0, plan.gpusReconfigured(), plan.summary());
    assertEquals(1, plan.gpusUsed());
  }

  @Test
  void unservableDemandIsReportedNotThrown() {
    MigPlan plan = MigPlanners.named("greedy", OPTS).plan(new MigPlanProblem(
        List.of(MigGpuState.idle("x", H100)), demand("7g.80gb", 2)));
    assertEquals(Map.of("7g.80gb", 1), plan.unserved());
    assertTrue(plan.summary().contains("unserved: 7g.80gb x1"), plan.summary());
  }

  @Test
  void onDemandTakesAFreeInstanceOrTheCheapestReconfiguration() {
    MigLayout ones = MigConfigs.named(H100, "all-1g.10gb");
    MigLayout threes = MigConfigs.named(H100, "all-3g.40gb");
    MigLayout twos = MigConfigs.named(H100, "all-2g.20gb");
    List<MigGpuState> fleet = List.of(
        new MigGpuState("g0", ones, ones.instances().subList(0, 4)),
        new MigGpuState("g1", threes, List.of(threes.instances().get(0))),
        new MigGpuState("g2", twos, List.of()));
    MigOnDemand three = MigPlanners.onDemand(fleet, "3g.40gb");
    assertEquals(new MigOnDemand.Existing(1, threes.instances().get(1)), three);
    MigOnDemand four = MigPlanners.onDemand(fleet, "4g.40gb");
    MigOnDemand.Reconfigure r = assertInstanceOf(MigOnDemand.Reconfigure.class, four);
    assertEquals(2, r.step().gpu());
    assertEquals("[2g.20gb@0, 2g.20gb@2]", r.step().destroy().toString());
    assertEquals("[4g.40gb@0, 2g.20gb@4]", r.step().to().toString());
    MigOnDemand seven = MigPlanners.onDemand(fleet.subList(0, 2), "7g.80gb");
    assertInstanceOf(MigOnDemand.Impossible.class, seven);
  }

  /**
   * 128 seeded H100s with demand beyond what they offer: CP-SAT does not prove this plan optimal
   * within 18 s of wall clock (measured), so without the deterministic limit each solve would run
   * until the wall-clock cap and stop wherever the machine's speed left it. With 0.05
   * deterministic seconds it stops at the same point of the same search whatever the cap.
   */
  @Test
  void aDeterministicLimitStopsCpSatAtTheSamePlanWhateverTheWallClockCap() {
    GpuModel h100 = GpuModelCatalog.builtIn().get("H100-80GB-SXM");
    List<MigLayout> maximal = io.gpualloc.core.MigLayouts.maximal(h100);
    java.util.SplittableRandom r = new java.util.SplittableRandom(7);
    List<MigGpuState> fleet = new ArrayList<>();
    for (int g = 0; g < 128; g++) {
      if (r.nextInt(3) == 0) {
        fleet.add(MigGpuState.idle("gpu-" + g, h100));
        continue;
      }
      MigLayout l = maximal.get(r.nextInt(maximal.size()));
      List<MigInstance> inUse = new ArrayList<>();
      for (MigInstance x : l.instances()) {
        if (r.nextInt(3) == 0) {
          inUse.add(x);
        }
      }
      fleet.add(new MigGpuState("gpu-" + g, l, inUse));
    }
    MigPlanProblem problem = new MigPlanProblem(fleet,
        demand("1g.10gb", 128, "2g.20gb", 64, "3g.40gb", 32, "7g.80gb", 12));
    SolverOptions det = SolverOptions.defaults().withSeed(1).withDeterministicTime(0.05);
    MigPlan a = MigPlanners.named("cp-sat", det.withTimeLimit(Duration.ofSeconds(30)))
        .plan(problem);
    MigPlan b = MigPlanners.named("cp-sat", det.withTimeLimit(Duration.ofSeconds(60)))
        .plan(problem);
    // the deterministic limit, not a wall-clock cap of 27 s or more, stopped CP-SAT: unproven
    assertEquals(MigPlanStatus.FEASIBLE, a.status(), a.summary());
    assertTrue(a.wallTime().compareTo(Duration.ofSeconds(15)) < 0, a.summary());
    assertEquals(a.status(), b.status(), b.summary());
    assertEquals(a.phase(), b.phase(), b.summary());
    assertEquals(a.targets(), b.targets(), b.summary());
    assertEquals(a.served(), b.served(), b.summary());
    assertEquals(a.objective(), b.objective(), b.summary());
    assertEquals(a.bound(), b.bound(), b.summary());
  }

  @Test
  void badProblemsAreTypedErrors() {
    assertThrows(InvalidSpecException.class, () -> new MigPlanProblem(
        List.of(MigGpuState.idle("x", H100)), demand("1g.5gb", 1)));
    assertThrows(InvalidSpecException.class, () -> new MigPlanProblem(
        List.of(MigGpuState.idle("x", H100), MigGpuState.idle("x", H100)), demand()));
    assertThrows(InvalidSpecException.class, () -> new MigGpuState("x",
        MigLayout.empty(H100), List.of(new MigInstance(H100.migProfile("7g.80gb"), 0))));
    assertThrows(InvalidSpecException.class, () -> MigPlanners.named("exact", OPTS));
  }
}

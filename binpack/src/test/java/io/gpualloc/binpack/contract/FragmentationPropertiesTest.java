package io.gpualloc.binpack.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.binpack.Fragmentation;
import io.gpualloc.binpack.TargetWorkload;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.Decision;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** F is never negative and never above the free GPU, per node and for the cluster. */
class FragmentationPropertiesTest {

  @Provide
  Arbitrary<Scenarios.Scenario> scenarios() {
    return Scenarios.scenarios();
  }

  @Property(tries = 200)
  void fragmentationIsBetweenZeroAndFreeGpu(@ForAll("scenarios") Scenarios.Scenario s) {
    ClusterState state = s.state();
    TargetWorkload m = s.workload();
    long sum = 0;
    for (int n = 0; n < state.cluster().nodeCount(); n++) {
      long f = Fragmentation.node(state, n, m);
      long free = Fragmentation.freeGpu(state, n);
      assertTrue(f >= 0, "F >= 0");
      assertTrue(f <= free, "F " + f + " <= free " + free);
      sum += free;
    }
    long cluster = Fragmentation.cluster(state, m);
    assertTrue(cluster >= 0 && cluster <= sum);
    assertEquals(sum, Fragmentation.freeGpu(state));
    double rate = Fragmentation.rate(state, m);
    assertTrue(rate >= 0 && rate <= 1 + 1e-12);
  }

  @Property(tries = 100)
  void trackerAgreesWithTheMeasureAfterEveryPlacement(@ForAll("scenarios") Scenarios.Scenario s) {
    TargetWorkload m = s.workload();
    io.gpualloc.binpack.FragmentationTracker t = new io.gpualloc.binpack.FragmentationTracker(m);
    ClusterState state = new ClusterState(s.cluster());
    io.gpualloc.core.PlacementPolicy p = io.gpualloc.binpack.Policies.named("fgd-exact",
        new io.gpualloc.binpack.PolicyConfig(s.seed(), m));
    java.util.List<io.gpualloc.core.Request> all = new java.util.ArrayList<>(s.pre());
    all.add(s.request());
    for (io.gpualloc.core.Request r : all) {
      if (p.place(r, state) instanceof Decision.Placed placed) {
        state.allocate(placed.placement());
      }
      io.gpualloc.binpack.FragmentationTracker.Measure x = t.measure(state);
      assertEquals(Fragmentation.cluster(state, m), x.fragmentationMilli());
      assertEquals(Fragmentation.freeGpu(state), x.freeGpuMilli());
      assertEquals(Fragmentation.rate(state, m), x.rate(), 1e-9);
    }
    if (!state.allocations().isEmpty()) {
      state.release(state.allocations().get(0).allocationId());
      assertEquals(Fragmentation.cluster(state, m), t.measure(state).fragmentationMilli());
    }
  }

  @Property(tries = 100)
  void fgdDeltaMatchesTheMeasure(@ForAll("scenarios") Scenarios.Scenario s) {
    ClusterState state = s.state();
    TargetWorkload m = s.workload();
    Decision d = io.gpualloc.binpack.Policies.named("fgd-exact",
        new io.gpualloc.binpack.PolicyConfig(s.seed(), m)).place(s.request(), state);
    if (d instanceof Decision.Placed p) {
      int node = p.placement().nodeId();
      ClusterState after = state.fork();
      after.allocate(p.placement());
      double claimed = p.breakdown().get("delta-milli-gpu");
      long actual = Fragmentation.node(after, node, m) - Fragmentation.node(state, node, m);
      assertTrue(Math.abs(claimed - actual) <= 1.0, claimed + " vs " + actual);
    }
  }
}

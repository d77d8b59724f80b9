package io.gpualloc.binpack.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.binpack.Policies;
import io.gpualloc.binpack.PolicyConfig;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.Decision;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.Placement;
import io.gpualloc.core.PlacementPolicy;
import io.gpualloc.core.Request;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The contract every placement policy inherits: a Placed answer is feasible and the ledger accepts
 * it; Rejected only when nothing fits (brute force); equal inputs and seed give equal answers, on
 * the live ledger and on a snapshot alike.
 */
public abstract class PlacementPolicyContract {

  /** The registry name of the policy under test. */
  protected abstract String policyName();

  PlacementPolicy policy(Scenarios.Scenario s) {
    return Policies.named(policyName(), new PolicyConfig(s.seed(), s.workload()));
  }

  @Provide
  Arbitrary<Scenarios.Scenario> scenarios() {
    return Scenarios.scenarios();
  }

  @Property(tries = 150)
  void placedIsFeasibleAndRejectedOnlyWhenNothingFits(
      @ForAll("scenarios") Scenarios.Scenario s) {
    ClusterState state = s.state();
    Request r = s.request();
    Decision d = policy(s).place(r, state);
    net.jqwik.api.statistics.Statistics.label("outcome")
        .collect(d.isPlaced() ? "placed" : "rejected");
    net.jqwik.api.statistics.Statistics.label("demand")
        .collect(r.gpu().getClass().getSimpleName());
    if (d instanceof Decision.Placed p) {
      Placement pl = p.placement();
      assertEquals(r.name(), pl.allocationId());
      assertEquals(r.cpuMilli(), pl.cpuMilli());
      assertEquals(r.memoryMib(), pl.memoryMib());
      assertEquals(r.gpu().count(), pl.grants().size(), "one grant per requested GPU/instance");
      for (GpuGrant g : pl.grants()) {
        assertTrue(r.allowsGpu(state.cluster().node(pl.nodeId()).gpu(g.gpuIndex())),
            "granted GPU passes the request's filters");
        GpuDemand demand = r.gpu();
        if (demand instanceof GpuDemand.Whole) {
          assertTrue(g instanceof GpuGrant.Whole);
        } else if (demand instanceof GpuDemand.Shared sh) {
          assertEquals(GpuGrant.share(g.gpuIndex(), sh.computeMilli(), sh.memoryMib()), g);
        } else {
          assertEquals(((GpuDemand.Mig) demand).profile(), ((GpuGrant.Mig) g).profile());
        }
      }
      state.fork().allocate(pl); // throws if the ledger refuses
    } else {
      Decision.Rejected rej = (Decision.Rejected) d;
      assertFalse(BruteForce.feasible(state, r), "rejected although something fits: "
          + rej.summary());
      assertEquals(state.cluster().nodeCount(), rej.reasonByNode().size());
      assertEquals(state.cluster().nodeCount(),
          rej.counts().values().stream().mapToInt(Integer::intValue).sum());
    }
  }

  @Property(tries = 80)
  void deterministicForEqualInputsAndSeed(@ForAll("scenarios") Scenarios.Scenario s) {
    ClusterState a = s.state();
    ClusterState b = s.state();
    Decision first = policy(s).place(s.request(), a);
    Decision second = policy(s).place(s.request(), b.snapshot());
    PlacementPolicy same = policy(s);
    Decision third = same.place(s.request(), a);
    Decision fourth = same.place(s.request(), a);
    assertEquals(first, second);
    assertEquals(first, third);
    assertEquals(third, fourth);
  }
}

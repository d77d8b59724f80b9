package io.gpualloc.binpack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.Decision;
import io.gpualloc.core.Gpu;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.Node;
import io.gpualloc.core.NodeScores;
import io.gpualloc.core.Placement;
import io.gpualloc.core.PlacementPolicy;
import io.gpualloc.core.RejectReason;
import io.gpualloc.core.Request;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-computed cases of the share cap (HAMi's split count) through every named policy. */
class ShareCapPolicyTest {
  private static final GpuModel T4 = GpuModelCatalog.builtIn().get("T4");

  private static Node node(String name, int cap) {
    return Node.builder(name).cpuMilli(8000).memoryMib(16384)
        .gpu(new Gpu(0, "GPU-" + name, T4, 0, null, cap)).build();
  }

  private static Request share(String name) {
    return Request.builder(name).gpu(GpuDemand.shared(1, 100, 0)).build();
  }

  private static PlacementPolicy policy(String name) {
    TargetWorkload m = TargetWorkload.of(List.of(TaskClass.of(0, GpuDemand.shared(1, 100, 0), 1)));
    return Policies.named(name, new PolicyConfig(7, m));
  }

  /**
   * Two nodes in the same state (one T4 holding one 100m share) but for the cap: n0 is split 1
   * way, n1 unlimited. Every policy must put the next share on n1, its memo (which serves nodes in
   * equal states from one evaluation) must tell them apart, and n0's rejection carries the numbers.
   */
  @Test
  void nodesEqualButForTheCapAreToldApartAndTheReasonHasTheNumbers() {
    for (String name : Policies.names()) {
      ClusterState s = new ClusterState(Cluster.of(node("n0", 1), node("n1", Gpu.UNLIMITED_SHARES)));
      s.allocate(Placement.builder("a", 0).share(0, 100, 0).build());
      s.allocate(Placement.builder("b", 1).share(0, 100, 0).build());
      PlacementPolicy p = policy(name);
      for (int round = 0; round < 2; round++) { // the second round is served from the memo
        Decision d = p.place(share("r"), s);
        Decision.Placed placed = assertInstanceOf(Decision.Placed.class, d, name);
        assertEquals(1, placed.placement().nodeId(), name);
        NodeScores all = p.scoreAll(share("r"), s);
        assertEquals(1, all.size(), name);
        assertEquals(RejectReason.GPU_SHARES_EXHAUSTED, all.rejectionFor(0).reason(), name);
        assertEquals("gpu 0: holds 1/1 shares (split count)", all.rejectionFor(0).detail(), name);
      }
      s.allocate(((Decision.Placed) p.place(share("c"), s)).placement());
      assertEquals(2, s.gpuGrantCount(1), name);
    }
  }

  /** A ten-way split of one T4: ten shares fit, the eleventh is refused with the count. */
  @Test
  void theEleventhShareIsRejectedByEveryPolicy() {
    for (String name : Policies.names()) {
      ClusterState s = new ClusterState(Cluster.of(node("hami", 10)));
      PlacementPolicy p = policy(name);
      for (int k = 0; k < 10; k++) {
        Decision d = p.place(share("s" + k), s);
        s.allocate(assertInstanceOf(Decision.Placed.class, d, name).placement());
      }
      Decision.Rejected r = assertInstanceOf(Decision.Rejected.class, p.place(share("s10"), s),
          name);
      assertEquals(List.of(RejectReason.GPU_SHARES_EXHAUSTED), r.reasonByNode(), name);
      assertTrue(r.summary().contains("GPU split count reached"), r.summary());
      assertEquals(1000 - 10 * 100, s.gpuFreeComputeMilli(0)); // compute was not what bound
    }
  }
}

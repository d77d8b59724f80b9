package io.gpualloc.binpack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.Decision;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.IntraNodeTopology;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import io.gpualloc.core.PlacementPolicy;
import io.gpualloc.core.RejectReason;
import io.gpualloc.core.Request;
import io.gpualloc.topology.GpuSetSelectors;
import io.gpualloc.topology.NodeInterconnect;
import io.gpualloc.topology.Preset;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TopologyAwarePolicyTest {
  private static final NodeInterconnect DGX1 = Preset.DGX1_V100.interconnect();
  private static final NodeInterconnect PCIE = Preset.PCIE_8GPU_2SOCKET.interconnect();

  private static Cluster cluster() {
    var v100 = GpuModelCatalog.builtIn().get("V100-32GB");
    return Cluster.of(
        Node.builder("dgx").cpuMilli(64_000).memoryMib(512_000).gpus(8, v100, 2).build(),
        Node.builder("pcie").cpuMilli(64_000).memoryMib(512_000).gpus(8, v100, 2).build());
  }

  private static PlacementPolicy wrapped(String base) {
    return TopologyAwarePolicy.wrap(Policies.named(base, PolicyConfig.of(1)),
        Map.of("dgx", DGX1, "pcie", PCIE), GpuSetSelectors.branchAndBound());
  }

  private static int[] gpus(Decision d) {
    return ((Decision.Placed) d).placement().grants().stream()
        .mapToInt(GpuGrant::gpuIndex).sorted().toArray();
  }

  @Test
  void multiGpuJobsGetTheBestConnectedSetOnTheChosenNode() {
    ClusterState state = new ClusterState(cluster());
    // busy GPU 0 of the DGX-1 so first-fit's lowest-index pick {1, 2} differs from the best pair
    state.allocate(Placement.builder("busy", 0).whole(0).build());
    Request two = Request.builder("two").cpuMilli(1000).gpu(GpuDemand.whole(2)).build();
    Decision plain = Policies.named("first-fit", PolicyConfig.of(1)).place(two, state);
    Decision topo = wrapped("first-fit").place(two, state);
    assertEquals(0, ((Decision.Placed) topo).placement().nodeId());
    long plainScore = GpuSetSelectors.branchAndBound().select(DGX1,
        io.gpualloc.topology.GpuSet.of(gpus(plain)), io.gpualloc.topology.GpuSet.empty(), 2)
        instanceof io.gpualloc.topology.GpuSetChoice.Chosen c ? c.score() : -1;
    long topoScore = GpuSetSelectors.branchAndBound().select(DGX1,
        io.gpualloc.topology.GpuSet.of(gpus(topo)), io.gpualloc.topology.GpuSet.empty(), 2)
        instanceof io.gpualloc.topology.GpuSetChoice.Chosen c ? c.score() : -1;
    assertTrue(topoScore >= plainScore, topoScore + " < " + plainScore);
    state.allocate(((Decision.Placed) topo).placement());
  }

  @Test
  void requiredTopologyRejectsASetWithoutNvlink() {
    ClusterState state = new ClusterState(cluster());
    // fill the DGX-1 so first-fit goes to the PCIe server, where no pair has NVLink
    state.allocate(Placement.builder("full", 0).cpuMilli(64_000).build());
    Request req = Request.builder("needs-nvlink").cpuMilli(1000).gpu(GpuDemand.whole(2))
        .topology(IntraNodeTopology.REQUIRED).build();
    Decision d = wrapped("first-fit").place(req, state);
    Decision.Rejected r = assertInstanceOf(Decision.Rejected.class, d);
    assertEquals(RejectReason.TOPOLOGY_NOT_SATISFIED, r.reasonFor(1));
    Request any = Request.builder("any").cpuMilli(1000).gpu(GpuDemand.whole(2)).build();
    assertTrue(wrapped("first-fit").place(any, state).isPlaced());
  }

  @Property(tries = 60)
  void answersStayOnTheBaseNodeAndTheLedgerAcceptsThem(
      @ForAll @IntRange(min = 0, max = 40) int seed, @ForAll @IntRange(min = 1, max = 8) int k,
      @ForAll boolean share) {
    ClusterState state = new ClusterState(cluster());
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
    for (int i = 0; i < 6; i++) {
      state.allocate(Placement.builder("pre" + i, rnd.nextInt(2)).share(rnd.nextInt(8),
          100 + rnd.nextInt(50), 1024).build());
    }
    GpuDemand demand = share ? GpuDemand.shared(k, 300, 2048) : GpuDemand.whole(k);
    Request req = Request.builder("r").cpuMilli(1000).gpu(demand).build();
    for (String base : List.of("first-fit", "best-fit", "fgd")) {
      PolicyConfig c = PolicyConfig.of(seed).withWorkload(TargetWorkload.fromRequests(
          List.of(req, Request.builder("c").cpuMilli(1000).gpu(GpuDemand.shared(1, 500, 0))
              .build()), 1.0));
      Decision plain = Policies.named(base, c).place(req, state);
      Decision topo = TopologyAwarePolicy.wrap(Policies.named(base, c),
          Map.of("dgx", DGX1, "pcie", PCIE), GpuSetSelectors.branchAndBound()).place(req, state);
      assertEquals(plain.isPlaced(), topo.isPlaced(), base);
      if (topo instanceof Decision.Placed p) {
        assertEquals(((Decision.Placed) plain).placement().nodeId(), p.placement().nodeId());
        assertEquals(k, p.placement().grants().size());
        ClusterState fork = state.fork();
        fork.allocate(p.placement());
      }
    }
  }
}

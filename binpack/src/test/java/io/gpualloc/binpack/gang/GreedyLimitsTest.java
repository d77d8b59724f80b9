package io.gpualloc.binpack.gang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.Node;
import io.gpualloc.core.Request;
import io.gpualloc.topology.ClusterTopology;
import org.junit.jupiter.api.Test;

/**
 * The documented limit of the greedy placer (docs/gangs.md, "Limits"): it chooses each pod set's
 * domain by best fit and does not revisit that choice when a later pod set then fails, so with
 * two or more pod sets it can miss a placement that exists. It tries every order of up to four
 * pod sets, which does not help here. With one pod set it is complete ({@link GangProperties}).
 */
class GreedyLimitsTest {

  @Test
  void bestFitForOnePodSetCanStrandTheNextOne() {
    // block b1: node a (rack r0) 4 GPUs and 5 cores, node b (rack r1) 2 GPUs and 4 cores
    Cluster c = Cluster.of(
        Node.builder("a").cpuMilli(5000).memoryMib(64 * 1024).gpus(4, GangClusters.H100)
            .label("hostname", "a").label("rack", "r0").label("block", "b1").build(),
        Node.builder("b").cpuMilli(4000).memoryMib(64 * 1024).gpus(2, GangClusters.H100)
            .label("hostname", "b").label("rack", "r1").label("block", "b1").build());
    ClusterState state = new ClusterState(c);
    ClusterTopology topology = ClusterTopology.of(c, GangClusters.LEVELS);
    Request big = Request.builder("big").cpuMilli(1500).gpu(GpuDemand.whole(1)).build();
    Request small = Request.builder("small").cpuMilli(500).gpu(GpuDemand.whole(1)).build();
    Gang gang = Gang.builder("g")
        .podSet(PodSet.of("workers", big, 4))
        .podSet(PodSet.of("servers", small, 2).withTopology(TopologyConstraint.required("rack")))
        .build();
    // servers 2 on a; workers 2 on a and 2 on b: all 6 GPUs, 5000m on a, 3000m on b
    assertTrue(new BruteForce(gang, state, topology).feasible());
    GangDecision d = GangPlacers.greedy(GangOptions.defaults()).place(gang, state, topology);
    // workers first: 3 on a (CPU bound) and 1 on b leave no rack with 2 GPUs for the servers;
    // servers first: the best-fit rack r1 takes b, and a holds only 3 workers
    GangDecision.Rejected r = (GangDecision.Rejected) d;
    assertEquals(GangRejectReason.POD_SETS_CONFLICT, r.reason());
  }
}

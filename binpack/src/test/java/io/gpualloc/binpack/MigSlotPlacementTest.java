package io.gpualloc.binpack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.Decision;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.MigConfigs;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import io.gpualloc.core.PlacementPolicy;
import io.gpualloc.core.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * MIG slot placement that keeps options open (the MIG step of every policy, and the {@code
 * mig-fragmentation} policy) against the old lowest-free-slot placement ({@code first-slot}).
 */
class MigSlotPlacementTest {
  private static final GpuModel H100 = GpuModelCatalog.builtIn().get("H100-80GB-SXM");

  private static Request mig(String name, String profile, int count) {
    return Request.builder(name).gpu(GpuDemand.mig(profile, count)).build();
  }

  private static Placement place(PlacementPolicy p, Request r, ClusterState s) {
    Decision d = p.place(r, s);
    assertTrue(d instanceof Decision.Placed, () -> d.toString());
    return ((Decision.Placed) d).placement();
  }

  @Test
  void aOneGInstanceOnAnEmptyGpuKeepsFourGAndThreeGOpen() {
    ClusterState s = new ClusterState(Cluster.of(List.of(
        Node.builder("n").cpuMilli(8000).memoryMib(8192).gpus(1, H100).build())));
    for (String policy : List.of("first-fit", "best-fit", "mig-fragmentation")) {
      Placement p = place(Policies.named(policy, PolicyConfig.of(1)), mig("a", "1g.10gb", 1), s);
      assertEquals(List.of(GpuGrant.mig(0, "1g.10gb", 6)), p.grants(), policy);
    }
    PlacementPolicy old = PolicyComposer.compose("old", Map.of(), "first-slot", PolicyConfig.of(1));
    assertEquals(List.of(GpuGrant.mig(0, "1g.10gb", 0)),
        place(old, mig("a", "1g.10gb", 1), s).grants());
    s.allocate(place(Policies.named("first-fit", PolicyConfig.of(1)), mig("a", "1g.10gb", 1), s));
    assertTrue(s.canPlaceMig(0, H100.migProfile("4g.40gb"), 0));
    assertTrue(s.canPlaceMig(0, H100.migProfile("3g.40gb"), 0));
  }

  @Test
  void smallInstancesFillHolesBeforeBreakingUpAnEmptyGpu() {
    ClusterState s = new ClusterState(Cluster.of(List.of(
        Node.builder("n").cpuMilli(8000).memoryMib(8192).gpus(3, H100).build())));
    s.allocate(Placement.builder("full", 0).mig(0, "3g.40gb", 0).mig(0, "3g.40gb", 4).build());
    s.allocate(Placement.builder("four", 0).mig(1, "4g.40gb", 0).build());
    Placement p = place(Policies.named("first-fit", PolicyConfig.of(1)), mig("x", "1g.10gb", 2), s);
    for (GpuGrant g : p.grants()) {
      assertEquals(1, g.gpuIndex(), p.toString()); // not GPU 2, which is empty
    }
    s.allocate(p);
    // the node-level policy prefers the node where the instance costs least
    ClusterState two = new ClusterState(Cluster.of(List.of(
        Node.builder("empty").cpuMilli(8000).memoryMib(8192).gpus(1, H100).build(),
        Node.builder("holed").cpuMilli(8000).memoryMib(8192).gpus(1, H100).build())));
    two.allocate(Placement.builder("h", 1).mig(0, "4g.40gb", 0).build());
    Placement q = place(Policies.named("mig-fragmentation", PolicyConfig.of(1)),
        mig("y", "2g.20gb", 1), two);
    assertEquals(1, q.nodeId());
  }

  @Test
  void onPrePartitionedGpusOnlyExistingInstancesAreTaken() {
    ClusterState s = new ClusterState(Cluster.of(List.of(Node.builder("n").cpuMilli(8000)
        .memoryMib(8192).staticMigGpus(2, MigConfigs.named(H100, "all-balanced")).build())));
    PlacementPolicy p = Policies.named("mig-fragmentation", PolicyConfig.of(1));
    Placement a = place(p, mig("a", "1g.10gb", 2), s);
    s.allocate(a);
    for (GpuGrant g : a.grants()) {
      assertTrue(List.of(2, 3).contains(((GpuGrant.Mig) g).startSlot()), a.toString());
    }
    s.allocate(place(p, mig("b", "3g.40gb", 2), s));
    assertTrue(!p.place(mig("c", "3g.40gb", 1), s).isPlaced());
    assertTrue(!p.place(mig("d", "4g.40gb", 1), s).isPlaced());
  }

  /** Result of one stream: requests admitted, arrivals. */
  private record Outcome(int admitted, int arrivals) {}

  /**
   * A seeded stream of MIG arrivals and departures on 16 H100s (2 nodes), replayed through a
   * policy: each arrival is admitted when the policy places it.
   */
  private static Outcome replay(PlacementPolicy policy, long seed, int events) {
    ClusterState s = new ClusterState(Cluster.of(List.of(
        Node.builder("a").cpuMilli(1_000_000).memoryMib(1_000_000).gpus(8, H100).build(),
        Node.builder("b").cpuMilli(1_000_000).memoryMib(1_000_000).gpus(8, H100).build())));
    SplittableRandom r = new SplittableRandom(seed);
    String[] profiles = {"1g.10gb", "1g.20gb", "2g.20gb", "3g.40gb", "4g.40gb", "7g.80gb"};
    int[] weight = {40, 10, 20, 15, 5, 10};
    List<String> live = new ArrayList<>();
    int admitted = 0;
    int arrivals = 0;
    for (int e = 0; e < events; e++) {
      if (live.isEmpty() || r.nextInt(100) < 58) {
        int x = r.nextInt(100);
        int k = 0;
        while (x >= weight[k]) {
          x -= weight[k++];
        }
        arrivals++;
        Decision d = policy.place(mig("r" + e, profiles[k], 1), s);
        if (d instanceof Decision.Placed placed) {
          s.allocate(placed.placement());
          live.add(placed.placement().allocationId());
          admitted++;
        }
      } else {
        s.release(live.remove(r.nextInt(live.size())));
      }
    }
    return new Outcome(admitted, arrivals);
  }

  @Test
  void fragmentationAwarePlacementAdmitsAtLeastAsManyAsFirstSlotOverManyStreams() {
    PlacementPolicy firstSlot =
        PolicyComposer.compose("first-slot", Map.of(), "first-slot", PolicyConfig.of(1));
    PlacementPolicy frag = Policies.named("mig-fragmentation", PolicyConfig.of(1));
    PlacementPolicy firstFit = Policies.named("first-fit", PolicyConfig.of(1));
    long base = 0;
    long aware = 0;
    long fitWithNewStep = 0;
    long arrivals = 0;
    int streams = 40;
    for (long seed = 1; seed <= streams; seed++) {
      Outcome a = replay(firstSlot, seed, 600);
      Outcome b = replay(frag, seed, 600);
      Outcome c = replay(firstFit, seed, 600);
      base += a.admitted();
      aware += b.admitted();
      fitWithNewStep += c.admitted();
      arrivals += a.arrivals();
    }
    System.out.printf("[gpualloc] MIG streams: %d streams, %d arrivals; admitted first-slot %d,"
            + " first-fit (new MIG step) %d, mig-fragmentation %d (%+.2f%% vs first-slot)%n",
        streams, arrivals, base, fitWithNewStep, aware, 100.0 * (aware - base) / base);
    assertTrue(aware >= base, "mig-fragmentation admitted " + aware + " < first-slot " + base);
  }
}

package io.gpualloc.binpack.defrag;

import io.gpualloc.binpack.Policies;
import io.gpualloc.binpack.PolicyConfig;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.Decision;
import io.gpualloc.core.Gpu;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.Node;
import io.gpualloc.core.PlacementPolicy;
import io.gpualloc.core.Request;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Seeded tiny clusters for the defrag properties: 2 or 3 nodes of 2 to 4 GPUs, at most 6
 * allocations (at least 2 tried; a third of the nodes cap their GPUs at 2 shares; whole GPUs, shares or CPU only), random priorities, movable sets, eviction and a
 * fit or empty-nodes goal. A failing seed replays exactly.
 */
final class TinyClusters {
  static final GpuModel H100 = GpuModelCatalog.builtIn().get("H100-80GB");

  private TinyClusters() {}

  static Request demand(SplittableRandom r, String name, int priority) {
    int kind = r.nextInt(10);
    GpuDemand d = kind < 6 ? GpuDemand.whole(1 + r.nextInt(2))
        : kind < 9 ? GpuDemand.shared(1, 300 + 200 * r.nextInt(3), r.nextBoolean() ? 8192 : 30000)
        : GpuDemand.none();
    return Request.builder(name).cpuMilli(500 + 500 * r.nextInt(4)).memoryMib(1024)
        .gpu(d).priority(priority).build();
  }

  static DefragProblem problem(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int nodes = 2 + r.nextInt(2);
    List<Node> ns = new ArrayList<>();
    for (int n = 0; n < nodes; n++) {
      Node.Builder b = Node.builder("n" + n).cpuMilli(6000).memoryMib(64 * 1024);
      int cap = r.nextInt(3) == 0 ? 2 : Gpu.UNLIMITED_SHARES; // HAMi's split count, sometimes
      int gpus = 2 + r.nextInt(3);
      for (int g = 0; g < gpus; g++) {
        b.gpu(new Gpu(g, "n" + n + "-gpu" + g, H100, 0).withMaxShares(cap));
      }
      ns.add(b.build());
    }
    ClusterState ledger = new ClusterState(Cluster.of(ns));
    int maxGpus = 0;
    for (Node n : ns) {
      maxGpus = Math.max(maxGpus, n.gpuCount());
    }
    PlacementPolicy place = Policies.named("random", PolicyConfig.of(seed));
    Map<String, Request> requests = new HashMap<>();
    int allocations = 2 + r.nextInt(5);
    for (int i = 0; i < allocations; i++) {
      Request q = demand(r, "a" + i, r.nextInt(4));
      Decision d = place.place(q, ledger);
      if (d instanceof Decision.Placed p) {
        ledger.allocate(p.placement());
        requests.put(q.name(), q);
      }
    }
    Set<String> movable = new HashSet<>();
    for (String id : requests.keySet()) {
      if (r.nextInt(8) > 0) {
        movable.add(id);
      }
    }
    DefragGoal goal;
    if (r.nextInt(5) < 3) {
      List<Request> pods = new ArrayList<>();
      int count = r.nextInt(4) == 0 ? 2 : 1;
      for (int i = 0; i < count; i++) {
        Request q = demand(r, "p" + i, 0);
        if (q.gpu() instanceof GpuDemand.Whole && r.nextBoolean()) {
          q = Request.builder(q.name()).cpuMilli(q.cpuMilli()).memoryMib(q.memoryMib())
              .gpu(GpuDemand.whole(1 + r.nextInt(maxGpus))).build();
        }
        pods.add(q);
      }
      goal = new DefragGoal.Fit(pods);
    } else {
      goal = DefragGoal.EmptyNodes.any(1 + r.nextInt(nodes));
    }
    int model = r.nextInt(3);
    DefragCosts costs = model == 0 ? DefragCosts.byPriority()
        : model == 1 ? DefragCosts.uniform() : DefragCosts.byGpuCount();
    return DefragProblem.builder(ledger, goal).requests(requests).movable(movable)
        .allowEviction(r.nextBoolean()).costs(costs).build();
  }
}

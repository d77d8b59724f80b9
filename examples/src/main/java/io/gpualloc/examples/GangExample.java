package io.gpualloc.examples;

import io.gpualloc.binpack.gang.Gang;
import io.gpualloc.binpack.gang.GangDecision;
import io.gpualloc.binpack.gang.GangOptions;
import io.gpualloc.binpack.gang.GangPlacer;
import io.gpualloc.binpack.gang.GangPlacers;
import io.gpualloc.binpack.gang.PodSet;
import io.gpualloc.binpack.gang.TopologyConstraint;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import io.gpualloc.core.Request;
import io.gpualloc.topology.ClusterTopology;
import io.gpualloc.topology.TopologyLevels;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Places a 64-worker training job (8 H100 each) rack-local, all or nothing, on a cluster of 512
 * nodes in 8 racks of 64 nodes and 2 blocks (levels hostname, rack, block) that already runs a
 * seeded background load; then shows why a second job of the same shape no longer fits.
 *
 * <p>Run: {@code java -cp benchmarks/target/gpualloc-benchmarks.jar io.gpualloc.examples.GangExample
 * [seed]}.
 */
public final class GangExample {
  private GangExample() {}

  /**
   * Entry point.
   *
   * @param args optional seed of the background load (default 7)
   */
  public static void main(String[] args) {
    long seed = args.length > 0 ? Long.parseLong(args[0]) : 7;
    GpuModel h100 = GpuModelCatalog.builtIn().get("H100-80GB");
    List<Node> nodes = new ArrayList<>();
    for (int b = 0; b < 2; b++) {
      for (int r = 0; r < 4; r++) {
        for (int n = 0; n < 64; n++) {
          String name = String.format(Locale.ROOT, "b%d-r%d-n%02d", b, r, n);
          nodes.add(Node.builder(name).cpuMilli(192_000).memoryMib(2_097_152)
              .label("hostname", name).label("rack", "r" + r).label("block", "b" + b)
              .gpus(8, h100, 2).build());
        }
      }
    }
    Cluster cluster = Cluster.of(nodes);
    ClusterState state = new ClusterState(cluster);
    ClusterTopology topology =
        ClusterTopology.of(cluster, TopologyLevels.of("hostname", "rack", "block"));

    // background: every rack but one has some nodes partly or fully busy
    Random random = new Random(seed);
    int busyGpus = 0;
    int freeRack = random.nextInt(8);
    for (int v = 0; v < cluster.nodeIdBound(); v++) {
      int rack = v / 64;
      if (rack == freeRack || random.nextInt(100) >= 40) {
        continue;
      }
      int gpus = 1 + random.nextInt(8);
      Placement.Builder p = Placement.builder("background-" + v, v).cpuMilli(8_000 * gpus);
      for (int g = 0; g < gpus; g++) {
        p.whole(g);
      }
      state.allocate(p.build());
      busyGpus += gpus;
    }
    System.out.printf(Locale.ROOT, "cluster: %d nodes x 8 H100, 8 racks of 64 nodes in 2 blocks;"
        + " background load holds %d of %d GPUs%n", cluster.nodeCount(), busyGpus,
        cluster.gpuCount());

    GangPlacer greedy = GangPlacers.named("greedy", GangOptions.defaults());
    Request worker = Request.builder("worker").cpuMilli(96_000).memoryMib(1_048_576)
        .gpu(GpuDemand.whole(8)).build();
    Gang first = Gang.builder("train-a").priority(10)
        .podSet(PodSet.of("workers", worker, 64)
            .withTopology(TopologyConstraint.required("rack")))
        .build();
    System.out.println();
    System.out.println("gang train-a: 64 workers x 8 GPUs, all in one rack (REQUIRED)");
    GangDecision a = greedy.placeAndCommit(first, state, topology);
    print(a, cluster);

    Gang second = Gang.builder("train-b").priority(10)
        .podSet(PodSet.of("workers", worker, 64)
            .withTopology(TopologyConstraint.required("rack")))
        .build();
    System.out.println();
    System.out.println("gang train-b: the same shape, placed after train-a");
    GangDecision b = greedy.placeAndCommit(second, state, topology);
    print(b, cluster);
    System.out.printf(Locale.ROOT, "%nledger: %d allocations (train-b left nothing behind)%n",
        state.allocationCount());
  }

  private static void print(GangDecision d, Cluster cluster) {
    if (d instanceof GangDecision.Placed p) {
      System.out.println("  " + d.summary());
      for (GangDecision.ConstraintOutcome o : p.constraints()) {
        System.out.printf(Locale.ROOT, "  level achieved for %s: %s %s (asked %s %s)%n",
            o.scope(), o.level(), o.domain(), o.constraint().mode(), o.constraint().level());
      }
      System.out.printf(Locale.ROOT, "  domains spanned: %d block, %d rack, %d hostname%n",
          p.domainsSpanned("block"), p.domainsSpanned("rack"), p.domainsSpanned("hostname"));
      for (GangDecision.Member m : p.members().subList(0, 3)) {
        Placement pl = m.placement();
        System.out.printf(Locale.ROOT, "  %s -> %s GPUs %s%n", pl.allocationId(),
            cluster.node(pl.nodeId()).name(),
            pl.grants().stream().map(GpuGrant::gpuIndex).toList());
      }
      System.out.printf(Locale.ROOT, "  ... %d more members%n", p.members().size() - 3);
    } else if (d instanceof GangDecision.Rejected r) {
      System.out.println("  gang " + r.gangName() + " not placed (" + r.reason() + "):");
      for (GangDecision.Shortfall s : r.shortfalls()) {
        System.out.println("  " + s.line());
      }
    }
  }
}

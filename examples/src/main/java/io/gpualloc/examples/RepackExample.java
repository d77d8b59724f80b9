package io.gpualloc.examples;

import io.gpualloc.binpack.packing.GpuRepacker;
import io.gpualloc.binpack.packing.RepackProblem;
import io.gpualloc.binpack.packing.RepackResult;
import io.gpualloc.binpack.packing.SolverOptions;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuMode;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import io.gpualloc.core.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Repacks a fragmented 50-node cluster: a seeded synthetic load is first spread over random nodes
 * (as months of churn leave it), then {@link GpuRepacker} computes how many nodes the same load
 * needs, with the proven lower bound and gap, against the first-fit-decreasing baseline. Every
 * node costs 1, so costs are node counts.
 *
 * <p>Run: {@code java -cp examples/target/classes:<classpath> io.gpualloc.examples.RepackExample
 * [seed] [seconds]}.
 */
public final class RepackExample {
  private RepackExample() {}

  /**
   * The example's snapshot: the cluster, the requests running on it, and how many nodes they
   * occupy after the random spread.
   *
   * @param problem the repack problem (every node costs 1)
   * @param busyNodes nodes in use before the repack
   */
  public record Scenario(RepackProblem problem, int busyNodes) {}

  /**
   * Builds the seeded snapshot: 30 nodes of 8 A100-80GB and 20 of 4 T4, and 400 requests spread
   * over random nodes (those that fit stay).
   *
   * @param seed the load's seed
   * @return the snapshot
   */
  public static Scenario scenario(long seed) {
    GpuModelCatalog catalog = GpuModelCatalog.builtIn();
    GpuModel a100 = catalog.get("A100-80GB");
    GpuModel t4 = catalog.get("T4");
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      nodes.add(Node.builder(String.format(Locale.ROOT, "a100-%02d", i)).cpuMilli(96_000)
          .memoryMib(1_048_576).gpus(8, a100, 2).build());
    }
    for (int i = 0; i < 20; i++) {
      nodes.add(Node.builder(String.format(Locale.ROOT, "t4-%02d", i)).cpuMilli(32_000)
          .memoryMib(196_608).gpus(4, t4).build());
    }
    Cluster cluster = Cluster.of(nodes);

    Random rnd = new Random(seed);
    ClusterState state = new ClusterState(cluster);
    List<Request> running = new ArrayList<>();
    for (int k = 0; k < 400; k++) {
      Request r = randomRequest("pod-" + k, rnd);
      Placement p = placeRandomly(state, r, rnd);
      if (p != null) {
        state.allocate(p);
        running.add(r);
      }
    }
    Set<Integer> busy = new HashSet<>();
    for (Placement p : state.allocations()) {
      busy.add(p.nodeId());
    }
    return new Scenario(RepackProblem.of(cluster, running), busy.size());
  }

  /**
   * Entry point: optional seed (default 42) and time budget in seconds (default 10).
   *
   * @param args optional seed and budget in seconds
   */
  public static void main(String[] args) {
    long seed = args.length > 0 ? Long.parseLong(args[0]) : 42;
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
    Scenario sc = scenario(seed);
    Cluster cluster = sc.problem().cluster();
    System.out.printf(Locale.ROOT, "cluster: %d nodes (%d GPUs); %d pods running on %d nodes%n",
        cluster.nodeCount(), cluster.gpuCount(), sc.problem().requests().size(), sc.busyNodes());

    SolverOptions options = SolverOptions.defaults()
        .withTimeLimit(Duration.ofMillis((long) (seconds * 1000))).withWorkers(1).withSeed(seed);
    RepackResult r = GpuRepacker.repack(sc.problem(), options);
    new ClusterState(cluster).allocateAll(r.placements()); // the ledger accepts the answer
    System.out.printf(Locale.ROOT,
        "repacked: %d nodes needed (status %s, lower bound %d, gap %d, by %s, %.1f s)%n",
        r.nodesUsed(), r.status(), r.lowerBound(), r.gap(), r.method(),
        r.wallTime().toMillis() / 1000.0);
    System.out.printf(Locale.ROOT,
        "first fit decreasing on the ledger (the baseline): %d nodes; saved %d%n",
        r.baselineCost(), r.baselineCost() - r.cost());
    System.out.printf(Locale.ROOT, "nodes that could be drained: %d%n",
        sc.busyNodes() - r.nodesUsed());
  }

  private static Request randomRequest(String name, Random rnd) {
    int kind = rnd.nextInt(10);
    Request.Builder b = Request.builder(name)
        .cpuMilli(1000 * (1 + rnd.nextInt(8))).memoryMib(4096 * (1 + rnd.nextInt(8)));
    if (kind < 3) {
      b.gpu(GpuDemand.whole(new int[] {1, 1, 2, 4, 8}[rnd.nextInt(5)]));
    } else if (kind < 8) {
      b.gpu(GpuDemand.shared(1, 100 * (1 + rnd.nextInt(9)), 1024 * (1 + rnd.nextInt(12))));
    }
    return b.build();
  }

  /** A placement on a random node that fits (whole GPUs: free ones; shares: random fitting GPU). */
  private static Placement placeRandomly(ClusterState state, Request r, Random rnd) {
    Cluster c = state.cluster();
    for (int attempt = 0; attempt < 20; attempt++) {
      int n = rnd.nextInt(c.nodeCount());
      if (state.freeCpuMilli(n) < r.cpuMilli() || state.freeMemoryMib(n) < r.memoryMib()) {
        continue;
      }
      Placement.Builder b = Placement.builder(r.name(), n).cpuMilli(r.cpuMilli())
          .memoryMib(r.memoryMib());
      List<Integer> gpus = new ArrayList<>();
      for (int i = 0; i < c.node(n).gpuCount(); i++) {
        gpus.add(i);
      }
      java.util.Collections.shuffle(gpus, rnd);
      boolean ok = true;
      if (r.gpu() instanceof GpuDemand.Whole w) {
        int got = 0;
        for (int i : gpus) {
          if (got < w.count() && state.gpuMode(c.gpuId(n, i)) == GpuMode.FREE) {
            b.whole(i);
            got++;
          }
        }
        ok = got == w.count();
      } else if (r.gpu() instanceof GpuDemand.Shared s) {
        ok = false;
        for (int i : gpus) {
          if (state.canShare(c.gpuId(n, i), s.computeMilli(), s.memoryMib())) {
            b.share(i, s.computeMilli(), s.memoryMib());
            ok = true;
            break;
          }
        }
      }
      if (ok) {
        return b.build();
      }
    }
    return null;
  }
}

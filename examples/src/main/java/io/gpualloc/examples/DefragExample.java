package io.gpualloc.examples;

import io.gpualloc.binpack.defrag.DefragGoal;
import io.gpualloc.binpack.defrag.DefragPlan;
import io.gpualloc.binpack.defrag.DefragPlanners;
import io.gpualloc.binpack.defrag.DefragProblem;
import io.gpualloc.binpack.defrag.DefragStep;
import io.gpualloc.binpack.defrag.DryRun;
import io.gpualloc.binpack.packing.SolverOptions;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import io.gpualloc.core.Request;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Makes room for a waiting 8-GPU training pod on three nodes of 8 H100s that have 8 GPUs free
 * between them but at most 4 on one node. The baseline evicts, the greedy moves the blockers of
 * one node, and CP-SAT finds a cheaper chain of two moves; each plan is printed step by step and
 * replayed on a fork of the ledger.
 *
 * <p>Run: {@code java -cp benchmarks/target/gpualloc-benchmarks.jar
 * io.gpualloc.examples.DefragExample [seconds]}.
 */
public final class DefragExample {
  private DefragExample() {}

  /**
   * Entry point.
   *
   * @param args optional CP-SAT time budget in seconds (default 10)
   */
  public static void main(String[] args) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
    GpuModel h100 = GpuModelCatalog.builtIn().get("H100-80GB");
    Cluster cluster = Cluster.of(node("node-a", h100), node("node-b", h100),
        node("node-c", h100));
    ClusterState ledger = new ClusterState(cluster);
    Map<String, Request> requests = new HashMap<>();
    // node-a: a 4-GPU job (priority 0) and a 2-GPU service (priority 3); 2 GPUs free
    run(ledger, requests, "job-x", 0, 0, 4, 0);
    run(ledger, requests, "svc-y", 0, 4, 2, 3);
    // node-b: a 4-GPU job (priority 1); 4 GPUs free
    run(ledger, requests, "job-z", 1, 0, 4, 1);
    // node-c: a 6-GPU job (priority 0); 2 GPUs free
    run(ledger, requests, "job-w", 2, 0, 6, 0);
    Request train = Request.builder("train-0").cpuMilli(16_000).memoryMib(256 * 1024)
        .gpu(GpuDemand.whole(8)).build();
    DefragProblem problem = DefragProblem.builder(ledger, DefragGoal.Fit.of(train))
        .requests(requests).allowEviction(true).build();
    System.out.println("waiting: train-0, 8 whole GPUs; free GPUs per node: a="
        + ledger.freeWholeGpus(0) + " b=" + ledger.freeWholeGpus(1) + " c="
        + ledger.freeWholeGpus(2));
    System.out.println("costs: a move 1 + priority, an eviction 10 x (1 + priority)");
    SolverOptions options = SolverOptions.defaults()
        .withTimeLimit(Duration.ofMillis((long) (seconds * 1000)));
    for (String name : DefragPlanners.names()) {
      DefragPlan plan = DefragPlanners.named(name, options).plan(problem);
      System.out.println();
      System.out.println(name + ": " + plan.summary());
      if (plan instanceof DefragPlan.Planned p) {
        int i = 1;
        for (DefragStep s : p.steps()) {
          System.out.println("  " + i++ + ". " + describe(s, cluster));
        }
        for (Placement q : p.placements()) {
          System.out.println("  then place " + q.allocationId() + " on "
              + cluster.node(q.nodeId()).name() + " GPUs " + gpus(q));
        }
        System.out.println("  dry run: " + DryRun.check(ledger, problem, p).detail());
      }
    }
  }

  private static Node node(String name, GpuModel model) {
    return Node.builder(name).cpuMilli(96_000).memoryMib(1024 * 1024).gpus(8, model).build();
  }

  private static void run(ClusterState ledger, Map<String, Request> requests, String id,
      int node, int first, int count, int priority) {
    Placement.Builder b = Placement.builder(id, node).cpuMilli(2000 * count)
        .memoryMib(32 * 1024 * count);
    for (int g = first; g < first + count; g++) {
      b.whole(g);
    }
    ledger.allocate(b.build());
    requests.put(id, Request.builder(id).cpuMilli(2000 * count).memoryMib(32 * 1024 * count)
        .gpu(GpuDemand.whole(count)).priority(priority).build());
  }

  private static String describe(DefragStep s, Cluster cluster) {
    if (s instanceof DefragStep.Move m) {
      return "move " + m.allocationId() + " from " + cluster.node(m.fromNode()).name() + " to "
          + cluster.node(m.toNode()).name() + " GPUs " + gpus(m.placement()) + " (cost "
          + m.cost() + ")";
    }
    DefragStep.Evict e = (DefragStep.Evict) s;
    return "evict " + e.allocationId() + " from " + cluster.node(e.fromNode()).name() + " (cost "
        + e.cost() + ")";
  }

  private static String gpus(Placement p) {
    StringBuilder b = new StringBuilder("[");
    for (GpuGrant g : p.grants()) {
      b.append(b.length() == 1 ? "" : ",").append(g.gpuIndex());
    }
    return b.append(']').toString();
  }
}

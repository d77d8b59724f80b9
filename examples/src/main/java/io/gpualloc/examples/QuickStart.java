package io.gpualloc.examples;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;

/** The README's quick start: build a cluster, allocate, release. */
public final class QuickStart {
  private QuickStart() {}

  /** Runs the quick start and prints what the ledger holds after each step. */
  public static void main(String[] args) {
    // quick-start-begin
    GpuModel a100 = GpuModelCatalog.builtIn().get("A100-80GB");
    Cluster cluster = Cluster.of(
        Node.builder("dgx-0").cpuMilli(128_000).memoryMib(1_048_576).gpus(8, a100, 2).build(),
        Node.builder("dgx-1").cpuMilli(128_000).memoryMib(1_048_576).gpus(8, a100, 2).build());
    ClusterState ledger = new ClusterState(cluster);

    int dgx0 = cluster.nodeId("dgx-0");
    ledger.allocate(Placement.builder("train-0", dgx0)            // 4 whole GPUs
        .cpuMilli(32_000).memoryMib(262_144).whole(0).whole(1).whole(2).whole(3).build());
    ledger.allocate(Placement.builder("notebook-7", dgx0)         // 30% of GPU 4, 20 GiB
        .cpuMilli(4_000).memoryMib(16_384).share(4, 300, 20_480).build());
    ledger.allocate(Placement.builder("infer-3", dgx0)            // a MIG 3g.40gb slice
        .cpuMilli(2_000).memoryMib(8_192).mig(5, "3g.40gb", 4).build());

    System.out.println("free whole GPUs on dgx-0: " + ledger.freeWholeGpus(dgx0));
    System.out.println("free compute of GPU 4:    " + ledger.gpuFreeComputeMilli(
        cluster.gpuId(dgx0, 4)) + " milli-GPU");
    ledger.release("train-0");
    System.out.println("after release:            " + ledger.freeWholeGpus(dgx0) + " free");
    // quick-start-end
  }
}

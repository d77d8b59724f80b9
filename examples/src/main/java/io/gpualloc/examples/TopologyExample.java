package io.gpualloc.examples;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import io.gpualloc.topology.GpuSet;
import io.gpualloc.topology.GpuSetChoice;
import io.gpualloc.topology.GpuSetSelector;
import io.gpualloc.topology.GpuSetSelectors;
import io.gpualloc.topology.LinkScores;
import io.gpualloc.topology.NodeInterconnect;
import io.gpualloc.topology.Preset;
import io.gpualloc.topology.TopoMatrix;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Topology-aware GPU set selection on a DGX-1 (8x V100, hybrid cube-mesh), and import of an {@code
 * nvidia-smi topo -m} text.
 *
 * <p>Part 1 places a 1-, 2-, 4- and 8-GPU job each on an empty DGX-1 and prints the chosen sets
 * with their scores, next to the go-gpuallocator and HAMi baselines, then the same on a partly used
 * DGX-1 where the answers differ. Part 2 places the 1-, 2- and
 * 4-GPU jobs one after the other through the ledger, so each sees what the others left; the 8-GPU
 * job is then rejected with its reason. Part 3 parses a {@code topo -m} text: the file given as the
 * first argument, or the bundled sample of a 4-GPU server with NVLink-bridged pairs.
 *
 * <p>Run: {@code mvn -q -pl examples -am package -DskipTests && java -cp
 * "examples/target/classes:topology/target/classes:core/target/classes"
 * io.gpualloc.examples.TopologyExample [topo.txt]}
 */
public final class TopologyExample {
  private TopologyExample() {}

  /**
   * Runs the example.
   *
   * @param args an optional path to a {@code nvidia-smi topo -m} text file
   * @throws IOException when the bundled sample cannot be read
   */
  public static void main(String[] args) throws IOException {
    NodeInterconnect dgx1 = Preset.DGX1_V100.interconnect();
    GpuSetSelector exact = GpuSetSelectors.branchAndBound();
    GpuSetSelector go = GpuSetSelectors.goGpuAllocatorBestEffort(LinkScores.DEFAULT);
    GpuSetSelector hami = GpuSetSelectors.hamiTopologyScore(LinkScores.DEFAULT);

    System.out.println("== 1. Each job alone on an empty " + dgx1.name());
    System.out.printf("%-4s %-36s %-36s %-36s%n", "k", exact.name(), go.name(), hami.name());
    for (int k : new int[] {1, 2, 4, 8}) {
      GpuSet free = GpuSet.range(8);
      System.out.printf("%-4d %-36s %-36s %-36s%n", k,
          show(exact.select(dgx1, free, GpuSet.empty(), k)),
          show(go.select(dgx1, free, GpuSet.empty(), k)),
          show(hami.select(dgx1, free, GpuSet.empty(), k)));
    }

    System.out.println("-- the same on a partly used DGX-1, free GPUs {0, 1, 2, 6}:");
    for (int k : new int[] {1, 2, 3}) {
      GpuSet free = GpuSet.of(0, 1, 2, 6);
      System.out.printf("%-4d %-36s %-36s %-36s%n", k,
          show(exact.select(dgx1, free, GpuSet.empty(), k)),
          show(go.select(dgx1, free, GpuSet.empty(), k)),
          show(hami.select(dgx1, free, GpuSet.empty(), k)));
    }

    System.out.println();
    System.out.println("== 2. Jobs of 1, 2, 4 and 8 GPUs one after the other (ledger)");
    Node node = Node.builder("dgx1-0").cpuMilli(80_000).memoryMib(512 * 1024)
        .gpus(8, GpuModelCatalog.builtIn().get("V100-SXM2-32GB"), 2).build();
    ClusterState state = new ClusterState(Cluster.of(node));
    for (int k : new int[] {1, 2, 4, 8}) {
      GpuSet free = GpuSet.wholeFree(state, 0);
      GpuSetChoice choice = exact.select(dgx1, free, GpuSet.empty(), k);
      System.out.println("job of " + k + " GPU(s), free " + free + ": " + show(choice));
      if (choice instanceof GpuSetChoice.Chosen chosen) {
        Placement.Builder p = Placement.builder("job-" + k, 0);
        for (int g : chosen.gpus().toArray()) {
          p.whole(g);
        }
        state.allocate(p.build());
      } else if (choice instanceof GpuSetChoice.Rejected rejected) {
        System.out.println("  rejected (" + rejected.reason().text() + "): " + rejected.message());
      }
    }

    System.out.println();
    NodeInterconnect parsed;
    if (args.length > 0) {
      parsed = TopoMatrix.parse(Path.of(args[0]));
    } else {
      try (InputStream in = TopologyExample.class.getResourceAsStream("topo-sample.txt")) {
        if (in == null) {
          throw new IOException("bundled topo-sample.txt is missing from the class path");
        }
        parsed = TopoMatrix.parse("topo-sample.txt",
            new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    System.out.println("== 3. Parsed " + parsed.name() + ": " + parsed.gpuCount() + " GPUs, "
        + parsed.nics().size() + " NICs");
    for (int i = 0; i < parsed.gpuCount(); i++) {
      StringBuilder row = new StringBuilder("GPU" + i + " NUMA " + parsed.numaNode(i) + ":");
      for (int j = 0; j < parsed.gpuCount(); j++) {
        row.append(' ').append(i == j ? "X" : parsed.link(i, j).token());
      }
      row.append("  closest NIC ").append(parsed.closestNics(i).isEmpty() ? "-"
          : parsed.closestNics(i).get(0).name());
      System.out.println(row);
    }
    GpuSet partlyTaken = GpuSet.range(parsed.gpuCount()).minus(GpuSet.of(0));
    System.out.println("GPU0 busy, one more 1-GPU job: "
        + show(exact.select(parsed, partlyTaken, GpuSet.empty(), 1))
        + " (keeps the intact NVLink pair free)");
    for (String w : parsed.warnings()) {
      System.out.println("warning: " + w);
    }
  }

  private static String show(GpuSetChoice c) {
    if (c instanceof GpuSetChoice.Chosen ch) {
      return ch.gpus() + " score " + ch.score();
    }
    return "rejected";
  }
}

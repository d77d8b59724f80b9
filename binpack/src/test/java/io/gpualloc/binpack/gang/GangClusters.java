package io.gpualloc.binpack.gang;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.Node;
import io.gpualloc.core.Request;
import io.gpualloc.topology.TopologyLevels;
import java.util.ArrayList;
import java.util.List;

/** Small labelled clusters for the gang tests. */
final class GangClusters {
  static final GpuModel H100 = GpuModelCatalog.builtIn().get("H100-80GB");
  static final TopologyLevels LEVELS = TopologyLevels.of("hostname", "rack", "block");

  private GangClusters() {}

  /** {@code blocks} x {@code racks} x {@code nodes} nodes of {@code gpus} H100, 64 cores each. */
  static Cluster cluster(int blocks, int racks, int nodes, int gpus) {
    List<Node> out = new ArrayList<>();
    for (int b = 0; b < blocks; b++) {
      for (int r = 0; r < racks; r++) {
        for (int n = 0; n < nodes; n++) {
          String name = "b" + b + "-r" + r + "-n" + n;
          out.add(Node.builder(name).cpuMilli(64_000).memoryMib(512 * 1024)
              .label("hostname", name).label("rack", "r" + r).label("block", "b" + b)
              .gpus(gpus, H100, 2).build());
        }
      }
    }
    return Cluster.of(out);
  }

  /** A template of {@code gpus} whole GPUs and 1 core. */
  static Request whole(int gpus) {
    return Request.builder("pod").cpuMilli(1000).memoryMib(1024).gpu(GpuDemand.whole(gpus)).build();
  }
}

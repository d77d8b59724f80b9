package io.gpualloc.benchmarks.replay;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.Node;
import io.gpualloc.core.Request;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Maps openb rows onto the gpualloc model. The trace's public model names ({@code T4}, {@code
 * P100}, {@code V100M16}, {@code V100M32}, {@code A10}) resolve through the built-in catalog's
 * aliases; its anonymised {@code G2} and {@code G3} are registered as custom models. GPU memory is
 * not part of the trace, so requests ask only for compute.
 */
public final class OpenbModels {
  /** The built-in catalog plus the trace's anonymised models. */
  public static final GpuModelCatalog CATALOG = GpuModelCatalog.builtIn()
      .with(GpuModel.of("G1", 32_768))
      .with(GpuModel.of("G2", 32_768))
      .with(GpuModel.of("G3", 32_768));

  private OpenbModels() {}

  /** A cluster of the GPU nodes (nodes without GPUs are kept: they can host CPU-only pods). */
  public static Cluster cluster(List<OpenbNode> nodes) {
    List<Node> out = new ArrayList<>(nodes.size());
    for (OpenbNode n : nodes) {
      Node.Builder b = Node.builder(n.name()).cpuMilli(n.cpuMilli()).memoryMib(n.memoryMib());
      if (n.gpus() > 0) {
        b.gpus(n.gpus(), CATALOG.get(n.model()));
      }
      out.add(b.build());
    }
    return Cluster.of(out);
  }

  /** The request for one pod; the allocation id is the pod's name. */
  public static Request request(OpenbPod pod) {
    return request(pod, pod.name());
  }

  /** The request for one pod under another name (resampled copies need distinct ids). */
  public static Request request(OpenbPod pod, String name) {
    GpuDemand demand;
    if (pod.numGpu() == 0) {
      demand = GpuDemand.none();
    } else if (pod.gpuMilli() < 1000) {
      demand = GpuDemand.shared(1, pod.gpuMilli(), 0);
    } else {
      demand = GpuDemand.whole(pod.numGpu());
    }
    Set<String> models = new LinkedHashSet<>();
    for (String m : pod.gpuSpec()) {
      models.add(CATALOG.get(m).name());
    }
    return Request.builder(name).cpuMilli(pod.cpuMilli()).memoryMib(pod.memoryMib())
        .gpu(demand).modelInclude(models).build();
  }

  /** Requests for all pods, named as in the trace. */
  public static List<Request> requests(List<OpenbPod> pods) {
    List<Request> out = new ArrayList<>(pods.size());
    for (OpenbPod p : pods) {
      out.add(request(p));
    }
    return out;
  }
}

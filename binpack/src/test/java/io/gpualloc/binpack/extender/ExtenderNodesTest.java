package io.gpualloc.binpack.extender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.binpack.extender.Extender.NodeChange;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import io.gpualloc.core.io.k8s.KubeNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Extender.applyNode and removeNode: how the ledger follows Kubernetes Nodes. */
class ExtenderNodesTest {
  static final io.gpualloc.core.GpuModel A100 = GpuModelCatalog.builtIn().get("A100-SXM4-80GB");

  static Node node(String name, int gpus, Map<String, String> labels) {
    Node.Builder b = Node.builder(name).cpuMilli(16_000).memoryMib(65_536);
    labels.forEach(b::label);
    for (int g = 0; g < gpus; g++) {
      b.gpu("GPU-" + name + "-" + g, A100, 0);
    }
    return b.build();
  }

  static KubeNode kube(Node n, List<String> cordon, List<Integer> unhealthy) {
    return new KubeNode(n, cordon, Map.of(), unhealthy, List.of());
  }

  @Test
  void addUpdateReplaceRemove() {
    ClusterState s = new ClusterState(Cluster.of(List.of()));
    Extender e = ExtenderBindTest.extender(s, ExtenderBindTest.AT);
    assertEquals(NodeChange.ADDED, e.applyNode(kube(node("a", 2, Map.of()), List.of(),
        List.of())));
    assertEquals(NodeChange.UNCHANGED, e.applyNode(kube(node("a", 2, Map.of()), List.of(),
        List.of())));
    s.allocate(Placement.builder("ml/p", 0).cpuMilli(1000).whole(1).build());
    // cordoned, GPU 0 unhealthy, relabelled
    assertEquals(NodeChange.UPDATED, e.applyNode(kube(node("a", 2, Map.of("rack", "r1")),
        List.of("spec.unschedulable"), List.of(0))));
    int id = s.cluster().nodeId("a");
    assertTrue(s.isCordoned(id));
    assertFalse(s.isGpuHealthy(s.cluster().gpuId(id, 0)));
    assertEquals("r1", s.cluster().node(id).labels().get("rack"));
    // healthy and schedulable again
    assertEquals(NodeChange.UPDATED, e.applyNode(kube(node("a", 2, Map.of("rack", "r1")),
        List.of(), List.of())));
    assertFalse(s.isCordoned(id));
    assertTrue(s.isGpuHealthy(s.cluster().gpuId(id, 0)));
    // a GPU more: replaced under a new id, the allocation kept on GPU 1
    assertEquals(NodeChange.REPLACED, e.applyNode(kube(node("a", 4, Map.of("rack", "r1")),
        List.of(), List.of())));
    Placement kept = s.allocation("ml/p");
    assertNotNull(kept);
    assertEquals(s.cluster().nodeId("a"), kept.nodeId());
    assertEquals(1, kept.grants().get(0).gpuIndex());
    // down to one GPU: the allocation on GPU 1 no longer fits and is dropped
    assertEquals(NodeChange.REPLACED, e.applyNode(kube(node("a", 1, Map.of()), List.of(),
        List.of())));
    assertNull(s.allocation("ml/p"));
    assertEquals(List.of(), e.removeNode("nope"));
    assertEquals(List.of(), e.removeNode("a"));
    assertEquals(0, s.cluster().nodeCount());
  }
}

package io.gpualloc.binpack.extender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.binpack.Policies;
import io.gpualloc.binpack.PolicyConfig;
import io.gpualloc.binpack.TargetWorkload;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.Request;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import io.gpualloc.core.io.k8s.FilterResult;
import io.gpualloc.core.io.k8s.HostPriority;
import io.gpualloc.core.io.k8s.KubeMapping;
import io.gpualloc.core.io.k8s.KubeMapping.GpuSemantics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Filter and prioritize on hand-built clusters, for every named policy. */
class ExtenderTest {
  private static final KubeMapping HAMI = KubeMapping.of(GpuSemantics.HAMI);

  static String pod(String limits) {
    return "{\"metadata\":{\"name\":\"train-0\",\"namespace\":\"ml\"},\"spec\":{\"containers\":"
        + "[{\"name\":\"main\",\"resources\":{\"requests\":{\"cpu\":\"1\"},\"limits\":{" + limits
        + "}}}]}}";
  }

  static String byName(String pod, List<String> names) {
    StringBuilder sb = new StringBuilder("{\"Pod\":").append(pod).append(",\"Nodes\":null,")
        .append("\"NodeNames\":[");
    for (int i = 0; i < names.size(); i++) {
      sb.append(i > 0 ? "," : "").append('"').append(names.get(i)).append('"');
    }
    return sb.append("]}").toString();
  }

  /** gpu-a: 2 A100 both taken whole; gpu-b: 2 free; gpu-c: one free, one half shared. */
  static ClusterState cluster() {
    var a100 = GpuModelCatalog.builtIn().get("A100-SXM4-80GB");
    List<Node> nodes = new ArrayList<>();
    for (String n : List.of("gpu-a", "gpu-b", "gpu-c")) {
      nodes.add(Node.builder(n).cpuMilli(32_000).memoryMib(262_144).gpus(2, a100).build());
    }
    ClusterState s = new ClusterState(Cluster.of(nodes));
    s.allocate(Placement.builder("x", 0).whole(0).whole(1).build());
    s.allocate(Placement.builder("y", 2).share(1, 500, 40_000).build());
    return s;
  }

  @Test
  void filterByNameForEveryPolicy() {
    // the fgd policies need a target workload: one task class, the request itself
    TargetWorkload workload = TargetWorkload.fromRequests(List.of(Request.builder("t")
        .cpuMilli(1000).gpu(GpuDemand.whole(2)).build()));
    for (String name : Policies.names()) {
      PolicyConfig config = PolicyConfig.of(1).withWorkload(workload);
      Extender e = Extender.of(Policies.named(name, config), cluster(), HAMI);
      FilterResult r = e.filterResult(byName(pod("\"nvidia.com/gpu\":\"2\""),
          List.of("gpu-a", "gpu-b", "gpu-c", "gpu-z")));
      assertEquals("", r.error(), name);
      assertEquals(List.of("gpu-b"), r.nodeNames(), name);
      assertEquals(List.of("gpu-a", "gpu-c"), List.copyOf(r.failedNodes().keySet()), name);
      assertEquals(List.of("gpu-z"), List.copyOf(r.failedAndUnresolvableNodes().keySet()), name);
      assertNull(r.rawNodes());
    }
  }

  @Test
  void prioritizeGivesTheChoiceTenAndInfeasibleZero() {
    Extender e = Extender.of(Policies.named("best-fit", PolicyConfig.of(1)), cluster(), HAMI);
    List<HostPriority> p = e.priorities(byName(pod("\"nvidia.com/gpu\":\"1\","
        + "\"nvidia.com/gpumem\":\"10000\""), List.of("gpu-a", "gpu-b", "gpu-c", "gpu-z")));
    assertEquals(4, p.size());
    assertEquals(new HostPriority("gpu-a", 0), p.get(0));
    assertEquals(new HostPriority("gpu-z", 0), p.get(3));
    int b = p.get(1).score();
    int c = p.get(2).score();
    assertEquals(10, Math.max(b, c));
    assertTrue(Math.min(b, c) < 10);
    String json = e.prioritize(byName(pod("\"nvidia.com/gpu\":\"1\""), List.of("gpu-b")));
    assertEquals("[{\"Host\":\"gpu-b\",\"Score\":10}]", json);
  }

  @Test
  void badInputIsAnErrorResultNeverAnException() {
    Extender e = Extender.of(Policies.named("best-fit", PolicyConfig.of(1)), cluster(), HAMI);
    for (String body : List.of("", "{", "[]", "{\"Pod\":{}}", byName(pod("\"nvidia.com/gpu\":"
        + "\"1.5\""), List.of("gpu-a")), byName(pod("\"nvidia.com/mig-9g.99gb\":\"1\""),
        List.of("gpu-b")))) {
      FilterResult r = e.filterResult(body);
      assertTrue(!r.error().isEmpty() || r.nodeNames() != null, body);
      String out = e.filter(body);
      assertTrue(out.startsWith("{\"Nodes\":"), out);
      assertEquals("[]".equals(e.prioritize(body)) || e.prioritize(body).startsWith("[{"), true);
    }
    assertTrue(e.filterResult("{").error().contains("ExtenderArgs"));
  }

  @Test
  void fullNodesComeBackUnmodified() {
    Extender e = Extender.of(Policies.named("first-fit", PolicyConfig.of(1)), cluster(), HAMI);
    String nodeB = "{\"metadata\":{\"name\":\"gpu-b\",\"labels\":{\"x\":\"1\"}},\"status\":{}}";
    String nodeA = "{\"metadata\":{\"name\":\"gpu-a\"},\"status\":{}}";
    String body = "{\"Pod\":" + pod("\"nvidia.com/gpu\":\"1\"") + ",\"Nodes\":{\"items\":["
        + nodeA + "," + nodeB + "]},\"NodeNames\":null}";
    FilterResult r = e.filterResult(body);
    assertEquals(List.of(nodeB), r.rawNodes());
    assertNull(r.nodeNames());
    assertEquals(Map.of("gpu-a", r.failedNodes().get("gpu-a")), r.failedNodes());
  }
}

package io.gpualloc.core.io.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.ParseException;
import io.gpualloc.core.ReadLimits;
import io.gpualloc.core.io.k8s.KubeMapping.GpuSemantics;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** kube-scheduler's extender JSON, in the shapes and key spellings it writes. */
class ExtenderJsonTest {
  private static final KubeMapping HAMI = KubeMapping.of(GpuSemantics.HAMI);
  private static final String POD = KubeMappingTest.pod(KubeMappingTest.container("main", "",
      "\"nvidia.com/gpu\":\"2\",\"nvidia.com/gpumem\":\"20000\""), "", "");

  @Test
  void argsByName() {
    String body = "{\"Pod\":" + POD + ",\"Nodes\":null,\"NodeNames\":[\"gpu-a\",\"gpu-b\"]}";
    ExtenderArgs a = ExtenderJson.readArgs(body, HAMI);
    assertEquals(List.of("gpu-a", "gpu-b"), a.nodeNames());
    assertNull(a.nodes());
    assertEquals(GpuDemand.shared(2, 0, 20000), a.pod().request().gpu());
    // the pre-staging tags and Go's case-insensitive decoding
    ExtenderArgs lower = ExtenderJson.readArgs(body.replace("\"Pod\"", "\"pod\"")
        .replace("\"NodeNames\"", "\"nodenames\"").replace("\"Nodes\"", "\"NODES\""), HAMI);
    assertEquals(a, lower);
  }

  @Test
  void argsWithFullNodesKeepTheirJson() {
    String node = KubeMappingTest.node("gpu-a",
        ",\"nvidia.com/gpu.product\":\"NVIDIA-A100-SXM4-80GB\",\"nvidia.com/gpu.count\":\"8\"", "",
        "\"cpu\":\"64\"");
    String body = "{\"Pod\":" + POD + ",\"Nodes\":{\"metadata\":{},\"items\":[" + node
        + "]},\"NodeNames\":null}";
    ExtenderArgs a = ExtenderJson.readArgs(body, HAMI);
    assertEquals(8, a.nodes().get(0).node().gpuCount());
    String out = ExtenderJson.writeFilterResult(
        new FilterResult(null, a.rawNodes(), Map.of(), Map.of(), ""));
    assertEquals("{\"Nodes\":{\"metadata\":{},\"items\":[" + node + "]},\"NodeNames\":null,"
        + "\"FailedNodes\":{},\"FailedAndUnresolvableNodes\":{},\"Error\":\"\"}", out);
  }

  @Test
  void writers() {
    assertEquals("{\"Nodes\":null,\"NodeNames\":[\"gpu-b\"],\"FailedNodes\":{\"gpu-a\":"
        + "\"CardInsufficientMemory: 0/8 GPUs have 20000 MiB free\"},"
        + "\"FailedAndUnresolvableNodes\":{\"gpu-c\":\"CardTypeMismatch\"},\"Error\":\"\"}",
        ExtenderJson.writeFilterResult(new FilterResult(List.of("gpu-b"), null,
            Map.of("gpu-a", "CardInsufficientMemory: 0/8 GPUs have 20000 MiB free"),
            Map.of("gpu-c", "CardTypeMismatch"), "")));
    assertEquals("[{\"Host\":\"gpu-b\",\"Score\":9},{\"Host\":\"gpu-c\",\"Score\":3}]",
        ExtenderJson.writePriorities(List.of(new HostPriority("gpu-b", 9),
            new HostPriority("gpu-c", 3))));
    assertEquals("{\"Error\":\"\"}", ExtenderJson.writeBindingResult(""));
    assertEquals("{\"Nodes\":null,\"NodeNames\":null,\"FailedNodes\":{},"
        + "\"FailedAndUnresolvableNodes\":{},\"Error\":\"bad \\\"pod\\\"\"}",
        ExtenderJson.writeFilterResult(FilterResult.ofError("bad \"pod\"")));
    assertThrows(InvalidSpecException.class, () -> new HostPriority("n", 11));
  }

  @Test
  void bindingArgs() {
    String body = "{\"PodName\":\"train-0\",\"PodNamespace\":\"ml\",\"PodUID\":\"5f0c\","
        + "\"Node\":\"gpu-b\"}";
    BindingArgs b = ExtenderJson.readBindingArgs(body, HAMI);
    assertEquals(new BindingArgs("train-0", "ml", "5f0c", "gpu-b"), b);
    assertEquals("ml/train-0", b.podKey());
    assertEquals(b, ExtenderJson.readBindingArgs(body.toLowerCase(Locale.ROOT)
        .replace("train-0", "train-0").replace("gpu-b", "gpu-b"), HAMI));
    assertThrows(ParseException.class, () -> ExtenderJson.readBindingArgs("{\"PodName\":\"x\"}",
        HAMI));
  }

  @Test
  void badArgsAreTypedErrors() {
    ParseException both = assertThrows(ParseException.class, () -> ExtenderJson.readArgs(
        "{\"Pod\":" + POD + ",\"Nodes\":{\"items\":[]},\"NodeNames\":[]}", HAMI));
    assertTrue(both.getMessage().contains("both"), both.getMessage());
    assertThrows(ParseException.class, () -> ExtenderJson.readArgs("{\"Pod\":" + POD + "}", HAMI));
    assertThrows(ParseException.class, () -> ExtenderJson.readArgs("{\"NodeNames\":[]}", HAMI));
    assertThrows(ParseException.class, () -> ExtenderJson.readArgs(
        "{\"Pod\":" + POD + ",\"NodeNames\":[1]}", HAMI));
    ParseException pod = assertThrows(ParseException.class, () -> ExtenderJson.readArgs(
        "{\"Pod\":{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"resources\":"
            + "{\"limits\":{\"cpu\":\"x\"}}}]}},\"NodeNames\":[]}", HAMI));
    assertEquals("Pod.spec.containers[0].resources.limits[\"cpu\"]", pod.path());
    assertThrows(ParseException.class, () -> ExtenderJson.readArgs(
        "{\"Pod\":" + POD + ",\"NodeNames\":[\"a\",\"b\"]}",
        HAMI.withLimits(ReadLimits.defaults().withMaxNodes(1))));
  }
}

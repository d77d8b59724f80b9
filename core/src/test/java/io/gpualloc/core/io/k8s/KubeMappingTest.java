package io.gpualloc.core.io.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.Node;
import io.gpualloc.core.ParseException;
import io.gpualloc.core.ReadLimits;
import io.gpualloc.core.Request;
import io.gpualloc.core.io.k8s.KubeMapping.GpuSemantics;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Pods and Nodes as the API server writes them, mapped to hand-computed requests and nodes. */
class KubeMappingTest {
  private static final KubeMapping WHOLE = KubeMapping.of(GpuSemantics.WHOLE);
  private static final KubeMapping HAMI = KubeMapping.of(GpuSemantics.HAMI);

  /** A pod with the given containers and init containers (JSON arrays' contents). */
  static String pod(String containers, String inits, String extraSpec) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"train-0\","
        + "\"namespace\":\"ml\",\"uid\":\"5f0c9a1e-0000-4000-8000-000000000001\","
        + "\"annotations\":{\"hami.io/gpu-scheduler-policy\":\"binpack\"}},"
        + "\"spec\":{\"schedulerName\":\"gpu-scheduler\",\"priority\":7," + extraSpec
        + "\"initContainers\":[" + inits + "],\"containers\":[" + containers + "]},"
        + "\"status\":{\"phase\":\"Pending\"}}";
  }

  static String container(String name, String requests, String limits) {
    return "{\"name\":\"" + name + "\",\"image\":\"trainer:1\",\"resources\":{"
        + "\"requests\":{" + requests + "},\"limits\":{" + limits + "}}}";
  }

  @Test
  void wholeGpusAndHostResources() {
    KubePod p = WHOLE.readPod(pod(container("main",
        "\"cpu\":\"500m\",\"memory\":\"16Gi\"", "\"nvidia.com/gpu\":\"2\""), "", ""));
    assertEquals("ml", p.namespace());
    assertEquals("train-0", p.name());
    assertEquals("5f0c9a1e-0000-4000-8000-000000000001", p.uid());
    assertEquals("binpack", p.annotations().get("hami.io/gpu-scheduler-policy"));
    Request r = p.request();
    assertEquals("ml/train-0", r.name());
    assertEquals(500, r.cpuMilli());
    assertEquals(16384, r.memoryMib());
    assertEquals(GpuDemand.whole(2), r.gpu());
    assertEquals(7, r.priority());
  }

  @Test
  void initContainersTakeTheMaxOfInitAndTheSumOfApps() {
    String apps = container("a", "\"cpu\":\"1\",\"memory\":\"1Gi\"", "")
        + "," + container("b", "\"cpu\":\"1500m\",\"memory\":\"1Gi\"", "");
    String inits = container("i1", "\"cpu\":\"4\",\"memory\":\"512Mi\"", "")
        + "," + container("i2", "\"cpu\":\"1\",\"memory\":\"3Gi\"", "");
    Request r = WHOLE.readPod(pod(apps, inits, "")).request();
    assertEquals(4000, r.cpuMilli()); // max(4, 1 + 1.5)
    assertEquals(3072, r.memoryMib()); // max(3Gi, 2Gi)
  }

  @Test
  void sidecarsAddToAppsAndToLaterInits() {
    String sidecar = "{\"name\":\"proxy\",\"restartPolicy\":\"Always\",\"resources\":"
        + "{\"requests\":{\"cpu\":\"200m\"}}}";
    String inits = sidecar + "," + container("late", "\"cpu\":\"1\"", "");
    String apps = container("a", "\"cpu\":\"500m\"", "");
    Request r = WHOLE.readPod(pod(apps, inits, "\"overhead\":{\"cpu\":\"100m\"},")).request();
    // inits: max(0.2, 0.2 + 1) = 1.2; apps: 0.5 + 0.2 sidecar = 0.7; max 1.2 + overhead 0.1
    assertEquals(1300, r.cpuMilli());
  }

  @Test
  void limitsStandInForMissingRequests() {
    Request r = WHOLE.readPod(pod(container("a", "", "\"cpu\":\"2\",\"nvidia.com/gpu\":1"), "",
        "")).request();
    assertEquals(2000, r.cpuMilli());
    assertEquals(GpuDemand.whole(1), r.gpu());
  }

  @Test
  void wholeGpusSumOverAppsAndMaxOverInits() {
    String apps = container("a", "", "\"nvidia.com/gpu\":\"1\"") + ","
        + container("b", "", "\"nvidia.com/gpu\":\"2\"");
    String inits = container("i", "", "\"nvidia.com/gpu\":\"4\"");
    assertEquals(GpuDemand.whole(4), WHOLE.readPod(pod(apps, inits, "")).request().gpu());
    assertEquals(GpuDemand.whole(3), WHOLE.readPod(pod(apps, "", "")).request().gpu());
  }

  @Test
  void hamiShares() {
    KubePod p = HAMI.readPod(pod(container("main", "", "\"nvidia.com/gpu\":\"2\","
        + "\"nvidia.com/gpumem\":\"20000\",\"nvidia.com/gpucores\":\"30\""), "", ""));
    assertEquals(GpuDemand.shared(2, 300, 20000), p.request().gpu());
    // memory only: no compute claim
    assertEquals(GpuDemand.shared(1, 0, 4096), HAMI.readPod(pod(container("m", "",
        "\"nvidia.com/gpu\":\"1\",\"nvidia.com/gpumem\":\"4096\""), "", "")).request().gpu());
    // cores 100 means an exclusive GPU
    assertEquals(GpuDemand.whole(1), HAMI.readPod(pod(container("m", "",
        "\"nvidia.com/gpu\":\"1\",\"nvidia.com/gpumem\":\"4096\",\"nvidia.com/gpucores\":\"100\""),
        "", "")).request().gpu());
    // no memory amount: HAMi's default is 100 % of the GPU
    assertEquals(GpuDemand.whole(1), HAMI.readPod(pod(container("m", "",
        "\"nvidia.com/gpu\":\"1\",\"nvidia.com/gpucores\":\"20\""), "", "")).request().gpu());
    assertEquals(GpuDemand.whole(1), HAMI.readPod(pod(container("m", "",
        "\"nvidia.com/gpu\":\"1\",\"nvidia.com/gpumem-percentage\":\"100\""), "", ""))
        .request().gpu());
  }

  @Test
  void hamiPercentageNeedsABasis() {
    String p = pod(container("m", "", "\"nvidia.com/gpu\":\"1\","
        + "\"nvidia.com/gpumem-percentage\":\"25\",\"nvidia.com/gpucores\":\"10\""), "", "");
    ParseException e = assertThrows(ParseException.class, () -> HAMI.readPod(p));
    assertTrue(e.getMessage().contains("pod ml/train-0"), e.getMessage());
    assertTrue(e.getMessage().contains("nvidia.com/gpumem-percentage"), e.getMessage());
    assertEquals(GpuDemand.shared(1, 100, 20480),
        HAMI.withMemoryPercentBasisMib(81920).readPod(p).request().gpu());
  }

  @Test
  void renamedResources() {
    KubeMapping m = HAMI.withNames(ResourceNames.defaults()
        .withHami("example.com/vgpu", "example.com/vmem", "example.com/vmem-pct",
            "example.com/vcores"));
    assertEquals(GpuDemand.shared(1, 500, 1000), m.readPod(pod(container("m", "",
        "\"example.com/vgpu\":\"1\",\"example.com/vmem\":\"1000\",\"example.com/vcores\":\"50\""),
        "", "")).request().gpu());
    // the default names are then ordinary resources: no GPU
    assertEquals(GpuDemand.none(), m.readPod(pod(container("m", "",
        "\"nvidia.com/gpu\":\"1\""), "", "")).request().gpu());
  }

  @Test
  void migResources() {
    assertEquals(GpuDemand.mig("1g.10gb", 2), WHOLE.readPod(pod(container("m", "",
        "\"nvidia.com/mig-1g.10gb\":\"2\""), "", "")).request().gpu());
    ParseException two = assertThrows(ParseException.class, () -> WHOLE.readPod(pod(
        container("a", "", "\"nvidia.com/mig-1g.10gb\":\"1\"") + ","
            + container("b", "", "\"nvidia.com/mig-3g.40gb\":\"1\""), "", "")));
    assertTrue(two.getMessage().contains("one MIG profile per pod"), two.getMessage());
  }

  @Test
  void badPodsAreTypedErrorsNamingPodAndField() {
    ParseException q = assertThrows(ParseException.class, () -> WHOLE.readPod(pod(
        container("a", "\"cpu\":\"12Xi\"", ""), "", "")));
    assertTrue(q.getMessage().contains("pod ml/train-0"), q.getMessage());
    assertEquals("spec.containers[0].resources.requests[\"cpu\"]", q.path());
    assertTrue(q.getMessage().contains("offset 2"), q.getMessage());

    ParseException frac = assertThrows(ParseException.class, () -> WHOLE.readPod(pod(
        container("a", "", "\"nvidia.com/gpu\":\"1.5\""), "", "")));
    assertTrue(frac.getMessage().contains("whole number"), frac.getMessage());

    ParseException hamiUnderWhole = assertThrows(ParseException.class, () -> WHOLE.readPod(pod(
        container("a", "", "\"nvidia.com/gpu\":\"1\",\"nvidia.com/gpumem\":\"100\""), "", "")));
    assertTrue(hamiUnderWhole.getMessage().contains("GpuSemantics.HAMI"),
        hamiUnderWhole.getMessage());

    ParseException twoGpuContainers = assertThrows(ParseException.class, () -> HAMI.readPod(pod(
        container("a", "", "\"nvidia.com/gpu\":\"1\"") + ","
            + container("b", "", "\"nvidia.com/gpu\":\"1\""), "", "")));
    assertTrue(twoGpuContainers.getMessage().contains("[a, b]"), twoGpuContainers.getMessage());

    ParseException cores = assertThrows(ParseException.class, () -> HAMI.readPod(pod(
        container("a", "", "\"nvidia.com/gpu\":\"1\",\"nvidia.com/gpucores\":\"150\""), "", "")));
    assertTrue(cores.getMessage().contains("0..100"), cores.getMessage());

    ParseException memWithoutGpu = assertThrows(ParseException.class, () -> HAMI.readPod(pod(
        container("a", "", "\"nvidia.com/gpumem\":\"100\""), "", "")));
    assertTrue(memWithoutGpu.getMessage().contains("without 'nvidia.com/gpu'"),
        memWithoutGpu.getMessage());

    assertThrows(ParseException.class, () -> WHOLE.readPod("{\"metadata\":{\"name\":\"x\"}}"));
    assertThrows(ParseException.class, () -> WHOLE.readPod("[]"));
    assertThrows(ParseException.class, () -> WHOLE.readPod(""));
    assertThrows(ParseException.class, () -> WHOLE.readPod("{\"a\":1,\"a\":2}"));
    assertThrows(ParseException.class, () -> WHOLE.readPod(pod(container("a", "", ""), "", "")
        + "{}"));
    assertThrows(ParseException.class, () -> WHOLE.readPod(pod(
        container("a", "\"cpu\":\"-1\"", ""), "", "")));
    assertThrows(ParseException.class, () -> WHOLE.readPod(pod(
        container("a", "\"cpu\":true", ""), "", "")));
  }

  @Test
  void readLimitsBoundTheInput() {
    String p = pod(container("a", "\"cpu\":\"1\"", ""), "", "");
    ParseException e = assertThrows(ParseException.class,
        () -> WHOLE.withLimits(ReadLimits.defaults().withMaxBytes(50)).readPod(p));
    assertTrue(e.getMessage().contains("maxBytes"), e.getMessage());
    assertThrows(ParseException.class,
        () -> WHOLE.withLimits(ReadLimits.defaults().withMaxDepth(3)).readPod(p));
  }

  /** A node as the API server writes it, with GPU feature discovery's labels. */
  static String node(String name, String labels, String spec, String allocatable) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + name + "\","
        + "\"labels\":{\"kubernetes.io/hostname\":\"" + name + "\"" + labels + "},"
        + "\"annotations\":{\"node.alpha.kubernetes.io/ttl\":\"0\"}},"
        + "\"spec\":{" + spec + "},"
        + "\"status\":{\"capacity\":{\"cpu\":\"96\"},\"allocatable\":{" + allocatable + "}}}";
  }

  @Test
  void nodeFromAllocatableAndLabels() {
    KubeNode k = WHOLE.readNode(node("gpu-a",
        ",\"nvidia.com/gpu.product\":\"NVIDIA-A100-SXM4-80GB\",\"nvidia.com/gpu.clique\":\"c1.0\"",
        "", "\"cpu\":\"95500m\",\"memory\":\"1056763292Ki\",\"nvidia.com/gpu\":\"8\","
            + "\"pods\":\"110\""));
    Node n = k.node();
    assertEquals("gpu-a", n.name());
    assertEquals(95500, n.cpuMilli());
    assertEquals(1031995, n.memoryMib()); // 1056763292 KiB / 1024, down
    assertEquals(8, n.gpuCount());
    assertEquals(GpuModelCatalog.builtIn().get("A100-SXM4-80GB"), n.gpu(0).model());
    assertEquals("c1.0", n.labels().get("nvidia.com/gpu.clique"));
    assertFalse(k.cordoned());
    assertEquals("0", k.annotations().get("node.alpha.kubernetes.io/ttl"));
  }

  @Test
  void hamiNodesCountPhysicalGpusFromTheLabel() {
    String labels = ",\"nvidia.com/gpu.product\":\"Tesla-V100-SXM2-32GB\","
        + "\"nvidia.com/gpu.count\":\"4\"";
    KubeNode k = HAMI.readNode(node("v", labels, "", "\"nvidia.com/gpu\":\"40\""));
    assertEquals(4, k.node().gpuCount());
    ParseException e = assertThrows(ParseException.class, () -> HAMI.readNode(node("v",
        ",\"nvidia.com/gpu.product\":\"Tesla-V100-SXM2-32GB\"", "", "\"nvidia.com/gpu\":\"40\"")));
    assertTrue(e.getMessage().contains("vGPU slots"), e.getMessage());
  }

  @Test
  void cordonFromUnschedulableAndTaints() {
    KubeNode u = WHOLE.readNode(node("n", "", "\"unschedulable\":true,\"taints\":[{\"key\":"
        + "\"node.kubernetes.io/unschedulable\",\"effect\":\"NoSchedule\"}]", "\"cpu\":\"4\""));
    assertEquals(List.of("spec.unschedulable", "node.kubernetes.io/unschedulable"),
        u.cordonReasons());
    KubeNode other = WHOLE.readNode(node("n", "", "\"taints\":[{\"key\":\"gpu\",\"value\":"
        + "\"true\",\"effect\":\"NoSchedule\"}]", "\"cpu\":\"4\""));
    assertFalse(other.cordoned());
    KubeNode custom = WHOLE.withCordonTaints(Set.of("maintenance"))
        .readNode(node("n", "", "\"taints\":[{\"key\":\"maintenance\",\"effect\":\"NoExecute\"},"
            + "{\"key\":\"soft\",\"effect\":\"PreferNoSchedule\"}]", ""));
    assertEquals(List.of("maintenance"), custom.cordonReasons());
  }

  @Test
  void badNodesAreTypedErrors() {
    ParseException model = assertThrows(ParseException.class, () -> WHOLE.readNode(node("n",
        ",\"nvidia.com/gpu.product\":\"NVIDIA-Imaginary-9000\"", "", "\"nvidia.com/gpu\":\"1\"")));
    assertTrue(model.getMessage().contains("node n"), model.getMessage());
    assertTrue(model.getMessage().contains("Imaginary"), model.getMessage());
    ParseException noModel = assertThrows(ParseException.class,
        () -> WHOLE.readNode(node("n", "", "", "\"nvidia.com/gpu\":\"1\"")));
    assertEquals("metadata.labels[\"nvidia.com/gpu.product\"]", noModel.path());
    assertThrows(ParseException.class, () -> WHOLE.readNode(node("n", "", "\"taints\":[{\"key\":"
        + "\"k\",\"effect\":\"Sometimes\"}]", "")));
    assertThrows(ParseException.class, () -> WHOLE.readNode(node("n", "", "",
        "\"memory\":\"lots\"")));
    assertThrows(ParseException.class, () -> WHOLE.readNode(node("n", ",\"x\":3", "", "")));
    assertThrows(ParseException.class, () -> WHOLE.readNode(node("n",
        ",\"nvidia.com/gpu.product\":\"NVIDIA-A100-SXM4-80GB\"", "", "\"nvidia.com/gpu\":\"1000\"")));
  }
}

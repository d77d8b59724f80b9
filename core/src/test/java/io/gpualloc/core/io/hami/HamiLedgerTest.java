package io.gpualloc.core.io.hami;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.AllocationConflictException;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.ParseException;
import io.gpualloc.core.Placement;
import io.gpualloc.core.ReadLimits;
import io.gpualloc.core.io.k8s.KubeMapping;
import io.gpualloc.core.io.k8s.KubeMapping.GpuSemantics;
import io.gpualloc.core.io.k8s.KubeNode;
import io.gpualloc.core.io.k8s.KubePod;
import java.util.List;
import org.junit.jupiter.api.Test;

/** HAMi nodes into gpualloc nodes, and a ledger rebuilt from running pods' annotations. */
class HamiLedgerTest {
  private static final KubeMapping HAMI = KubeMapping.of(GpuSemantics.HAMI);
  private static final ReadLimits L = ReadLimits.defaults();

  static String hamiNode(String name, String register) {
    return "{\"metadata\":{\"name\":\"" + name + "\",\"annotations\":{\""
        + HamiCodec.NODE_REGISTER + "\":" + quote(register) + "}},"
        + "\"status\":{\"allocatable\":{\"cpu\":\"64\",\"memory\":\"512Gi\","
        + "\"nvidia.com/gpu\":\"20\"}}}";
  }

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static String runningPod(String name, String node, String allocated) {
    return "{\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"ml\",\"annotations\":{\""
        + HamiCodec.VGPU_NODE + "\":\"" + node + "\",\"" + HamiCodec.DEVICES_ALLOCATED + "\":"
        + quote(allocated) + "}},\"spec\":{\"nodeName\":\"" + node + "\",\"containers\":[{"
        + "\"name\":\"c\",\"resources\":{\"requests\":{\"cpu\":\"1\",\"memory\":\"1Gi\"},"
        + "\"limits\":{\"nvidia.com/gpu\":\"1\",\"nvidia.com/gpumem\":\"1000\"}}}]}}";
  }

  private static final String REGISTER = "GPU-a,10,32768,100,NVIDIA-Tesla V100-PCIE-32GB,0,true:"
      + "GPU-b,10,32768,100,NVIDIA-Tesla V100-PCIE-32GB,1,false:";

  @Test
  void nodeFromTheRegisterAnnotation() {
    KubeNode k = HAMI.readNode(hamiNode("v100-a", REGISTER));
    assertEquals(2, k.node().gpuCount());
    assertEquals("GPU-b", k.node().gpu(1).uuid());
    assertEquals(1, k.node().gpu(1).numaNode());
    assertEquals(GpuModelCatalog.builtIn().get("V100-PCIE-32GB"), k.node().gpu(0).model());
    assertEquals(List.of(1), k.unhealthyGpus());
    assertEquals(List.of(10, 10), k.splitCounts());
    KubeNode json = HAMI.readNode(hamiNode("a100", "[{\"id\":\"GPU-c\",\"count\":4,"
        + "\"devmem\":81920,\"devcore\":100,\"type\":\"NVIDIA-NVIDIA A100-SXM4-80GB\","
        + "\"health\":true}]"));
    assertEquals(GpuModelCatalog.builtIn().get("A100-SXM4-80GB"), json.node().gpu(0).model());
    ParseException bad = assertThrows(ParseException.class,
        () -> HAMI.readNode(hamiNode("x", "GPU-a,10,32768,100,NVIDIA-Tesla V100,0,tru:")));
    assertTrue(bad.getMessage().startsWith("node x:1:"), bad.getMessage());
    assertThrows(ParseException.class, () -> HAMI.readNode(hamiNode("x",
        "GPU-a,10,1,100,NVIDIA-Unknown,0,true:")));
    assertThrows(ParseException.class, () -> HAMI.readNode(hamiNode("x",
        "GPU-a,10,1,100,NVIDIA-Tesla V100-PCIE-32GB,0,true,1,hami-core:")));
  }

  private static ClusterState state() {
    return new ClusterState(Cluster.of(HAMI.readNode(hamiNode("v100-a", REGISTER)).node()));
  }

  @Test
  void rebuildRecordsEveryRunningPod() {
    ClusterState s = state();
    List<KubePod> pods = List.of(
        HAMI.readPod(runningPod("p1", "v100-a", "GPU-a,NVIDIA,1000,30:;")),
        HAMI.readPod(runningPod("p2", "v100-a", ";GPU-a,NVIDIA,2000,0:GPU-b,NVIDIA,3000,10:;")),
        HAMI.readPod(runningPod("p3", "v100-a", "GPU-b,NVIDIA,32768,100:;")
            .replace(",\"" + HamiCodec.DEVICES_ALLOCATED, ",\"unrelated")));
    List<Placement> done = HamiLedger.rebuild(s, pods, L);
    assertEquals(2, done.size());
    assertEquals(List.of(new GpuGrant.Share(0, 300, 1000)), done.get(0).grants());
    assertEquals(List.of(new GpuGrant.Share(0, 0, 2000), new GpuGrant.Share(1, 100, 3000)),
        done.get(1).grants());
    assertEquals(1000, done.get(0).cpuMilli());
    assertEquals(2, s.allocationsOn(0).size());
    Placement whole = HamiLedger.placementOf(s.cluster(),
        HAMI.readPod(runningPod("w", "v100-a", "GPU-b,NVIDIA,32768,100:;")), L);
    assertEquals(List.of(new GpuGrant.Whole(1)), whole.grants());
    assertNull(HamiLedger.placementOf(s.cluster(), HAMI.readPod(runningPod("n", "v100-a", "x")
        .replace(HamiCodec.DEVICES_ALLOCATED, "other")), L));
  }

  @Test
  void aBadPodRecordsNothing() {
    ClusterState s = state();
    long before = s.version();
    List<KubePod> unknownUuid = List.of(
        HAMI.readPod(runningPod("p1", "v100-a", "GPU-a,NVIDIA,1000,30:;")),
        HAMI.readPod(runningPod("p2", "v100-a", "GPU-z,NVIDIA,1000,30:;")));
    ParseException e = assertThrows(ParseException.class,
        () -> HamiLedger.rebuild(s, unknownUuid, L));
    assertTrue(e.getMessage().startsWith("pod ml/p2"), e.getMessage());
    assertTrue(e.getMessage().contains("GPU-z"), e.getMessage());
    assertEquals(before, s.version());

    List<KubePod> malformed = List.of(
        HAMI.readPod(runningPod("p1", "v100-a", "GPU-a,NVIDIA,1000,30:;")),
        HAMI.readPod(runningPod("p2", "v100-a", "GPU-a,NVIDIA,lots,30:;")));
    ParseException m = assertThrows(ParseException.class, () -> HamiLedger.rebuild(s, malformed, L));
    assertEquals(HamiCodec.DEVICES_ALLOCATED, m.path());
    assertTrue(m.getMessage().contains("offset 13"), m.getMessage());
    assertEquals(before, s.version());

    List<KubePod> conflict = List.of(
        HAMI.readPod(runningPod("p1", "v100-a", "GPU-a,NVIDIA,32768,100:;")),
        HAMI.readPod(runningPod("p2", "v100-a", "GPU-a,NVIDIA,1000,30:;")));
    assertThrows(AllocationConflictException.class, () -> HamiLedger.rebuild(s, conflict, L));
    assertEquals(before, s.version());
    assertEquals(0, s.allocationsOn(0).size());

    assertThrows(ParseException.class, () -> HamiLedger.rebuild(s,
        List.of(HAMI.readPod(runningPod("p1", "elsewhere", "GPU-a,NVIDIA,1,1:;"))), L));
    assertThrows(ParseException.class, () -> HamiLedger.rebuild(s,
        List.of(HAMI.readPod(runningPod("p1", "v100-a", "GPU-a,NVIDIA,40000,1:;"))), L));
  }
}

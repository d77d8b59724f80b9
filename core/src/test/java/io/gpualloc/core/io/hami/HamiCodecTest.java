package io.gpualloc.core.io.hami;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.ParseException;
import io.gpualloc.core.ReadLimits;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** HAMi's annotations, pinned to the examples of HAMi's protocol document and hand-built values. */
class HamiCodecTest {
  private static final ReadLimits L = ReadLimits.defaults();
  private static final String V100 = "NVIDIA-Tesla V100-PCIE-32GB";

  /** The node-nvidia-register example of HAMi's docs/develop/protocol.md (7-field records). */
  @Test
  void registerCsvAsDocumented() {
    String value = "GPU-00552014-5c87-89ac-b1a6-7b53aa24b0ec,10,32768,100,NVIDIA-Tesla V100-PCIE-32GB"
        + ",0,true:GPU-0fc3eda5-e98b-a25b-5b0d-cf5c855d1448,10,32768,100,NVIDIA-Tesla V100-PCIE-32GB"
        + ",0,true:";
    List<HamiDevice> d = HamiCodec.readRegister("node node67-4v100", value, L);
    assertEquals(List.of(
        new HamiDevice("GPU-00552014-5c87-89ac-b1a6-7b53aa24b0ec", 0, 10, 32768, 100, V100, 0,
            "hami-core", true, List.of()),
        new HamiDevice("GPU-0fc3eda5-e98b-a25b-5b0d-cf5c855d1448", 1, 10, 32768, 100, V100, 0,
            "hami-core", true, List.of())), d);
    assertEquals("GPU-00552014-5c87-89ac-b1a6-7b53aa24b0ec,10,32768,100,NVIDIA-Tesla "
        + "V100-PCIE-32GB,0,true,0,hami-core:GPU-0fc3eda5-e98b-a25b-5b0d-cf5c855d1448,10,32768,100,"
        + "NVIDIA-Tesla V100-PCIE-32GB,0,true,1,hami-core:", HamiCodec.writeRegisterCsv(d));
  }

  @Test
  void registerCsvNineFields() {
    List<HamiDevice> d = HamiCodec.readRegisterCsv("node n",
        "GPU-a,4,81920,100,NVIDIA-NVIDIA A100-SXM4-80GB,1,false,3,mig:", L);
    assertEquals(new HamiDevice("GPU-a", 3, 4, 81920, 100, "NVIDIA-NVIDIA A100-SXM4-80GB", 1, "mig",
        false, List.of()), d.get(0));
  }

  @Test
  void registerJsonAsHamiWritesIt() {
    String value = "[{\"id\":\"GPU-a\",\"count\":10,\"devmem\":81920,\"devcore\":100,"
        + "\"type\":\"NVIDIA-A100-SXM4-80GB\",\"mode\":\"hami-core\",\"health\":true},"
        + "{\"id\":\"GPU-b\",\"index\":1,\"count\":7,\"devmem\":81920,\"devcore\":100,"
        + "\"type\":\"NVIDIA-A100-SXM4-80GB\",\"numa\":1,\"mode\":\"mig\",\"migProfiles\":"
        + "[{\"name\":\"1g.10gb\",\"memoryMB\":9856,\"core\":15,\"sliceCount\":1,\"placements\":"
        + "[{\"start\":0,\"size\":1},{\"start\":1,\"size\":1}]}],\"health\":true}]";
    List<HamiDevice> d = HamiCodec.readRegister("node n", value, L);
    assertEquals(new HamiDevice("GPU-a", 0, 10, 81920, 100, "NVIDIA-A100-SXM4-80GB", 0,
        "hami-core", true, List.of()), d.get(0));
    assertEquals(List.of(new HamiDevice.MigProfile("1g.10gb", 9856, 15, 1, List.of(
        new HamiDevice.Placement(0, 1), new HamiDevice.Placement(1, 1)))), d.get(1).migProfiles());
    assertEquals(value, HamiCodec.writeRegisterJson(d));
    // keys are matched case-insensitively; unknown fields are skipped; absent health is false
    List<HamiDevice> lower = HamiCodec.readRegisterJson("node n",
        "[{\"ID\":\"GPU-c\",\"Count\":2,\"devicevendor\":\"NVIDIA\",\"custominfo\":{\"x\":1}}]", L);
    assertEquals(new HamiDevice("GPU-c", 0, 2, 0, 0, "", 0, "", false, List.of()), lower.get(0));
  }

  @Test
  void allocationAsDocumented() {
    String value = "GPU-0fc3eda5-e98b-a25b-5b0d-cf5c855d1448,NVIDIA,3000,0:;"
        + "GPU-0fc3eda5-e98b-a25b-5b0d-cf5c855d1448,NVIDIA,5000,0:;";
    List<List<ContainerDevice>> a =
        HamiCodec.readAllocation("pod default/p", HamiCodec.DEVICES_TO_ALLOCATE, value, L);
    assertEquals(List.of(
        List.of(new ContainerDevice("GPU-0fc3eda5-e98b-a25b-5b0d-cf5c855d1448", "NVIDIA", 3000, 0)),
        List.of(new ContainerDevice("GPU-0fc3eda5-e98b-a25b-5b0d-cf5c855d1448", "NVIDIA", 5000, 0))),
        a);
    assertEquals(value, HamiCodec.writeAllocation(a));
  }

  @Test
  void allocationKeepsEmptyInitSlots() {
    String value = ";GPU-9f1d,NVIDIA,20000,30:GPU-21aa,NVIDIA,20000,30:;";
    List<List<ContainerDevice>> a =
        HamiCodec.readAllocation("pod ml/t", HamiCodec.DEVICES_ALLOCATED, value, L);
    assertEquals(2, a.size());
    assertEquals(List.of(), a.get(0));
    assertEquals(2, a.get(1).size());
    assertEquals(value, HamiCodec.writeAllocation(a));
    assertEquals(List.of(), HamiCodec.readAllocation("pod ml/t", "k", "", L));
  }

  @Test
  void malformedValuesNameOwnerKeyAndOffset() {
    ParseException e = assertThrows(ParseException.class, () -> HamiCodec.readRegisterCsv(
        "node gpu-a", "GPU-a,10,32768,100,T,0,true:GPU-b,ten,32768,100,T,0,true:", L));
    assertTrue(e.getMessage().startsWith("node gpu-a:1:"), e.getMessage());
    assertEquals(HamiCodec.NODE_REGISTER, e.path());
    assertTrue(e.getMessage().contains("offset 34"), e.getMessage());
    assertTrue(e.getMessage().contains("count is 'ten'"), e.getMessage());

    ParseException fields = assertThrows(ParseException.class,
        () -> HamiCodec.readRegisterCsv("node n", "GPU-a,10,1,2:", L));
    assertTrue(fields.getMessage().contains("4 fields"), fields.getMessage());
    assertThrows(ParseException.class, () -> HamiCodec.readRegisterCsv("node n", "GPU-a", L));
    assertThrows(ParseException.class,
        () -> HamiCodec.readRegisterCsv("node n", "GPU-a,-1,1,1,T,0,true:", L));
    assertThrows(ParseException.class,
        () -> HamiCodec.readRegisterCsv("node n", "GPU-a,1,1,1,T,0,yes:", L));
    assertThrows(ParseException.class,
        () -> HamiCodec.readRegisterCsv("node n", "GPU-a,99999999999,1,1,T,0,true:", L));

    ParseException json = assertThrows(ParseException.class,
        () -> HamiCodec.readRegisterJson("node n", "[{\"id\":\"GPU-a\",\"count\":\"10\"}]", L));
    assertEquals(HamiCodec.NODE_REGISTER + "[0].count", json.path());
    ParseException syntax = assertThrows(ParseException.class,
        () -> HamiCodec.readRegisterJson("node n", "[{\"id\":\"GPU-a\",}]", L));
    assertTrue(syntax.getMessage().contains("offset"), syntax.getMessage());
    assertThrows(ParseException.class, () -> HamiCodec.readRegisterJson("node n", "[{}]", L));
    assertThrows(ParseException.class, () -> HamiCodec.readRegisterJson("node n", "{}", L));

    ParseException alloc = assertThrows(ParseException.class, () -> HamiCodec.readAllocation(
        "pod ml/t", HamiCodec.DEVICES_TO_ALLOCATE, "GPU-a,NVIDIA,1,0:GPU-b,NVIDIA,1:;", L));
    assertTrue(alloc.getMessage().startsWith("pod ml/t:1:18"), alloc.getMessage());
    assertEquals(HamiCodec.DEVICES_TO_ALLOCATE, alloc.path());
    assertThrows(ParseException.class, () -> HamiCodec.readAllocation("pod ml/t", "k",
        "GPU-a,NVIDIA,x,0:;", L));
    assertThrows(ParseException.class, () -> HamiCodec.readAllocation("pod ml/t", "k",
        "GPU-a,NVIDIA,1,0::;", L));
  }

  @Test
  void limitsBoundTheValues() {
    String two = "GPU-a,1,1,1,T,0,true:GPU-b,1,1,1,T,0,true:";
    assertThrows(ParseException.class, () -> HamiCodec.readRegisterCsv("node n", two,
        L.withMaxGpusPerNode(1)));
    assertThrows(ParseException.class, () -> HamiCodec.readRegisterCsv("node n", two,
        L.withMaxBytes(10)));
    assertThrows(ParseException.class, () -> HamiCodec.readAllocation("pod p", "k",
        "GPU-a,N,1,0:GPU-b,N,1,0:;", L.withMaxItems(1)));
  }

  @Test
  void writersRefuseWhatTheFormatCannotHold() {
    assertThrows(InvalidSpecException.class, () -> new HamiDevice("GPU,a", 0, 1, 1, 1, "T", 0,
        "m", true, List.of()));
    assertThrows(InvalidSpecException.class, () -> new ContainerDevice("GPU-a", "N:", 1, 1));
    HamiDevice mig = new HamiDevice("GPU-a", 0, 1, 1, 1, "T", 0, "mig", true,
        List.of(new HamiDevice.MigProfile("1g.10gb", 1, 1, 1, List.of())));
    assertThrows(InvalidSpecException.class, () -> HamiCodec.writeRegisterCsv(List.of(mig)));
  }

  @Test
  void podOptions() {
    HamiPodOptions o = HamiPodOptions.read("pod ml/t", Map.of(
        HamiPodOptions.USE_GPUTYPE, "A100, h100", HamiPodOptions.NOUSE_GPUTYPE, "PCIE",
        HamiPodOptions.NOUSE_GPUUUID, "GPU-x", HamiPodOptions.NUMA_BIND, "true",
        HamiPodOptions.GPU_POLICY, "Binpack,numa", HamiPodOptions.NODE_POLICY, "spread"));
    assertTrue(o.allowsType("NVIDIA-NVIDIA A100-SXM4-80GB"));
    assertTrue(o.allowsType("NVIDIA-H100-80GB-HBM3"));
    assertFalse(o.allowsType("NVIDIA-NVIDIA A100-PCIE-40GB"));
    assertFalse(o.allowsType(V100));
    assertFalse(o.allowsUuid("GPU-x"));
    assertTrue(o.allowsUuid("GPU-y"));
    assertTrue(o.numaBind());
    assertEquals(List.of("binpack", "numa"), o.gpuPolicy());
    assertEquals("spread", o.nodePolicy());
    HamiPodOptions none = HamiPodOptions.read("pod ml/t", Map.of());
    assertTrue(none.allowsType(V100));
    assertTrue(none.allowsUuid("GPU-x"));
    ParseException bad = assertThrows(ParseException.class, () -> HamiPodOptions.read("pod ml/t",
        Map.of(HamiPodOptions.GPU_POLICY, "binpack,fastest")));
    assertTrue(bad.getMessage().contains("offset 8"), bad.getMessage());
    assertThrows(ParseException.class, () -> HamiPodOptions.read("pod ml/t",
        Map.of(HamiPodOptions.NUMA_BIND, "maybe")));
    assertThrows(ParseException.class, () -> HamiPodOptions.read("pod ml/t",
        Map.of(HamiPodOptions.NODE_POLICY, "random")));
  }
}

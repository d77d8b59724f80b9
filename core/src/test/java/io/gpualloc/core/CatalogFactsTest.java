package io.gpualloc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Hardware facts of the built-in catalog, pinned by hand from the vendor's MIG tables, and a
 * cross-check of every built-in MIG table against {@code ../shared/reference/mig-profiles.json}.
 */
class CatalogFactsTest {
  private static final GpuModelCatalog C = GpuModelCatalog.builtIn();

  private static void profile(GpuModel m, String name, int id, int compute, int memSlices,
      int maxCount, List<Integer> starts, int size, boolean me) {
    MigProfile p = m.migProfile(name);
    String what = m.name() + " " + name;
    assertEquals(id, p.profileId(), what + " profileId");
    assertEquals(compute, p.computeSlices(), what + " computeSlices");
    assertEquals(memSlices, p.memorySlices(), what + " memorySlices");
    assertEquals(maxCount, p.maxCount(), what + " maxCount");
    assertEquals(starts, p.startSlots(), what + " startSlots");
    assertEquals(size, p.placementSize(), what + " placementSize");
    assertEquals(me, p.mediaExtension(), what + " +me");
  }

  @Test
  void a100With80GbHasSevenComputeAndEightMemorySlices() {
    GpuModel a100 = C.get("A100-80GB");
    assertEquals(80 * 1024, a100.memoryMib());
    assertEquals("8.0", a100.computeCapability());
    assertEquals(7, a100.migComputeSlices());
    assertEquals(8, a100.migMemorySlices());
    assertEquals(List.of("1g.10gb", "1g.10gb+me", "1g.20gb", "2g.20gb", "3g.40gb", "4g.40gb",
        "7g.80gb"), a100.migProfiles().stream().map(MigProfile::name).toList());
    profile(a100, "1g.10gb", 19, 1, 1, 7, List.of(0, 1, 2, 3, 4, 5, 6), 1, false);
    profile(a100, "1g.10gb+me", 20, 1, 1, 1, List.of(0, 1, 2, 3, 4, 5, 6), 1, true);
    profile(a100, "1g.20gb", 15, 1, 2, 4, List.of(0, 2, 4, 6), 2, false);
    profile(a100, "2g.20gb", 14, 2, 2, 3, List.of(0, 2, 4), 2, false);
    profile(a100, "3g.40gb", 9, 3, 4, 2, List.of(0, 4), 4, false);
    profile(a100, "4g.40gb", 5, 4, 4, 1, List.of(0), 4, false);
    profile(a100, "7g.80gb", 0, 7, 8, 1, List.of(0), 8, false);
    assertEquals(0b00001111, a100.migProfile("3g.40gb").mask(0));
    assertEquals(0b11110000, a100.migProfile("3g.40gb").mask(4));
    assertEquals(142, a100.migComputeMilli(a100.migProfile("1g.10gb"))); // 1000 / 7, floored
    assertEquals(428, a100.migComputeMilli(a100.migProfile("3g.40gb")));
    assertEquals(1000, a100.migComputeMilli(a100.migProfile("7g.80gb")));
  }

  @Test
  void a30HasFourSlicesAndTwoMediaExtensionProfiles() {
    GpuModel a30 = C.get("A30");
    assertSame(a30, C.get("A30-24GB"));
    assertEquals(24 * 1024, a30.memoryMib());
    assertEquals(4, a30.migComputeSlices());
    assertEquals(4, a30.migMemorySlices());
    profile(a30, "1g.6gb", 14, 1, 1, 4, List.of(0, 1, 2, 3), 1, false);
    profile(a30, "1g.6gb+me", 21, 1, 1, 1, List.of(0, 1, 2, 3), 1, true);
    profile(a30, "2g.12gb", 5, 2, 2, 2, List.of(0, 2), 2, false);
    profile(a30, "2g.12gb+me", -1, 2, 2, 1, List.of(0, 2), 2, true);
    profile(a30, "4g.24gb", 0, 4, 4, 1, List.of(0), 4, false);
    assertEquals(250, a30.migComputeMilli(a30.migProfile("1g.6gb")));
  }

  @Test
  void h100AndOlderModels() {
    GpuModel h100 = C.get("H100-80GB-SXM");
    assertEquals("9.0", h100.computeCapability());
    profile(h100, "3g.40gb", 9, 3, 4, 2, List.of(0, 4), 4, false);
    profile(h100, "1g.20gb", 15, 1, 2, 4, List.of(0, 2, 4, 6), 2, false);
    GpuModel nvl = C.get("H100-94GB-NVL");
    assertEquals(94 * 1024, nvl.memoryMib());
    // four 1g.24gb are a valid layout but 96 nominal GiB: each is charged 94 GiB * 2/8
    assertEquals(24064, nvl.migMemoryMib(nvl.migProfile("1g.24gb")));
    assertEquals(nvl.memoryMib(), 4 * nvl.migMemoryMib(nvl.migProfile("1g.24gb")));
    assertEquals(9728, C.get("A100-80GB").migMemoryMib(C.get("A100-80GB").migProfile("1g.10gb")));
    for (String name : List.of("T4", "V100-16GB", "V100-32GB", "A10", "L40S", "P100-16GB")) {
      GpuModel m = C.get(name);
      assertFalse(m.supportsMig(), name);
      assertEquals(0, m.migComputeSlices(), name);
      assertTrue(m.migProfiles().isEmpty(), name);
    }
    assertEquals(16 * 1024, C.get("T4").memoryMib());
    assertEquals("7.0", C.get("V100-32GB").computeCapability());
  }

  @Test
  void lookupsByAliasAndCaseAndUserModels() {
    assertSame(C.get("V100-16GB"), C.get("V100M16"));
    assertSame(C.get("A100-80GB"), C.get("A100-SXM4-80GB"));
    assertSame(C.get("A100-80GB"), C.get("a100-80gb"));
    assertSame(C.get("H100-80GB-SXM"), C.get("H100-80GB-HBM3"));
    assertSame(C.get("T4"), C.get("Tesla-T4"));
    for (String required : List.of("V100-16GB", "V100-32GB", "T4", "A10", "A30", "A100-40GB",
        "A100-80GB", "L40S", "H100-80GB-SXM", "H100-80GB-PCIe", "H100-94GB-NVL", "H200-141GB",
        "GH200-96GB", "B200-180GB")) {
      assertTrue(C.contains(required), required);
    }
    GpuModel g2 = GpuModel.of("G2", 16 * 1024);
    GpuModelCatalog mine = C.with(g2);
    assertSame(g2, mine.get("G2"));
    assertFalse(C.contains("G2"), "with() leaves the built-in catalog alone");
    assertSame(mine, mine.with(GpuModel.of("G2", 16 * 1024)), "re-adding an equal model");
  }

  @Test
  void everyBuiltInMigTableMatchesTheSharedReference() throws Exception {
    Path file = Path.of(System.getProperty("gpualloc.shared", "../shared"),
        "reference", "mig-profiles.json");
    Assumptions.assumeTrue(Files.isRegularFile(file), "../shared absent: skipping " + file);
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    Map<String, String> catalogName = Map.ofEntries(
        Map.entry("A100-40GB", "A100-40GB"), Map.entry("A100-80GB", "A100-80GB"),
        Map.entry("A30-24GB", "A30"), Map.entry("H100-80GB-SXM5", "H100-80GB-SXM"),
        Map.entry("H100-80GB-PCIe", "H100-80GB-PCIe"), Map.entry("H100-94GB-NVL", "H100-94GB-NVL"),
        Map.entry("GH200-96GB", "GH200-96GB"), Map.entry("GH200-144GB", "GH200-144GB"),
        Map.entry("H200-141GB", "H200-141GB"), Map.entry("B200-180GB", "B200-180GB"),
        Map.entry("GB200-186GB", "GB200-186GB"), Map.entry("B300-288GB", "B300-288GB"));
    int checked = 0;
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (key.startsWith("_")) {
        continue;
      }
      JsonNode ref = root.get(key);
      GpuModel m = C.get(catalogName.get(key));
      assertEquals(ref.get("memoryGiB").asInt() * 1024, m.memoryMib(), key);
      assertEquals(ref.get("computeSlices").asInt(), m.migComputeSlices(), key);
      assertEquals(ref.get("memorySlices").asInt(), m.migMemorySlices(), key);
      List<String> names = new ArrayList<>();
      for (JsonNode p : ref.get("profiles")) {
        names.add(p.get("name").asText());
        List<Integer> starts = new ArrayList<>();
        p.get("startSlots").forEach(s -> starts.add(s.asInt()));
        JsonNode id = p.get("profileId");
        profile(m, p.get("name").asText(), id == null || id.isNull() ? -1 : id.asInt(),
            p.get("computeSlices").asInt(), p.get("memorySlices").asInt(),
            p.get("maxCount").asInt(), starts, p.get("placementSize").asInt(),
            p.get("mediaExtension").asBoolean());
        int mib = m.migProfile(p.get("name").asText()).memoryMib();
        assertTrue(Math.abs(mib - p.get("memoryGiB").asDouble() * 1024) <= 1,
            key + " " + p.get("name").asText() + " memory " + mib);
        checked++;
      }
      assertEquals(names, m.migProfiles().stream().map(MigProfile::name).toList(), key);
    }
    assertTrue(checked >= 80, "checked " + checked + " profiles");
  }
}

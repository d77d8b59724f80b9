package io.gpualloc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * GPU model and MIG profile names as devices and tools report them: {@code nvidia-smi
 * --query-gpu=name}, the SXM4/SXM5 spellings, {@code nvidia-smi -L}'s {@code MIG 1g.20gb}, the
 * device plugin's {@code nvidia.com/mig-...} resources, the GPU Operator's {@code .me} spelling,
 * and the GB200 profile names that differ between SKUs (NVIDIA/mig-parted issue 227, gpu-operator
 * pull request 1303).
 */
class DeviceNamesTest {
  private static final GpuModelCatalog C = GpuModelCatalog.builtIn();

  @Test
  void modelNamesAsNvidiaSmiPrintsThem() {
    assertEquals("H100-80GB-SXM", C.get("NVIDIA H100 80GB HBM3").name());
    assertEquals("H100-80GB-SXM", C.get("H100-80GB-SXM5").name());
    assertEquals("H100-80GB-SXM", C.get("h100-sxm5-80gb").name());
    assertEquals("H100-80GB-PCIe", C.get("NVIDIA H100 PCIe").name());
    assertEquals("H100-94GB-NVL", C.get("NVIDIA H100 NVL").name());
    assertEquals("A100-80GB", C.get("NVIDIA A100-SXM4-80GB").name());
    assertEquals("A100-80GB", C.get("NVIDIA A100 80GB PCIe").name());
    assertEquals("A100-40GB", C.get("NVIDIA A100-SXM4-40GB").name());
    assertEquals("A100-40GB", C.get("NVIDIA A100-PCIE-40GB").name());
    assertEquals("A30", C.get("NVIDIA A30").name());
    assertEquals("H200-141GB", C.get("NVIDIA H200").name());
    assertEquals("B200-180GB", C.get("NVIDIA B200").name());
    assertEquals("V100-16GB", C.get("Tesla V100-SXM2-16GB").name());
    assertEquals("T4", C.get("Tesla T4").name());
    assertEquals("L40S", C.get("NVIDIA L40S").name());
    assertEquals("A100-80GB", C.get("a100_80gb").name());
  }

  @Test
  void unknownModelListsCloseMatches() {
    UnknownGpuModelException e =
        assertThrows(UnknownGpuModelException.class, () -> C.get("H100-80GB-SMX"));
    assertEquals("H100-80GB-SXM", e.closeMatches().get(0), e.getMessage());
    assertTrue(e.getMessage().contains("Maybe you meant H100-80GB-SXM"), e.getMessage());
    UnknownGpuModelException far =
        assertThrows(UnknownGpuModelException.class, () -> C.get("Radeon MI300X"));
    assertEquals(List.of(), far.closeMatches());
    assertTrue(far.getMessage().contains("GpuModelCatalog.with"), far.getMessage());
    UnknownGpuModelException a100 =
        assertThrows(UnknownGpuModelException.class, () -> C.get("A100-80G"));
    assertEquals("A100-80GB", a100.closeMatches().get(0), a100.getMessage());
  }

  @Test
  void gb200ProfileSpellingsOfBothSkusFindTheSameProfile() {
    GpuModel gb200 = C.get("GB200");
    assertEquals(gb200.migProfile("1g.23gb"), gb200.migProfile("1g.24gb"));
    assertEquals(gb200.migProfile("1g.23gb+me"), gb200.migProfile("1g.24gb+me"));
    assertEquals(gb200.migProfile("3g.93gb"), gb200.migProfile("3g.95gb"));
    assertEquals(gb200.migProfile("4g.93gb"), gb200.migProfile("4g.95gb"));
    assertEquals(gb200.migProfile("7g.186gb"), gb200.migProfile("7g.189gb"));
    assertEquals(19, gb200.migProfile("1g.24gb").profileId());
    assertEquals(0, gb200.migProfile("7g.189gb").profileId());
    assertEquals("7g.186gb", gb200.migProfile("7g.189gb").name());
    assertEquals(List.of("7g.189gb"), gb200.migProfile("7g.186gb").aliases());
    MigLayout l = MigLayout.parse(gb200, "3g.95gb@0, 4g.93gb@4".replace("4g.93gb@4", "3g.93gb@4"));
    assertEquals("[3g.93gb@0, 3g.93gb@4]", l.toString());
  }

  @Test
  void profileNamesAsToolsWriteThem() {
    GpuModel h100 = C.get("H100-80GB-SXM");
    MigProfile p = h100.migProfile("1g.20gb");
    assertEquals(p, h100.migProfile("MIG 1g.20gb"));
    assertEquals(p, h100.migProfile("nvidia.com/mig-1g.20gb"));
    assertEquals(p, h100.migProfile("1G.20GB"));
    assertEquals(h100.migProfile("1g.10gb+me"), h100.migProfile("1g.10gb.me"));
  }

  @Test
  void unknownProfileListsCloseMatches() {
    GpuModel h100 = C.get("H100-80GB-SXM");
    UnknownGpuModelException e =
        assertThrows(UnknownGpuModelException.class, () -> h100.migProfile("3g.20gb"));
    assertTrue(e.closeMatches().contains("3g.40gb"), e.getMessage());
    assertTrue(e.getMessage().contains("Maybe you meant"), e.getMessage());
    assertTrue(e.getMessage().contains("allowed: 1g.10gb, 1g.10gb+me"), e.getMessage());
  }

  @Test
  void profileAliasesMustNotCollide() {
    MigProfile a = new MigProfile("1g.5gb", 19, 1, 1, 5000, 7, List.of(0, 1, 2, 3, 4, 5, 6), 1,
        false, List.of("1g.6gb"));
    MigProfile b = new MigProfile("1g.6gb", 15, 1, 2, 6000, 4, List.of(0, 2, 4, 6), 2, false);
    InvalidSpecException e = assertThrows(InvalidSpecException.class,
        () -> new GpuModel("x", 40_000, "", 7, 8, List.of(a, b)));
    assertTrue(e.getMessage().contains("1g.6gb"), e.getMessage());
    assertThrows(InvalidSpecException.class, () -> a.withAliases(List.of("1g.5gb")));
    assertThrows(InvalidSpecException.class, () -> a.withAliases(List.of(" ")));
    MigProfile c = new MigProfile("2g.10gb", 19, 2, 2, 10000, 3, List.of(0, 2, 4), 2, false);
    InvalidSpecException dup = assertThrows(InvalidSpecException.class,
        () -> new GpuModel("y", 40_000, "", 7, 8, List.of(b.withAliases(List.of()), c,
            new MigProfile("3g", 19, 3, 4, 20000, 2, List.of(0, 4), 4, false))));
    assertTrue(dup.getMessage().contains("profileId"), dup.getMessage());
  }
}

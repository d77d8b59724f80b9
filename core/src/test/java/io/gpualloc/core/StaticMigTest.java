package io.gpualloc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.io.ClusterFormat;
import io.gpualloc.core.io.Format;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pre-partitioned (static) MIG GPUs in the ledger, the GPU Operator's named configurations and
 * the inventory formats. Mixed nodes under random operations are covered by the ledger simulation
 * ({@code LedgerSpecificationTest}), whose generated clusters pre-partition about a third of the
 * MIG-capable GPUs and whose STATIC_MIG invariant checks that every grant on one is an existing
 * instance.
 */
class StaticMigTest {
  private static final GpuModelCatalog C = GpuModelCatalog.builtIn();
  private static final GpuModel H100 = C.get("H100-80GB-SXM");

  /** GPU 0 static all-balanced, GPU 1 static all-1g.10gb, GPU 2 dynamic, GPU 3 plain. */
  private static Cluster mixed() {
    Node n = Node.builder("n0").cpuMilli(64_000).memoryMib(512_000)
        .staticMigGpus(1, MigConfigs.named(H100, "all-balanced"))
        .gpu(new Gpu(1, "GPU-n0-1", H100, 0, MigConfigs.named(H100, "all-1g.10gb")))
        .gpus(2, H100)
        .build();
    return Cluster.of(List.of(n));
  }

  @Test
  void operatorConfigsAreTheVendorsMixes() {
    assertEquals("[2g.20gb@0, 1g.10gb@2, 1g.10gb@3, 3g.40gb@4]",
        MigConfigs.named(H100, "all-balanced").toString());
    assertEquals(7, MigConfigs.named(H100, "all-1g.10gb").size());
    assertEquals(4, MigConfigs.named(H100, "all-1g.20gb").size());
    assertEquals("[2g.20gb@0, 2g.20gb@2, 2g.20gb@4]",
        MigConfigs.named(H100, "all-2g.20gb").toString());
    assertEquals("[3g.40gb@0, 3g.40gb@4]", MigConfigs.named(H100, "all-3g.40gb").toString());
    assertEquals("[1g.10gb+me@0]", MigConfigs.named(H100, "all-1g.10gb.me").toString());
    // the same name means the model's own profile: four double-memory 1g on an A100-40GB
    GpuModel a40 = C.get("A100-40GB");
    assertEquals(java.util.Map.of("1g.10gb", 4),
        MigConfigs.named(a40, "all-1g.10gb").profileCounts());
    assertEquals(java.util.Map.of("1g.5gb", 2, "2g.10gb", 1, "3g.20gb", 1),
        MigConfigs.named(a40, "all-balanced").profileCounts());
    GpuModel a30 = C.get("A30");
    assertEquals("[2g.12gb@0, 1g.6gb@2, 1g.6gb@3]",
        MigConfigs.named(a30, "all-balanced").toString());
    GpuModel gb200 = C.get("GB200");
    assertEquals(java.util.Map.of("1g.23gb", 2, "2g.47gb", 1, "3g.93gb", 1),
        MigConfigs.named(gb200, "all-balanced").profileCounts());
    assertFalse(MigConfigs.names(C.get("B300")).contains("all-balanced"));
    for (GpuModel m : C.models()) {
      if (m.supportsMig()) {
        for (String name : MigConfigs.names(m)) {
          MigLayout l = MigConfigs.named(m, name);
          assertTrue(MigLayout.isValid(m, l.instances()), m.name() + " " + name);
        }
      }
    }
    InvalidSpecException e = assertThrows(InvalidSpecException.class,
        () -> MigConfigs.named(H100, "all-balance"));
    assertTrue(e.getMessage().contains("Maybe you meant all-balanced"), e.getMessage());
  }

  @Test
  void arrangeRejectsMixesThatDoNotFit() {
    java.util.Map<MigProfile, Integer> counts = java.util.Map.of(
        H100.migProfile("3g.40gb"), 2, H100.migProfile("1g.10gb"), 1);
    assertThrows(InvalidSpecException.class, () -> MigLayouts.arrange(H100, counts));
    assertEquals("[4g.40gb@0, 3g.40gb@4]", MigLayouts.arrange(H100, java.util.Map.of(
        H100.migProfile("3g.40gb"), 1, H100.migProfile("4g.40gb"), 1)).toString());
  }

  @Test
  void aStaticGpuGrantsOnlyItsOwnFreeInstances() {
    ClusterState s = new ClusterState(mixed());
    MigProfile g1 = H100.migProfile("1g.10gb");
    MigProfile g3 = H100.migProfile("3g.40gb");
    // static GPUs are MIG and not free whole GPUs, even with nothing in use
    assertEquals(GpuMode.MIG, s.gpuMode(0));
    assertEquals(GpuMode.MIG, s.gpuMode(1));
    assertEquals(0, s.gpuGrantCount(0));
    assertEquals(2, s.freeWholeGpus(0));
    assertFalse(s.canTakeWhole(0));
    assertFalse(s.canShare(0, 100, 1000));
    // only existing instances can be placed
    assertTrue(s.canPlaceMig(0, g3, 4));
    assertFalse(s.canPlaceMig(0, g3, 0));
    assertTrue(s.canPlaceMig(0, g1, 2));
    assertFalse(s.canPlaceMig(0, g1, 0));
    assertTrue(s.canPlaceMig(2, g3, 0)); // dynamic: any valid instance
    s.allocate(Placement.builder("a", 0).mig(0, "3g.40gb", 4).build());
    assertFalse(s.canPlaceMig(0, g3, 4));
    long version = s.version();
    AllocationConflictException e = assertThrows(AllocationConflictException.class,
        () -> s.allocate(Placement.builder("b", 0).mig(0, "1g.10gb", 0).build()));
    assertTrue(e.getMessage().contains("fixed layout"), e.getMessage());
    assertThrows(AllocationConflictException.class,
        () -> s.allocate(Placement.builder("c", 0).whole(1).build()));
    assertThrows(AllocationConflictException.class,
        () -> s.allocate(Placement.builder("d", 0).share(1, 100, 1000).build()));
    assertEquals(version, s.version(), "failed calls change nothing");
    s.allocate(Placement.builder("e", 0).mig(1, "1g.10gb", 6).mig(0, "2g.20gb", 0).build());
    s.release("a");
    s.release("e");
    assertEquals(GpuMode.MIG, s.gpuMode(0), "a static GPU stays partitioned when emptied");
    assertEquals(0, s.gpuMigOccupancy(0));
    assertEquals(2, s.freeWholeGpus(0));
    assertTrue(s.canPlaceMig(0, g3, 4));
    // the dynamic GPU still returns to FREE and takes whole grants
    s.allocate(Placement.builder("f", 0).mig(2, "1g.10gb", 3).build());
    assertEquals(1, s.freeWholeGpus(0));
    s.release("f");
    assertEquals(GpuMode.FREE, s.gpuMode(2));
    s.allocate(Placement.builder("g", 0).whole(2).build());
  }

  @Test
  void staticLayoutsRoundTripThroughJsonAndYaml() {
    Cluster c = mixed();
    for (Format f : Format.values()) {
      String text = ClusterFormat.writeCluster(c, f);
      assertTrue(text.contains("migLayout"), text);
      assertEquals(c.nodes(), ClusterFormat.readCluster(text, f).nodes(), text);
    }
    Cluster compact = Cluster.of(List.of(Node.builder("s").cpuMilli(1000).memoryMib(1000)
        .staticMigGpus(8, MigConfigs.named(H100, "all-3g.40gb")).build()));
    String yaml = ClusterFormat.writeCluster(compact, Format.YAML);
    assertTrue(yaml.contains("count: 8") || yaml.contains("\"count\": 8"), yaml);
    assertEquals(compact.nodes(), ClusterFormat.readCluster(yaml, Format.YAML).nodes());
  }

  @Test
  void inventoriesNameOperatorConfigsOrInstances() {
    String yaml = """
        nodes:
          - name: a
            cpuMilli: 8000
            memoryMib: 65536
            gpus: {model: NVIDIA H100 80GB HBM3, count: 2, migLayout: all-balanced}
          - name: b
            cpuMilli: 8000
            memoryMib: 65536
            gpus:
              - {model: A100-80GB, migLayout: "4g.40gb@0, 3g.40gb@4"}
              - {model: A100-80GB}
        """;
    Cluster c = ClusterFormat.readCluster(yaml, Format.YAML);
    assertEquals(MigConfigs.named(H100, "all-balanced"), c.node(0).gpu(1).fixedMigLayout());
    assertEquals("[4g.40gb@0, 3g.40gb@4]", c.node(1).gpu(0).fixedMigLayout().toString());
    assertFalse(c.node(1).gpu(1).isStaticMig());
    ParseException bad = assertThrows(ParseException.class, () -> ClusterFormat.readCluster(
        yaml.replace("all-balanced", "all-balancd"), Format.YAML));
    assertTrue(bad.getMessage().contains("all-balanced"), bad.getMessage());
    ParseException overlap = assertThrows(ParseException.class, () -> ClusterFormat.readCluster(
        yaml.replace("3g.40gb@4", "3g.40gb@0"), Format.YAML));
    assertTrue(overlap.getMessage().contains("migLayout"), overlap.getMessage());
  }
}

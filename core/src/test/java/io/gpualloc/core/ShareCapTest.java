package io.gpualloc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.io.ClusterFormat;
import io.gpualloc.core.io.Format;
import io.gpualloc.core.testing.ViewState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-GPU share cap (HAMi's split count): validation, the ledger's refusals, the formats. */
class ShareCapTest {
  private static final GpuModel V100 = GpuModelCatalog.builtIn().get("V100-PCIE-32GB");
  private static final GpuModel A100 = GpuModelCatalog.builtIn().get("A100-80GB");

  /** One node {@code n} with two V100s capped at {@code cap} shares each. */
  private static Cluster capped(int cap) {
    return Cluster.of(Node.builder("n").cpuMilli(64_000).memoryMib(65_536)
        .gpu(new Gpu(0, "GPU-a", V100, 0, null, cap))
        .gpu(new Gpu(1, "GPU-b", V100, 0, null, cap)).build());
  }

  private static Placement share(String id, int gpu) {
    return Placement.builder(id, 0).cpuMilli(100).memoryMib(100).share(gpu, 50, 1000).build();
  }

  @Test
  void aCapBelowOneIsATypedErrorNamingFieldValueAndAllowed() {
    for (int bad : new int[] {0, -1, Integer.MIN_VALUE}) {
      InvalidSpecException e = assertThrows(InvalidSpecException.class,
          () -> new Gpu(3, "GPU-x", V100, 0, null, bad));
      assertTrue(e.getMessage().contains("maxShares"), e.getMessage());
      assertTrue(e.getMessage().contains(String.valueOf(bad)), e.getMessage());
      assertTrue(e.getMessage().contains(">= 1"), e.getMessage());
      assertTrue(e.getMessage().contains("GPU 3"), e.getMessage());
    }
    Gpu plain = new Gpu(0, "GPU-x", V100, 0);
    assertEquals(Gpu.UNLIMITED_SHARES, plain.maxShares());
    assertFalse(plain.hasShareCap());
    assertTrue(plain.withMaxShares(10).hasShareCap());
    assertEquals(10, plain.withMaxShares(10).withFixedMigLayout(null).maxShares());
    assertThrows(InvalidSpecException.class, () -> plain.withMaxShares(0));
  }

  @Test
  void theEleventhShareOfATenWayGpuIsRefusedAndChangesNothing() {
    ClusterState s = new ClusterState(capped(10));
    for (int k = 0; k < 10; k++) {
      s.allocate(share("p" + k, 0));
    }
    assertEquals(10, s.gpuGrantCount(0));
    assertEquals(10, s.gpuMaxShares(0));
    assertEquals(0, s.gpuSharesLeft(0));
    assertEquals(10, s.gpuSharesLeft(1));
    assertEquals(500, s.gpuFreeComputeMilli(0)); // compute and memory are not what binds
    assertFalse(s.canShare(0, 1, 1));
    assertTrue(s.canShare(1, 1, 1));

    ViewState before = ViewState.of(s);
    long version = s.version();
    AllocationConflictException e = assertThrows(AllocationConflictException.class,
        () -> s.allocate(share("p10", 0)));
    assertTrue(e.getMessage().contains("gpu 0 of node n holds 10/10 shares (split count)"),
        e.getMessage());
    assertTrue(e.getMessage().contains("grants[0].gpuIndex of placement p10"), e.getMessage());
    assertEquals(before, ViewState.of(s));
    assertEquals(version, s.version());

    // a gang whose second member goes over: nothing of it is recorded
    List<Placement> gang = List.of(share("g0", 1), share("g1", 0));
    assertThrows(AllocationConflictException.class, () -> s.allocateAll(gang));
    assertEquals(before, ViewState.of(s));
    assertEquals(version, s.version());

    s.release("p3");
    assertEquals(1, s.gpuSharesLeft(0));
    assertTrue(s.canShare(0, 50, 1000));
    s.allocate(share("p10", 0));
    assertEquals(10, s.gpuGrantCount(0));
  }

  @Test
  void aWholeGrantIsOneHolderAndMigInstancesAreNotCounted() {
    ClusterState s = new ClusterState(capped(1));
    s.allocate(Placement.builder("w", 0).whole(0).build());
    assertEquals(0, s.gpuSharesLeft(0)); // WHOLE: takes no share at all
    s.allocate(share("a", 1));
    AllocationConflictException e = assertThrows(AllocationConflictException.class,
        () -> s.allocate(share("b", 1)));
    assertTrue(e.getMessage().contains("gpu 1 of node n holds 1/1 shares (split count)"),
        e.getMessage());
    s.release("w");
    s.allocate(share("c", 0));

    // MIG instances on a GPU capped at 1: the profile table bounds them, not the split count
    ClusterState mig = new ClusterState(Cluster.of(Node.builder("m").cpuMilli(8000)
        .memoryMib(8192).gpu(new Gpu(0, "GPU-m", A100, 0, null, 1)).build()));
    Placement.Builder b = Placement.builder("seven", 0);
    for (int slot = 0; slot < 7; slot++) {
      b.mig(0, "1g.10gb", slot);
    }
    mig.allocate(b.build());
    assertEquals(7, mig.gpuGrantCount(0));
    assertEquals(0, mig.gpuSharesLeft(0)); // MIG mode: no share either way
  }

  @Test
  void forksSnapshotsAndMembershipKeepTheCapExact() {
    ClusterState s = new ClusterState(capped(2));
    s.allocate(share("p0", 0));
    ClusterSnapshot snap = s.snapshot();
    ClusterState fork = s.fork();
    fork.allocate(share("f1", 0));
    assertThrows(AllocationConflictException.class, () -> fork.allocate(share("f2", 0)));
    s.allocate(share("p1", 0)); // the parent still has its own second share
    assertEquals(1, snap.gpuGrantCount(0));
    assertEquals(2, snap.gpuMaxShares(0));
    assertTrue(snap.canShare(0, 50, 1000));
    assertFalse(s.canShare(0, 50, 1000));

    int id = s.addNode(Node.builder("added").cpuMilli(1000).memoryMib(1000)
        .gpu(new Gpu(0, "GPU-c", V100, 0, null, 3)).build());
    int gpu = s.cluster().gpuId(id, 0);
    assertEquals(3, s.gpuMaxShares(gpu));
    assertFalse(fork.cluster().hasNode("added")); // the fork never saw the node
    for (int k = 0; k < 3; k++) {
      s.allocate(Placement.builder("x" + k, id).share(0, 10, 10).build());
    }
    assertFalse(s.canShare(gpu, 10, 10));
    assertEquals(3, s.removeNode("added").size());
    int again = s.addNode(Node.builder("added").cpuMilli(1000).memoryMib(1000)
        .gpu(new Gpu(0, "GPU-c", V100, 0, null, 1)).build());
    int gpu2 = s.cluster().gpuId(again, 0);
    assertEquals(1, s.gpuMaxShares(gpu2));
    s.allocate(Placement.builder("y", again).share(0, 10, 10).build());
    assertThrows(AllocationConflictException.class,
        () -> s.allocate(Placement.builder("z", again).share(0, 10, 10).build()));
  }

  @Test
  void theFormatsCarryTheCapInBothForms() {
    String yaml = """
        nodes:
          - name: pool
            cpuMilli: 8000
            memoryMib: 8192
            gpus: {model: T4, count: 4, maxShares: 10}
          - name: mixed
            cpuMilli: 8000
            memoryMib: 8192
            gpus:
              - {model: T4, maxShares: 4}
              - {model: T4}
        """;
    Cluster c = ClusterFormat.readCluster(yaml, Format.YAML);
    for (Gpu g : c.node(0).gpus()) {
      assertEquals(10, g.maxShares());
    }
    assertEquals(4, c.node(1).gpu(0).maxShares());
    assertEquals(Gpu.UNLIMITED_SHARES, c.node(1).gpu(1).maxShares());
    for (Format f : Format.values()) {
      String text = ClusterFormat.writeCluster(c, f);
      assertEquals(c.nodes(), ClusterFormat.readCluster(text, f).nodes(), text);
    }
    String written = ClusterFormat.writeCluster(c, Format.YAML);
    assertTrue(written.contains("maxShares: 10"), written);
    List<String> capLines = new ArrayList<>();
    for (String line : written.split("\n")) {
      if (line.contains("maxShares")) {
        capLines.add(line);
      }
    }
    assertEquals(2, capLines.size(), written); // the group once, the one capped GPU once

    ParseException bad = assertThrows(ParseException.class, () -> ClusterFormat.readCluster(
        "nodes:\n  - name: n\n    cpuMilli: 1\n    memoryMib: 1\n    gpus:\n"
            + "      - {model: T4, maxShares: 0}\n", Format.YAML));
    assertTrue(bad.getMessage().contains("maxShares"), bad.getMessage());
    assertTrue(bad.getMessage().contains(">= 1"), bad.getMessage());
    assertTrue(bad.path().startsWith("nodes[0].gpus[0]"), bad.path());
  }
}

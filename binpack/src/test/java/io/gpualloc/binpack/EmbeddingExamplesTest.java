package io.gpualloc.binpack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.Decision;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.IntraNodeTopology;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.Node;
import io.gpualloc.core.NodeScores;
import io.gpualloc.core.Placement;
import io.gpualloc.core.PlacementPolicy;
import io.gpualloc.core.RejectReason;
import io.gpualloc.core.Request;
import io.gpualloc.topology.NodeInterconnect;
import io.gpualloc.topology.Preset;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The concrete cases: topology on DGX-1 and PCIe nodes, numbers in reasons, MIG, accessors. */
class EmbeddingExamplesTest {
  static final NodeInterconnect DGX1 = Preset.DGX1_V100.interconnect();
  static final NodeInterconnect PCIE = Preset.PCIE_8GPU_2SOCKET.interconnect();
  static final GpuModel V100 = GpuModelCatalog.builtIn().get("V100-32GB");

  /** The PCIe server first (node 0), so that index- and id-order policies would go there. */
  static Cluster pcieThenDgx() {
    return Cluster.of(
        Node.builder("pcie").cpuMilli(64_000).memoryMib(512_000).gpus(8, V100, 2).build(),
        Node.builder("dgx").cpuMilli(64_000).memoryMib(512_000).gpus(8, V100, 2).build());
  }

  static PolicyConfig config(long seed) {
    Request sample = Request.builder("c").cpuMilli(1000).gpu(GpuDemand.shared(1, 500, 0)).build();
    return PolicyConfig.of(seed).withWorkload(TargetWorkload.fromRequests(List.of(sample), 1.0))
        .withInterconnects(Map.of("pcie", PCIE, "dgx", DGX1));
  }

  static int[] gpus(Placement p) {
    return p.grants().stream().mapToInt(GpuGrant::gpuIndex).sorted().toArray();
  }

  static boolean allNvlink(NodeInterconnect ic, int[] set) {
    for (int a = 0; a < set.length; a++) {
      for (int b = a + 1; b < set.length; b++) {
        if (!ic.link(set[a], set[b]).linkClass().isNvLink()) {
          return false;
        }
      }
    }
    return true;
  }

  @Test
  void requiredLandsOnAnNvlinkPairOfTheFreeDgx1WithEveryPolicy() {
    Request req = Request.builder("nv").cpuMilli(1000).gpu(GpuDemand.whole(2))
        .topology(IntraNodeTopology.REQUIRED).build();
    for (String name : Policies.names()) {
      ClusterState state = new ClusterState(pcieThenDgx());
      Decision d = Policies.named(name, config(3)).place(req, state);
      Decision.Placed p = assertInstanceOf(Decision.Placed.class, d, name);
      assertEquals(1, p.placement().nodeId(), name + " must use the DGX-1");
      assertTrue(allNvlink(DGX1, gpus(p.placement())), name);
      Decision.Rejected none = assertInstanceOf(Decision.Rejected.class,
          Policies.named(name, PolicyConfig.of(3).withWorkload(config(3).workload()))
              .place(req, state), name + " without interconnects cannot verify REQUIRED");
      assertEquals(RejectReason.TOPOLOGY_NOT_SATISFIED, none.reasonFor(1));
    }
  }

  @Test
  void requiredNeverTakesASysPairAndSaysWhatTheBestSetReached() {
    ClusterState state = new ClusterState(pcieThenDgx());
    state.allocate(Placement.builder("full", 1).cpuMilli(64_000).build()); // DGX-1 has no CPU
    Request req = Request.builder("nv").cpuMilli(1000).gpu(GpuDemand.whole(2))
        .topology(IntraNodeTopology.REQUIRED).build();
    Decision.Rejected r = assertInstanceOf(Decision.Rejected.class,
        Policies.named("first-fit", config(1)).place(req, state));
    assertEquals(RejectReason.TOPOLOGY_NOT_SATISFIED, r.reasonFor(0));
    assertTrue(r.detailFor(0).contains("reaches"), r.detailFor(0));
    assertEquals(RejectReason.INSUFFICIENT_CPU, r.reasonFor(1));
    assertEquals("cpu: needs 1000m, 0m free", r.detailFor(1));
    assertTrue(r.summary().startsWith("0/2 nodes fit: 1 insufficient CPU, 1 topology"),
        r.summary());
  }

  @Test
  void preferredSteersTheNodeChoice() {
    Request req = Request.builder("pref").cpuMilli(1000).gpu(GpuDemand.whole(2))
        .topology(IntraNodeTopology.PREFERRED).build();
    for (String name : Policies.names()) {
      ClusterState state = new ClusterState(pcieThenDgx());
      NodeScores s = Policies.named(name, config(5)).scoreAll(req, state);
      assertEquals("dgx", s.nodeName(0), name);
      assertTrue(s.terms().contains("topology"), name);
      assertTrue(allNvlink(DGX1, s.grants(0).stream().mapToInt(GpuGrant::gpuIndex).toArray()));
    }
  }

  @Property(tries = 40)
  void requiredIsNeverViolatedAndNeverRejectedWhenSomeNodeCan(
      @ForAll @IntRange(min = 0, max = 1000) int seed, @ForAll @IntRange(min = 2, max = 4) int k,
      @ForAll @IntRange(min = 0, max = 7) int busy) {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
    ClusterState state = new ClusterState(pcieThenDgx());
    for (int i = 0; i < busy; i++) {
      int node = rnd.nextInt(2);
      int gpu = rnd.nextInt(8);
      if (state.gpuMode(state.cluster().gpuOffset(node) + gpu) == io.gpualloc.core.GpuMode.FREE) {
        state.allocate(Placement.builder("b" + i, node).whole(gpu).build());
      }
    }
    Request req = Request.builder("nv").cpuMilli(1000).gpu(GpuDemand.whole(k))
        .topology(IntraNodeTopology.REQUIRED).build();
    boolean possible = nvlinkSetExists(state, 1, DGX1, k);
    for (String name : Policies.names()) {
      Decision d = Policies.named(name, config(seed)).place(req, state);
      if (d instanceof Decision.Placed p) {
        NodeInterconnect ic = p.placement().nodeId() == 0 ? PCIE : DGX1;
        assertTrue(allNvlink(ic, gpus(p.placement())), name);
        state.fork().allocate(p.placement());
      } else {
        assertTrue(!possible, name + " rejected although the DGX-1 has an all-NVLink set");
      }
    }
  }

  /** Brute force: some k free GPUs of the node are pairwise NVLink. */
  static boolean nvlinkSetExists(ClusterState s, int node, NodeInterconnect ic, int k) {
    int off = s.cluster().gpuOffset(node);
    for (int mask = 0; mask < 256; mask++) {
      if (Integer.bitCount(mask) != k) {
        continue;
      }
      int[] set = new int[k];
      int j = 0;
      boolean free = true;
      for (int g = 0; g < 8; g++) {
        if ((mask & (1 << g)) != 0) {
          set[j++] = g;
          free &= s.gpuMode(off + g) == io.gpualloc.core.GpuMode.FREE;
        }
      }
      if (free && allNvlink(ic, set)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void reasonsCarryTheNumbers() {
    GpuModel t4 = GpuModelCatalog.builtIn().get("T4");
    Cluster c = Cluster.of(Node.builder("small").cpuMilli(2000).memoryMib(8192).gpus(4, t4).build(),
        Node.builder("shared").cpuMilli(32_000).memoryMib(65_536).gpus(4, t4).build());
    ClusterState state = new ClusterState(c);
    for (int g = 0; g < 4; g++) {
      state.allocate(Placement.builder("s" + g, 1).share(g, g == 3 ? 850 : 900, 0).build());
    }
    Request r = Request.builder("r").cpuMilli(4000).gpu(GpuDemand.shared(1, 300, 0)).build();
    Decision.Rejected rej = assertInstanceOf(Decision.Rejected.class,
        Policies.named("best-fit", PolicyConfig.of(1)).place(r, state));
    assertEquals("cpu: needs 4000m, 2000m free", rej.detailFor(0));
    assertEquals("gpu 3: needs 300 milli, 150 free", rej.detailFor(1));
    assertEquals("0/2 nodes fit: 1 insufficient CPU, 1 insufficient GPU compute. node small: "
        + "cpu: needs 4000m, 2000m free; node shared: gpu 3: needs 300 milli, 150 free",
        rej.summary());
  }

  @Test
  void migProfileUnknownToTheModelIsNotMigNotSupported() {
    GpuModel a80 = GpuModelCatalog.builtIn().get("A100-80GB");
    GpuModel t4 = GpuModelCatalog.builtIn().get("T4");
    Cluster c = Cluster.of(Node.builder("a").cpuMilli(8000).memoryMib(8192).gpus(8, a80).build(),
        Node.builder("t").cpuMilli(8000).memoryMib(8192).gpus(2, t4).build());
    ClusterState state = new ClusterState(c);
    Request small = Request.builder("m").gpu(GpuDemand.mig("1g.5gb", 1)).build();
    Decision.Rejected rej = assertInstanceOf(Decision.Rejected.class,
        Policies.named("first-fit", PolicyConfig.of(1)).place(small, state));
    assertEquals(RejectReason.MIG_PROFILE_NOT_OFFERED, rej.reasonFor(0));
    assertTrue(rej.detailFor(0).contains("1g.10gb") && rej.detailFor(0).endsWith("not 1g.5gb"),
        rej.detailFor(0));
    assertEquals(RejectReason.MIG_NOT_SUPPORTED, rej.reasonFor(1));
    assertEquals("mig: T4 has no MIG; needs 1g.5gb", rej.detailFor(1));
    for (int g = 0; g < 8; g++) {
      state.allocate(Placement.builder("full" + g, 0).mig(g, "4g.40gb", 0).build());
    }
    Request big = Request.builder("big").gpu(GpuDemand.mig("4g.40gb", 1)).build();
    Decision.Rejected full = assertInstanceOf(Decision.Rejected.class,
        Policies.named("first-fit", PolicyConfig.of(1)).place(big, state));
    assertEquals(RejectReason.NO_FREE_MIG_SLOT, full.reasonFor(0));
    assertEquals("no 4g.40gb start slot free on GPUs 0-7", full.detailFor(0));
  }

  @Test
  void rejectionAccessorsValidateTheirArguments() {
    Decision.Rejected early = Decision.Rejected.because("pod", 3, "gpu count exceeds every node");
    InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> early.reasonFor(0));
    assertTrue(e.getMessage().contains("nodeId"), e.getMessage());
    assertThrows(InvalidSpecException.class, () -> early.detailFor(0));
    assertThrows(InvalidSpecException.class, () -> Decision.Rejected.because("pod", 3, ""));
    Decision.Rejected r = Decision.Rejected.builder("pod", 2)
        .reject(0, RejectReason.INSUFFICIENT_CPU).build("");
    assertThrows(InvalidSpecException.class, () -> r.reasonFor(2));
    assertThrows(InvalidSpecException.class, () -> r.reasonFor(-1));
    assertEquals(RejectReason.POLICY, r.reasonFor(1));
    assertThrows(InvalidSpecException.class, () -> new Decision.Rejected("pod", 3,
        List.of(RejectReason.POLICY), Map.of(), ""));
  }

  /** The prioritize step of docs/embedding.md ("Scoring every node"), verbatim. */
  @Test
  void extenderPrioritizeStepOfTheGuide() {
    GpuModel t4 = GpuModelCatalog.builtIn().get("T4");
    ClusterState state = new ClusterState(Cluster.of(
        Node.builder("a").cpuMilli(8000).memoryMib(8192).gpus(2, t4).build(),
        Node.builder("b").cpuMilli(8000).memoryMib(8192).gpus(2, t4).build(),
        Node.builder("c").cpuMilli(1000).memoryMib(8192).gpus(2, t4).build()));
    state.allocate(Placement.builder("x", 1).share(0, 500, 0).build());
    Request pod = Request.builder("pod").cpuMilli(2000).gpu(GpuDemand.shared(1, 250, 0)).build();
    PlacementPolicy policy = Policies.named("best-fit", PolicyConfig.of(42));
    // --- guide snippet starts
    NodeScores scores = policy.scoreAll(pod, state.snapshot());
    int[] extender = scores.extenderScores();              // 0..10, best first
    List<String> hostPriorities = new java.util.ArrayList<>();
    for (int i = 0; i < scores.size(); i++) {
      hostPriorities.add(scores.nodeName(i) + "=" + extender[i]);
    }
    List<String> failed = new java.util.ArrayList<>();
    for (int id = 0; id < scores.nodeIdBound(); id++) {
      if (!scores.isFeasible(id)) {
        failed.add(scores.nodeNameOf(id) + ": " + scores.rejectionFor(id).detail());
      }
    }
    // --- guide snippet ends
    assertEquals(List.of("b=10", "a=0"), hostPriorities);
    assertEquals(List.of("c: cpu: needs 2000m, 1000m free"), failed);
    assertEquals(policy.place(pod, state), scores.best());
  }

  @Test
  void scoredListAccessorsAndNormalisation() {
    GpuModel t4 = GpuModelCatalog.builtIn().get("T4");
    Cluster c = Cluster.of(Node.builder("a").cpuMilli(8000).memoryMib(8192).gpus(2, t4).build(),
        Node.builder("b").cpuMilli(8000).memoryMib(8192).gpus(2, t4).build(),
        Node.builder("c").cpuMilli(1000).memoryMib(8192).gpus(2, t4).build());
    ClusterState state = new ClusterState(c);
    state.allocate(Placement.builder("x", 1).share(0, 500, 0).build());
    Request r = Request.builder("r").cpuMilli(2000).gpu(GpuDemand.shared(1, 250, 0)).build();
    PlacementPolicy p = Policies.named("best-fit", PolicyConfig.of(1));
    NodeScores s = p.scoreAll(r, state);
    assertEquals(2, s.size());
    assertEquals("b", s.nodeName(0)); // the partly used node is the tighter fit
    assertEquals(List.of(GpuGrant.share(0, 250, 0)), s.grants(0));
    assertArrayEquals(new int[] {100, 0}, s.normalized100());
    assertArrayEquals(new int[] {10, 0}, s.extenderScores());
    assertEquals(RejectReason.INSUFFICIENT_CPU, s.rejectionFor(2).reason());
    assertThrows(InvalidSpecException.class, () -> s.rejectionFor(1));
    assertThrows(InvalidSpecException.class, () -> s.positionOf(2));
    assertThrows(InvalidSpecException.class, () -> s.score(2));
    assertThrows(InvalidSpecException.class, () -> s.term(0, 1));
    assertThrows(InvalidSpecException.class, () -> s.normalized(0));
    assertEquals(p.place(r, state), s.best());
  }
}

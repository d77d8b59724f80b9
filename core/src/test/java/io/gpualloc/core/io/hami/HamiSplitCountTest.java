package io.gpualloc.core.io.hami;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.AllocationConflictException;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.ParseException;
import io.gpualloc.core.Placement;
import io.gpualloc.core.ReadLimits;
import io.gpualloc.core.Request;
import io.gpualloc.core.io.k8s.KubeMapping;
import io.gpualloc.core.io.k8s.KubeMapping.GpuSemantics;
import io.gpualloc.core.io.k8s.KubeNode;
import io.gpualloc.core.io.k8s.KubePod;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * HAMi's split count ({@code count} of {@code hami.io/node-nvidia-register}) as the GPU's share
 * cap: read from the register, enforced by the ledger, and checked when a ledger is rebuilt.
 */
class HamiSplitCountTest {
  private static final KubeMapping HAMI = KubeMapping.of(GpuSemantics.HAMI);
  private static final ReadLimits L = ReadLimits.defaults();

  /** HAMi's documented CSV register: two V100-32GB, each split 10 ways. */
  private static final String REGISTER = "GPU-a,10,32768,100,NVIDIA-Tesla V100-PCIE-32GB,0,true:"
      + "GPU-b,10,32768,100,NVIDIA-Tesla V100-PCIE-32GB,0,true:";

  /** A node whose allocatable {@code nvidia.com/gpu} is its vGPU slots: GPUs x split count. */
  private static String node(String register, int slots) {
    return HamiLedgerTest.hamiNode("v100-a", register).replace("\"nvidia.com/gpu\":\"20\"",
        "\"nvidia.com/gpu\":\"" + slots + "\"");
  }

  private static String pod(String name, String allocated) {
    return HamiLedgerTest.runningPod(name, "v100-a", allocated);
  }

  @Test
  void theRegisterCountBecomesTheShareCap() {
    KubeNode k = HAMI.readNode(node(REGISTER, 20));
    assertEquals(10, k.node().gpu(0).maxShares());
    assertEquals(10, k.node().gpu(1).maxShares());
    KubeNode json = HAMI.readNode(node("[{\"id\":\"GPU-c\",\"count\":4,\"devmem\":81920,"
        + "\"devcore\":100,\"type\":\"NVIDIA-NVIDIA A100-SXM4-80GB\",\"health\":true}]", 4));
    assertEquals(4, json.node().gpu(0).maxShares());

    // count 0 (or an omitted count in the JSON form): HAMi never places on it; a typed error
    ParseException zero = assertThrows(ParseException.class, () -> HAMI.readNode(node(
        "GPU-a,0,32768,100,NVIDIA-Tesla V100-PCIE-32GB,0,true:", 0)));
    assertTrue(zero.getMessage().contains("node v100-a"), zero.getMessage());
    assertTrue(zero.getMessage().contains("count 0"), zero.getMessage());
    assertTrue(zero.getMessage().contains(">= 1"), zero.getMessage());
    assertTrue(zero.path().contains(HamiCodec.NODE_REGISTER), zero.path());
  }

  @Test
  void theEleventhShareOfATenWaySplitIsRefused() {
    ClusterState s = new ClusterState(Cluster.of(HAMI.readNode(node(REGISTER, 20)).node()));
    for (int k = 0; k < 10; k++) {
      s.allocate(Placement.builder("p" + k, 0).share(0, 10, 1000).build());
    }
    AllocationConflictException e = assertThrows(AllocationConflictException.class,
        () -> s.allocate(Placement.builder("p10", 0).share(0, 10, 1000).build()));
    assertTrue(e.getMessage().contains("gpu 0 of node v100-a holds 10/10 shares (split count)"),
        e.getMessage());
    assertEquals(10, s.allocationsOn(0).size());
  }

  @Test
  void vgpuSlotsUnderHamiSemanticsAreWhatTheCapsAllow() {
    KubeNode k = HAMI.readNode(node(REGISTER, 20));
    ClusterState s = new ClusterState(Cluster.of(k.node()));
    // nvidia.com/gpu: 1 with gpumem 1000 is one share of one GPU: one vGPU slot
    Request r = HAMI.readPod(pod("slot", "x").replace(HamiCodec.DEVICES_ALLOCATED, "other"))
        .request();
    GpuDemand.Shared d = (GpuDemand.Shared) r.gpu();
    assertEquals(1, d.count());
    int placed = 0;
    for (int k2 = 0; k2 < 25; k2++) {
      int gpu = -1;
      for (int i = 0; i < 2 && gpu < 0; i++) {
        if (s.canShare(i, d.computeMilli(), d.memoryMib())) {
          gpu = i;
        }
      }
      if (gpu < 0) {
        break;
      }
      s.allocate(Placement.builder("s" + k2, 0).share(gpu, d.computeMilli(), d.memoryMib())
          .build());
      placed++;
    }
    // memory would allow 32 per GPU; the split count stops at 10: 20 = the advertised slots
    assertEquals(20, placed);
    int slots = 0;
    for (int i = 0; i < 2; i++) {
      slots += k.node().gpu(i).maxShares();
    }
    assertEquals(20, slots);
  }

  @Test
  void rebuildRefusesPodsOverASplitCountAndRecordsNothing() {
    ClusterState s = new ClusterState(Cluster.of(HAMI.readNode(node(
        "GPU-a,2,32768,100,NVIDIA-Tesla V100-PCIE-32GB,0,true:"
            + "GPU-b,2,32768,100,NVIDIA-Tesla V100-PCIE-32GB,0,true:", 4)).node()));
    long before = s.version();
    List<KubePod> pods = new ArrayList<>();
    pods.add(HAMI.readPod(pod("p1", "GPU-a,NVIDIA,1000,10:;")));
    pods.add(HAMI.readPod(pod("p2", "GPU-b,NVIDIA,1000,10:GPU-a,NVIDIA,1000,10:;")));
    pods.add(HAMI.readPod(pod("p3", ";GPU-b,NVIDIA,1000,10:GPU-a,NVIDIA,1000,10:;")));
    ParseException e = assertThrows(ParseException.class, () -> HamiLedger.rebuild(s, pods, L));
    assertTrue(e.getMessage().startsWith("pod ml/p3"), e.getMessage());
    assertEquals(HamiCodec.DEVICES_ALLOCATED, e.path());
    // p3's second device entry, "GPU-a,...", starts at offset 22 (after ";" and "GPU-b,...:")
    assertTrue(e.getMessage().contains("at offset 22"), e.getMessage());
    assertEquals(23, e.column());
    assertTrue(e.getMessage().contains("3/2 shares (split count)"), e.getMessage());
    assertEquals(before, s.version());
    assertEquals(0, s.allocationsOn(0).size());

    // the same two uses within the cap are recorded; a pod already in the ledger counts too
    List<Placement> done = HamiLedger.rebuild(s, pods.subList(0, 2), L);
    assertEquals(2, done.size());
    assertThrows(ParseException.class, () -> HamiLedger.rebuild(s,
        List.of(HAMI.readPod(pod("p4", "GPU-a,NVIDIA,1000,10:;"))), L));
    assertEquals(2, s.allocationsOn(0).size());

    // two containers of one pod on one GPU are two uses, as HAMi counts them
    ClusterState t = new ClusterState(s.cluster());
    ParseException twice = assertThrows(ParseException.class, () -> HamiLedger.rebuild(t,
        List.of(HAMI.readPod(pod("p5", "GPU-a,NVIDIA,1000,10:;GPU-a,NVIDIA,1000,10:;"
            + "GPU-a,NVIDIA,1000,10:;"))), L));
    assertTrue(twice.getMessage().contains("at offset 44"), twice.getMessage());
    assertEquals(0, t.allocationCount());
  }
}

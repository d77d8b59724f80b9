package io.gpualloc.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.RejectReason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** GPU+NIC co-selection: hand-computed cases and optimality against brute force. */
class GpuNicSelectorTest {
  private final GpuNicSelector sel = GpuNicSelector.create();

  private static GpuNicChoice.Chosen chosen(GpuNicChoice c) {
    assertTrue(c.isChosen(), c::toString);
    return (GpuNicChoice.Chosen) c;
  }

  @Test
  void gpusAndTheirSwitchNic() {
    NodeInterconnect p8 = Preset.PCIE_8GPU_2SOCKET.interconnect();
    NicRequest one = new NicRequest(1, NicAffinity.SAME_SWITCH, true);
    GpuNicChoice.Chosen c =
        chosen(sel.select(p8, GpuSet.range(8).minus(GpuSet.of(0)), GpuSet.empty(), 2,
            GpuSet.range(4), one));
    assertEquals(GpuSet.of(2, 3), c.gpus().gpus()); // a PIX pair; {4,5} and {6,7} stay intact
    assertEquals(List.of(1), c.nics()); // mlx5_1 sits on that switch
    assertEquals(2, c.servedGpus());
    // the switch NIC of {2,3} is taken: the pair under a free NIC wins over the better-kept one
    GpuNicChoice.Chosen d = chosen(sel.select(p8, GpuSet.range(8).minus(GpuSet.of(0)),
        GpuSet.empty(), 2, GpuSet.of(0, 2, 3), one));
    assertEquals(GpuSet.of(4, 5), d.gpus().gpus());
    assertEquals(List.of(2), d.nics());
  }

  @Test
  void requiredAffinityThatNoSetMeetsIsRejectedAndPreferredDegrades() {
    NodeInterconnect dgx1 = Preset.DGX1_V100.interconnect();
    GpuNicChoice r = sel.select(dgx1, GpuSet.range(8), GpuSet.empty(), 4, GpuSet.range(4),
        new NicRequest(1, NicAffinity.SAME_SWITCH, true));
    assertEquals(RejectReason.TOPOLOGY_NOT_SATISFIED, ((GpuNicChoice.Rejected) r).reason());
    // one NIC per socket's host bridge serves a whole quad
    GpuNicChoice.Chosen rc = chosen(sel.select(dgx1, GpuSet.range(8), GpuSet.empty(), 4,
        GpuSet.range(4), new NicRequest(1, NicAffinity.SAME_ROOT_COMPLEX, true)));
    assertEquals(GpuSet.of(0, 1, 2, 3), rc.gpus().gpus());
    assertEquals(List.of(0), rc.nics());
    assertEquals(4, rc.servedGpus());
    GpuNicChoice.Chosen pref = chosen(sel.select(dgx1, GpuSet.range(8), GpuSet.empty(), 4,
        GpuSet.range(4), new NicRequest(1, NicAffinity.SAME_SWITCH, false)));
    assertEquals(GpuSet.of(0, 1, 2, 3), pref.gpus().gpus());
    assertEquals(List.of(0), pref.nics());
    assertEquals(2, pref.servedGpus());
    GpuNicChoice few = sel.select(dgx1, GpuSet.range(8), GpuSet.empty(), 2, GpuSet.of(1),
        new NicRequest(2, NicAffinity.SAME_NUMA, false));
    assertEquals(RejectReason.INSUFFICIENT_GPUS, ((GpuNicChoice.Rejected) few).reason());
  }

  @Test
  void oneNicPerSwitchWhenOneSwitchHasThree() {
    // Koordinator PR #2646: 8 GPUs on 8 switches, three NICs on the first switch and one on each
    // other; an 8-GPU + 8-NIC job must get one NIC per switch, not NICs 0..7
    NodeInterconnect.Builder b = NodeInterconnect.builder("three-on-one", 8);
    GpuLocation[] g = new GpuLocation[8];
    for (int i = 0; i < 8; i++) {
      g[i] = new GpuLocation(i / 4, i / 4, i, List.of(i), -1);
      b.location(i, g[i]);
    }
    int[] nicSwitch = {0, 0, 0, 1, 2, 3, 4, 5, 6, 7};
    for (int x = 0; x < nicSwitch.length; x++) {
      GpuLocation at = new GpuLocation(nicSwitch[x] / 4, nicSwitch[x] / 4, nicSwitch[x],
          List.of(nicSwitch[x]), -1);
      List<LinkClass> to = new ArrayList<>();
      for (GpuLocation l : g) {
        to.add(at.pcieClassTo(l));
      }
      b.nic(new Nic("nic" + x, at.numaNode(), to));
    }
    GpuNicChoice.Chosen c = chosen(sel.select(b.build(), GpuSet.range(8), GpuSet.empty(), 8,
        GpuSet.range(10), new NicRequest(8, NicAffinity.SAME_SWITCH, true)));
    assertEquals(List.of(0, 3, 4, 5, 6, 7, 8, 9), c.nics());
    assertEquals(8, c.servedGpus());
    assertEquals(8, c.servingNics());
  }

  @Property(tries = 300)
  void optimalAgainstBruteForce(@ForAll long seed) {
    Random rnd = new Random(seed);
    NodeInterconnect base = RandomTopologies.interconnect(seed, 8);
    int n = base.gpuCount();
    NodeInterconnect.Builder b = base.toBuilder();
    LinkClass[] cls = {LinkClass.PIX, LinkClass.PXB, LinkClass.PHB, LinkClass.NODE, LinkClass.SYS};
    int nicCount = 1 + rnd.nextInt(4);
    for (int x = 0; x < nicCount; x++) {
      List<LinkClass> to = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        to.add(cls[rnd.nextInt(cls.length)]);
      }
      b.nic(new Nic("r" + x, -1, to));
    }
    NodeInterconnect ic = b.build();
    Object[] q = RandomTopologies.request(ic, seed, false);
    GpuSet free = (GpuSet) q[0];
    GpuSet must = (GpuSet) q[2];
    int k = (Integer) q[3];
    GpuSet freeNics = GpuSet.of(Arrays.stream(new int[nicCount]).map(z -> 0).toArray())
        .union(GpuSet.range(nicCount)).minus(rnd.nextBoolean() ? GpuSet.of(0) : GpuSet.empty());
    NicRequest req = new NicRequest(rnd.nextInt(freeNics.size() + 1),
        NicAffinity.values()[rnd.nextInt(3)], rnd.nextBoolean());
    GpuNicChoice c = sel.select(ic, free, must, k, freeNics, req);
    // brute force: every k-subset, its best NIC coverage, then the documented order
    int[] bestSet = null;
    long[] bestKey = null;
    int bestCov = -1;
    // with a required affinity only GPUs that a free NIC serves count, for the lookahead too
    GpuSet counted = free;
    if (req.required() && req.count() > 0) {
      List<Integer> served = new ArrayList<>();
      for (int g : free.toArray()) {
        for (int x : freeNics.toArray()) {
          if (req.affinity().admits(ic.nics().get(x).toGpu().get(g))) {
            served.add(g);
            break;
          }
        }
      }
      counted = GpuSet.of(served);
    }
    if (k <= free.size() && must.isSubsetOf(free) && must.size() <= k) {
      for (int[] s : SelectionProperties.subsets(counted.toArray(), k)) {
        if (!must.isSubsetOf(GpuSet.of(s))) {
          continue;
        }
        int cov = coverage(ic, s, freeNics.toArray(), req);
        if (cov < 0) {
          continue;
        }
        long[] key = {SelectionProperties.quality(ic, s), req.required() ? 0 : cov,
            SelectionProperties.lookahead(ic, counted, s, k), SelectionProperties.locality(ic, s),
            -SelectionProperties.damage(ic, counted, s)};
        int cmp = bestKey == null ? 1 : Arrays.compare(key, bestKey);
        if (cmp > 0 || (cmp == 0 && Arrays.compare(s, bestSet) < 0)) {
          bestSet = s;
          bestKey = key;
          bestCov = cov;
        }
      }
    }
    if (bestSet == null) {
      assertTrue(!c.isChosen(), c::toString);
      return;
    }
    GpuNicChoice.Chosen ch = chosen(c);
    assertEquals(GpuSet.of(bestSet), ch.gpus().gpus());
    assertEquals(req.count(), ch.nics().size());
    assertTrue(GpuSet.of(ch.nics()).isSubsetOf(freeNics));
    assertEquals(bestCov, ch.servedGpus() + ch.servingNics());
  }

  /** The best coverage of NIC combinations for {@code set}; -1 if required and none qualifies. */
  private static int coverage(NodeInterconnect ic, int[] set, int[] freeNics, NicRequest req) {
    int best = -1;
    for (int[] nics : SelectionProperties.subsets(freeNics, req.count())) {
      int served = 0;
      int serving = 0;
      for (int g : set) {
        boolean any = false;
        for (int x : nics) {
          any |= req.affinity().admits(ic.nics().get(x).toGpu().get(g));
        }
        served += any ? 1 : 0;
      }
      for (int x : nics) {
        boolean any = false;
        for (int g : set) {
          any |= req.affinity().admits(ic.nics().get(x).toGpu().get(g));
        }
        serving += any ? 1 : 0;
      }
      if (req.required() && (served < set.length || serving < nics.length)) {
        continue;
      }
      best = Math.max(best, served + serving);
    }
    return best;
  }
}

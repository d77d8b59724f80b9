package io.gpualloc.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The selection specification: what every answer satisfies, and optimality against brute force. */
class SelectionProperties {
  private static final LinkScores S = LinkScores.DEFAULT;

  private static List<GpuSetSelector> all() {
    return List.of(GpuSetSelectors.branchAndBound(), GpuSetSelectors.goGpuAllocatorBestEffort(S),
        GpuSetSelectors.hamiTopologyScore(S));
  }

  @Property(tries = 150)
  void everyAnswerIsAFeasibleKSubset(@ForAll long seed) {
    NodeInterconnect ic = RandomTopologies.interconnect(seed, 10);
    Object[] q = RandomTopologies.request(ic, seed, true);
    GpuSet free = (GpuSet) q[0];
    GpuSet partly = (GpuSet) q[1];
    GpuSet must = (GpuSet) q[2];
    int k = (Integer) q[3];
    for (GpuSetSelector sel : all()) {
      GpuSetChoice c = sel.select(ic, free, partly, must, k);
      boolean feasible = k <= free.size() + partly.size() && must.size() <= k;
      assertEquals(feasible, c.isChosen(), sel.name() + " " + c);
      if (c instanceof GpuSetChoice.Chosen ch) {
        assertEquals(k, ch.gpus().size(), sel.name());
        assertTrue(ch.gpus().isSubsetOf(free.union(partly)), sel.name());
        assertTrue(must.isSubsetOf(ch.gpus()), sel.name());
        assertEquals(score(ic, ch.gpus().toArray()), ch.score(), sel.name());
        assertTrue(ch.upperBound() >= ch.score());
      }
    }
  }

  @Property(tries = 200)
  void branchAndBoundMatchesBruteForce(@ForAll long seed) {
    NodeInterconnect ic = RandomTopologies.interconnect(seed, 10);
    Object[] q = RandomTopologies.request(ic, seed, true);
    GpuSet free = (GpuSet) q[0];
    GpuSet partly = (GpuSet) q[1];
    GpuSet must = (GpuSet) q[2];
    int k = (Integer) q[3];
    GpuSetChoice c = GpuSetSelectors.branchAndBound().select(ic, free, partly, must, k);
    int[] expect = bruteForce(ic, free, partly, must, k);
    if (expect == null) {
      assertTrue(!c.isChosen());
      return;
    }
    GpuSetChoice.Chosen ch = (GpuSetChoice.Chosen) c;
    assertTrue(ch.optimal());
    assertEquals(score(ic, expect), ch.score());
    assertEquals(damage(ic, free, expect), ch.damage());
    assertEquals(GpuSet.of(expect), ch.gpus());
    // the HAMi baseline maximises the same primary objective
    GpuSetChoice h = GpuSetSelectors.hamiTopologyScore(S).select(ic, free, partly, must, k);
    if (k != 1 || !must.isEmpty()) {
      assertEquals(ch.score(), ((GpuSetChoice.Chosen) h).score());
    }
  }

  @Property(tries = 100)
  void neverWorseThanTheBaselinesOnTheJobsOwnScore(@ForAll long seed) {
    NodeInterconnect ic = RandomTopologies.interconnect(seed, 10);
    Object[] q = RandomTopologies.request(ic, seed, true);
    GpuSetChoice exact = GpuSetSelectors.branchAndBound()
        .select(ic, (GpuSet) q[0], (GpuSet) q[1], (GpuSet) q[2], (Integer) q[3]);
    for (GpuSetSelector base : List.of(GpuSetSelectors.goGpuAllocatorBestEffort(S),
        GpuSetSelectors.hamiTopologyScore(S))) {
      GpuSetChoice b = base.select(ic, (GpuSet) q[0], (GpuSet) q[1], (GpuSet) q[2], (Integer) q[3]);
      if (b instanceof GpuSetChoice.Chosen bc) {
        assertTrue(((GpuSetChoice.Chosen) exact).score() >= bc.score(), base.name());
      }
    }
  }

  @Property(tries = 100)
  void relabellingGpusKeepsTheScore(@ForAll long seed) {
    NodeInterconnect ic = RandomTopologies.interconnect(seed, 10);
    Object[] q = RandomTopologies.request(ic, seed, false);
    GpuSet free = (GpuSet) q[0];
    GpuSet must = (GpuSet) q[2];
    int k = (Integer) q[3];
    int n = ic.gpuCount();
    List<Integer> perm = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      perm.add(i);
    }
    Collections.shuffle(perm, new Random(seed));
    NodeInterconnect.Builder b = NodeInterconnect.builder("relabelled", n);
    for (int i = 0; i < n; i++) {
      b.placement(perm.get(i), ic.numaNode(i), ic.pcieSwitch(i));
      for (int j = i + 1; j < n; j++) {
        b.link(perm.get(i), perm.get(j), ic.link(i, j));
      }
    }
    NodeInterconnect re = b.build();
    GpuSetSelector sel = GpuSetSelectors.branchAndBound();
    GpuSetChoice a = sel.select(ic, free, must, k);
    GpuSetChoice c = sel.select(re, map(free, perm), map(must, perm), k);
    assertEquals(a.isChosen(), c.isChosen());
    if (a instanceof GpuSetChoice.Chosen x && c instanceof GpuSetChoice.Chosen y) {
      assertEquals(x.score(), y.score());
      assertEquals(x.damage(), y.damage());
    }
  }

  @Property(tries = 40)
  void deterministic(@ForAll long seed) {
    NodeInterconnect ic = RandomTopologies.interconnect(seed, 16);
    Object[] q = RandomTopologies.request(ic, seed, true);
    for (GpuSetSelector sel : List.of(GpuSetSelectors.branchAndBound(),
        GpuSetSelectors.hamiTopologyScore(S))) {
      GpuSetChoice a = sel.select(ic, (GpuSet) q[0], (GpuSet) q[1], (GpuSet) q[2], (Integer) q[3]);
      GpuSetChoice b = sel.select(ic, (GpuSet) q[0], (GpuSet) q[1], (GpuSet) q[2], (Integer) q[3]);
      assertEquals(a, b);
    }
  }

  @Property(tries = 40)
  void exactOnPresetsUpToSixteenGpus(@ForAll long seed, @ForAll @IntRange(min = 0, max = 16) int k) {
    Preset[] ps = {Preset.DGX1_V100, Preset.DGX2, Preset.DGX_A100, Preset.PCIE_8GPU_2SOCKET};
    Random rnd = new Random(seed);
    NodeInterconnect ic = ps[rnd.nextInt(ps.length)].interconnect();
    List<Integer> free = new ArrayList<>();
    for (int i = 0; i < ic.gpuCount(); i++) {
      if (rnd.nextInt(4) != 0) {
        free.add(i);
      }
    }
    GpuSet f = GpuSet.of(free);
    GpuSetChoice c = GpuSetSelectors.branchAndBound().select(ic, f, GpuSet.empty(), k);
    int[] expect = bruteForce(ic, f, GpuSet.empty(), GpuSet.empty(), k);
    if (expect == null) {
      assertTrue(!c.isChosen());
    } else {
      assertEquals(GpuSet.of(expect), ((GpuSetChoice.Chosen) c).gpus());
      assertTrue(((GpuSetChoice.Chosen) c).optimal());
    }
  }

  @Property(tries = 15)
  void nvl72AnswersCarryAValidBound(@ForAll long seed, @ForAll @IntRange(min = 1, max = 72) int k) {
    NodeInterconnect ic = Preset.GB200_NVL72.interconnect();
    Random rnd = new Random(seed);
    List<Integer> free = new ArrayList<>();
    for (int i = 0; i < 72; i++) {
      if (rnd.nextInt(3) != 0) {
        free.add(i);
      }
    }
    GpuSet f = GpuSet.of(free);
    GpuSetChoice c = GpuSetSelectors.branchAndBound().select(ic, f, GpuSet.empty(), k);
    if (k > f.size()) {
      assertTrue(!c.isChosen());
      return;
    }
    GpuSetChoice.Chosen ch = (GpuSetChoice.Chosen) c;
    assertEquals(k, ch.gpus().size());
    assertTrue(ch.gpus().isSubsetOf(f));
    assertTrue(ch.upperBound() >= ch.score());
    assertTrue(ch.gap() < 0.01, () -> "gap " + ch.gap());
  }

  private static GpuSet map(GpuSet s, List<Integer> perm) {
    return GpuSet.of(Arrays.stream(s.toArray()).map(perm::get).toArray());
  }

  static long score(NodeInterconnect ic, int[] set) {
    long s = 0;
    for (int a = 0; a < set.length; a++) {
      for (int b = a + 1; b < set.length; b++) {
        s += ic.pairScore(S, set[a], set[b]);
      }
    }
    return s;
  }

  static long damage(NodeInterconnect ic, GpuSet free, int[] set) {
    long d = 0;
    for (int g : set) {
      if (free.contains(g)) {
        d += 1;
        for (int l : free.toArray()) {
          d += l == g ? 0 : ic.pairScore(S, g, l);
        }
      }
    }
    return d;
  }

  /** Max score, then min damage, then the lexicographically smallest list; null if infeasible. */
  static int[] bruteForce(NodeInterconnect ic, GpuSet free, GpuSet partly, GpuSet must, int k) {
    int[] cand = free.union(partly).toArray();
    if (k > cand.length || must.size() > k || !must.isSubsetOf(free.union(partly))) {
      return null;
    }
    int[] best = null;
    long bs = 0;
    long bd = 0;
    int[] idx = new int[k];
    for (long mask = 0; mask < (1L << cand.length); mask++) {
      if (Long.bitCount(mask) != k) {
        continue;
      }
      int q = 0;
      for (int i = 0; i < cand.length; i++) {
        if ((mask & (1L << i)) != 0) {
          idx[q++] = cand[i];
        }
      }
      if (!must.isSubsetOf(GpuSet.of(idx))) {
        continue;
      }
      long s = score(ic, idx);
      long d = damage(ic, free, idx);
      if (best == null || s > bs || (s == bs && (d < bd
          || (d == bd && Arrays.compare(idx, best) < 0)))) {
        best = idx.clone();
        bs = s;
        bd = d;
      }
    }
    return best;
  }
}

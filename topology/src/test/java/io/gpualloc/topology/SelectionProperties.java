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
        int[] set = ch.gpus().toArray();
        assertEquals(sel.name().equals("branch-and-bound") ? quality(ic, set) : score(ic, set),
            ch.score(), sel.name());
        assertEquals(locality(ic, set), ch.locality(), sel.name());
        assertEquals(lookahead(ic, free, set, k), ch.lookahead(), sel.name());
        assertTrue(ch.upperBound() >= ch.score());
      }
    }
  }

  @Property(tries = 200)
  void branchAndBoundMatchesBruteForce(@ForAll long seed) {
    NodeInterconnect ic = RandomTopologies.interconnect(seed, 12);
    checkAgainstBruteForce(ic, seed);
  }

  @Property(tries = 150)
  void branchAndBoundMatchesBruteForceForWholeGpus(@ForAll long seed) {
    // no shares and no must-include GPUs: the search takes the lookahead bound from its incumbent
    NodeInterconnect ic = RandomTopologies.interconnect(seed, 12);
    Object[] q = RandomTopologies.request(ic, seed, false);
    q[2] = GpuSet.empty();
    checkAgainstBruteForce(ic, q);
  }

  @Property(tries = 100)
  void branchAndBoundMatchesBruteForceWithCustomScores(@ForAll long seed) {
    NodeInterconnect ic = RandomTopologies.interconnect(seed, 12);
    Random rnd = new Random(seed * 31);
    int n = ic.gpuCount();
    int[][] m = new int[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        // few distinct values, negative included: many ties, so every level of the order matters
        m[i][j] = m[j][i] = (rnd.nextInt(7) - 2) * (rnd.nextBoolean() ? 1 : 910);
      }
    }
    checkAgainstBruteForce(ic.withPairScores(PairScores.of(m)), seed);
  }

  private static void checkAgainstBruteForce(NodeInterconnect ic, long seed) {
    checkAgainstBruteForce(ic, RandomTopologies.request(ic, seed, true));
  }

  private static void checkAgainstBruteForce(NodeInterconnect ic, Object[] q) {
    GpuSet free = (GpuSet) q[0];
    GpuSet partly = (GpuSet) q[1];
    GpuSet must = (GpuSet) q[2];
    int k = (Integer) q[3];
    for (SelectionObjective o : SelectionObjective.values()) {
      GpuSetChoice c = GpuSetSelectors.branchAndBound(S, GpuSetSelectors.DEFAULT_NODE_BUDGET, o)
          .select(ic, free, partly, must, k);
      int[] expect = bruteForce(ic, free, partly, must, k, o);
      if (expect == null) {
        assertTrue(!c.isChosen());
        continue;
      }
      GpuSetChoice.Chosen ch = (GpuSetChoice.Chosen) c;
      assertTrue(ch.optimal());
      assertEquals(GpuSet.of(expect), ch.gpus(), o.name());
      boolean full = o == SelectionObjective.QUALITY_LOOKAHEAD_LOCALITY;
      assertEquals(full ? quality(ic, expect) : score(ic, expect), ch.score());
      assertEquals(damage(ic, free, expect), ch.damage());
      assertEquals(full ? lookahead(ic, free, expect, k) : GpuSetChoice.Chosen.NO_SET,
          ch.lookahead());
      // the HAMi baseline maximises the pair score, the primary term of PAIR_SCORE
      if (!full && (k != 1 || !must.isEmpty())) {
        GpuSetChoice h = GpuSetSelectors.hamiTopologyScore(S).select(ic, free, partly, must, k);
        assertEquals(ch.score(), ((GpuSetChoice.Chosen) h).score());
      }
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
        assertTrue(quality(ic, ((GpuSetChoice.Chosen) exact).gpus().toArray())
            >= quality(ic, bc.gpus().toArray()), base.name());
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
      b.location(perm.get(i), ic.location(i));
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
      assertEquals(x.lookahead(), y.lookahead());
      assertEquals(x.locality(), y.locality());
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
    int[] expect = bruteForce(ic, f, GpuSet.empty(), GpuSet.empty(), k,
        SelectionObjective.QUALITY_LOOKAHEAD_LOCALITY);
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

  static long quality(NodeInterconnect ic, int[] set) {
    long s = 0;
    for (int a = 0; a < set.length; a++) {
      for (int b = a + 1; b < set.length; b++) {
        PairScores custom = ic.pairScores();
        s += custom != null ? custom.score(set[a], set[b]) : S.quality(ic.link(set[a], set[b]));
      }
    }
    return s;
  }

  static long locality(NodeInterconnect ic, int[] set) {
    long s = 0;
    for (int a = 0; a < set.length; a++) {
      for (int b = a + 1; b < set.length; b++) {
        s += S.locality(ic.link(set[a], set[b]));
      }
    }
    return s;
  }

  /** The best quality of k free GPUs outside {@code set}, by enumeration; NO_SET if none. */
  static long lookahead(NodeInterconnect ic, GpuSet free, int[] set, int k) {
    int[] rest = free.minus(GpuSet.of(set)).toArray();
    if (rest.length < k) {
      return GpuSetChoice.Chosen.NO_SET;
    }
    long best = Long.MIN_VALUE;
    for (int[] sub : subsets(rest, k)) {
      best = Math.max(best, quality(ic, sub));
    }
    return best;
  }

  static List<int[]> subsets(int[] from, int k) {
    List<int[]> out = new ArrayList<>();
    for (long mask = 0; mask < (1L << from.length); mask++) {
      if (Long.bitCount(mask) != k) {
        continue;
      }
      int[] idx = new int[k];
      int q = 0;
      for (int i = 0; i < from.length; i++) {
        if ((mask & (1L << i)) != 0) {
          idx[q++] = from[i];
        }
      }
      out.add(idx);
    }
    return out;
  }

  /**
   * The documented objective by enumeration of every k-subset; null if infeasible. Default: max
   * quality, max lookahead, max locality, min damage, lexicographically smallest. PAIR_SCORE: max
   * pair score, min damage, lexicographically smallest.
   */
  static int[] bruteForce(NodeInterconnect ic, GpuSet free, GpuSet partly, GpuSet must, int k,
      SelectionObjective o) {
    int[] cand = free.union(partly).toArray();
    if (k > cand.length || must.size() > k || !must.isSubsetOf(free.union(partly))) {
      return null;
    }
    boolean full = o == SelectionObjective.QUALITY_LOOKAHEAD_LOCALITY;
    int[] best = null;
    long[] bestKey = null;
    for (int[] idx : subsets(cand, k)) {
      if (!must.isSubsetOf(GpuSet.of(idx))) {
        continue;
      }
      long first = full ? quality(ic, idx) : score(ic, idx);
      if (best != null && first < bestKey[0]) {
        continue;
      }
      long[] key = full
          ? new long[] {first, lookahead(ic, free, idx, k), locality(ic, idx),
              -damage(ic, free, idx)}
          : new long[] {first, -damage(ic, free, idx)};
      int cmp = best == null ? 1 : Arrays.compare(key, bestKey);
      if (cmp > 0 || (cmp == 0 && Arrays.compare(idx, best) < 0)) {
        best = idx;
        bestKey = key;
      }
    }
    return best;
  }
}

package io.gpualloc.binpack.packing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hand-computed cases, and every instance of the shared sets against its published columns. */
class HeuristicsAndBoundsTest {

  @Test
  void ffdAndBfdOnAHandCase() {
    // c = 10, sizes 5 7 3 6 4 5: FFD packs 7+3, 6+4, 5+5
    PackingInstance in = PackingInstance.oneDimensional("h", 10, 5, 7, 3, 6, 4, 5);
    Packing ffd = BinPackers.firstFitDecreasing(SizeMeasure.SUM).pack(in);
    assertEquals(List.of(), ffd.violations(in));
    assertEquals(3, ffd.binCount());
    assertEquals(List.of(1, 2), ffd.bins().get(0).items()); // 7 then 3
    assertEquals(List.of(3, 4), ffd.bins().get(1).items()); // 6 then 4
    Bounds b = LowerBounds.of(in);
    assertEquals(3, b.l1());
    assertEquals(3, b.best());
  }

  @Test
  void l2BeatsL1WhenBigItemsCannotPair() {
    // c = 10, four items of 6: L1 = ceil(24/10) = 3, L2 = 4 (all in J2), clique = 4
    PackingInstance in = PackingInstance.oneDimensional("big", 10, 6, 6, 6, 6);
    Bounds b = LowerBounds.of(in);
    assertEquals(3, b.l1());
    assertEquals(4, b.l2());
    assertEquals(4, b.clique());
  }

  @Test
  void cliqueCatchesOneBigJobPerNodeInVectors() {
    // 2-D: (7,4) (4,7) (4,4): every pair overflows one dimension, each dimension alone fits two.
    PackingInstance in =
        PackingInstance.builder("v", BinType.of(10, 10)).item(7, 4).item(4, 7).item(4, 4).build();
    Bounds bounds = LowerBounds.of(in);
    assertEquals(2, bounds.l1());
    assertEquals(2, bounds.l2());
    assertEquals(3, bounds.clique());
    assertEquals(3, bounds.best());
    assertTrue(BinPackers.best(in).binCount() >= 3);
  }

  @Test
  void heterogeneousBinsOpenTheCheapestFittingType() {
    BinType small = new BinType("small", List.of(4), 1, BinType.UNLIMITED);
    BinType big = new BinType("big", List.of(10), 3, 1);
    PackingInstance in = PackingInstance.builder("het", small, big).item(8).item(3).item(3).build();
    Packing p = BinPackers.firstFitDecreasing(SizeMeasure.SUM).pack(in);
    assertEquals(List.of(), p.violations(in));
    assertEquals(1, p.bins().get(0).binType());
    // 8 opens the only big bin (cost 3); 3 + 8 > 10, so each 3 opens a small bin (3 + 3 > 4)
    assertEquals(5, p.cost(in));
    assertEquals(3, p.binCount());
  }

  @Test
  void itemsThatFitNowhereAreUnpacked() {
    BinType one = new BinType("one", List.of(10), 1, 1);
    PackingInstance in = PackingInstance.builder("u", one).item(8).item(8).item(12).build();
    for (BinPacker h : BinPackers.portfolio()) {
      Packing p = h.pack(in);
      assertEquals(2, p.unpacked().size(), h.name());
      assertEquals(1, p.binCount(), h.name());
    }
  }

  @Test
  void boundsAndFfdMatchThePublishedColumnsOnEveryOneDimensionalSet() {
    Path root = SharedSets.root().resolve("bpplib");
    String[] sets = {"falkenauer_u", "falkenauer_t", "scholl1_subset", "scholl2_subset", "scholl3",
        "hard28", "schwerin1_subset", "schwerin2_subset", "waescher", "ai_subset", "ani_subset"};
    int checked = 0;
    for (String s : sets) {
      Path set = root.resolve(s);
      for (Map<String, String> row : SharedSets.optima(set)) {
        PackingInstance in = SharedSets.read(set, row);
        String id = s + "/" + row.get("instance");
        assertEquals(Integer.parseInt(row.get("l1")), LowerBounds.l1(in), id);
        assertEquals(Integer.parseInt(row.get("l2")), LowerBounds.l2(in), id);
        Packing ffd = BinPackers.firstFitDecreasing(SizeMeasure.SUM).pack(in);
        Packing bfd = BinPackers.bestFitDecreasing(SizeMeasure.SUM).pack(in);
        assertEquals(Integer.parseInt(row.get("ffd")), ffd.binCount(), id);
        assertEquals(Integer.parseInt(row.get("bfd")), bfd.binCount(), id);
        checkLbOptUb(in, row, id);
        checked++;
      }
    }
    assertEquals(493, checked);
  }

  @Test
  void boundsAndFfdSumMatchThePublishedColumnsOnEveryVectorSet() {
    Path root = SharedSets.root().resolve("vbp");
    int checked = 0;
    for (String s : new String[] {"ct01_caprara_toth_2d", "mommessin_panigrahy_subset",
        "mommessin_triplet_subset"}) {
      Path set = root.resolve(s);
      for (Map<String, String> row : SharedSets.optima(set)) {
        PackingInstance in = SharedSets.read(set, row);
        String id = s + "/" + row.get("instance");
        assertEquals(Integer.parseInt(row.get("l1_vec")), LowerBounds.l1(in), id);
        assertEquals(Integer.parseInt(row.get("l2_max_dim")), LowerBounds.l2(in), id);
        assertEquals(Integer.parseInt(row.get("ffd_sum")),
            BinPackers.firstFitDecreasing(SizeMeasure.SUM).pack(in).binCount(), id);
        checkLbOptUb(in, row, id);
        checked++;
      }
    }
    assertEquals(582, checked);
  }

  private static void checkLbOptUb(PackingInstance in, Map<String, String> row, String id) {
    Bounds b = LowerBounds.of(in);
    assertTrue(b.l1() <= b.l2() || in.dimensions() > 1, id);
    String opt = row.get("opt");
    if (opt == null || opt.isEmpty()) {
      return;
    }
    int o = Integer.parseInt(opt);
    assertTrue(b.best() <= o, id + " bound " + b + " > opt " + o);
    for (BinPacker h : BinPackers.portfolio()) {
      Packing p = h.pack(in);
      assertTrue(p.binCount() >= o, id + " " + h.name() + " below opt");
    }
    Packing best = BinPackers.best(in);
    assertEquals(List.of(), best.violations(in), id);
  }
}

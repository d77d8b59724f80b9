package io.gpualloc.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.RejectReason;
import org.junit.jupiter.api.Test;

class SelectorExamplesTest {
  private static final NodeInterconnect DGX1 = Preset.DGX1_V100.interconnect();
  private final GpuSetSelector bb = GpuSetSelectors.branchAndBound();
  private final GpuSetSelector go = GpuSetSelectors.goGpuAllocatorBestEffort(LinkScores.DEFAULT);
  private final GpuSetSelector hami = GpuSetSelectors.hamiTopologyScore(LinkScores.DEFAULT);

  private static GpuSetChoice.Chosen chosen(GpuSetChoice c) {
    assertTrue(c.isChosen(), c::toString);
    return (GpuSetChoice.Chosen) c;
  }

  @Test
  void dgx1AllFree() {
    GpuSet all = GpuSet.range(8);
    // quality 200 for every NV2 pair, and an NV2 pair stays free after any of them (lookahead
    // 200); the NV2 pair behind one PCIe switch has locality PIX 50; {2,3} and {6,7} tie, 2 < 6
    GpuSetChoice.Chosen two = chosen(bb.select(DGX1, all, GpuSet.empty(), 2));
    assertEquals(GpuSet.of(2, 3), two.gpus());
    assertEquals(200, two.score());
    assertEquals(200, two.lookahead());
    assertEquals(50, two.locality());
    assertTrue(two.optimal());
    // a quad: 0-1 NV1, 0-2 NV1, 0-3 NV2, 1-2 NV2, 1-3 NV1, 2-3 NV2: 900; the other quad stays
    // (900); locality: PIX 0-1 and 2-3, PHB the other four pairs: 2 x 50 + 4 x 30
    GpuSetChoice.Chosen four = chosen(bb.select(DGX1, all, GpuSet.empty(), 4));
    assertEquals(GpuSet.of(0, 1, 2, 3), four.gpus());
    assertEquals(900, four.score());
    assertEquals(900, four.lookahead());
    assertEquals(220, four.locality());
    GpuSetChoice.Chosen eight = chosen(bb.select(DGX1, all, GpuSet.empty(), 8));
    assertEquals(all, eight.gpus());
    GpuSetChoice.Chosen zero = chosen(bb.select(DGX1, all, GpuSet.empty(), 0));
    assertTrue(zero.gpus().isEmpty());
    assertEquals(0, zero.score());
  }

  @Test
  void lookaheadKeepsAnNvlinkPairForTheNextRequest() {
    // DGX-1 with the first quad busy, k = 2: the NV2 pairs are {4,7}, {5,6} and {6,7}. {6,7} also
    // shares a PCIe switch (the pair-score objective takes it: 250) but leaves {4,5}, one NVLink;
    // {4,7} and {5,6} leave another NV2 pair; equal locality (PHB) and damage, so {4,7}
    GpuSet free = GpuSet.of(4, 5, 6, 7);
    GpuSetChoice.Chosen c = chosen(bb.select(DGX1, free, GpuSet.empty(), 2));
    assertEquals(GpuSet.of(4, 7), c.gpus());
    assertEquals(200, c.lookahead());
    GpuSetChoice.Chosen old = chosen(GpuSetSelectors.branchAndBound(LinkScores.DEFAULT,
        GpuSetSelectors.DEFAULT_NODE_BUDGET, SelectionObjective.PAIR_SCORE)
        .select(DGX1, free, GpuSet.empty(), 2));
    assertEquals(GpuSet.of(6, 7), old.gpus());
    assertEquals(250, old.score());
  }

  @Test
  void dgx2PrefersOneSwitchTreeOverTwoPieces() {
    // GPUs 0, 1, 4, 5 busy: {2,3,6,7} is two PIX pairs of two trees (2 x 50 + 4 x NODE 20), a whole
    // tree {8..11} is two PIX pairs under one PXB tree (2 x 50 + 4 x 40)
    NodeInterconnect dgx2 = Preset.DGX2.interconnect();
    GpuSetChoice.Chosen c = chosen(bb.select(dgx2, GpuSet.range(16).minus(GpuSet.of(0, 1, 4, 5)),
        GpuSet.empty(), 4));
    assertEquals(GpuSet.of(8, 9, 10, 11), c.gpus());
    assertEquals(260, c.locality());
  }

  @Test
  void mustIncludeAndRejections() {
    GpuSet all = GpuSet.range(8);
    GpuSetChoice.Chosen c = chosen(bb.select(DGX1, all, GpuSet.of(5), 2));
    // 5-6 is NV2 under one host bridge (PHB 30), better than 1-5, NV2 across sockets (SYS 10)
    assertEquals(GpuSet.of(5, 6), c.gpus());
    assertEquals(200, c.score());
    assertEquals(30, c.locality());
    GpuSetChoice r = bb.select(DGX1, GpuSet.of(0, 1, 2), GpuSet.empty(), 4);
    assertEquals(RejectReason.INSUFFICIENT_GPUS, ((GpuSetChoice.Rejected) r).reason());
    GpuSetChoice notFree = bb.select(DGX1, GpuSet.of(0, 1, 2), GpuSet.of(7), 2);
    assertFalse(notFree.isChosen());
    assertTrue(((GpuSetChoice.Rejected) notFree).message().contains("{7}"));
    GpuSetChoice tooMany = bb.select(DGX1, all, GpuSet.of(1, 2, 3), 2);
    assertFalse(tooMany.isChosen());
    assertThrows(InvalidSpecException.class, () -> bb.select(DGX1, all, GpuSet.empty(), -1));
    assertThrows(InvalidSpecException.class,
        () -> bb.select(DGX1, GpuSet.of(9), GpuSet.empty(), 1));
    assertThrows(InvalidSpecException.class,
        () -> bb.select(DGX1, GpuSet.of(1), GpuSet.of(1), GpuSet.empty(), 1));
  }

  @Test
  void singleGpuPickKeepsIntactNvlinkPairs() {
    NodeInterconnect p4 = Preset.PCIE_4GPU_NVLINK_PAIRS.interconnect();
    // GPU 0 is taken: 1 is the broken pair's orphan, 2 and 3 an intact NV4 pair
    assertEquals(GpuSet.of(1), chosen(bb.select(p4, GpuSet.of(1, 2, 3), GpuSet.empty(), 1)).gpus());
    // go-gpuallocator takes the lowest index and splits nothing here, but from {0,1,3}: 0
    assertEquals(GpuSet.of(0), chosen(go.select(p4, GpuSet.of(0, 1, 3), GpuSet.empty(), 1)).gpus());
    assertEquals(GpuSet.of(3), chosen(bb.select(p4, GpuSet.of(0, 1, 3), GpuSet.empty(), 1)).gpus());
    assertEquals(GpuSet.of(3),
        chosen(hami.select(p4, GpuSet.of(0, 1, 3), GpuSet.empty(), 1)).gpus());
  }

  @Test
  void tieBreakLeavesTheIntactPair() {
    // free {0,2,3} on the bridged 4-GPU box, k = 2: {2,3} (NV4) is the best pair by score
    NodeInterconnect p4 = Preset.PCIE_4GPU_NVLINK_PAIRS.interconnect();
    assertEquals(GpuSet.of(2, 3), chosen(bb.select(p4, GpuSet.of(0, 2, 3), GpuSet.empty(), 2)).gpus());
    // NVSwitch board, GPUs 0 and 2 used: pairs of equal score; {1,3} keeps {4..7} intact? all
    // candidate pairs on NUMA 0 are {1,3}; the answer must stay on NUMA 0
    NodeInterconnect h100 = Preset.DGX_H100.interconnect();
    GpuSetChoice.Chosen c =
        chosen(bb.select(h100, GpuSet.of(1, 3, 4, 5, 6, 7), GpuSet.empty(), 2));
    assertEquals(GpuSet.of(1, 3), c.gpus());
  }

  @Test
  void partlyUsedGpusAreCheaperThanWholeFreeOnes() {
    NodeInterconnect p8 = Preset.PCIE_8GPU_2SOCKET.interconnect();
    // a share job of one GPU: GPU 5 already holds shares, so it is taken before any free GPU
    GpuSetChoice.Chosen c =
        chosen(bb.select(p8, GpuSet.of(0, 1, 2, 3), GpuSet.of(5), GpuSet.empty(), 1));
    assertEquals(GpuSet.of(5), c.gpus());
    assertEquals(0, c.damage());
  }

  @Test
  void goBaselineReproducesItsDocumentedChoices() {
    // notes: from {0,1,2,3} with size 2 it returns {0,3}; from {0,1,2,6} it returns {0,1}
    assertEquals(GpuSet.of(0, 3),
        chosen(go.select(DGX1, GpuSet.of(0, 1, 2, 3), GpuSet.empty(), 2)).gpus());
    assertEquals(GpuSet.of(0, 1),
        chosen(go.select(DGX1, GpuSet.of(0, 1, 2, 6), GpuSet.empty(), 2)).gpus());
    // the exact selector takes the only NV2 pair
    assertEquals(GpuSet.of(1, 2),
        chosen(bb.select(DGX1, GpuSet.of(0, 1, 2, 6), GpuSet.empty(), 2)).gpus());
    // notes: from {0,1,2,5,6,7} with size 4 it returns a 6-NVLink set instead of a 7-NVLink one,
    // because the padded "future group" {6,7,_,_} adds points
    GpuSet six = GpuSet.of(0, 1, 2, 5, 6, 7);
    assertEquals(GpuSet.of(0, 1, 2, 5), chosen(go.select(DGX1, six, GpuSet.empty(), 4)).gpus());
    // 7 NVLinks in {1,5,6,7} and in {1,2,5,6} (quality 720 each, no 4 GPUs stay free); the
    // locality decides: 6-7 PIX, 5-6 and 5-7 PHB, three SYS = 140 against 100
    GpuSetChoice.Chosen best = chosen(bb.select(DGX1, six, GpuSet.empty(), 4));
    assertEquals(GpuSet.of(1, 5, 6, 7), best.gpus());
    assertEquals(720, best.score());
    assertEquals(GpuSetChoice.Chosen.NO_SET, best.lookahead());
    assertEquals(140, best.locality());
    // go-gpuallocator's pair-score sum: 150 + 130 + 230 + 210 + 10 + 10
    assertEquals(740, chosen(go.select(DGX1, six, GpuSet.empty(), 4)).score());
    // a count that is not a multiple of the size never yields a padded group
    GpuSetChoice.Chosen three = chosen(go.select(DGX1, GpuSet.of(0, 2, 4, 5, 6), GpuSet.empty(), 3));
    assertEquals(3, three.gpus().size());
  }

  @Test
  void baselinesRejectWhatTheyCannotEnumerate() {
    NodeInterconnect nvl = Preset.GB200_NVL72.interconnect();
    GpuSetChoice g = go.select(nvl, GpuSet.range(72), GpuSet.empty(), 4);
    assertEquals(RejectReason.POLICY, ((GpuSetChoice.Rejected) g).reason());
    GpuSetChoice h = hami.select(nvl, GpuSet.range(72), GpuSet.empty(), 36);
    assertEquals(RejectReason.POLICY, ((GpuSetChoice.Rejected) h).reason());
    assertEquals(12870, HamiTopologyScore.binomial(16, 8));
    assertEquals(Long.MAX_VALUE, HamiTopologyScore.binomial(200, 100));
    // HAMi answers small enumerations
    assertTrue(hami.select(nvl, GpuSet.range(72), GpuSet.empty(), 2).isChosen());
  }

  @Test
  void registryKnowsEveryName() {
    for (String n : GpuSetSelectors.names()) {
      assertEquals(n, GpuSetSelectors.named(n).name());
    }
    assertThrows(InvalidSpecException.class, () -> GpuSetSelectors.named("nope"));
  }

  @Test
  void nvl72GetsTrayAlignedSetsWithABound() {
    NodeInterconnect nvl = Preset.GB200_NVL72.interconnect();
    GpuSetChoice.Chosen c = chosen(bb.select(nvl, GpuSet.range(72), GpuSet.empty(), 4));
    assertEquals(GpuSet.of(0, 1, 2, 3), c.gpus());
    assertTrue(c.upperBound() >= c.score());
    GpuSetChoice.Chosen c36 = chosen(bb.select(nvl, GpuSet.range(72).minus(GpuSet.of(1, 6)),
        GpuSet.empty(), 36));
    assertEquals(36, c36.gpus().size());
    assertTrue(c36.upperBound() >= c36.score());
  }
}

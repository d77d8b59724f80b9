package io.gpualloc.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.ParseException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The link with both parts, GPU locations, custom scores, and topo -m / -mp merging. */
class RicherModelTest {

  @Test
  void locationsGiveEveryPcieClass() {
    GpuLocation a = new GpuLocation(0, 0, 0, List.of(10, 1), -1);
    GpuLocation b = new GpuLocation(0, 0, 0, List.of(10, 1), -1);
    GpuLocation c = new GpuLocation(0, 0, 0, List.of(10, 2), -1);
    GpuLocation d = new GpuLocation(0, 0, 0, List.of(11, 3), -1);
    GpuLocation e = new GpuLocation(0, 0, 1, List.of(12, 4), -1);
    GpuLocation f = new GpuLocation(1, 1, 2, List.of(13, 5), -1);
    GpuLocation g = new GpuLocation(-1, 1, -1, List.of(), -1);
    assertEquals(LinkClass.PIX, a.pcieClassTo(b));
    assertEquals(LinkClass.PXB, a.pcieClassTo(c));
    assertEquals(LinkClass.PHB, a.pcieClassTo(d));
    assertEquals(LinkClass.NODE, a.pcieClassTo(e));
    assertEquals(LinkClass.SYS, a.pcieClassTo(f));
    assertEquals(LinkClass.SYS, a.pcieClassTo(g)); // different sockets
    assertEquals(LinkClass.UNKNOWN, GpuLocation.UNKNOWN.pcieClassTo(a));
    assertThrows(InvalidSpecException.class, () -> new GpuLocation(0, 0, 0, List.of(1, 1), -1));
    assertThrows(InvalidSpecException.class, () -> new GpuLocation(-2, 0, 0, List.of(), -1));
  }

  @Test
  void linksCarryBothPartsAndRejectMixUps() {
    Link l = Link.nvlink(4, LinkClass.PXB);
    assertEquals("NV4", l.token());
    assertEquals("PXB", l.pcieToken());
    assertEquals(440, LinkScores.DEFAULT.score(l));
    assertEquals(400, LinkScores.DEFAULT.quality(l));
    assertEquals(40, LinkScores.DEFAULT.locality(l));
    assertEquals(LinkClass.UNKNOWN, new Link(LinkClass.NVLINK, 2).pcie());
    assertEquals(LinkClass.SYS, new Link(LinkClass.SYS, 0).pcie());
    assertThrows(InvalidSpecException.class, () -> new Link(LinkClass.PIX, 0, LinkClass.SYS));
    assertThrows(InvalidSpecException.class, () -> Link.nvlink(2, LinkClass.NVLINK));
    assertThrows(InvalidSpecException.class, () -> Link.nvswitch(19, LinkClass.PIX));
  }

  @Test
  void nvlinkAcrossDomainsAndBrokenSwitchTreesAreCallerMistakes() {
    NodeInterconnect.Builder b = NodeInterconnect.builder("two-domains", 2)
        .location(0, new GpuLocation(0, 0, -1, List.of(), 0))
        .location(1, new GpuLocation(0, 0, -1, List.of(), 1))
        .link(0, 1, Link.nvswitch(18));
    assertThrows(InvalidSpecException.class, b::build);
    NodeInterconnect.Builder t = NodeInterconnect.builder("tree", 2)
        .location(0, new GpuLocation(0, 0, 0, List.of(1, 5), -1))
        .location(1, new GpuLocation(0, 0, 0, List.of(2, 5), -1));
    InvalidSpecException e = assertThrows(InvalidSpecException.class, t::build);
    assertTrue(e.getMessage().contains("switchPath"), e.getMessage());
  }

  @Test
  void customScoresReplaceTheTableAndAreValidated() {
    NodeInterconnect p4 = Preset.PCIE_4GPU_NVLINK_PAIRS.interconnect();
    int[][] m = {{0, -5, 7, 1}, {-5, 0, 1, 1}, {7, 1, 0, 2}, {1, 1, 2, 0}};
    NodeInterconnect custom = p4.withPairScores(PairScores.of(m));
    assertEquals(-5, custom.pairScore(LinkScores.DEFAULT, 0, 1));
    GpuSetChoice.Chosen c = (GpuSetChoice.Chosen) GpuSetSelectors.branchAndBound()
        .select(custom, GpuSet.range(4), GpuSet.empty(), 2);
    assertEquals(GpuSet.of(0, 2), c.gpus());
    assertEquals(7, c.score());
    assertEquals(p4, custom.withPairScores(null));
    assertThrows(InvalidSpecException.class, () -> PairScores.of(new int[][] {{0, 1}, {2, 0}}));
    assertThrows(InvalidSpecException.class,
        () -> PairScores.of(new int[][] {{0, 2_000_000}, {2_000_000, 0}}));
    assertThrows(InvalidSpecException.class,
        () -> p4.withPairScores(PairScores.of(new int[][] {{0, 1}, {1, 0}})));
  }

  @Test
  void topoMAndMpMergeAndDisagreementsAreParseErrors() {
    String m = "\tGPU0\tGPU1\tGPU2\tNUMA Affinity\n"
        + "GPU0\t X \tNV4\tSYS\t0\n"
        + "GPU1\tNV4\t X \tSYS\t0\n"
        + "GPU2\tSYS\tSYS\t X \t1\n";
    String mp = "\tGPU0\tGPU1\tGPU2\tNUMA Affinity\n"
        + "GPU0\t X \tPXB\tSYS\t0\n"
        + "GPU1\tPXB\t X \tSYS\t0\n"
        + "GPU2\tSYS\tSYS\t X \t1\n";
    NodeInterconnect ic = TopoMatrix.parse("box", m, mp);
    assertEquals(Link.nvlink(4, LinkClass.PXB), ic.link(0, 1));
    assertEquals(ic.location(0).switchPath().get(0), ic.location(1).switchPath().get(0));
    // from -m alone the NVLinked pair is only known to share a NUMA node
    assertEquals(LinkClass.NODE, TopoMatrix.parse("box", m).link(0, 1).pcie());
    // from -mp alone the same PCIe classes, no NVLink
    assertEquals(Link.pcie(LinkClass.PXB), TopoMatrix.parse("box", mp).link(0, 1));
    ParseException swapped = assertThrows(ParseException.class,
        () -> TopoMatrix.parse("box", mp, m));
    assertTrue(swapped.getMessage().contains("NV4"), swapped.getMessage());
    ParseException disagree = assertThrows(ParseException.class,
        () -> TopoMatrix.parse("box", m, mp.replace("GPU2\tSYS\tSYS", "GPU2\tNODE\tSYS")
            .replace("GPU0\t X \tPXB\tSYS", "GPU0\t X \tPXB\tNODE")));
    assertTrue(disagree.getMessage().contains("GPU0-GPU2"), disagree.getMessage());
    assertThrows(ParseException.class, () -> TopoMatrix.parse("box", m,
        "\tGPU0\tGPU1\nGPU0\t X \tPIX\nGPU1\tPIX\t X \n"));
  }
}

package io.gpualloc.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PresetTest {

  private static int nvlinks(NodeInterconnect ic, int g) {
    int s = 0;
    for (int j = 0; j < ic.gpuCount(); j++) {
      if (j != g && ic.link(g, j).linkClass().isNvLink()) {
        s += ic.link(g, j).bonds();
      }
    }
    return s;
  }

  @Test
  void dgx1HasSixNvlinksPerGpuAndTheCubeMesh() {
    NodeInterconnect ic = Preset.DGX1_V100.interconnect();
    assertEquals(8, ic.gpuCount());
    for (int g = 0; g < 8; g++) {
      assertEquals(6, nvlinks(ic, g), "GPU" + g);
    }
    assertEquals(Link.nvlink(2, LinkClass.SYS), ic.link(0, 4));
    assertEquals(Link.nvlink(1, LinkClass.SYS), ic.link(3, 7));
    assertEquals(Link.nvlink(1, LinkClass.PHB), ic.link(0, 2));
    assertEquals(Link.nvlink(1, LinkClass.PIX), ic.link(0, 1));
    assertEquals(Link.pcie(LinkClass.SYS), ic.link(0, 5));
    assertEquals(LinkClass.PIX, ic.locality(0, 1));
    assertEquals(4, ic.nics().size());
    assertEquals("mlx5_0", ic.closestNics(1).get(0).name());
    assertTrue(ic.warnings().isEmpty());
  }

  @Test
  void nvswitchBoardsConnectEveryPair() {
    int[][] expect = {{16, 6}, {8, 12}, {8, 18}, {8, 18}, {8, 18}, {72, 18}};
    Preset[] ps = {Preset.DGX2, Preset.DGX_A100, Preset.DGX_H100, Preset.DGX_H200,
        Preset.HGX_B200, Preset.GB200_NVL72};
    for (int x = 0; x < ps.length; x++) {
      NodeInterconnect ic = ps[x].interconnect();
      assertEquals(expect[x][0], ic.gpuCount(), ps[x].name());
      for (int i = 0; i < ic.gpuCount(); i++) {
        for (int j = i + 1; j < ic.gpuCount(); j++) {
          assertEquals(Link.nvswitch(expect[x][1]).token(), ic.link(i, j).token(),
              ps[x] + " " + i + "-" + j);
          assertEquals(LinkClass.NVSWITCH, ic.link(i, j).linkClass());
        }
      }
    }
    assertEquals(3, Preset.DGX_A100.interconnect().numaNode(0));
    assertEquals(LinkClass.PXB, Preset.DGX_A100.interconnect().locality(0, 1));
    assertEquals(LinkClass.SYS, Preset.DGX_A100.interconnect().locality(1, 2));
    assertEquals(LinkClass.PIX, Preset.DGX2.interconnect().locality(0, 1));
    assertEquals(LinkClass.PXB, Preset.DGX2.interconnect().locality(0, 3));
    assertEquals(LinkClass.NODE, Preset.DGX2.interconnect().locality(0, 4));
    assertEquals(LinkClass.SYS, Preset.DGX2.interconnect().locality(0, 8));
    assertEquals(LinkClass.NODE, Preset.DGX_H100.interconnect().locality(0, 3));
    assertEquals(LinkClass.SYS, Preset.DGX_H100.interconnect().locality(3, 4));
    assertEquals(LinkClass.PIX, Preset.GB200_NVL72.interconnect().locality(70, 71));
    assertEquals(LinkClass.NODE, Preset.GB200_NVL72.interconnect().locality(68, 71));
    assertEquals(LinkClass.SYS, Preset.GB200_NVL72.interconnect().locality(0, 71));
  }

  @Test
  void pcieServersHaveNoNvlinkOrOnlyBridgedPairs() {
    NodeInterconnect p8 = Preset.PCIE_8GPU_2SOCKET.interconnect();
    assertEquals(Link.pcie(LinkClass.PIX), p8.link(0, 1));
    assertEquals(Link.pcie(LinkClass.NODE), p8.link(0, 2));
    assertEquals(Link.pcie(LinkClass.SYS), p8.link(3, 4));
    NodeInterconnect p4 = Preset.PCIE_4GPU_NVLINK_PAIRS.interconnect();
    assertEquals(Link.nvlink(4, LinkClass.NODE), p4.link(0, 1));
    assertEquals(Link.nvlink(4, LinkClass.NODE), p4.link(2, 3));
    assertEquals(Link.pcie(LinkClass.SYS), p4.link(1, 2));
  }

  @Test
  void defaultScoresFollowTheDocumentedTable() {
    NodeInterconnect ic = Preset.DGX1_V100.interconnect();
    LinkScores s = LinkScores.DEFAULT;
    assertEquals(250, ic.pairScore(s, 2, 3)); // NV2 + same switch
    assertEquals(230, ic.pairScore(s, 0, 3)); // NV2 + same host bridge (PHB)
    assertEquals(200, s.quality(ic.link(0, 3)));
    assertEquals(30, s.locality(ic.link(0, 3)));
    assertEquals(10, s.quality(ic.link(0, 5)));
    assertEquals(10, s.locality(ic.link(0, 5)));
    assertEquals(210, ic.pairScore(s, 0, 4)); // NV2 + across sockets
    assertEquals(150, ic.pairScore(s, 0, 1)); // NV1 + same switch
    assertEquals(10, ic.pairScore(s, 0, 5)); // SYS
  }
}

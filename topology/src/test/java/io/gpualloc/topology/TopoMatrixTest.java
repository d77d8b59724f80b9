package io.gpualloc.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.ParseException;
import org.junit.jupiter.api.Test;

class TopoMatrixTest {

  static final String DGX1 = String.join("\n",
      "        GPU0 GPU1 GPU2 GPU3 GPU4 GPU5 GPU6 GPU7 mlx5_0 mlx5_2 mlx5_1 mlx5_3 CPU Affinity",
      "GPU0     X   NV1  NV1  NV2  NV2  SYS  SYS  SYS  PIX    SYS    PHB    SYS    0-19,40-59",
      "GPU1    NV1   X   NV2  NV1  SYS  NV2  SYS  SYS  PIX    SYS    PHB    SYS    0-19,40-59",
      "GPU2    NV1  NV2   X   NV2  SYS  SYS  NV1  SYS  PHB    SYS    PIX    SYS    0-19,40-59",
      "GPU3    NV2  NV1  NV2   X   SYS  SYS  SYS  NV1  PHB    SYS    PIX    SYS    0-19,40-59",
      "GPU4    NV2  SYS  SYS  SYS   X   NV1  NV1  NV2  SYS    PIX    SYS    PHB    20-39,60-79",
      "GPU5    SYS  NV2  SYS  SYS  NV1   X   NV2  NV1  SYS    PIX    SYS    PHB    20-39,60-79",
      "GPU6    SYS  SYS  NV1  SYS  NV1  NV2   X   NV2  SYS    PHB    SYS    PIX    20-39,60-79",
      "GPU7    SYS  SYS  SYS  NV1  NV2  NV1  NV2   X   SYS    PHB    SYS    PIX    20-39,60-79",
      "",
      "Legend:",
      "",
      "  X    = Self",
      "  NV#  = Connection traversing a bonded set of # NVLinks",
      "");

  @Test
  void parsesTheDgx1MatrixWithAdapterColumns() {
    NodeInterconnect ic = TopoMatrix.parse("dgx1.txt", DGX1);
    assertEquals(8, ic.gpuCount());
    NodeInterconnect preset = Preset.DGX1_V100.interconnect();
    for (int i = 0; i < 8; i++) {
      for (int j = i + 1; j < 8; j++) {
        assertEquals(preset.link(i, j).token(), ic.link(i, j).token(), i + "-" + j);
      }
    }
    assertEquals("0-19,40-59", ic.cpuAffinity(0));
    assertEquals(4, ic.nics().size());
    assertEquals("mlx5_2", ic.nics().get(1).name());
    assertEquals(LinkClass.PIX, ic.locality(0, 1)); // switch shared through mlx5_0
    assertEquals(LinkClass.PIX, ic.locality(4, 5));
    assertTrue(ic.warnings().isEmpty());
  }

  @Test
  void readsAnsiColoursNvlinkAbove9NicLegendAndOldSoc() {
    String text = "\u001B[4m\tGPU0\tGPU1\tGPU2\tNIC0\tCPU Affinity\tNUMA Affinity\tGPU NUMA ID"
        + "\u001B[0m\n"
        + "\u001B[4mGPU0\u001B[0m\t X \tNV18\tSOC\tPIX\t0-7\t0\t\tN/A\n"
        + "\u001B[4mGPU1\u001B[0m\tNV18\t X \tSOC\tPIX\t0-7\t0\t\tN/A\n"
        + "\u001B[4mGPU2\u001B[0m\tSOC\tSOC\t X \tSYS\t8-15\t1\t\tN/A\n"
        + "\u001B[4mNIC0\u001B[0m\tPIX\tPIX\tSYS\t X \n"
        + "\nLegend:\n\n  X    = Self\n\nNIC Legend:\n\n  NIC0: mlx5_0\n";
    NodeInterconnect ic = TopoMatrix.parse("ansi", text);
    assertEquals(Link.nvlink(18, LinkClass.PIX), ic.link(0, 1)); // PCIe class from the NIC column
    assertEquals(Link.pcie(LinkClass.SYS), ic.link(0, 2));
    assertEquals(1, ic.numaNode(2));
    assertEquals("mlx5_0", ic.nics().get(0).name());
    assertEquals(0, ic.nics().get(0).numaNode());
  }

  @Test
  void asymmetricAndPartialTablesAreRepairedNotRejected() {
    String text = "\tGPU0\tGPU1\tGPU2\n"
        + "GPU0\t X \tNV2\tPIX\n"
        + "GPU1\tNV1\t X \tSYS\n";
    NodeInterconnect ic = TopoMatrix.parse("partial", text);
    assertEquals(Link.nvlink(1), ic.link(0, 1));
    assertEquals(Link.pcie(LinkClass.PIX), ic.link(0, 2));
    assertEquals(3, ic.warnings().size());
  }

  private static ParseException fails(String text) {
    return assertThrows(ParseException.class, () -> TopoMatrix.parse("t", text));
  }

  @Test
  void malformedTextGivesLineAndColumn() {
    ParseException e = fails("\tGPU0\tGPU1\nGPU0\t X \tNV19\nGPU1\tNV1\t X \n");
    assertEquals(2, e.line());
    assertEquals(10, e.column()); // "GPU0\t X \t" is 9 characters
    assertTrue(e.getMessage().contains("NV19"), e.getMessage());
    e = fails("\tGPU0\tGPU1\nGPU0\t X \nGPU1\tNV1\t X \n");
    assertEquals(2, e.line());
    e = fails("\tGPU0\tGPU1\nGPU0\tNV1\t X \n");
    assertEquals(2, e.line());
    e = fails("\tGPU0\tGPU2\n");
    assertEquals(1, e.line());
    e = fails("\tGPU0\tGPU1\nGPU3\t X \tNV1\n");
    assertEquals(1, e.column());
    e = fails("\tGPU0\tCPU Affinity\nGPU0\t X \t0-3 x\n");
    assertEquals(2, e.line());
    fails("");
    fails("   \n\n");
    fails("\tGPU0\tGPU0\n");
    fails("\tGPU0\tGPU1\tNUMA Affinity\nGPU0\t X \tSYS\tzero\nGPU1\tSYS\t X \t0\n");
  }

  @Test
  void everyPresetRoundTrips() {
    for (Preset p : Preset.values()) {
      NodeInterconnect ic = p.interconnect();
      NodeInterconnect back = TopoMatrix.parse(p.name(), TopoMatrix.render(ic));
      assertSameAsTopoShowsIt(ic, back);
    }
  }

  @Test
  void everyPresetRoundTripsThroughTopoMAndMp() {
    for (Preset p : Preset.values()) {
      NodeInterconnect ic = p.interconnect();
      NodeInterconnect back =
          TopoMatrix.parse(p.name(), TopoMatrix.render(ic), TopoMatrix.renderPcie(ic));
      assertSameAsTopoMAndMpShowIt(ic, back, true);
    }
  }

  /**
   * Links with their PCIe classes (NVSwitch shown as NVLink), NUMA nodes, CPU affinity and NICs
   * equal; the switch tree inferred from the text reproduces every PCIe class of a pair on known
   * NUMA nodes.
   */
  static void assertSameAsTopoMAndMpShowIt(
      NodeInterconnect expected, NodeInterconnect actual, boolean tree) {
    assertSameAsTopoShowsIt(expected, actual);
    NodeInterconnect seen = expected.asSeenByTopoMatrix();
    for (int i = 0; i < seen.gpuCount(); i++) {
      for (int j = i + 1; j < seen.gpuCount(); j++) {
        if (seen.link(i, j).pcie() != LinkClass.UNKNOWN) {
          assertEquals(seen.link(i, j), actual.link(i, j), expected.name() + " " + i + "-" + j);
        }
        if (tree && actual.numaNode(i) >= 0 && actual.numaNode(j) >= 0) {
          assertEquals(actual.link(i, j).pcie(),
              actual.location(i).pcieClassTo(actual.location(j)),
              expected.name() + " inferred tree " + i + "-" + j);
        }
      }
    }
  }

  /** Links as topo -m prints them (NVSwitch shown as NVLink), NUMA nodes, CPU affinity and NICs. */
  static void assertSameAsTopoShowsIt(NodeInterconnect expected, NodeInterconnect actual) {
    NodeInterconnect seen = expected.asSeenByTopoMatrix();
    assertEquals(seen.gpuCount(), actual.gpuCount());
    for (int i = 0; i < seen.gpuCount(); i++) {
      assertEquals(seen.numaNode(i), actual.numaNode(i));
      assertEquals(seen.cpuAffinity(i), actual.cpuAffinity(i));
      for (int j = i + 1; j < seen.gpuCount(); j++) {
        assertEquals(seen.link(i, j).token(), actual.link(i, j).token(),
            expected.name() + " " + i + "-" + j);
      }
    }
    assertEquals(seen.nics(), actual.nics(), expected.name());
    assertTrue(actual.warnings().isEmpty());
  }
}

package io.gpualloc.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.InvalidSpecException;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeInterconnectTest {

  @Test
  void asymmetricLinksTakeTheWorseDirectionAndWarn() {
    NodeInterconnect ic = NodeInterconnect.builder("asym", 3)
        .directed(0, 1, Link.nvlink(4)).directed(1, 0, Link.nvlink(2))
        .directed(0, 2, Link.pcie(LinkClass.PIX)).directed(2, 0, Link.pcie(LinkClass.SYS))
        .directed(1, 2, Link.nvlink(1))
        .build();
    assertEquals(Link.nvlink(2), ic.link(0, 1));
    assertEquals(Link.nvlink(2), ic.link(1, 0));
    assertEquals(Link.pcie(LinkClass.SYS), ic.link(0, 2));
    assertEquals(Link.nvlink(1), ic.link(2, 1));
    assertEquals(3, ic.warnings().size());
  }

  @Test
  void missingPairsAreDerivedFromPlacementOrUnknown() {
    NodeInterconnect ic = NodeInterconnect.builder("partial", 4)
        .placement(0, 0, 5).placement(1, 0, 5).placement(2, 1, -1)
        .build();
    assertEquals(Link.pcie(LinkClass.PIX), ic.link(0, 1));
    assertEquals(Link.pcie(LinkClass.SYS), ic.link(0, 2));
    assertEquals(Link.UNKNOWN, ic.link(0, 3));
    assertEquals(0, ic.pairScore(LinkScores.DEFAULT, 0, 3));
    assertTrue(ic.warnings().isEmpty());
  }

  @Test
  void invalidValuesNameFieldAndValue() {
    InvalidSpecException e =
        assertThrows(InvalidSpecException.class, () -> Link.nvlink(19));
    assertTrue(e.getMessage().contains("bonds") && e.getMessage().contains("19"), e.getMessage());
    assertThrows(InvalidSpecException.class, () -> new Link(LinkClass.PIX, 2));
    assertThrows(InvalidSpecException.class, () -> new LinkScores(-1, 0, 0, 0, 0, 0, 0));
    assertThrows(InvalidSpecException.class,
        () -> NodeInterconnect.builder("x", 2).link(0, 0, Link.nvlink(1)));
    assertThrows(InvalidSpecException.class,
        () -> NodeInterconnect.builder("x", 2).link(0, 2, Link.nvlink(1)));
    assertThrows(InvalidSpecException.class, () -> NodeInterconnect.builder("x", 2)
        .nic(new Nic("n", 0, List.of(LinkClass.PIX))).build());
    assertThrows(InvalidSpecException.class,
        () -> new Nic("n", 0, List.of(LinkClass.NVLINK)));
    assertThrows(InvalidSpecException.class, () -> Preset.DGX1_V100.interconnect().link(0, 8));
  }

  @Test
  void asSeenByTopoMatrixTurnsNvswitchIntoNvlink() {
    NodeInterconnect ic = Preset.DGX_A100.interconnect().asSeenByTopoMatrix();
    assertEquals(Link.nvlink(12, LinkClass.SYS), ic.link(0, 7));
    assertEquals(Preset.DGX_A100.interconnect().pairScore(LinkScores.DEFAULT, 0, 7),
        ic.pairScore(LinkScores.DEFAULT, 0, 7));
  }
}

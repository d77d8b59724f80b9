package io.gpualloc.topology;

import java.util.ArrayList;
import java.util.List;

/**
 * Interconnects of well-known machines, built from public hardware facts (vendor documentation and
 * published {@code nvidia-smi topo -m} output; see {@code docs/topology.md}). Where a fact was not
 * public (CPU numbering of some boards, NIC names), the preset picks a plausible value and says so.
 */
public enum Preset {
  /**
   * DGX-1 with 8x V100-SXM2: the hybrid cube-mesh. Two fully connected quads {0..3}, {4..7} (NV1 and
   * NV2 edges) plus cross-quad NV2 0-4, 1-5 and NV1 2-6, 3-7; six NVLinks per GPU. GPUs 0-3 on NUMA
   * 0, 4-7 on NUMA 1; PCIe switches hold {0,1}, {2,3}, {4,5}, {6,7}, each with one ConnectX NIC.
   */
  DGX1_V100("DGX-1 (8x V100-SXM2, hybrid cube-mesh)"),
  /** DGX-2: 16x V100 on 12 NVSwitches (NV6 between every pair), 8 GPUs per socket. */
  DGX2("DGX-2 (16x V100, NVSwitch)"),
  /**
   * DGX A100: 8x A100 on 6 NVSwitches (NV12 between every pair); GPU pairs {0,1}, {2,3}, {4,5},
   * {6,7} under one PCIe switch tree with two NICs each, on NUMA nodes 3, 1, 7, 5.
   */
  DGX_A100("DGX A100 (8x A100-SXM4, NVSwitch)"),
  /** DGX/HGX H100: 8x H100 on NVSwitch (NV18), GPUs 0-3 on NUMA 0, one NIC per GPU (PIX). */
  DGX_H100("DGX H100 (8x H100-SXM5, NVSwitch)"),
  /** DGX/HGX H200: the H100 board layout with H200 GPUs (NV18). */
  DGX_H200("DGX H200 (8x H200-SXM5, NVSwitch)"),
  /** HGX B200: 8x B200 on NVSwitch (NV18), two NUMA nodes, one NIC per GPU (PIX). */
  HGX_B200("HGX B200 (8x B200, NVSwitch)"),
  /**
   * A PCIe-only 8-GPU two-socket server: 2 NUMA nodes x 2 PCIe switches x 2 GPUs, one NIC per
   * switch; PIX inside a switch, NODE inside a socket, SYS across.
   */
  PCIE_8GPU_2SOCKET("8-GPU PCIe server, 2 sockets, 4 PCIe switches"),
  /** A 4-GPU PCIe server with NVLink bridges on {0,1} and {2,3} (NV4), one pair per socket. */
  PCIE_4GPU_NVLINK_PAIRS("4-GPU PCIe server, NVLink bridges in pairs"),
  /**
   * GB200 NVL72: 72 Blackwell GPUs in one NVLink domain (NVSwitch trays, NV18 between every pair)
   * across 18 compute trays of 2 Grace CPUs x 2 GPUs. Modelled with one NUMA id per tray and one
   * "PCIe switch" id per Grace CPU, so that the locality part of the score prefers GPUs of one Grace,
   * then of one tray.
   */
  GB200_NVL72("GB200 NVL72 (72x B200, one NVLink domain, 18 trays)");

  private final String title;
  private volatile NodeInterconnect built;

  Preset(String title) {
    this.title = title;
  }

  /**
   * A one-line description.
   *
   * @return a one-line description
   */
  public String title() {
    return title;
  }

  /**
   * The interconnect (built once, then shared: it is immutable).
   *
   * @return the interconnect (built once, then shared: it is immutable)
   */
  public NodeInterconnect interconnect() {
    NodeInterconnect b = built;
    if (b == null) {
      b = build();
      built = b;
    }
    return b;
  }

  private NodeInterconnect build() {
    switch (this) {
      case DGX1_V100:
        return dgx1();
      case DGX2:
        return nvswitch(16, 6, new int[] {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1},
            2, 2, LinkClass.PIX, new String[] {"0-23,48-71", "24-47,72-95"});
      case DGX_A100:
        return nvswitch(8, 12, new int[] {3, 3, 1, 1, 7, 7, 5, 5}, 2, 1, LinkClass.PXB,
            new String[] {"", "16-31,144-159", "", "48-63,176-191", "", "80-95,208-223", "",
                "112-127,240-255"});
      case DGX_H100:
      case DGX_H200:
      case HGX_B200:
        return nvswitch(8, 18, new int[] {0, 0, 0, 0, 1, 1, 1, 1}, 1, 1, LinkClass.PIX,
            new String[] {"0-55,112-167", "56-111,168-223"});
      case PCIE_8GPU_2SOCKET:
        return pcie8();
      case PCIE_4GPU_NVLINK_PAIRS:
        return NodeInterconnect.builder(title, 4)
            .placement(0, 0, -1).placement(1, 0, -1).placement(2, 1, -1).placement(3, 1, -1)
            .link(0, 1, Link.nvlink(4)).link(2, 3, Link.nvlink(4))
            .link(0, 2, Link.pcie(LinkClass.SYS)).link(0, 3, Link.pcie(LinkClass.SYS))
            .link(1, 2, Link.pcie(LinkClass.SYS)).link(1, 3, Link.pcie(LinkClass.SYS))
            .build();
      case GB200_NVL72:
        return nvl72();
      default:
        throw new AssertionError(this);
    }
  }

  private NodeInterconnect dgx1() {
    NodeInterconnect.Builder b = NodeInterconnect.builder(title, 8);
    int[][] nv = {
        {0, 1, 1}, {0, 2, 1}, {0, 3, 2}, {0, 4, 2}, {1, 2, 2}, {1, 3, 1}, {1, 5, 2},
        {2, 3, 2}, {2, 6, 1}, {3, 7, 1}, {4, 5, 1}, {4, 6, 1}, {4, 7, 2}, {5, 6, 2},
        {5, 7, 1}, {6, 7, 2}};
    for (int[] e : nv) {
      b.link(e[0], e[1], Link.nvlink(e[2]));
    }
    for (int i = 0; i < 8; i++) {
      b.placement(i, i / 4, i / 2).cpuAffinity(i, i < 4 ? "0-19,40-59" : "20-39,60-79");
    }
    for (int s = 0; s < 4; s++) {
      b.nic(nic("mlx5_" + s, s / 2, 8, s, 2, LinkClass.PIX, LinkClass.PHB, 4));
    }
    return b.build();
  }

  /**
   * NVSwitch board: every pair {@code NV<bonds>}; GPU i on PCIe switch {@code i / gpusPerSwitch};
   * {@code nicsPerSwitch} NICs per switch, {@code nicToOwn} to the switch's GPUs.
   */
  private NodeInterconnect nvswitch(int count, int bonds, int[] numa, int gpusPerSwitch,
      int nicsPerSwitch, LinkClass nicToOwn, String[] affinityByNuma) {
    NodeInterconnect.Builder b = NodeInterconnect.builder(title, count);
    for (int i = 0; i < count; i++) {
      b.placement(i, numa[i], i / gpusPerSwitch).cpuAffinity(i, affinityByNuma[numa[i]]);
      for (int j = i + 1; j < count; j++) {
        b.link(i, j, Link.nvswitch(bonds));
      }
    }
    int switches = count / gpusPerSwitch;
    int k = 0;
    for (int s = 0; s < switches; s++) {
      for (int c = 0; c < nicsPerSwitch; c++) {
        // on DGX-2 the two switches of a quad share a PXB tree
        int quad = this == DGX2 ? 4 : gpusPerSwitch;
        b.nic(nicOn("mlx5_" + k++, numa[s * gpusPerSwitch], numa, s, gpusPerSwitch, nicToOwn,
            quad));
      }
    }
    return b.build();
  }

  private static Nic nicOn(String name, int nicNuma, int[] numa, int sw, int gpusPerSwitch,
      LinkClass own, int quad) {
    List<LinkClass> to = new ArrayList<>();
    int first = sw * gpusPerSwitch;
    for (int g = 0; g < numa.length; g++) {
      if (g / gpusPerSwitch == sw) {
        to.add(own);
      } else if (g / quad == first / quad) {
        to.add(LinkClass.PXB);
      } else if (numa[g] == nicNuma) {
        to.add(LinkClass.NODE);
      } else {
        to.add(LinkClass.SYS);
      }
    }
    return new Nic(name, nicNuma, to);
  }

  private static Nic nic(String name, int nicNuma, int gpus, int sw, int gpusPerSwitch,
      LinkClass own, LinkClass sameNuma, int gpusPerNuma) {
    List<LinkClass> to = new ArrayList<>();
    for (int g = 0; g < gpus; g++) {
      if (g / gpusPerSwitch == sw) {
        to.add(own);
      } else if (g / gpusPerNuma == nicNuma) {
        to.add(sameNuma);
      } else {
        to.add(LinkClass.SYS);
      }
    }
    return new Nic(name, nicNuma, to);
  }

  private NodeInterconnect pcie8() {
    NodeInterconnect.Builder b = NodeInterconnect.builder(title, 8);
    for (int i = 0; i < 8; i++) {
      b.placement(i, i / 4, i / 2);
    }
    for (int s = 0; s < 4; s++) {
      b.nic(nic("mlx5_" + s, s / 2, 8, s, 2, LinkClass.PIX, LinkClass.NODE, 4));
    }
    return b.build();
  }

  private NodeInterconnect nvl72() {
    NodeInterconnect.Builder b = NodeInterconnect.builder(title, 72);
    for (int i = 0; i < 72; i++) {
      b.placement(i, i / 4, i / 2);
      for (int j = i + 1; j < 72; j++) {
        b.link(i, j, Link.nvswitch(18));
      }
    }
    return b.build();
  }
}

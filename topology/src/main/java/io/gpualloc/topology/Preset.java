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
  /**
   * DGX-2: 16x V100 on 12 NVSwitches (NV6 between every pair), 8 GPUs per socket; per socket two
   * PCIe trees of four GPUs (PXB), each two leaf switches of two GPUs and a NIC (PIX).
   */
  DGX2("DGX-2 (16x V100, NVSwitch)"),
  /**
   * DGX A100: 8x A100 on 6 NVSwitches (NV12 between every pair); GPU pairs {0,1}, {2,3}, {4,5},
   * {6,7} under one PCIe switch tree with two NICs each (PXB), on NUMA nodes 3, 1, 7, 5.
   */
  DGX_A100("DGX A100 (8x A100-SXM4, NVSwitch)"),
  /**
   * DGX/HGX H100: 8x H100 on NVSwitch (NV18), GPUs 0-3 on NUMA 0, one NIC per GPU (PIX); GPU pairs
   * NODE inside a socket, SYS across.
   */
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
   * across 18 compute trays of 2 Grace CPUs x 2 GPUs. Modelled as NVLink domain 0, with one NUMA id
   * per tray and one "PCIe switch" id per Grace CPU, so that the locality part of the score prefers
   * GPUs of one Grace, then of one tray (there is no single {@code nvidia-smi} view of the rack).
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
        return dgx2();
      case DGX_A100:
        return dgxA100();
      case DGX_H100:
      case DGX_H200:
      case HGX_B200:
        return hgx8();
      case PCIE_8GPU_2SOCKET:
        return pcie8();
      case PCIE_4GPU_NVLINK_PAIRS:
        return NodeInterconnect.builder(title, 4)
            .location(0, loc(0, 0, -1)).location(1, loc(0, 0, -1))
            .location(2, loc(1, 1, -1)).location(3, loc(1, 1, -1))
            .link(0, 1, Link.nvlink(4)).link(2, 3, Link.nvlink(4))
            .build();
      case GB200_NVL72:
        return nvl72();
      default:
        throw new AssertionError(this);
    }
  }

  /** A location on NUMA node = socket {@code numa}, root complex {@code rc}, switch path. */
  private static GpuLocation loc(int numa, int socket, int rc, Integer... path) {
    return new GpuLocation(numa, socket, rc, List.of(path), -1);
  }

  /** A NIC at {@code at}, its class to each GPU derived from the locations. */
  private static Nic nic(String name, GpuLocation at, GpuLocation[] gpus) {
    List<LinkClass> to = new ArrayList<>();
    for (GpuLocation g : gpus) {
      to.add(at.pcieClassTo(g));
    }
    return new Nic(name, at.numaNode(), to);
  }

  private static NodeInterconnect.Builder place(NodeInterconnect.Builder b, GpuLocation[] gpus,
      String[] affinityByNuma) {
    for (int i = 0; i < gpus.length; i++) {
      b.location(i, gpus[i]).cpuAffinity(i, affinityByNuma[gpus[i].numaNode()]);
    }
    return b;
  }

  private static void allPairs(NodeInterconnect.Builder b, int count, int bonds) {
    for (int i = 0; i < count; i++) {
      for (int j = i + 1; j < count; j++) {
        b.link(i, j, Link.nvswitch(bonds));
      }
    }
  }

  /**
   * DGX-1: per socket one host bridge (root complex) with two PLX switches, each holding two GPUs
   * and one NIC ({@code topo -m} shows PIX to the NIC on the GPU's switch, PHB to the other NIC of
   * the socket).
   */
  private NodeInterconnect dgx1() {
    NodeInterconnect.Builder b = NodeInterconnect.builder(title, 8);
    int[][] nv = {
        {0, 1, 1}, {0, 2, 1}, {0, 3, 2}, {0, 4, 2}, {1, 2, 2}, {1, 3, 1}, {1, 5, 2},
        {2, 3, 2}, {2, 6, 1}, {3, 7, 1}, {4, 5, 1}, {4, 6, 1}, {4, 7, 2}, {5, 6, 2},
        {5, 7, 1}, {6, 7, 2}};
    for (int[] e : nv) {
      b.link(e[0], e[1], Link.nvlink(e[2]));
    }
    GpuLocation[] g = new GpuLocation[8];
    for (int i = 0; i < 8; i++) {
      g[i] = loc(i / 4, i / 4, i / 4, i / 2);
    }
    place(b, g, new String[] {"0-19,40-59", "20-39,60-79"});
    for (int s = 0; s < 4; s++) {
      b.nic(nic("mlx5_" + s, loc(s / 2, s / 2, s / 2, s), g));
    }
    return b.build();
  }

  /**
   * DGX-2: 8 GPUs per socket; per socket two root ports, each with a PCIe tree of one upper switch
   * (ids 100..103) over two leaf switches (ids 0..7) of two GPUs and one NIC each.
   */
  private NodeInterconnect dgx2() {
    NodeInterconnect.Builder b = NodeInterconnect.builder(title, 16);
    allPairs(b, 16, 6);
    GpuLocation[] g = new GpuLocation[16];
    for (int i = 0; i < 16; i++) {
      g[i] = loc(i / 8, i / 8, i / 4, 100 + i / 4, i / 2);
    }
    place(b, g, new String[] {"0-23,48-71", "24-47,72-95"});
    for (int s = 0; s < 8; s++) {
      b.nic(nic("mlx5_" + s, loc(s / 4, s / 4, s / 2, 100 + s / 2, s), g));
    }
    return b.build();
  }

  /**
   * DGX A100: two sockets of 4 NUMA nodes each; four PCIe trees (one per GPU pair, on NUMA nodes 3,
   * 1, 7, 5), each an upper switch (ids 0..3) over one leaf switch per GPU (ids 10..17) and per NIC
   * (ids 20..27), two NICs per tree: GPU pairs and their NICs are PXB.
   */
  private NodeInterconnect dgxA100() {
    NodeInterconnect.Builder b = NodeInterconnect.builder(title, 8);
    allPairs(b, 8, 12);
    int[] numa = {3, 1, 7, 5};
    GpuLocation[] g = new GpuLocation[8];
    for (int i = 0; i < 8; i++) {
      int t = i / 2;
      g[i] = loc(numa[t], numa[t] / 4, t, t, 10 + i);
    }
    place(b, g, new String[] {"", "16-31,144-159", "", "48-63,176-191", "", "80-95,208-223", "",
        "112-127,240-255"});
    for (int k = 0; k < 8; k++) {
      int t = k / 2;
      b.nic(nic("mlx5_" + k, loc(numa[t], numa[t] / 4, t, t, 20 + k), g));
    }
    return b.build();
  }

  /**
   * HGX H100/H200/B200: GPUs 0-3 on socket/NUMA 0, 4-7 on 1; each GPU on its own root port with a
   * PCIe switch shared with one NIC (PIX), so GPU pairs are NODE inside a socket and SYS across.
   */
  private NodeInterconnect hgx8() {
    NodeInterconnect.Builder b = NodeInterconnect.builder(title, 8);
    allPairs(b, 8, 18);
    GpuLocation[] g = new GpuLocation[8];
    for (int i = 0; i < 8; i++) {
      g[i] = loc(i / 4, i / 4, i, i);
    }
    place(b, g, new String[] {"0-55,112-167", "56-111,168-223"});
    for (int k = 0; k < 8; k++) {
      b.nic(nic("mlx5_" + k, loc(k / 4, k / 4, k, k), g));
    }
    return b.build();
  }

  /** 2 sockets x 2 root ports x one switch of 2 GPUs and a NIC. */
  private NodeInterconnect pcie8() {
    NodeInterconnect.Builder b = NodeInterconnect.builder(title, 8);
    GpuLocation[] g = new GpuLocation[8];
    for (int i = 0; i < 8; i++) {
      g[i] = loc(i / 4, i / 4, i / 2, i / 2);
      b.location(i, g[i]);
    }
    for (int s = 0; s < 4; s++) {
      b.nic(nic("mlx5_" + s, loc(s / 2, s / 2, s, s), g));
    }
    return b.build();
  }

  private NodeInterconnect nvl72() {
    NodeInterconnect.Builder b = NodeInterconnect.builder(title, 72);
    for (int i = 0; i < 72; i++) {
      b.location(i, new GpuLocation(i / 4, -1, -1, List.of(i / 2), 0));
    }
    allPairs(b, 72, 18);
    return b.build();
  }
}

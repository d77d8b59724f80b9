package io.gpualloc.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded random interconnects and requests for properties (replay a failure from its seed). */
final class RandomTopologies {
  private RandomTopologies() {}

  private static final LinkClass[] PCIE = {LinkClass.PIX, LinkClass.PXB, LinkClass.PHB,
      LinkClass.NODE, LinkClass.SYS, LinkClass.UNKNOWN};

  static Link randomLink(Random rnd) {
    switch (rnd.nextInt(10)) {
      case 0:
        return Link.nvlink(1 + rnd.nextInt(4), PCIE[rnd.nextInt(PCIE.length)]);
      case 1:
        return Link.nvlink(1 + rnd.nextInt(18));
      case 2:
        return Link.nvswitch(6);
      case 3:
        return Link.pcie(LinkClass.PIX);
      case 4:
        return Link.pcie(LinkClass.PXB);
      case 5:
        return Link.pcie(LinkClass.PHB);
      case 6:
        return Link.pcie(LinkClass.NODE);
      case 7:
        return Link.pcie(LinkClass.SYS);
      default:
        return Link.UNKNOWN;
    }
  }

  /** A node of 1..maxGpus GPUs with random, sometimes asymmetric or missing, links. */
  static NodeInterconnect interconnect(long seed, int maxGpus) {
    Random rnd = new Random(seed);
    int n = 1 + rnd.nextInt(maxGpus);
    NodeInterconnect.Builder b = NodeInterconnect.builder("random-" + seed, n);
    for (int i = 0; i < n; i++) {
      b.placement(i, rnd.nextInt(3) - 1, rnd.nextInt(5) - 1);
      for (int j = i + 1; j < n; j++) {
        int mode = rnd.nextInt(10);
        if (mode < 7) {
          b.link(i, j, randomLink(rnd));
        } else if (mode == 7) {
          b.directed(i, j, randomLink(rnd)).directed(j, i, randomLink(rnd));
        } else if (mode == 8) {
          b.directed(j, i, randomLink(rnd));
        }
      }
    }
    return b.build();
  }

  /** A random request on {@code ic}: {free, partlyUsed, must, k} with k feasible most times. */
  static Object[] request(NodeInterconnect ic, long seed, boolean withShares) {
    Random rnd = new Random(seed ^ 0x9E3779B97F4A7C15L);
    int n = ic.gpuCount();
    List<Integer> free = new ArrayList<>();
    List<Integer> partly = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int r = rnd.nextInt(10);
      if (r < 7) {
        free.add(i);
      } else if (r < 8 && withShares) {
        partly.add(i);
      }
    }
    List<Integer> usable = new ArrayList<>(free);
    usable.addAll(partly);
    List<Integer> must = new ArrayList<>();
    for (int g : usable) {
      if (rnd.nextInt(8) == 0) {
        must.add(g);
      }
    }
    int k = must.size() + rnd.nextInt(Math.max(1, usable.size() - must.size() + 1));
    return new Object[] {GpuSet.of(free), GpuSet.of(partly), GpuSet.of(must), k};
  }
}

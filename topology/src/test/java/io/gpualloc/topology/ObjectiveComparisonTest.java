package io.gpualloc.topology;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where the lexicographic objective (quality, lookahead, locality) changes the answers of the
 * pair-score objective of earlier versions, on the presets: every state with up to two GPUs busy,
 * 200 seeded random states with more, and every k. Prints the table of docs/topology.md, section 4 (run this test to regenerate it), and
 * checks that every changed answer is better in the documented order and that some answers change.
 */
class ObjectiveComparisonTest {
  private static final Preset[] PRESETS = {Preset.DGX1_V100, Preset.DGX2, Preset.DGX_A100,
      Preset.DGX_H100, Preset.PCIE_8GPU_2SOCKET, Preset.PCIE_4GPU_NVLINK_PAIRS};

  @Test
  void newOrderChangesAnswersOnlyForTheBetter() {
    GpuSetSelector now = GpuSetSelectors.branchAndBound();
    GpuSetSelector before = GpuSetSelectors.branchAndBound(LinkScores.DEFAULT,
        GpuSetSelectors.DEFAULT_NODE_BUDGET, SelectionObjective.PAIR_SCORE);
    StringBuilder table = new StringBuilder(
        "| preset | requests | changed | higher quality | better lookahead | better locality"
            + " | example (busy, k): before -> now |\n|---|---|---|---|---|---|---|\n");
    int changedTotal = 0;
    for (Preset p : PRESETS) {
      NodeInterconnect ic = p.interconnect();
      int n = ic.gpuCount();
      int requests = 0;
      int changed = 0;
      int[] why = new int[3];
      String example = "";
      long exampleGain = -1;
      for (GpuSet busy : busySets(n)) {
        GpuSet free = GpuSet.range(n).minus(busy);
        for (int k = 1; k < free.size(); k++) {
          requests++;
          GpuSetChoice.Chosen a = (GpuSetChoice.Chosen) before.select(ic, free, GpuSet.empty(), k);
          GpuSetChoice.Chosen b = (GpuSetChoice.Chosen) now.select(ic, free, GpuSet.empty(), k);
          if (a.gpus().equals(b.gpus())) {
            continue;
          }
          changed++;
          int[] sa = a.gpus().toArray();
          long[] ka = {SelectionProperties.quality(ic, sa),
              SelectionProperties.lookahead(ic, free, sa, k), SelectionProperties.locality(ic, sa)};
          long[] kb = {b.score(), b.lookahead(), b.locality()};
          int cmp = Arrays.compare(kb, ka);
          assertTrue(cmp >= 0, p + " " + busy + " k=" + k);
          int level = 0;
          while (level < 3 && ka[level] == kb[level]) {
            level++;
          }
          if (level < 3) {
            why[level]++;
            // the example: the largest lookahead gain, else the largest quality gain
            long gain = (level == 1 ? 1_000_000L : 0) + kb[level] - ka[level];
            if (gain > exampleGain) {
              exampleGain = gain;
              example = busy + ", " + k + ": " + a.gpus() + " " + describe(ka) + " -> " + b.gpus()
                  + " " + describe(kb) + (level == 1 ? " (lookahead)" : "");
            }
          }
        }
      }
      changedTotal += changed;
      table.append("| ").append(p).append(" | ").append(requests).append(" | ").append(changed)
          .append(" | ").append(why[0]).append(" | ").append(why[1]).append(" | ")
          .append(why[2]).append(" | ").append(example).append(" |\n");
    }
    System.out.print(table);
    assertTrue(changedTotal > 0);
  }

  private static String describe(long[] key) {
    return "(q " + key[0] + ", next " + (key[1] == GpuSetChoice.Chosen.NO_SET ? "-" : key[1])
        + ", loc " + key[2] + ")";
  }

  /**
   * The empty set, every single GPU, every pair of GPUs, and 200 seeded random sets of 3 to n/2
   * GPUs.
   */
  private static List<GpuSet> busySets(int n) {
    List<GpuSet> out = new ArrayList<>();
    out.add(GpuSet.empty());
    for (int i = 0; i < n; i++) {
      out.add(GpuSet.of(i));
    }
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        out.add(GpuSet.of(i, j));
      }
    }
    java.util.Random rnd = new java.util.Random(n);
    for (int t = 0; t < 200 && n >= 6; t++) {
      List<Integer> busy = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        busy.add(i);
      }
      java.util.Collections.shuffle(busy, rnd);
      out.add(GpuSet.of(busy.subList(0, 3 + rnd.nextInt(n / 2 - 2))));
    }
    return out;
  }
}

package io.gpualloc.benchmarks.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A built-in stand-in for the openb trace, so that {@code replay} runs on a fresh clone without
 * data: the same cluster composition (1,213 GPU nodes, 6,212 GPUs, by model and GPUs per node, with
 * each node type's CPU and memory) and pods drawn from the same statistics (8,152 pods: 1,088
 * CPU-only, 3,078 GPU-sharing with the trace's share-size distribution, 3,911 one-GPU, 16 two-,
 * 15 four- and 44 eight-GPU pods; CPU and memory from each type's most common request shapes).
 * These are aggregate, published facts of the trace, not its rows.
 */
public final class SyntheticOpenb {
  // model, GPUs per node, CPU milli, memory MiB, node count
  private static final Object[][] NODE_TYPES = {
    {"G2", 8, 96_000, 393_216, 549},
    {"T4", 2, 104_000, 524_288, 387},
    {"P100", 2, 16_000, 122_880, 107},
    {"G3", 8, 128_000, 786_432, 39},
    {"V100M16", 4, 32_000, 131_072, 28},
    {"P100", 2, 64_000, 262_144, 22},
    {"V100M32", 8, 96_000, 786_432, 21},
    {"V100M16", 1, 8_000, 32_768, 19},
    {"T4", 4, 96_000, 393_216, 17},
    {"V100M32", 4, 48_000, 376_832, 9},
    {"V100M16", 8, 64_000, 262_144, 7},
    {"P100", 1, 8_000, 61_440, 3},
    {"A10", 1, 128_000, 1_048_576, 2},
    {"P100", 2, 8_000, 61_440, 2},
    {"V100M16", 8, 82_000, 344_064, 1},
  };

  // share sizes (milli-GPU) and how many sharing pods ask for each
  private static final int[][] SHARE_SIZES = {
    {810, 1078}, {470, 750}, {320, 328}, {650, 253}, {230, 140}, {460, 128}, {590, 75},
    {160, 74}, {550, 72}, {220, 62}, {370, 47}, {110, 24}, {480, 19}, {50, 7}, {330, 7},
    {350, 6}, {270, 4}, {440, 2}, {140, 1}, {290, 1},
  };

  // per pod type: {GPU count, GPU milli (0: shared, drawn from SHARE_SIZES), pod count}, then
  // request shapes {cpu milli, memory MiB, weight}
  private static final int[][][] POD_TYPES = {
    {{0, 0, 1088}, {12_500, 57_344, 364}, {32_000, 49_152, 284}, {8_000, 30_517, 163},
        {15_400, 51_200, 120}, {16_500, 51_200, 95}, {11_400, 57_344, 11}},
    {{1, 0, 3078}, {3_152, 5_600, 1122}, {11_908, 47_104, 625}, {8_000, 30_517, 486},
        {4_000, 22_888, 189}, {4_000, 15_258, 182}, {4_152, 10_600, 152}, {4_000, 30_517, 136}},
    {{1, 1000, 3911}, {11_300, 49_152, 857}, {11_400, 48_128, 534}, {3_152, 5_600, 470},
        {18_708, 64_512, 255}, {9_810, 41_560, 195}, {12_000, 24_576, 158},
        {15_700, 58_368, 158}, {11_908, 47_104, 153}},
    {{2, 1000, 16}, {16_200, 66_560, 7}, {6_000, 65_536, 3}, {30_200, 160_768, 3},
        {17_400, 43_008, 2}, {14_000, 60_000, 1}},
    {{4, 1000, 15}, {32_200, 132_096, 9}, {32_000, 131_072, 3}, {60_200, 320_512, 3}},
    {{8, 1000, 44}, {88_000, 327_680, 18}, {64_200, 263_168, 18}, {120_000, 737_280, 3},
        {64_000, 262_144, 3}, {120_200, 640_000, 2}},
  };

  private SyntheticOpenb() {}

  /** The GPU-node list: 1,213 nodes with 6,212 GPUs, by the trace's node types. */
  public static List<OpenbNode> nodes() {
    List<OpenbNode> out = new ArrayList<>();
    for (Object[] t : NODE_TYPES) {
      for (int i = 0; i < (Integer) t[4]; i++) {
        out.add(new OpenbNode(String.format("synth-node-%04d", out.size()), (Integer) t[2],
            (Integer) t[3], (Integer) t[1], (String) t[0]));
      }
    }
    return out;
  }

  /**
   * 8,152 pods with the trace's type counts, share sizes and request shapes, in a seeded random
   * order (the replay shuffles them again per run).
   */
  public static List<OpenbPod> pods(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<OpenbPod> out = new ArrayList<>();
    int shareTotal = 0;
    for (int[] s : SHARE_SIZES) {
      shareTotal += s[1];
    }
    for (int[][] type : POD_TYPES) {
      int gpus = type[0][0];
      int milli = type[0][1];
      int count = type[0][2];
      int weightTotal = 0;
      for (int i = 1; i < type.length; i++) {
        weightTotal += type[i][2];
      }
      for (int k = 0; k < count; k++) {
        int[] shape = pick(type, 1, weightTotal, rnd);
        int m = milli;
        if (gpus > 0 && milli == 0) {
          m = pick(SHARE_SIZES, 0, shareTotal, rnd)[0];
        }
        out.add(new OpenbPod("", shape[0], shape[1], gpus, m, List.of(), -1, -1));
      }
    }
    // shuffle, then name in order so that "sort by name" keeps this order
    for (int i = out.size() - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      OpenbPod t = out.get(i);
      out.set(i, out.get(j));
      out.set(j, t);
    }
    List<OpenbPod> named = new ArrayList<>(out.size());
    for (int i = 0; i < out.size(); i++) {
      OpenbPod p = out.get(i);
      named.add(new OpenbPod(String.format("synth-pod-%04d", i), p.cpuMilli(), p.memoryMib(),
          p.numGpu(), p.gpuMilli(), p.gpuSpec(), -1, -1));
    }
    return named;
  }

  private static int[] pick(int[][] rows, int from, int total, SplittableRandom rnd) {
    int x = rnd.nextInt(total);
    for (int i = from; i < rows.length; i++) {
      x -= rows[i][rows[i].length - 1];
      if (x < 0) {
        return rows[i];
      }
    }
    return rows[rows.length - 1];
  }
}

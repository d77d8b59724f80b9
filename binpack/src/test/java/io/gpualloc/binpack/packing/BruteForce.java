package io.gpualloc.binpack.packing;

import java.util.ArrayList;
import java.util.List;

/** Exhaustive optimum of tiny instances: every set partition, every type assignment. */
final class BruteForce {
  private BruteForce() {}

  /** The optimal cost, or Long.MAX_VALUE when infeasible. */
  static long optimum(PackingInstance in) {
    int n = in.itemCount();
    int[] block = new int[n];
    long[] best = {Long.MAX_VALUE};
    partitions(in, block, 0, 0, best);
    return best[0];
  }

  private static void partitions(PackingInstance in, int[] block, int i, int blocks, long[] best) {
    if (i == in.itemCount()) {
      List<List<Integer>> groups = new ArrayList<>();
      for (int b = 0; b < blocks; b++) {
        groups.add(new ArrayList<>());
      }
      for (int k = 0; k < block.length; k++) {
        groups.get(block[k]).add(k);
      }
      int[] used = new int[in.binTypes().size()];
      best[0] = Math.min(best[0], assign(in, groups, 0, used));
      return;
    }
    for (int b = 0; b <= blocks; b++) {
      block[i] = b;
      partitions(in, block, i + 1, Math.max(blocks, b + 1), best);
    }
  }

  private static long assign(PackingInstance in, List<List<Integer>> groups, int g, int[] used) {
    if (g == groups.size()) {
      return 0;
    }
    long best = Long.MAX_VALUE;
    for (int t = 0; t < used.length; t++) {
      BinType type = in.binTypes().get(t);
      if (used[t] >= type.available() || !fits(in, groups.get(g), type)) {
        continue;
      }
      used[t]++;
      long rest = assign(in, groups, g + 1, used);
      used[t]--;
      if (rest != Long.MAX_VALUE) {
        best = Math.min(best, rest + type.cost());
      }
    }
    return best;
  }

  private static boolean fits(PackingInstance in, List<Integer> items, BinType t) {
    for (int d = 0; d < in.dimensions(); d++) {
      long s = 0;
      for (int i : items) {
        s += in.size(i, d);
      }
      if (s > t.capacity(d)) {
        return false;
      }
    }
    return true;
  }
}

package io.gpualloc.topology;

import io.gpualloc.core.RejectReason;

/**
 * Baseline: the best-effort policy of NVIDIA's go-gpuallocator, rewritten from its documented
 * behaviour. For {@code k = 1} it returns the lowest-index usable GPU (or the must-include one). For
 * {@code k > 1} it pads the usable GPUs with empty slots up to a multiple of {@code k}, enumerates
 * every partition of the padded list into groups of {@code k} (all padding in one group), keeps the
 * partition with the highest total score among those with an unpadded group holding every
 * must-include GPU (first found wins ties), and returns that partition's best such group.
 *
 * <p>It optimises the whole node's split for hypothetical future jobs of the same size, so its set
 * can score below the best set for this job. Differences from the original: pair scores come from
 * the same {@link LinkScores} as the other selectors; a padded group is never returned (the
 * original can return a group with an empty slot); more than {@link #MAX_CANDIDATES} usable GPUs are
 * rejected because the number of partitions explodes (about 2e6 at 16 GPUs for pairs, 2e7 for
 * triples, 1e11 at 24); between 16 and 20 a call can already take minutes.
 */
final class GoGpuAllocatorBestEffort extends ProblemSelector {
  static final String NAME = "go-gpuallocator-best-effort";
  /** The largest number of usable GPUs this baseline accepts. */
  static final int MAX_CANDIDATES = 20;

  GoGpuAllocatorBestEffort(LinkScores scores) {
    super(NAME, scores);
  }

  @Override
  GpuSetChoice solve(Problem p, int k) {
    int[] cand = p.candidates;
    if (k == 0) {
      return chosen(p, new int[0]);
    }
    if (k == 1) {
      return chosen(p, new int[] {p.must.length == 1 ? p.must[0] : cand[0]});
    }
    if (cand.length > MAX_CANDIDATES) {
      return new GpuSetChoice.Rejected(RejectReason.POLICY, NAME + " enumerates partitions and"
          + " is limited to " + MAX_CANDIDATES + " usable GPUs; got " + cand.length);
    }
    return new Enumeration(p, k).run();
  }

  private static GpuSetChoice chosen(Problem p, int[] set) {
    return p.baselineChoice(set);
  }

  @Override
  public String toString() {
    return NAME;
  }

  /** Recursive partition enumeration over candidate positions; padding is one block. */
  private static final class Enumeration {
    private final Problem p;
    private final int k;
    private final int cn;
    private final int pad;
    private final int groups;
    private final int[] cand;
    private final long mustMask;
    private final int[] assign; // group id per candidate position, -1 = unassigned
    private final long[] groupMask;
    private final long[] groupScore;
    private int[] bestAssign;
    private long bestTotal = Long.MIN_VALUE;

    Enumeration(Problem p, int k) {
      this.p = p;
      this.k = k;
      this.cand = p.candidates;
      this.cn = cand.length;
      this.pad = (k - cn % k) % k;
      this.groups = (cn + pad) / k;
      this.assign = new int[cn];
      this.groupMask = new long[groups];
      this.groupScore = new long[groups];
      long mm = 0;
      for (int g : p.must) {
        mm |= 1L << java.util.Arrays.binarySearch(cand, g);
      }
      this.mustMask = mm;
      java.util.Arrays.fill(assign, -1);
    }

    GpuSetChoice run() {
      recurse(0, 0L, false, 0);
      int bestGroup = -1;
      long bestScore = Long.MIN_VALUE;
      for (int g = 0; g < groups; g++) {
        long mask = maskOf(bestAssign, g);
        if (Long.bitCount(mask) == k && (mask & mustMask) == mustMask) {
          long s = scoreOf(mask);
          if (s > bestScore) {
            bestScore = s;
            bestGroup = g;
          }
        }
      }
      long mask = maskOf(bestAssign, bestGroup);
      int[] set = new int[k];
      int q = 0;
      for (int i = 0; i < cn; i++) {
        if ((mask & (1L << i)) != 0) {
          set[q++] = cand[i];
        }
      }
      return chosen(p, set);
    }

    private long maskOf(int[] asg, int g) {
      long mask = 0;
      for (int i = 0; i < cn; i++) {
        if (asg[i] == g) {
          mask |= 1L << i;
        }
      }
      return mask;
    }

    private long scoreOf(long mask) {
      long s = 0;
      for (int i = 0; i < cn; i++) {
        if ((mask & (1L << i)) == 0) {
          continue;
        }
        for (int j = i + 1; j < cn; j++) {
          if ((mask & (1L << j)) != 0) {
            s += p.w(cand[i], cand[j]);
          }
        }
      }
      return s;
    }

    /** Forms group {@code g} anchored at the first unused candidate, then recurses. */
    private void recurse(int g, long used, boolean padUsed, long total) {
      if (g == groups) {
        boolean ok = false;
        for (int x = 0; x < groups && !ok; x++) {
          ok = Long.bitCount(groupMask[x]) == k && (groupMask[x] & mustMask) == mustMask;
        }
        if (ok && total > bestTotal) {
          bestTotal = total;
          bestAssign = assign.clone();
        }
        return;
      }
      int anchor = Long.numberOfTrailingZeros(~used);
      if (anchor >= cn) {
        return; // only padding would remain; cannot happen with one padding block
      }
      // members: anchor + (k-1) others, or anchor + (k-1-pad) others + the padding block
      fill(g, anchor, used | (1L << anchor), 1L << anchor, k - 1, anchor + 1, padUsed, total, 0);
      if (!padUsed && pad > 0) {
        fill(g, anchor, used | (1L << anchor), 1L << anchor, k - 1 - pad, anchor + 1, true, total,
            0);
      }
    }

    private void fill(int g, int anchor, long used, long group, int need, int from,
        boolean padUsed, long total, long groupSum) {
      if (need == 0) {
        groupMask[g] = group;
        groupScore[g] = groupSum;
        for (int i = 0; i < cn; i++) {
          if ((group & (1L << i)) != 0) {
            assign[i] = g;
          }
        }
        recurse(g + 1, used, padUsed, total + groupSum);
        for (int i = 0; i < cn; i++) {
          if ((group & (1L << i)) != 0) {
            assign[i] = -1;
          }
        }
        return;
      }
      for (int i = from; i < cn; i++) {
        if ((used & (1L << i)) != 0) {
          continue;
        }
        long add = 0;
        long gm = group;
        while (gm != 0) {
          int j = Long.numberOfTrailingZeros(gm);
          add += p.w(cand[i], cand[j]);
          gm &= gm - 1;
        }
        fill(g, anchor, used | (1L << i), group | (1L << i), need - 1, i + 1, padUsed, total,
            groupSum + add);
      }
    }
  }
}

package io.gpualloc.binpack.internal;

import io.gpualloc.core.ClusterView;
import io.gpualloc.core.Request;
import java.util.SplittableRandom;

/**
 * Per-decision randomness: a generator derived from the policy's seed, the request's name and the
 * view's version, so that equal inputs and seed give equal decisions and no state is carried
 * between calls.
 */
public final class Seeds {
  private Seeds() {}

  /**
   * A seeded random priority of {@code n} nodes: {@code rank[node]} is the node's position in a
   * uniformly random order (Fisher-Yates on a generator seeded by {@code seed}). Breaking ties by
   * the lowest rank is a random but consistent choice, as a scheduler that orders nodes by
   * randomly prefixed names and takes the first of the best does.
   */
  public static int[] rank(long seed, int n) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L);
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int[] rank = new int[n];
    for (int i = 0; i < n; i++) {
      rank[order[i]] = i;
    }
    return rank;
  }

  /** The generator for one decision. */
  public static SplittableRandom rng(long seed, Request r, ClusterView v) {
    long h = seed * 0x9E3779B97F4A7C15L;
    h ^= r.name().hashCode() * 0xC2B2AE3D27D4EB4FL;
    h ^= v.version() * 0x165667B19E3779F9L;
    h ^= h >>> 31;
    return new SplittableRandom(h);
  }
}

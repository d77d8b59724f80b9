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

  /** The generator for one decision. */
  public static SplittableRandom rng(long seed, Request r, ClusterView v) {
    long h = seed * 0x9E3779B97F4A7C15L;
    h ^= r.name().hashCode() * 0xC2B2AE3D27D4EB4FL;
    h ^= v.version() * 0x165667B19E3779F9L;
    h ^= h >>> 31;
    return new SplittableRandom(h);
  }
}

package io.gpualloc.binpack.defrag;

import io.gpualloc.core.InvalidSpecException;

/**
 * What moving or evicting one allocation costs, in the caller's unit.
 *
 * @param move the cost of a move (release and re-place on another node), {@code 0..}{@link #MAX}
 * @param evict the cost of an eviction (release without re-placement), {@code 0..}{@link #MAX}
 */
public record AllocationCost(long move, long evict) {
  /** The largest cost accepted, so that sums over a cluster stay exact. */
  public static final long MAX = 1_000_000_000L;

  /**
   * Validates the costs.
   *
   * @param move the cost of a move, {@code 0..}{@link #MAX}
   * @param evict the cost of an eviction, {@code 0..}{@link #MAX}
   * @throws InvalidSpecException when a cost is negative or above {@link #MAX}
   */
  public AllocationCost {
    if (move < 0 || move > MAX) {
      throw InvalidSpecException.of("allocation cost", "move", move, "0.." + MAX);
    }
    if (evict < 0 || evict > MAX) {
      throw InvalidSpecException.of("allocation cost", "evict", evict, "0.." + MAX);
    }
  }
}

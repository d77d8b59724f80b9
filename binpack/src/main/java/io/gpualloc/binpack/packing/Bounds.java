package io.gpualloc.binpack.packing;

import io.gpualloc.core.InvalidSpecException;

/**
 * Lower bounds on the number of bins, each valid on its own; {@link #best()} is the largest.
 *
 * @param l1 the continuous bound, {@code max_d ceil(sum_i w_id / C_d)} (L1 for vectors)
 * @param l2 Martello-Toth L2, the largest over the dimensions taken one at a time
 * @param clique size of a clique of pairwise conflicting items (no two fit in one bin together)
 * @param best the largest of the three
 */
public record Bounds(int l1, int l2, int clique, int best) {
  /**
   * Validates that the bounds are non-negative and {@code best} is their maximum.
   *
   * @param l1 the continuous bound, {@code max_d ceil(sum_i w_id / C_d)} (L1 for vectors)
   * @param l2 Martello-Toth L2, the largest over the dimensions taken one at a time
   * @param clique size of a clique of pairwise conflicting items (no two fit in one bin together)
   * @param best the largest of the three
   */
  public Bounds {
    if (l1 < 0 || l2 < 0 || clique < 0) {
      throw InvalidSpecException.of("bounds", "l1/l2/clique", l1 + "/" + l2 + "/" + clique, ">= 0");
    }
    int max = Math.max(l1, Math.max(l2, clique));
    if (best != max) {
      throw InvalidSpecException.of("bounds", "best", best, "max(l1, l2, clique) = " + max);
    }
  }

  /**
   * The bound named by the largest value ({@code l2} before {@code l1} before {@code clique}).
   *
   * @return the bound named by the largest value ({@code l2} before {@code l1} before {@code
   *     clique})
   */
  public String bestName() {
    if (best == l2) {
      return "L2";
    }
    return best == l1 ? "L1" : "clique";
  }
}

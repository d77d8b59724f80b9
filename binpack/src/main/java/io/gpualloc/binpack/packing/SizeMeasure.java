package io.gpualloc.binpack.packing;

/**
 * How a vector size becomes one number for sorting items and comparing residuals. Every dimension
 * is first divided by the largest capacity of that dimension over the bin types, so that all
 * dimensions weigh alike (Panigrahy et al., "Heuristics for vector bin packing", 2011).
 */
public enum SizeMeasure {
  /** The sum of the normalised sizes. */
  SUM,
  /** The largest normalised size. */
  MAX,
  /** The Euclidean norm of the normalised sizes. */
  L2;

  /**
   * This measure of {@code size} normalised by {@code capacity}.
   *
   * @param size size per dimension
   * @param capacity normalising capacity per dimension (each at least 1)
   * @return the scalar size
   */
  public double of(int[] size, int[] capacity) {
    double acc = 0;
    for (int d = 0; d < size.length; d++) {
      double x = (double) size[d] / capacity[d];
      switch (this) {
        case SUM -> acc += x;
        case MAX -> acc = Math.max(acc, x);
        case L2 -> acc += x * x;
        default -> throw new AssertionError(this);
      }
    }
    return this == L2 ? Math.sqrt(acc) : acc;
  }
}

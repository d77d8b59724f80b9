package io.gpualloc.binpack.packing;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Generated classic instances (one unlimited bin type) for the packing properties. */
final class ClassicInstances {
  private ClassicInstances() {}

  /**
   * Classic instances of 1-2 dimensions (equal capacity in each), 3-8 items, each size between
   * {@code capacity / minDivisor} and 70% of the capacity.
   *
   * @param name the instances' name
   * @param maxCapacity the largest capacity drawn (the smallest is 10)
   * @param minDivisor the smallest item size is the capacity divided by this
   * @return the arbitrary
   */
  static Arbitrary<PackingInstance> of(String name, int maxCapacity, int minDivisor) {
    return of(name, 1, 2, maxCapacity, minDivisor);
  }

  /**
   * As {@link #of(String, int, int)} with {@code minDims} to {@code maxDims} dimensions.
   *
   * @param name the instances' name
   * @param minDims the fewest dimensions
   * @param maxDims the most dimensions
   * @param maxCapacity the largest capacity drawn (the smallest is 10)
   * @param minDivisor the smallest item size is the capacity divided by this
   * @return the arbitrary
   */
  static Arbitrary<PackingInstance> of(String name, int minDims, int maxDims, int maxCapacity,
      int minDivisor) {
    return Arbitraries.integers().between(minDims, maxDims).flatMap(d ->
        Arbitraries.integers().between(10, maxCapacity).flatMap(cap ->
            Arbitraries.integers().between(cap / minDivisor, cap * 7 / 10).list().ofSize(d)
                .map(l -> l.stream().mapToInt(Integer::intValue).toArray())
                .list().ofMinSize(3).ofMaxSize(8)
                .map(items -> {
                  int[] c = new int[d];
                  Arrays.fill(c, cap);
                  PackingInstance.Builder b = PackingInstance.builder(name, BinType.of(c));
                  for (int[] s : items) {
                    b.item(s);
                  }
                  return b.build();
                })));
  }
}

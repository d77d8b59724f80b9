package io.gpualloc.binpack.packing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.binpack.packing.internal.ColumnGeneration;
import io.gpualloc.binpack.packing.internal.PatternKnapsack;
import io.gpualloc.binpack.packing.internal.Problem;
import io.gpualloc.binpack.solver.SolverInvariantException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hand-computed column-generation bounds, and one Scholl 3 instance where it meets the optimum. */
class ColumnGenerationTest {

  static {
    CpSatPacker.preload();
  }

  private static final long SECOND = 1_000_000_000L;

  @Test
  void farleyIsTheRoundedUpRatioInIntegers() {
    // Duals 1/2 per item of size 4 in bins of 10 (scaled by 2): K = 2 copies x 1 = 2 scaled.
    assertEquals(3, ColumnGeneration.farley(new long[] {1}, new int[] {5}, 2));
    assertEquals(2, ColumnGeneration.farley(new long[] {1}, new int[] {4}, 2));
    assertEquals(0, ColumnGeneration.farley(new long[] {1}, new int[] {4}, 0));
    // An overflowing sum gives no bound rather than a wrong one.
    assertEquals(0, ColumnGeneration.farley(new long[] {Long.MAX_VALUE / 2, Long.MAX_VALUE / 2},
        new int[] {2, 2}, 1));
    assertThrows(SolverInvariantException.class,
        () -> ColumnGeneration.farley(new long[] {-1}, new int[] {1}, 1));
  }

  @Test
  void scaledDualsAreFlooredNonnegativeAndBounded() {
    long[] y = ColumnGeneration.scale(new double[] {0.5, -0.25, Double.NaN, 1.0},
        new int[] {3, 1, 1, 2});
    assertEquals(0, y[1]);
    assertEquals(0, y[2]);
    assertEquals(1L << 30, y[3]);
    assertEquals(1L << 29, y[0]);
  }

  @Test
  void fiveItemsOfFourInBinsOfTenNeedThreeWhereL2SaysTwo() {
    // Two items per bin at most: the pattern LP is 5/2, so its bound is 3 = the optimum, while
    // L1 = L2 = ceil(20 / 10) = 2.
    PackingInstance in = PackingInstance.oneDimensional("five-fours", 10, 4, 4, 4, 4, 4);
    assertEquals(2, LowerBounds.of(in).best());
    ColumnGeneration.Result r = ColumnGeneration.bound(new Problem(in), null, 100,
        System.nanoTime() + 20 * SECOND);
    assertEquals(3, r.bound());
    assertTrue(r.converged());
    assertEquals(2.5, r.lpValue(), 1e-9);
  }

  @Test
  void twoDimensionalPairsOnlyBoundIsTight() {
    // (4,4) x 5 in (10,10): two per bin, LP 2.5, bound 3; per dimension L2 = 2.
    PackingInstance.Builder b = PackingInstance.builder("pairs-2d", BinType.of(10, 10));
    b.items(5, 4, 4);
    PackingInstance in = b.build();
    assertEquals(2, LowerBounds.of(in).best());
    ColumnGeneration.Result r = ColumnGeneration.bound(new Problem(in), null, 100,
        System.nanoTime() + 20 * SECOND);
    assertEquals(3, r.bound());
  }

  @Test
  void largeCapacityWithoutGraphIsProvenThroughTheBound() {
    // The solver's path without an arc-flow graph (the assignment model): the proof comes from
    // the column-generation bound before CP-SAT runs.
    PackingInstance.Builder b = PackingInstance.builder("big-c", BinType.of(100_000));
    b.items(9, 34_000);
    PackingInstance in = b.build();
    // Two per bin (3 x 34,000 > 100,000): 9 items need 5 bins; L1 = L2 = ceil(306,000 / 100,000)
    // = 4; the pattern LP is 4.5, so its bound is 5.
    assertEquals(4, LowerBounds.of(in).best());
    PackingResult r = CpSatPacker.solve(in, SolverOptions.defaults()
        .withTimeLimit(Duration.ofSeconds(20)).withModel(SolverOptions.Model.ASSIGNMENT));
    assertEquals(PackingStatus.OPTIMAL, r.status(), r.toString());
    assertEquals(5, r.lowerBound());
    assertTrue(r.model().startsWith("pattern+cg"), r.toString());
  }

  @Test
  void surrogateBoundSeesComplementaryItems() {
    // Bin (10, 10); A = (10, 0) and B = (0, 10) worth 10 each, C = (6, 6) worth 13, one of each.
    // The best pattern is A + B = 20. Each dimension alone bounds the root by 27 (the other
    // dimension's item is free: 10 + 13 + 4/10 of 10); the sum of the two rows gives the LP
    // value 21 (C, then 8/10 of A), and no surrogate can go below the LP.
    long[] value = {10, 10, 13};
    int[][] size = {{10, 0}, {0, 10}, {6, 6}};
    int[] cap = {10, 10};
    int[] demand = {1, 1, 1};
    long far = System.nanoTime() + 60 * SECOND;
    PatternKnapsack.Answer root = PatternKnapsack.solve(value, size, cap, demand, 1, far);
    assertEquals(21, root.upper());
    PatternKnapsack.Answer exact = PatternKnapsack.solve(value, size, cap, demand, 1L << 40, far);
    assertTrue(exact.exact());
    assertEquals(20, exact.value());
  }

  @Test
  void knapsackWithLargeCapacityUsesTheExactTable() {
    // Values proportional to sizes make the state list long; the dense table is exact anyway.
    int n = 60;
    long[] value = new long[n];
    int[][] size = new int[n][];
    int[] demand = new int[n];
    for (int t = 0; t < n; t++) {
      size[t] = new int[] {20_000 + 250 * t + (t * 7919) % 97};
      value[t] = size[t][0] * 10L;
      demand[t] = 1;
    }
    PatternKnapsack.Answer a = PatternKnapsack.solve(value, size, new int[] {100_000}, demand,
        1, System.nanoTime() + 60 * SECOND);
    PatternKnapsack.Answer list = PatternKnapsack.solve(value, size, new int[] {100_000}, demand,
        1L << 40, System.nanoTime() + 60 * SECOND);
    assertTrue(a.exact() && list.exact());
    assertEquals(list.value(), a.value());
    long load = 0;
    for (int t = 0; t < n; t++) {
      load += (long) a.counts()[t] * size[t][0];
    }
    assertTrue(load <= 100_000);
    assertEquals(a.value(), load * 10);
  }

  @Test
  void scholl3InstanceReachesItsKnownOptimum() {
    // HARD7: cheap bounds 54, optimum 55, capacity 100,000 (no arc-flow graph).
    Path set = SharedSets.root().resolve("bpplib/scholl3");
    Map<String, String> row = SharedSets.optima(set).stream()
        .filter(r -> r.get("file").equals("HARD7.txt")).findFirst().orElseThrow();
    PackingInstance in = SharedSets.read(set, row);
    int opt = Integer.parseInt(row.get("opt"));
    assertTrue(LowerBounds.of(in).best() < opt);
    Packing ffd = BinPackers.firstFitDecreasing(SizeMeasure.SUM).pack(in);
    ColumnGeneration.Result r = ColumnGeneration.bound(new Problem(in), ffd, opt,
        System.nanoTime() + 60 * SECOND);
    assertEquals(opt, r.bound(), r.toString());
  }
}

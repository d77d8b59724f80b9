package io.gpualloc.binpack.packing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.binpack.packing.internal.ColumnGeneration;
import io.gpualloc.binpack.packing.internal.GreedyPricing;
import io.gpualloc.binpack.packing.internal.PatternKnapsack;
import io.gpualloc.binpack.packing.internal.Problem;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The specification of the column-generation bound: the pricing knapsack is exact when it says so
 * and otherwise bounds the optimum from above; Farley's bound never exceeds the optimum, whatever
 * the nonnegative dual vector; the column-generation bound never exceeds the optimum; and the
 * solver's path without an arc-flow graph (the assignment model) still proves brute force's
 * optimum with a bound between the cheap bounds and the optimum.
 */
class ColumnGenerationProperties {

  static {
    CpSatPacker.preload();
  }

  private static final long SECOND = 1_000_000_000L;

  /** Classic instances, 1-2 dimensions, 3-8 items between a tenth and 70% of the capacity. */
  @Provide
  Arbitrary<PackingInstance> classic() {
    return ClassicInstances.of("cg", 40, 10);
  }

  /** Knapsack inputs: 1-3 dimensions, 1-7 types, demands 0-3, sizes 0-12, capacity 5-20. */
  @Provide
  Arbitrary<int[][]> knapsack() {
    return Arbitraries.integers().between(1, 3).flatMap(d ->
        Combinators.combine(
            Arbitraries.integers().between(5, 20).list().ofSize(d),
            Arbitraries.integers().between(0, 12).list().ofSize(d + 2)
                .list().ofMinSize(1).ofMaxSize(7))
            .as((cap, rows) -> {
              // row 0: capacity; then per type: sizes..., demand (0-3), value (0-40)
              int[][] out = new int[rows.size() + 1][];
              out[0] = cap.stream().mapToInt(Integer::intValue).toArray();
              for (int t = 0; t < rows.size(); t++) {
                int[] r = rows.get(t).stream().mapToInt(Integer::intValue).toArray();
                r[d] = r[d] % 4;
                r[d + 1] = r[d + 1] * 3 + t;
                out[t + 1] = r;
              }
              return out;
            }));
  }

  /** The best pattern value by enumeration of all demand-bounded count vectors. */
  private static long bruteKnapsack(long[] value, int[][] size, int[] cap, int[] demand) {
    return brute(value, size, cap, demand, 0, cap.clone());
  }

  private static long brute(long[] value, int[][] size, int[] cap, int[] demand, int t,
      int[] residual) {
    if (t == value.length) {
      return 0;
    }
    long best = brute(value, size, cap, demand, t + 1, residual);
    int[] r = residual.clone();
    for (int c = 1; c <= demand[t]; c++) {
      boolean fits = true;
      for (int d = 0; d < cap.length; d++) {
        r[d] -= size[t][d];
        fits &= r[d] >= 0;
      }
      if (!fits) {
        break;
      }
      best = Math.max(best, c * value[t] + brute(value, size, cap, demand, t + 1, r));
    }
    return best;
  }

  private static boolean feasible(int[] counts, int[][] size, int[] cap, int[] demand) {
    for (int d = 0; d < cap.length; d++) {
      long used = 0;
      for (int t = 0; t < counts.length; t++) {
        used += (long) counts[t] * size[t][d];
      }
      if (used > cap[d]) {
        return false;
      }
    }
    for (int t = 0; t < counts.length; t++) {
      if (counts[t] < 0 || counts[t] > demand[t]) {
        return false;
      }
    }
    return true;
  }

  @Property(tries = 300)
  void knapsackIsExactOrBoundsTheOptimum(@ForAll("knapsack") int[][] in,
      @ForAll @IntRange(min = 1, max = 40) int nodeLimit) {
    checkKnapsack(in, nodeLimit);
  }

  /**
   * Brute force's optimum equals the exact answer's value and upper bound; the answer cut short
   * after {@code nodeLimit} nodes brackets it; every pattern returned is feasible.
   */
  private static void checkKnapsack(int[][] in, int nodeLimit) {
    int[] cap = in[0];
    int d = cap.length;
    int nt = in.length - 1;
    long[] value = new long[nt];
    int[][] size = new int[nt][];
    int[] demand = new int[nt];
    for (int t = 0; t < nt; t++) {
      size[t] = Arrays.copyOf(in[t + 1], d);
      demand[t] = in[t + 1][d];
      value[t] = in[t + 1][d + 1];
    }
    long opt = bruteKnapsack(value, size, cap, demand);
    long far = System.nanoTime() + 60 * SECOND;
    PatternKnapsack.Answer exact = PatternKnapsack.solve(value, size, cap, demand, 1L << 40, far);
    assertTrue(exact.exact());
    assertEquals(opt, exact.value());
    assertEquals(opt, exact.upper());
    PatternKnapsack.Answer cut = PatternKnapsack.solve(value, size, cap, demand, nodeLimit, far);
    assertTrue(cut.value() <= opt && opt <= cut.upper(), cut + " vs " + opt);
    for (PatternKnapsack.Answer a : List.of(exact, cut)) {
      assertTrue(feasible(a.counts(), size, cap, demand), Arrays.toString(a.counts()));
      long v = 0;
      for (int t = 0; t < nt; t++) {
        v += a.counts()[t] * value[t];
      }
      assertEquals(a.value(), v);
      for (int[] other : a.others()) {
        assertTrue(feasible(other, size, cap, demand), Arrays.toString(other));
      }
    }
  }

  /**
   * Knapsack inputs in 2-5 dimensions with capacities up to about 2^30, sizes 0 to the capacity
   * (often 0 in some dimension, as in complementary vector items) and values up to {@link
   * PatternKnapsack#MAX_VALUE}: the surrogate bounds combine dimensions in integers near the
   * range limits here. Rows as in {@link #knapsack()}.
   */
  @Provide
  Arbitrary<int[][]> wideKnapsack() {
    return Arbitraries.integers().between(2, 5).flatMap(d ->
        Combinators.combine(
            Arbitraries.integers().between(1, 1 << 30).list().ofSize(d),
            Arbitraries.integers().between(0, 100).list().ofSize(d + 2)
                .list().ofMinSize(1).ofMaxSize(7))
            .as((cap, rows) -> {
              int[][] out = new int[rows.size() + 1][];
              out[0] = cap.stream().mapToInt(Integer::intValue).toArray();
              for (int t = 0; t < rows.size(); t++) {
                int[] r = new int[d + 2];
                for (int k = 0; k < d; k++) {
                  // A size of 0 for a third of the draws, else a share of the capacity.
                  int share = rows.get(t).get(k);
                  r[k] = share % 3 == 0 ? 0 : (int) ((long) out[0][k] * share / 100);
                }
                r[d] = rows.get(t).get(d) % 4;
                r[d + 1] = (int) Math.min(Integer.MAX_VALUE,
                    PatternKnapsack.MAX_VALUE / 100 * rows.get(t).get(d + 1) + t);
                out[t + 1] = r;
              }
              return out;
            }));
  }

  @Property(tries = 300)
  void wideKnapsackIsExactOrBoundsTheOptimum(@ForAll("wideKnapsack") int[][] in,
      @ForAll @IntRange(min = 1, max = 40) int nodeLimit) {
    checkKnapsack(in, nodeLimit);
  }

  /**
   * The heuristic pricing returns at most {@code max} distinct feasible patterns, each worth more
   * than the threshold, best first, and the same ones on every call.
   */
  @Property(tries = 200)
  void greedyPricingGivesDistinctFeasiblePatternsAboveTheThreshold(
      @ForAll("knapsack") int[][] in, @ForAll @IntRange(min = 1, max = 5) int max,
      @ForAll @IntRange(min = 0, max = 60) int threshold) {
    int[] cap = in[0];
    int d = cap.length;
    int nt = in.length - 1;
    double[] y = new double[nt];
    int[][] size = new int[nt][];
    int[] demand = new int[nt];
    for (int t = 0; t < nt; t++) {
      size[t] = Arrays.copyOf(in[t + 1], d);
      demand[t] = in[t + 1][d];
      y[t] = in[t + 1][d + 1] / 3.0;
    }
    long far = System.nanoTime() + 60 * SECOND;
    List<int[]> cols = GreedyPricing.columns(y, size, cap, demand, threshold, max, far);
    assertTrue(cols.size() <= max);
    Set<List<Integer>> seen = new HashSet<>();
    double previous = Double.POSITIVE_INFINITY;
    for (int[] a : cols) {
      assertTrue(feasible(a, size, cap, demand), Arrays.toString(a));
      double v = 0;
      for (int t = 0; t < nt; t++) {
        v += y[t] * a[t];
      }
      assertTrue(v > threshold && v <= previous, v + " after " + previous);
      previous = v;
      assertTrue(seen.add(Arrays.stream(a).boxed().toList()), Arrays.toString(a));
    }
    List<int[]> again = GreedyPricing.columns(y, size, cap, demand, threshold, max, far);
    assertEquals(cols.size(), again.size());
    for (int i = 0; i < cols.size(); i++) {
      assertTrue(Arrays.equals(cols.get(i), again.get(i)));
    }
  }

  /**
   * Values nearly proportional to sizes (as duals late in column generation): the pruned state
   * list and the dense table, two exact methods, agree.
   */
  @Property(tries = 100)
  void oneDimensionalListMatchesTheDenseTable(
      @ForAll("nearlyProportional") List<int[]> types) {
    int nt = types.size();
    long[] value = new long[nt];
    int[][] size = new int[nt][];
    int[] demand = new int[nt];
    for (int t = 0; t < nt; t++) {
      size[t] = new int[] {types.get(t)[0]};
      value[t] = types.get(t)[0] * 1_000_003L + types.get(t)[1];
      demand[t] = types.get(t)[2];
    }
    long far = System.nanoTime() + 60 * SECOND;
    int[] cap = {1000};
    PatternKnapsack.Answer list = PatternKnapsack.solve(value, size, cap, demand, 1L << 40, far);
    PatternKnapsack.Answer dense = PatternKnapsack.solve(value, size, cap, demand, 1, far);
    assertTrue(list.exact() && dense.exact());
    assertEquals(dense.value(), list.value());
    assertTrue(feasible(list.counts(), size, cap, demand));
    assertTrue(feasible(dense.counts(), size, cap, demand));
  }

  @Provide
  Arbitrary<List<int[]>> nearlyProportional() {
    return Combinators.combine(Arbitraries.integers().between(50, 400),
            Arbitraries.integers().between(0, 1000), Arbitraries.integers().between(1, 3))
        .as((w, noise, d) -> new int[] {w, noise, d}).list().ofMinSize(1).ofMaxSize(16);
  }

  @Property(tries = 80)
  void farleyNeverExceedsTheOptimumForAnyDuals(@ForAll("classic") PackingInstance in,
      @ForAll("duals") List<Long> dualPool) {
    long opt = BruteForce.optimum(in);
    Problem p = new Problem(in);
    // One dual per item; Farley over items (demand 1 each) is the same argument as over types.
    int n = p.n;
    long[] y = new long[n];
    int[] b = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = dualPool.get(i % dualPool.size());
      b[i] = 1;
    }
    PatternKnapsack.Answer k = PatternKnapsack.solve(y, p.size, p.cap[0], b, 1L << 40,
        System.nanoTime() + 60 * SECOND);
    long bound = ColumnGeneration.farley(y, b, k.upper());
    assertTrue(bound <= opt, "Farley " + bound + " > optimum " + opt + " for " + in);
    // A cut-short knapsack gives a larger K, hence a bound no larger and still valid.
    PatternKnapsack.Answer cut = PatternKnapsack.solve(y, p.size, p.cap[0], b, 2,
        System.nanoTime() + 60 * SECOND);
    assertTrue(ColumnGeneration.farley(y, b, cut.upper()) <= bound);
  }

  @Provide
  Arbitrary<List<Long>> duals() {
    return Arbitraries.longs().between(0, 1L << 30).list().ofMinSize(1).ofMaxSize(8);
  }

  @Property(tries = 60)
  void columnGenerationBoundNeverExceedsTheOptimum(@ForAll("classic") PackingInstance in) {
    boundIsValidConvergedAndAtLeastL1(in);
  }

  /**
   * From FFD's packing and cold, the column-generation bound converges, never exceeds brute
   * force's optimum, and (converged: ceil(LP) up to the integer scaling) reaches at least L1.
   */
  private static void boundIsValidConvergedAndAtLeastL1(PackingInstance in) {
    long opt = BruteForce.optimum(in);
    Problem p = new Problem(in);
    Packing ffd = BinPackers.firstFitDecreasing(SizeMeasure.SUM).pack(in);
    ColumnGeneration.Result r = ColumnGeneration.bound(p, ffd, Integer.MAX_VALUE,
        System.nanoTime() + 20 * SECOND);
    assertTrue(r.bound() <= opt, r + " opt " + opt + " " + in);
    assertTrue(r.converged(), r.toString());
    assertTrue(r.bound() >= LowerBounds.l1(in), r + " " + LowerBounds.of(in));
    ColumnGeneration.Result cold = ColumnGeneration.bound(p, null, Integer.MAX_VALUE,
        System.nanoTime() + 20 * SECOND);
    assertTrue(cold.converged() && cold.bound() <= opt, cold + " opt " + opt);
  }

  /** Classic instances in 3-4 dimensions (equal capacities), 3-8 items. */
  @Provide
  Arbitrary<PackingInstance> vector() {
    return ClassicInstances.of("cg3", 3, 4, 40, 10);
  }

  /**
   * In 3-4 dimensions (heuristic pricing, surrogate bounds in the exact knapsack) the bound
   * never exceeds brute force's optimum, converges, and reaches at least L1.
   */
  @Property(tries = 40)
  void vectorColumnGenerationBoundNeverExceedsTheOptimum(@ForAll("vector") PackingInstance in) {
    boundIsValidConvergedAndAtLeastL1(in);
  }

  @Property(tries = 60)
  void diveGivesACompleteFeasiblePacking(@ForAll("classic") PackingInstance in) {
    long opt = BruteForce.optimum(in);
    Problem p = new Problem(in);
    Packing ffd = BinPackers.firstFitDecreasing(SizeMeasure.SUM).pack(in);
    long now = System.nanoTime();
    ColumnGeneration.Result r = ColumnGeneration.bound(p, ffd, Integer.MAX_VALUE,
        now + 10 * SECOND, now + 20 * SECOND);
    Packing q = r.packing();
    assertTrue(q != null, r.toString());
    assertTrue(q.isComplete());
    assertEquals(List.of(), q.violations(in));
    assertTrue(q.binCount() >= opt);
  }

  @Property(tries = 40)
  void solverWithoutAGraphProvesTheOptimum(@ForAll("classic") PackingInstance in) {
    long opt = BruteForce.optimum(in);
    PackingResult r = CpSatPacker.solve(in, SolverOptions.defaults()
        .withTimeLimit(Duration.ofSeconds(20)).withModel(SolverOptions.Model.ASSIGNMENT));
    assertEquals(PackingStatus.OPTIMAL, r.status(), r.toString());
    assertEquals(opt, r.upperBound());
    assertTrue(LowerBounds.of(in).best() <= r.lowerBound() && r.lowerBound() <= opt);
    assertEquals(List.of(), r.packing().violations(in));
  }
}

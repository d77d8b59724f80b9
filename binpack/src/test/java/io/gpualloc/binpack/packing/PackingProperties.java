package io.gpualloc.binpack.packing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The specification of the packing heuristics, bounds and exact solver. */
class PackingProperties {

  static {
    // OR-Tools' native library is loaded outside every budget: these tests check answers, and
    // the first call's load would otherwise eat a short budget on a loaded machine
    // (BudgetCheck in benchmarks measures the first call).
    CpSatPacker.preload();
  }

  private static final SolverOptions FAST =
      SolverOptions.defaults().withTimeLimit(Duration.ofSeconds(5)).withWorkers(1);

  @Provide
  Arbitrary<PackingInstance> tiny() {
    return instances(1, 7, false);
  }

  @Provide
  Arbitrary<PackingInstance> tinyHeterogeneous() {
    return instances(1, 6, true);
  }

  @Provide
  Arbitrary<PackingInstance> small() {
    return instances(0, 40, false);
  }

  @Provide
  Arbitrary<PackingInstance> smallHeterogeneous() {
    return instances(0, 30, true);
  }

  /** Random instances: 1-3 dimensions, capacities 5..30, sizes within the largest capacity. */
  private static Arbitrary<PackingInstance> instances(int minN, int maxN, boolean heterogeneous) {
    Arbitrary<Integer> dims = Arbitraries.integers().between(1, 3);
    return dims.flatMap(d -> {
      Arbitrary<List<Integer>> cap = Arbitraries.integers().between(5, 30).list().ofSize(d);
      Arbitrary<List<BinType>> types = heterogeneous
          ? Combinators.combine(cap, Arbitraries.integers().between(1, 5),
                  Arbitraries.integers().between(1, 4))
              .as((c, cost, avail) -> new BinType("t", c, cost, avail == 4 ? BinType.UNLIMITED
                  : avail))
              .list().ofMinSize(1).ofMaxSize(3)
          : cap.map(c -> List.of(new BinType("bin", c, 1, BinType.UNLIMITED)));
      return types.flatMap(ts -> {
        int[] max = new int[d];
        for (BinType t : ts) {
          for (int k = 0; k < d; k++) {
            max[k] = Math.max(max[k], t.capacity(k));
          }
        }
        Arbitrary<int[]> item = Arbitraries.integers().between(0, 1000).list().ofSize(d)
            .map(l -> {
              int[] s = new int[d];
              boolean pos = false;
              for (int k = 0; k < d; k++) {
                s[k] = 1 + l.get(k) % max[k];
                pos |= s[k] > 0;
              }
              return s;
            });
        return item.list().ofMinSize(minN).ofMaxSize(maxN).map(items -> {
          PackingInstance.Builder b = PackingInstance.builder("random", ts);
          for (int[] s : items) {
            b.item(s);
          }
          return b.build();
        });
      });
    });
  }

  @Property(tries = 60)
  void exactSolverMatchesBruteForce(@ForAll("tiny") PackingInstance in) {
    long opt = BruteForce.optimum(in);
    for (SolverOptions.Model m : SolverOptions.Model.values()) {
      PackingResult r = CpSatPacker.solve(in, FAST.withModel(m));
      assertEquals(PackingStatus.OPTIMAL, r.status(), m + " " + r);
      assertEquals(opt, r.upperBound(), m + " " + in);
      assertEquals(List.of(), r.packing().violations(in));
    }
  }

  @Property(tries = 40)
  void exactSolverMatchesBruteForceWithBinTypesAndLimits(
      @ForAll("tinyHeterogeneous") PackingInstance in) {
    long opt = BruteForce.optimum(in);
    PackingResult r = CpSatPacker.solve(in, FAST);
    if (opt == Long.MAX_VALUE) {
      assertEquals(PackingStatus.INFEASIBLE, r.status(), r.toString());
      assertTrue(!r.packing().isComplete());
    } else {
      assertEquals(PackingStatus.OPTIMAL, r.status(), r.toString());
      assertEquals(opt, r.upperBound(), in.toString());
      assertEquals(List.of(), r.packing().violations(in));
    }
  }

  @Property(tries = 40)
  void everyHeuristicAnswerIsFeasibleAndAboveEveryBound(@ForAll("small") PackingInstance in) {
    Bounds b = LowerBounds.of(in);
    List<BinPacker> all = new ArrayList<>(BinPackers.portfolio());
    all.add(BinPackers.firstFit());
    for (BinPacker h : all) {
      Packing p = h.pack(in);
      assertEquals(List.of(), p.violations(in), h.name());
      assertTrue(b.best() <= p.binCount(), h.name() + " " + b + " " + p.binCount());
    }
  }

  @Property(tries = 40)
  void heuristicsWithLimitedBinsNeverOverusePacking(
      @ForAll("smallHeterogeneous") PackingInstance in) {
    for (BinPacker h : BinPackers.portfolio()) {
      Packing p = h.pack(in);
      List<String> v = new ArrayList<>(p.violations(in));
      v.removeIf(s -> s.endsWith("is unpacked"));
      assertEquals(List.of(), v, h.name());
    }
  }

  @Property(tries = 100)
  void l1NeverExceedsL2InOneDimension(@ForAll("small") PackingInstance in) {
    for (int d = 0; d < in.dimensions(); d++) {
      assertTrue(LowerBounds.l1(in, d) <= LowerBounds.l2(in, d));
    }
  }

  @Property(tries = 60)
  void decreasingHeuristicsEqualFirstFitOnTheSortedOrderAndPortfolioIsNoWorse(
      @ForAll("small") PackingInstance in) {
    for (SizeMeasure m : SizeMeasure.values()) {
      PackingInstance sorted = sortedCopy(in, m);
      int ffOnSorted = BinPackers.firstFit().pack(sorted).binCount();
      assertEquals(ffOnSorted, BinPackers.firstFitDecreasing(m).pack(in).binCount(), m.name());
      assertTrue(BinPackers.best(in).binCount() <= ffOnSorted, m.name());
    }
  }

  @Property(tries = 25)
  void solverAnswersAreFeasibleWithLbBelowUb(@ForAll("small") PackingInstance in,
      @ForAll @IntRange(min = 0, max = 3) int seed) {
    PackingResult r = CpSatPacker.solve(in,
        FAST.withTimeLimit(Duration.ofMillis(600)).withSeed(seed));
    assertEquals(List.of(), r.packing().violations(in), r.toString());
    assertTrue(r.lowerBound() <= r.upperBound());
    assertTrue(r.lowerBound() >= LowerBounds.of(in).best());
    assertTrue(r.upperBound() <= BinPackers.best(in).binCount());
  }

  /** The instance with items in decreasing measure order (ties by index), as FFD sorts them. */
  private static PackingInstance sortedCopy(PackingInstance in, SizeMeasure m) {
    int[] cap = new int[in.dimensions()];
    for (int d = 0; d < cap.length; d++) {
      cap[d] = in.maxCapacity(d);
    }
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < in.itemCount(); i++) {
      idx.add(i);
    }
    idx.sort((a, b) -> {
      int c = Double.compare(m.of(in.sizes(b), cap), m.of(in.sizes(a), cap));
      return c != 0 ? c : Integer.compare(a, b);
    });
    PackingInstance.Builder b = PackingInstance.builder(in.name(), in.binTypes());
    for (int i : idx) {
      b.item(in.sizes(i));
    }
    return b.build();
  }
}

package io.gpualloc.binpack.packing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.binpack.packing.internal.PriceAndDive;
import io.gpualloc.binpack.packing.internal.Problem;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * The specification of price and dive: a packing it returns is complete, feasible, has fewer bins
 * than its start and never fewer than the optimum (brute force), meets the target when the search
 * says it succeeded, and the same inputs give the same packing.
 */
class PriceAndDiveProperties {

  static {
    CpSatPacker.preload();
  }

  private static final long MINUTE = 60_000_000_000L;

  /** Classic instances, 1-2 dimensions, 3-8 items between a tenth and 70% of the capacity. */
  @Provide
  Arbitrary<PackingInstance> classic() {
    return ClassicInstances.of("price-and-dive", 40, 10);
  }

  /** One bin per item: a start that most instances can improve on. */
  private static Packing singletons(PackingInstance in) {
    List<Packing.Bin> bins = new ArrayList<>();
    for (int i = 0; i < in.itemCount(); i++) {
      bins.add(new Packing.Bin(0, List.of(i)));
    }
    return new Packing(bins, List.of());
  }

  @Property(tries = 120)
  void aPackingFoundIsFeasibleBetterThanItsStartAndNotBelowTheOptimum(
      @ForAll("classic") PackingInstance in, @ForAll @IntRange(min = 0, max = 2) int slack) {
    Packing start = singletons(in);
    long opt = BruteForce.optimum(in);
    int target = (int) Math.max(1, opt - 1 + slack);
    PriceAndDive.Result r = PriceAndDive.search(new Problem(in), start, target,
        System.nanoTime() + MINUTE);
    Packing q = r.packing();
    Statistics.label("improved its start").collect(q != null);
    Statistics.label("improved its start").coverage(c -> c.check(true).percentage(pc -> pc > 25));
    if (q != null) {
      assertTrue(q.isComplete(), "incomplete packing");
      assertEquals(List.of(), q.violations(in));
      assertTrue(q.binCount() < start.binCount(), q.binCount() + " >= " + start.binCount());
      assertTrue(q.binCount() >= opt, q.binCount() + " < optimum " + opt);
    }
    assertTrue(r.rootBound() <= opt, "root bound " + r.rootBound() + " > optimum " + opt);
  }

  @Property(tries = 80)
  void seededColumnsAndNoStartAlsoGiveFeasiblePackings(@ForAll("classic") PackingInstance in) {
    Packing ff = BinPackers.firstFit().pack(in);
    List<int[]> seeds = new ArrayList<>();
    for (Packing.Bin b : ff.bins()) {
      seeds.add(b.items().stream().mapToInt(Integer::intValue).toArray());
    }
    long opt = BruteForce.optimum(in);
    PriceAndDive.Result r = PriceAndDive.search(new Problem(in), null, seeds, (int) opt,
        System.nanoTime() + MINUTE);
    if (r.packing() != null) {
      assertEquals(List.of(), r.packing().violations(in));
      assertTrue(r.packing().isComplete());
      assertTrue(r.packing().binCount() >= opt);
    }
  }

  @Property(tries = 60)
  void sameInputsGiveTheSamePacking(@ForAll("classic") PackingInstance in) {
    Packing start = singletons(in);
    Problem p = new Problem(in);
    long opt = BruteForce.optimum(in);
    int target = (int) opt;
    PriceAndDive.Result a = PriceAndDive.search(p, start, target, System.nanoTime() + MINUTE);
    PriceAndDive.Result b = PriceAndDive.search(p, start, target, System.nanoTime() + MINUTE);
    assertEquals(a.packing(), b.packing());
    assertEquals(a.nodes(), b.nodes());
  }
}

package io.gpualloc.binpack.packing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.binpack.packing.internal.LocalSearch;
import io.gpualloc.binpack.packing.internal.Problem;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The specification of the local search: a complete feasible packing, never more bins than its
 * start nor fewer than the lower bound, and the same packing for the same seed and budget.
 */
class LocalSearchProperties {

  @Provide
  Arbitrary<PackingInstance> classic() {
    Arbitrary<Integer> dims = Arbitraries.integers().between(1, 2);
    return dims.flatMap(d -> Arbitraries.integers().between(10, 100).list().ofSize(d)
        .flatMap(cap -> {
          Arbitrary<int[]> item = Arbitraries.integers().between(0, 10_000).list().ofSize(d)
              .map(l -> {
                int[] s = new int[d];
                for (int k = 0; k < d; k++) {
                  s[k] = 1 + l.get(k) % cap.get(k);
                }
                return s;
              });
          return item.list().ofMinSize(1).ofMaxSize(40).map(items -> {
            PackingInstance.Builder b = PackingInstance.builder("random",
                new BinType("bin", cap, 1, BinType.UNLIMITED));
            for (int[] s : items) {
              b.item(s);
            }
            return b.build();
          });
        }));
  }

  @Property(tries = 150)
  void fromFirstFitTheAnswerIsCompleteFeasibleAndNoWorse(
      @ForAll("classic") PackingInstance in, @ForAll long seed) {
    Packing start = BinPackers.firstFit().pack(in);
    int lb = LowerBounds.of(in).best();
    Packing q = LocalSearch.improve(new Problem(in), start, lb, seed, 300, Long.MAX_VALUE);
    assertEquals(List.of(), q.violations(in));
    assertTrue(q.binCount() <= start.binCount(), q.binCount() + " > " + start.binCount());
    assertTrue(q.binCount() >= lb, q.binCount() + " < lower bound " + lb);
  }

  @Property(tries = 60)
  void theNamedHeuristicIsNoWorseThanThePortfolio(
      @ForAll("classic") PackingInstance in, @ForAll long seed) {
    Packing q = BinPackers.localSearch(seed, 200).pack(in);
    assertEquals(List.of(), q.violations(in));
    assertTrue(q.binCount() <= BinPackers.best(in).binCount());
  }

  @Property(tries = 60)
  void sameSeedAndBudgetGiveTheSamePacking(
      @ForAll("classic") PackingInstance in, @ForAll long seed) {
    Packing start = BinPackers.firstFit().pack(in);
    Problem p = new Problem(in);
    // Target 1: the search runs its whole budget unless it packs everything in one bin.
    Packing a = LocalSearch.improve(p, start, 1, seed, 150, Long.MAX_VALUE);
    Packing b = LocalSearch.improve(p, start, 1, seed, 150, Long.MAX_VALUE);
    assertEquals(a, b);
  }
}

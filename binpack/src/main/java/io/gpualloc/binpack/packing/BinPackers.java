package io.gpualloc.binpack.packing;

import io.gpualloc.binpack.packing.internal.GreedyPackers;
import io.gpualloc.binpack.packing.internal.LocalSearch;
import io.gpualloc.binpack.packing.internal.Problem;
import io.gpualloc.core.InvalidSpecException;
import java.util.ArrayList;
import java.util.List;

/**
 * Factories for the packing heuristics, and the portfolio used to warm-start the exact solver.
 *
 * <p>With several bin types, a heuristic that opens a bin picks the cheapest type that is still
 * available and fits the item (ties: the larger normalised capacity, then the lower index).
 */
public final class BinPackers {
  private BinPackers() {}

  /**
   * First Fit in the given item order (no sorting): the baseline the others are compared with.
   *
   * @return the packer
   */
  public static BinPacker firstFit() {
    return new GreedyPackers.FirstFit(null);
  }

  /**
   * First Fit on items sorted by decreasing {@code measure} (ties by item index).
   *
   * @param measure how an item's size vector is reduced to one number for sorting
   * @return first Fit on items sorted by decreasing {@code measure} (ties by item index)
   */
  public static BinPacker firstFitDecreasing(SizeMeasure measure) {
    return new GreedyPackers.FirstFit(measure);
  }

  /**
   * Best Fit Decreasing: items by decreasing {@code measure}; each into the open bin whose residual
   * capacity (in the same measure) is smallest after placing it.
   *
   * @param measure how an item's size vector is reduced to one number for sorting
   * @return Best Fit Decreasing: items by decreasing {@code measure}; each into the open bin whose
   *     residual capacity (in the same measure) is smallest after placing it
   */
  public static BinPacker bestFitDecreasing(SizeMeasure measure) {
    return new GreedyPackers.BestFit(measure);
  }

  /**
   * Panigrahy et al.'s bin-centric DotProduct: fill one bin at a time with the fitting item of
   * largest dot product between its normalised size and the bin's normalised residual.
   *
   * @return the packer
   */
  public static BinPacker dotProduct() {
    return new GreedyPackers.BinCentric(false);
  }

  /**
   * Panigrahy et al.'s bin-centric norm-based greedy: fill one bin at a time with the fitting item
   * that minimises the L2 norm of the normalised residual left after placing it.
   *
   * @return the packer
   */
  public static BinPacker normGreedy() {
    return new GreedyPackers.BinCentric(true);
  }

  /**
   * Minimum Bin Slack (MBS', Fleszar and Hindi 2002): one bin at a time, the largest remaining
   * item first, then the subset of remaining items that leaves the least normalised slack, by a
   * depth-first search limited to {@code nodeLimit} nodes per bin.
   *
   * @param nodeLimit the search nodes allowed per bin
   * @return Minimum Bin Slack (MBS', Fleszar and Hindi 2002): one bin at a time, the largest
   *     remaining item first, then the subset of remaining items that leaves the least normalised
   *     slack, by a depth-first search limited to {@code nodeLimit} nodes per bin
   */
  public static BinPacker minimumBinSlack(int nodeLimit) {
    return new GreedyPackers.MinimumBinSlack(nodeLimit);
  }

  /**
   * A local search that removes bins from the {@link #best(PackingInstance) portfolio's best}
   * packing of a classic instance (one bin type, unlimited; any number of dimensions), in the
   * spirit of Buljubasic and Vasquez's consistent neighbourhood search: a partial packing with
   * {@code k + 1} bins fewer plus a pool of unassigned items, a tabu search of swaps of up to two
   * items between a bin and the pool that lightens the pool, and a descent that refills one bin
   * at a time, until the pool fits in {@code k} bins ({@code k = 1} for the first half of the
   * iterations, then {@code k = 2}). It stops at the instance's best lower bound ({@link
   * LowerBounds#of}), or after {@code iterations} iterations. Deterministic for a given seed and
   * budget. Not part of the {@link #portfolio()}. On an instance that is not classic, or whose
   * portfolio packing is not complete, it returns the portfolio's best packing unchanged. Its name
   * is {@code local-search}.
   *
   * @param seed the seed of the random tie-breaking and tabu tenures
   * @param iterations the iteration budget (each iteration scans every bin once)
   * @return the packer
   * @throws io.gpualloc.core.InvalidSpecException when {@code iterations} is negative
   */
  public static BinPacker localSearch(long seed, int iterations) {
    if (iterations < 0) {
      throw InvalidSpecException.of("localSearch", "iterations", iterations, ">= 0");
    }
    return new BinPacker() {
      @Override
      public String name() {
        return "local-search";
      }

      @Override
      public Packing pack(PackingInstance instance) {
        Packing start = best(instance);
        return LocalSearch.improve(new Problem(instance), start, LowerBounds.of(instance).best(),
            seed, iterations, Long.MAX_VALUE);
      }
    };
  }

  /**
   * Every heuristic above except plain First Fit, in a fixed order (MBS' with 20,000 nodes).
   *
   * @return every heuristic above except plain First Fit, in a fixed order (MBS' with 20,000 nodes)
   */
  public static List<BinPacker> portfolio() {
    return portfolio(Long.MAX_VALUE);
  }

  /** The portfolio with MBS' cut short for bins started after {@code deadline} (nanoTime). */
  static List<BinPacker> portfolio(long deadline) {
    List<BinPacker> out = new ArrayList<>();
    for (SizeMeasure m : SizeMeasure.values()) {
      out.add(firstFitDecreasing(m));
      out.add(bestFitDecreasing(m));
    }
    out.add(dotProduct());
    out.add(normGreedy());
    out.add(new GreedyPackers.MinimumBinSlack(20_000, deadline));
    return List.copyOf(out);
  }

  /**
   * The best packing of the {@link #portfolio()}: fewest unpacked items, then lowest cost, then
   * first in portfolio order.
   *
   * @param instance the packing instance
   * @return the best packing of the {@link #portfolio()}: fewest unpacked items, then lowest cost,
   *     then first in portfolio order
   */
  public static Packing best(PackingInstance instance) {
    Packing best = null;
    for (BinPacker p : portfolio()) {
      Packing q = p.pack(instance);
      if (best == null || better(q, best, instance)) {
        best = q;
      }
    }
    return best;
  }

  static boolean better(Packing a, Packing b, PackingInstance instance) {
    if (a.unpacked().size() != b.unpacked().size()) {
      return a.unpacked().size() < b.unpacked().size();
    }
    return a.cost(instance) < b.cost(instance);
  }
}

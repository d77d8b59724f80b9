package io.gpualloc.binpack.packing;

import io.gpualloc.binpack.packing.internal.GreedyPackers;
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

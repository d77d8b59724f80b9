package io.gpualloc.binpack.packing.internal;

import io.gpualloc.binpack.packing.BinPacker;
import io.gpualloc.binpack.packing.Packing;
import io.gpualloc.binpack.packing.PackingInstance;
import io.gpualloc.binpack.packing.SizeMeasure;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The greedy packing heuristics. */
public final class GreedyPackers {
  private GreedyPackers() {}

  /** Items sorted by decreasing measure, ties by index; identity order when measure is null. */
  static Integer[] order(Problem p, @Nullable SizeMeasure measure) {
    Integer[] idx = new Integer[p.n];
    for (int i = 0; i < p.n; i++) {
      idx[i] = i;
    }
    if (measure != null) {
      double[] key = new double[p.n];
      for (int i = 0; i < p.n; i++) {
        key[i] = measure.of(p.size[i], p.maxCap);
      }
      Arrays.sort(idx, Comparator.<Integer>comparingDouble(i -> -key[i]).thenComparingInt(i -> i));
    }
    return idx;
  }

  /** Open bins: type, residual and items, plus per-type usage. */
  static final class Bins {
    final Problem p;
    final List<int[]> residual = new ArrayList<>();
    final List<Integer> type = new ArrayList<>();
    final List<List<Integer>> items = new ArrayList<>();
    final List<Integer> unpacked = new ArrayList<>();
    final int[] used;

    Bins(Problem p) {
      this.p = p;
      this.used = new int[p.types];
    }

    int open(int t) {
      residual.add(p.cap[t].clone());
      type.add(t);
      items.add(new ArrayList<>());
      used[t]++;
      return residual.size() - 1;
    }

    void put(int b, int item) {
      int[] r = residual.get(b);
      for (int d = 0; d < p.dims; d++) {
        r[d] -= p.size[item][d];
      }
      items.get(b).add(item);
    }

    /** Opens a new bin for {@code item} and puts it there, or records it as unpacked. */
    void openFor(int item) {
      int t = p.typeToOpen(item, used);
      if (t < 0) {
        unpacked.add(item);
      } else {
        put(open(t), item);
      }
    }

    Packing toPacking() {
      List<Packing.Bin> out = new ArrayList<>();
      for (int b = 0; b < type.size(); b++) {
        if (!items.get(b).isEmpty()) {
          out.add(new Packing.Bin(type.get(b), items.get(b)));
        }
      }
      List<Integer> un = new ArrayList<>(unpacked);
      un.sort(null);
      return new Packing(out, un);
    }
  }

  /** First Fit, on the given order or on decreasing measure. */
  public static final class FirstFit implements BinPacker {
    private final @Nullable SizeMeasure measure;

    /** Creates First Fit; decreasing by {@code measure} when it is not null. */
    public FirstFit(@Nullable SizeMeasure measure) {
      this.measure = measure;
    }

    @Override
    public String name() {
      return measure == null ? "ff" : "ffd-" + measure.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public Packing pack(PackingInstance instance) {
      Problem p = new Problem(instance);
      Bins bins = new Bins(p);
      for (int item : order(p, measure)) {
        int chosen = -1;
        for (int b = 0; b < bins.residual.size(); b++) {
          if (p.fits(item, bins.residual.get(b))) {
            chosen = b;
            break;
          }
        }
        if (chosen >= 0) {
          bins.put(chosen, item);
        } else {
          bins.openFor(item);
        }
      }
      return bins.toPacking();
    }
  }

  /** Best Fit Decreasing. */
  public static final class BestFit implements BinPacker {
    private final SizeMeasure measure;

    /** Creates Best Fit Decreasing under {@code measure}. */
    public BestFit(SizeMeasure measure) {
      this.measure = measure;
    }

    @Override
    public String name() {
      return "bfd-" + measure.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public Packing pack(PackingInstance instance) {
      Problem p = new Problem(instance);
      Bins bins = new Bins(p);
      int[] after = new int[p.dims];
      for (int item : order(p, measure)) {
        int chosen = -1;
        double best = Double.POSITIVE_INFINITY;
        for (int b = 0; b < bins.residual.size(); b++) {
          int[] r = bins.residual.get(b);
          if (!p.fits(item, r)) {
            continue;
          }
          for (int d = 0; d < p.dims; d++) {
            after[d] = r[d] - p.size[item][d];
          }
          double v = measure.of(after, p.maxCap);
          if (v < best) {
            best = v;
            chosen = b;
          }
        }
        if (chosen >= 0) {
          bins.put(chosen, item);
        } else {
          bins.openFor(item);
        }
      }
      return bins.toPacking();
    }
  }

  /** Bin-centric greedy: DotProduct, or norm-based when {@code norm}. */
  public static final class BinCentric implements BinPacker {
    private final boolean norm;

    /** Creates the norm-based greedy when {@code norm}, else DotProduct. */
    public BinCentric(boolean norm) {
      this.norm = norm;
    }

    @Override
    public String name() {
      return norm ? "norm-greedy" : "dot-product";
    }

    @Override
    public Packing pack(PackingInstance instance) {
      Problem p = new Problem(instance);
      Bins bins = new Bins(p);
      Integer[] ord = order(p, SizeMeasure.SUM);
      boolean[] done = new boolean[p.n];
      int left = p.n;
      double[] inv = new double[p.dims];
      for (int d = 0; d < p.dims; d++) {
        inv[d] = 1.0 / p.maxCap[d];
      }
      while (left > 0) {
        int first = -1;
        for (int item : ord) {
          if (!done[item]) {
            first = item;
            break;
          }
        }
        int t = p.typeToOpen(first, bins.used);
        if (t < 0) {
          bins.unpacked.add(first);
          done[first] = true;
          left--;
          continue;
        }
        int b = bins.open(t);
        int[] r = bins.residual.get(b);
        while (true) {
          int chosen = -1;
          double best = 0;
          for (int item : ord) {
            if (done[item] || !p.fits(item, r)) {
              continue;
            }
            double v = 0;
            int[] s = p.size[item];
            for (int d = 0; d < p.dims; d++) {
              if (norm) {
                double x = (r[d] - s[d]) * inv[d];
                v += x * x;
              } else {
                v -= s[d] * inv[d] * r[d] * inv[d];
              }
            }
            if (chosen < 0 || v < best) {
              best = v;
              chosen = item;
            }
          }
          if (chosen < 0) {
            break;
          }
          bins.put(b, chosen);
          done[chosen] = true;
          left--;
        }
      }
      return bins.toPacking();
    }
  }

  /**
   * Minimum Bin Slack, MBS' variant (Gupta and Ho 1999; Fleszar and Hindi 2002): one bin at a time,
   * the largest remaining item first, then the subset of the remaining items that leaves the least
   * normalised slack, found by depth-first search in decreasing size order with a node limit per
   * bin (identical sizes are tried once per level).
   */
  public static final class MinimumBinSlack implements BinPacker {
    private final int nodeLimit;
    private final long deadline;

    /** Creates MBS' exploring at most {@code nodeLimit} search nodes per bin. */
    public MinimumBinSlack(int nodeLimit) {
      this(nodeLimit, Long.MAX_VALUE);
    }

    /**
     * As {@link #MinimumBinSlack(int)}, but bins started after {@code deadline} (a {@link
     * System#nanoTime()} value) get only 64 search nodes, so the run ends soon after it.
     */
    public MinimumBinSlack(int nodeLimit, long deadline) {
      this.nodeLimit = nodeLimit;
      this.deadline = deadline;
    }

    @Override
    public String name() {
      return "mbs";
    }

    @Override
    public Packing pack(PackingInstance instance) {
      Problem p = new Problem(instance);
      Bins bins = new Bins(p);
      Integer[] ord = order(p, SizeMeasure.SUM);
      int[] rest = new int[p.n];
      int restLen = 0;
      for (int i : ord) {
        rest[restLen++] = i;
      }
      Search s = new Search(p, nodeLimit);
      while (restLen > 0) {
        if (deadline != Long.MAX_VALUE && System.nanoTime() - deadline > 0) {
          s.limit = Math.min(nodeLimit, 64);
        }
        int first = rest[0];
        int t = p.typeToOpen(first, bins.used);
        if (t < 0) {
          bins.unpacked.add(first);
          System.arraycopy(rest, 1, rest, 0, --restLen);
          continue;
        }
        int b = bins.open(t);
        bins.put(b, first);
        int[] chosen = s.best(rest, restLen, bins.residual.get(b));
        boolean[] take = new boolean[restLen];
        take[0] = true;
        for (int k : chosen) {
          take[k] = true;
          bins.put(b, rest[k]);
        }
        int w = 0;
        for (int k = 0; k < restLen; k++) {
          if (!take[k]) {
            rest[w++] = rest[k];
          }
        }
        restLen = w;
      }
      return bins.toPacking();
    }

    /** The depth-first subset search. */
    private static final class Search {
      final Problem p;
      int limit;
      int[] items = new int[0];
      int len;
      int[] stack = new int[0];
      int depth;
      int[] best = new int[0];
      int bestLen;
      double bestSlack;
      long nodes;

      Search(Problem p, int limit) {
        this.p = p;
        this.limit = limit;
      }

      /** Positions (in {@code items}, from 1) of the subset to add to a bin with residual r. */
      int[] best(int[] items, int len, int[] r) {
        this.items = items;
        this.len = len;
        this.stack = new int[len];
        this.best = new int[len];
        this.bestLen = 0;
        this.depth = 0;
        this.nodes = 0;
        this.bestSlack = slack(r);
        dfs(1, r.clone());
        return java.util.Arrays.copyOf(best, bestLen);
      }

      private double slack(int[] r) {
        double v = 0;
        for (int d = 0; d < p.dims; d++) {
          v += (double) r[d] / p.maxCap[d];
        }
        return v;
      }

      private void dfs(int from, int[] r) {
        int prev = -1;
        for (int k = from; k < len; k++) {
          if (bestSlack <= 0 || nodes >= limit) {
            return;
          }
          int item = items[k];
          if (prev >= 0 && java.util.Arrays.equals(p.size[item], p.size[prev])) {
            continue;
          }
          if (!p.fits(item, r)) {
            continue;
          }
          prev = item;
          nodes++;
          for (int d = 0; d < p.dims; d++) {
            r[d] -= p.size[item][d];
          }
          stack[depth++] = k;
          double sl = slack(r);
          if (sl < bestSlack - 1e-12) {
            bestSlack = sl;
            bestLen = depth;
            System.arraycopy(stack, 0, best, 0, depth);
          }
          dfs(k + 1, r);
          depth--;
          for (int d = 0; d < p.dims; d++) {
            r[d] += p.size[item][d];
          }
        }
      }
    }
  }
}

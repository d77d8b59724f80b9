package io.gpualloc.binpack.packing.internal;

import io.gpualloc.binpack.packing.BinType;
import io.gpualloc.binpack.packing.PackingInstance;

/** A packing instance copied into primitive arrays for the algorithms. */
public final class Problem {
  /** Number of items. */
  public final int n;
  /** Number of dimensions. */
  public final int dims;
  /** Number of bin types. */
  public final int types;
  /** {@code size[i][d]}. */
  public final int[][] size;
  /** {@code cap[t][d]}. */
  public final int[][] cap;
  /** Cost per bin type. */
  public final long[] cost;
  /** Availability per bin type. */
  public final int[] available;
  /** Largest capacity per dimension over the bin types. */
  public final int[] maxCap;

  /** Copies {@code instance}. */
  public Problem(PackingInstance instance) {
    n = instance.itemCount();
    dims = instance.dimensions();
    types = instance.binTypes().size();
    size = new int[n][];
    for (int i = 0; i < n; i++) {
      size[i] = instance.sizes(i);
    }
    cap = new int[types][dims];
    cost = new long[types];
    available = new int[types];
    maxCap = new int[dims];
    for (int t = 0; t < types; t++) {
      BinType bt = instance.binTypes().get(t);
      for (int d = 0; d < dims; d++) {
        cap[t][d] = bt.capacity(d);
        maxCap[d] = Math.max(maxCap[d], cap[t][d]);
      }
      cost[t] = bt.cost();
      available[t] = bt.available();
    }
  }

  private Problem(Problem base, int[] items) {
    n = items.length;
    dims = base.dims;
    types = base.types;
    size = new int[n][];
    for (int k = 0; k < n; k++) {
      size[k] = base.size[items[k]];
    }
    cap = base.cap;
    cost = base.cost;
    available = base.available;
    maxCap = base.maxCap;
  }

  /** The sub-problem of the given items (item {@code k} of it is {@code items[k]} here). */
  public Problem subset(int[] items) {
    return new Problem(this, items);
  }

  /** Whether item {@code i} fits in the residual {@code r}. */
  public boolean fits(int i, int[] r) {
    int[] s = size[i];
    for (int d = 0; d < dims; d++) {
      if (s[d] > r[d]) {
        return false;
      }
    }
    return true;
  }

  /** Whether item {@code i} fits alone in a bin of type {@code t}. */
  public boolean fitsType(int i, int t) {
    return fits(i, cap[t]);
  }

  /** Whether every item fits alone in some bin type. */
  public boolean everyItemFitsSomewhere() {
    for (int i = 0; i < n; i++) {
      boolean ok = false;
      for (int t = 0; t < types && !ok; t++) {
        ok = fitsType(i, t);
      }
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Whether the instance is classic: one bin type, unlimited. */
  public boolean classic() {
    return types == 1 && available[0] == BinType.UNLIMITED;
  }

  /** The cheapest bin type (then largest normalised capacity, then lowest index), or -1. */
  public int typeToOpen(int item, int[] used) {
    int best = -1;
    double bestCap = -1;
    for (int t = 0; t < types; t++) {
      if (used[t] >= available[t] || !fitsType(item, t)) {
        continue;
      }
      double c = 0;
      for (int d = 0; d < dims; d++) {
        c += (double) cap[t][d] / maxCap[d];
      }
      if (best < 0 || cost[t] < cost[best] || (cost[t] == cost[best] && c > bestCap)) {
        best = t;
        bestCap = c;
      }
    }
    return best;
  }
}

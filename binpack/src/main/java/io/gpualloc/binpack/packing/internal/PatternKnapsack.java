package io.gpualloc.binpack.packing.internal;

import io.gpualloc.binpack.solver.SolverInvariantException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The pricing problem of Gilmore-Gomory column generation, in exact integer arithmetic: over item
 * types with integer values {@code value[t] >= 0}, sizes {@code size[t][d]} and demands {@code
 * demand[t]}, the largest {@code sum_t value[t] a[t]} of a pattern {@code 0 <= a[t] <= demand[t]}
 * with {@code sum_t size[t][d] a[t] <= cap[d]} in every dimension.
 *
 * <p>Depth-first branch and bound over the types in decreasing value per normalised size, largest
 * count first. The bound of a node is the smallest, over the bounding dimensions, of that
 * dimension's fractional (Dantzig) relaxation of what is left, rounded up, so it is an upper bound
 * on every pattern below the node. The bounding dimensions are the real ones and, in several
 * dimensions, surrogate ones: nonnegative integer combinations of the capacity rows (sizes as
 * fractions of the capacity summed, and weights searched at the root to make its bound small).
 * A single dimension's bound is weak when items are complementary (an item of size 0 in one
 * dimension makes that dimension's bound useless); a combination sees every dimension at once.
 * With a node limit (or a deadline) the search may stop early; the answer then still carries a
 * valid upper bound: the largest of the best value found and the bounds of the subtrees left
 * unexplored. Without the stop, {@link Answer#upper()} equals {@link
 * Answer#value()} and the answer is exact.
 *
 * <p>Arithmetic: every product is of an int size (or capacity) by a value, so values up to about
 * {@code 2^31} stay exact in a {@code long}; {@link #solve} checks its inputs for this.
 */
public final class PatternKnapsack {
  /** Largest value accepted per type. */
  public static final long MAX_VALUE = 1L << 31;

  private final long[] value;
  private final int[][] size;
  private final int[] cap;
  private final int[] demand;
  private final int dims;
  /**
   * Dimensions the bound uses: the real ones, then (in several dimensions) surrogate ones, each a
   * nonnegative integer combination of the real dimensions (see {@link #surrogates}).
   */
  private final int bdims;
  /**
   * The first bounding dimension whose full fractional bound is computed: the surrogate ones
   * when there are any (the real ones then serve only the cheap bound; a surrogate with weights
   * searched at the root is at least as tight there as any single dimension, and computing fewer
   * bounds per node paid off on the Panigrahy instances), else the real ones.
   */
  private final int fullFrom;
  /** Size per type and bounding dimension (the real sizes first). */
  private final long[][] bsize;
  /** The branching order (types of positive value only). */
  private final int[] order;
  /** Per dimension, the positions in {@link #order} by decreasing value per size in it. */
  private final int[][] byRatio;
  /**
   * Per bounding dimension and position {@code k}, the first index of {@link #byRatio} holding a
   * position {@code >= k}: the bound at {@code k} starts its scan there.
   */
  private final int[][] firstFrom;
  /** Per dimension, for each position, the type of best value per size from there on. */
  private final int[][] bestRatio;
  private final long nodeLimit;
  private final long deadline;

  private final int[] cur;
  /** Residual per bounding dimension (the real ones first). */
  private final long[] residual;
  private long best = -1;
  private int[] bestCounts;
  private long open;
  private long nodes;
  private boolean stopped;

  /**
   * The result.
   *
   * @param value the value of {@code counts}
   * @param upper an upper bound on the optimum ({@code >= value}; equal when exact)
   * @param counts the best pattern found, copies per type
   * @param nodes nodes explored
   * @param exact whether the search finished ({@code upper == value})
   * @param others further good patterns seen on the way (copies per type, possibly not
   *     maximal), best first, at most {@link #KEEP} - 1, for adding several columns per pricing
   */
  public record Answer(long value, long upper, int[] counts, long nodes, boolean exact,
      List<int[]> others) {}

  /** Largest capacity times copies for the dense one-dimensional table. */
  public static final long DENSE_CELLS = 60_000_000L;

  /** How many of the best patterns found are kept (the best one included). */
  public static final int KEEP = 8;

  /** Values and patterns of the best few patterns found, best first. */
  private final long[] keptValue = new long[KEEP];
  private final int[][] keptCounts = new int[KEEP][];
  private int kept;

  /** Offers a pattern for the kept list (copied when kept). */
  private void offer(long v, int[] counts) {
    if (kept == KEEP && v <= keptValue[KEEP - 1]) {
      return;
    }
    int pos = Math.min(kept, KEEP - 1);
    while (pos > 0 && keptValue[pos - 1] < v) {
      if (pos < KEEP) {
        keptValue[pos] = keptValue[pos - 1];
        keptCounts[pos] = keptCounts[pos - 1];
      }
      pos--;
    }
    keptValue[pos] = v;
    keptCounts[pos] = counts.clone();
    kept = Math.min(KEEP, kept + 1);
  }

  private List<int[]> others() {
    List<int[]> out = new ArrayList<>();
    for (int i = 1; i < kept; i++) {
      out.add(keptCounts[i]);
    }
    return out;
  }

  private PatternKnapsack(long[] value, int[][] size, int[] cap, int[] demand, long nodeLimit,
      long deadline) {
    this.value = value;
    this.size = size;
    this.cap = cap;
    this.demand = demand;
    this.dims = cap.length;
    this.nodeLimit = nodeLimit;
    this.deadline = deadline;
    int types = value.length;
    long[][] mu = dims > 1 ? surrogates(value, size, cap, demand) : new long[0][];
    bdims = dims + mu.length;
    fullFrom = mu.length > 0 ? dims : 0;
    bsize = new long[types][bdims];
    long[] bcap = new long[bdims];
    for (int d = 0; d < dims; d++) {
      bcap[d] = cap[d];
    }
    for (int j = 0; j < mu.length; j++) {
      for (int d = 0; d < dims; d++) {
        bcap[dims + j] += mu[j][d] * cap[d];
      }
    }
    for (int t = 0; t < types; t++) {
      for (int d = 0; d < dims; d++) {
        bsize[t][d] = size[t][d];
      }
      for (int j = 0; j < mu.length; j++) {
        for (int d = 0; d < dims; d++) {
          bsize[t][dims + j] += mu[j][d] * size[t][d];
        }
      }
    }
    double[] key = new double[types];
    int live = 0;
    for (int t = 0; t < types; t++) {
      if (value[t] > 0 && demand[t] > 0 && fitsAlone(t)) {
        live++;
        double norm = 0;
        for (int d = 0; d < dims; d++) {
          norm += (double) size[t][d] / cap[d];
        }
        key[t] = norm == 0 ? Double.POSITIVE_INFINITY : value[t] / norm;
      }
    }
    Integer[] o = new Integer[live];
    for (int t = 0, k = 0; t < types; t++) {
      if (value[t] > 0 && demand[t] > 0 && fitsAlone(t)) {
        o[k++] = t;
      }
    }
    if (dims == 1) {
      // Exactly by value per size (cross-multiplied, size 0 first): the one-dimensional list's
      // pruning relies on no later copy having a better ratio than the next one.
      Arrays.sort(o, (x, y) -> {
        int c = Long.compare(value[y] * size[x][0], value[x] * size[y][0]);
        return c != 0 ? c : Integer.compare(x, y);
      });
    } else {
      Arrays.sort(o, (x, y) -> x.equals(y) ? 0
          : key[x] != key[y] ? Double.compare(key[y], key[x]) : Integer.compare(x, y));
    }
    order = new int[live];
    for (int k = 0; k < live; k++) {
      order[k] = o[k];
    }
    byRatio = new int[bdims][];
    for (int d = 0; d < bdims; d++) {
      final int dd = d;
      Integer[] pos = new Integer[live];
      for (int k = 0; k < live; k++) {
        pos[k] = k;
      }
      // Exact comparison of value/size by cross-multiplication (size 0 first).
      Arrays.sort(pos, (x, y) -> {
        int tx = order[x];
        int ty = order[y];
        long sx = bsize[tx][dd];
        long sy = bsize[ty][dd];
        int c = Long.compare(value[ty] * sx, value[tx] * sy);
        return c != 0 ? c : Integer.compare(x, y);
      });
      byRatio[d] = new int[live];
      for (int k = 0; k < live; k++) {
        byRatio[d][k] = pos[k];
      }
    }
    firstFrom = new int[bdims][live + 1];
    for (int d = 0; d < bdims; d++) {
      int[] indexOf = new int[live];
      for (int i = 0; i < live; i++) {
        indexOf[byRatio[d][i]] = i;
      }
      firstFrom[d][live] = live;
      for (int k = live - 1; k >= 0; k--) {
        firstFrom[d][k] = Math.min(firstFrom[d][k + 1], indexOf[k]);
      }
    }
    // Per dimension and position k, the type of best value per size among positions >= k
    // (-1 when one of them has size 0 there: no finite bound from that dimension).
    bestRatio = new int[bdims][live + 1];
    for (int d = 0; d < bdims; d++) {
      bestRatio[d][live] = -1;
      boolean zero = false;
      for (int k = live - 1; k >= 0; k--) {
        int t = order[k];
        zero |= bsize[t][d] == 0;
        int prev = bestRatio[d][k + 1];
        bestRatio[d][k] = zero ? -1
            : prev < 0 || value[t] * bsize[prev][d] > value[prev] * bsize[t][d] ? t : prev;
      }
    }
    cur = new int[types];
    residual = bcap;
    bestCounts = new int[types];
  }

  private boolean fitsAlone(int t) {
    for (int d = 0; d < dims; d++) {
      if (size[t][d] > cap[d]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Solves the pricing knapsack.
   *
   * @param value nonnegative value per type, at most {@link #MAX_VALUE}
   * @param size size per type and dimension, nonnegative
   * @param cap capacity per dimension, nonnegative
   * @param demand largest number of copies per type, nonnegative
   * @param nodeLimit stop after this many nodes (the answer then carries an upper bound)
   * @param deadline {@link System#nanoTime()} at which to stop likewise
   * @return the best pattern found and an upper bound on the optimum
   * @throws SolverInvariantException when a value is out of range or the arrays disagree
   */
  public static Answer solve(long[] value, int[][] size, int[] cap, int[] demand, long nodeLimit,
      long deadline) {
    if (size.length != value.length || demand.length != value.length) {
      throw new SolverInvariantException("value, size and demand differ in length: "
          + value.length + ", " + size.length + ", " + demand.length);
    }
    for (int t = 0; t < value.length; t++) {
      if (value[t] < 0 || value[t] > MAX_VALUE || demand[t] < 0 || size[t].length != cap.length) {
        throw new SolverInvariantException("type " + t + ": value " + value[t] + " (allowed 0.."
            + MAX_VALUE + "), demand " + demand[t] + ", " + size[t].length + " dimensions for "
            + cap.length);
      }
      for (int s : size[t]) {
        if (s < 0) {
          throw new SolverInvariantException("type " + t + " has a negative size " + s);
        }
      }
    }
    PatternKnapsack k = new PatternKnapsack(value, size, cap, demand, nodeLimit, deadline);
    if (cap.length == 1) {
      Answer a = k.paretoList();
      if (a.exact() || (long) cap[0] * k.copyCount() > DENSE_CELLS
          || System.nanoTime() - deadline >= 0) {
        return a;
      }
      // The list grew too long (values nearly proportional to sizes): the dense table is exact.
      Answer d = new PatternKnapsack(value, size, cap, demand, nodeLimit, deadline).dense();
      return d == null ? a : d;
    }
    k.dfs(0, 0);
    long upper = Math.max(k.best, k.open);
    return new Answer(k.best, upper, k.bestCounts, k.nodes, !k.stopped, k.others());
  }

  /**
   * One dimension: the Nemhauser-Ullmann list of non-dominated (load, value) states, one copy of a
   * type at a time in the branching order (decreasing value per size), each state pruned when its
   * value plus the residual capacity at the next copy's value per size (rounded up) cannot beat
   * the best value found. Exact unless more than {@code nodeLimit} states are created; then the
   * largest bound of the states left is the upper bound.
   */
  private Answer paretoList() {
    int c = cap[0];
    long base = 0;
    // Copies: types of size 0 are taken whole; the others as many copies as fit.
    List<Integer> copies = new ArrayList<>();
    for (int t : order) {
      int w = size[t][0];
      if (w == 0) {
        base += demand[t] * value[t];
        cur[t] = demand[t];
      } else {
        int m = Math.min(demand[t], c / w);
        for (int k = 0; k < m; k++) {
          copies.add(t);
        }
      }
    }
    int[] baseCounts = cur.clone();
    // The arena: per state its copy's type and its parent state (-1 for the empty state).
    int[] arenaType = new int[1024];
    int[] arenaParent = new int[1024];
    int arena = 0;
    int cap0 = 16;
    long[] load = new long[cap0];
    long[] val = new long[cap0];
    int[] ref = new int[cap0];
    int len = 1;
    load[0] = 0;
    val[0] = 0;
    ref[0] = -1;
    long bestVal = 0;
    int bestRef = -1;
    long[] nLoad = new long[cap0];
    long[] nVal = new long[cap0];
    int[] nRef = new int[cap0];
    long upper = -1;
    long[] topVal = new long[KEEP];
    int[] topRef = new int[KEEP];
    int topLen = 0;
    for (int k = 0; k < copies.size(); k++) {
      int t = copies.get(k);
      long w = size[t][0];
      long p = value[t];
      // The bound ratio after this copy: the next copy's (the order is by decreasing ratio).
      int next = k + 1 < copies.size() ? copies.get(k + 1) : -1;
      int need = 2 * len;
      if (nLoad.length < need) {
        nLoad = new long[need];
        nVal = new long[need];
        nRef = new int[need];
      }
      int n = 0;
      int a = 0;
      int b = 0;
      long lastVal = -1;
      while (a < len || b < len) {
        long la = a < len ? load[a] : Long.MAX_VALUE;
        long lb = b < len && load[b] + w <= c ? load[b] + w : Long.MAX_VALUE;
        if (la == Long.MAX_VALUE && lb == Long.MAX_VALUE) {
          break;
        }
        long l;
        long v;
        int r;
        boolean fresh;
        if (la < lb || (la == lb && val[a] >= val[b] + p)) {
          l = la;
          v = val[a];
          r = ref[a];
          fresh = false;
          a++;
          if (la == lb) {
            b++;
          }
        } else {
          l = lb;
          v = val[b] + p;
          r = b;
          fresh = true;
          b++;
          if (la == lb) {
            a++;
          }
        }
        if (v <= lastVal) {
          continue;
        }
        if (fresh) {
          if (arena == arenaType.length) {
            arenaType = Arrays.copyOf(arenaType, arena * 2);
            arenaParent = Arrays.copyOf(arenaParent, arena * 2);
          }
          arenaType[arena] = t;
          arenaParent[arena] = ref[r];
          r = arena++;
          if (v > bestVal) {
            bestVal = v;
            bestRef = r;
          }
          if (topLen < KEEP || v > topVal[topLen - 1]) {
            int pos = Math.min(topLen, KEEP - 1);
            while (pos > 0 && topVal[pos - 1] < v) {
              topVal[pos] = topVal[pos - 1];
              topRef[pos] = topRef[pos - 1];
              pos--;
            }
            topVal[pos] = v;
            topRef[pos] = r;
            topLen = Math.min(KEEP, topLen + 1);
          }
        }
        long ub = next < 0 ? v : v + ceilRatio(c - l, value[next], size[next][0]);
        if (ub <= bestVal) {
          // Cannot beat the best; dominance by this state is not needed for exactness.
          continue;
        }
        nLoad[n] = l;
        nVal[n] = v;
        nRef[n] = r;
        n++;
        lastVal = v;
      }
      long[] tl = load;
      load = nLoad;
      nLoad = tl;
      long[] tv = val;
      val = nVal;
      nVal = tv;
      int[] tr = ref;
      ref = nRef;
      nRef = tr;
      len = n;
      nodes += n;
      if (len == 0) {
        break;
      }
      if (nodes >= nodeLimit || ((k & 15) == 0 && System.nanoTime() - deadline >= 0)) {
        stopped = true;
        upper = bestVal;
        for (int q = 0; q < len; q++) {
          upper = Math.max(upper, next < 0 ? val[q]
              : val[q] + ceilRatio(c - load[q], value[next], size[next][0]));
        }
        break;
      }
    }
    int[] counts = baseCounts.clone();
    for (int r = bestRef; r >= 0; r = arenaParent[r]) {
      counts[arenaType[r]]++;
    }
    List<int[]> more = new ArrayList<>();
    for (int i = 0; i < topLen; i++) {
      if (topRef[i] == bestRef) {
        continue;
      }
      int[] c2 = baseCounts.clone();
      for (int r = topRef[i]; r >= 0; r = arenaParent[r]) {
        c2[arenaType[r]]++;
      }
      more.add(c2);
    }
    long exactVal = base + bestVal;
    return new Answer(exactVal, stopped ? base + upper : exactVal, counts, nodes, !stopped,
        more);
  }

  /** Copies of the positive-size types that fit alone, in total (one dimension). */
  private long copyCount() {
    long n = 0;
    for (int t : order) {
      int w = size[t][0];
      if (w > 0) {
        n += Math.min(demand[t], cap[0] / w);
      }
    }
    return n;
  }

  /**
   * One dimension, exact: the table {@code f[l]} = best value with load at most {@code l}, one
   * copy at a time, with a bit per copy and load recording whether the copy was taken. Returns
   * null when the deadline passes first.
   */
  private @Nullable Answer dense() {
    int c = cap[0];
    long base = 0;
    List<Integer> copies = new ArrayList<>();
    int[] counts = new int[value.length];
    for (int t : order) {
      int w = size[t][0];
      if (w == 0) {
        base += demand[t] * value[t];
        counts[t] = demand[t];
      } else {
        for (int k = Math.min(demand[t], c / w); k > 0; k--) {
          copies.add(t);
        }
      }
    }
    long[] f = new long[c + 1];
    int words = (c >> 6) + 1;
    long[][] took = new long[copies.size()][];
    for (int k = 0; k < copies.size(); k++) {
      if ((k & 7) == 0 && System.nanoTime() - deadline >= 0) {
        return null;
      }
      int t = copies.get(k);
      int w = size[t][0];
      long p = value[t];
      long[] bits = new long[words];
      for (int l = c; l >= w; l--) {
        long v = f[l - w] + p;
        if (v > f[l]) {
          f[l] = v;
          bits[l >> 6] |= 1L << l;
        }
      }
      took[k] = bits;
      nodes += c - w + 1;
    }
    // The best pattern (load at most c), then the best with a smaller load than that one's, and
    // so on: distinct patterns, best first.
    int[] first = null;
    List<int[]> more = new ArrayList<>();
    int limit = c;
    for (int q = 0; q < KEEP && limit >= 0 && f[limit] > 0; q++) {
      int[] cnt = counts.clone();
      int l = limit;
      int load = 0;
      for (int k = copies.size() - 1; k >= 0; k--) {
        if ((took[k][l >> 6] & (1L << l)) != 0) {
          int t = copies.get(k);
          cnt[t]++;
          l -= size[t][0];
          load += size[t][0];
        }
      }
      if (first == null) {
        first = cnt;
      } else {
        more.add(cnt);
      }
      limit = load - 1;
    }
    long v = base + f[c];
    return new Answer(v, v, first == null ? counts : first, nodes, true, more);
  }

  private static long ceilRatio(long r, long v, long s) {
    return (r * v + s - 1) / s;
  }

  /** Whether one copy of type {@code t} fits the residual. */
  private boolean fitsOnce(int t) {
    int[] s = size[t];
    for (int d = 0; d < dims; d++) {
      if (s[d] > residual[d]) {
        return false;
      }
    }
    return true;
  }

  /** Copies of {@code order[k]} that fit the residual, at most {@code limit}. */
  private int maxCopies(int t, int limit) {
    long m = limit;
    for (int d = 0; d < dims && m > 0; d++) {
      if (size[t][d] > 0) {
        m = Math.min(m, residual[d] / size[t][d]);
      }
    }
    return (int) m;
  }

  /**
   * Surrogate multipliers for the bound in several dimensions. Any nonnegative combination of the
   * capacity rows is implied by them, so its fractional relaxation bounds every pattern, whatever
   * the weights; the weights only decide how tight. Two vectors: every dimension weighed by the
   * inverse of its capacity (sizes as fractions of the bin, summed), and weights searched at the
   * root to make the root's fractional bound small (a pattern search in floating point, which only
   * chooses the weights). Each is scaled to integers so that the combined capacity stays at most
   * {@code 2^31}: the bound's products of a residual by a value then fit a long.
   */
  private static long[][] surrogates(long[] value, int[][] size, int[] cap, int[] demand) {
    int dims = cap.length;
    int types = value.length;
    // Types that can be packed, their sizes as fractions of the capacity.
    int live = 0;
    for (int t = 0; t < types; t++) {
      if (value[t] > 0 && demand[t] > 0 && fits(size[t], cap)) {
        live++;
      }
    }
    double[][] u = new double[live][dims];
    double[] v = new double[live];
    double[] m = new double[live];
    for (int t = 0, i = 0; t < types; t++) {
      if (value[t] > 0 && demand[t] > 0 && fits(size[t], cap)) {
        v[i] = value[t];
        long copies = demand[t];
        for (int d = 0; d < dims; d++) {
          u[i][d] = cap[d] == 0 ? 0 : (double) size[t][d] / cap[d];
          if (size[t][d] > 0) {
            copies = Math.min(copies, cap[d] / size[t][d]);
          }
        }
        m[i] = copies;
        i++;
      }
    }
    double[] w = new double[dims];
    Arrays.fill(w, 1);
    double[] ratio = new double[live];
    Integer[] idx = new Integer[live];
    double current = fractional(w, u, v, m, ratio, idx);
    double step = 0.5;
    int evaluations = 0;
    while (step > 0.02 && evaluations < SURROGATE_EVALUATIONS) {
      boolean improved = false;
      for (int d = 0; d < dims && evaluations < SURROGATE_EVALUATIONS; d++) {
        for (int sign = 0; sign < 2; sign++) {
          double old = w[d];
          w[d] = sign == 0 ? old * (1 + step) : old / (1 + step);
          double f = fractional(w, u, v, m, ratio, idx);
          evaluations++;
          if (f < current * (1 - 1e-9)) {
            current = f;
            improved = true;
            break;
          }
          w[d] = old;
        }
      }
      if (!improved) {
        step /= 2;
      }
    }
    double[] uniform = new double[dims];
    Arrays.fill(uniform, 1);
    List<long[]> out = new ArrayList<>();
    for (double[] weights : List.of(uniform, w)) {
      long[] mu = integerWeights(weights, cap);
      if (mu != null && (out.isEmpty() || !Arrays.equals(out.get(0), mu))) {
        out.add(mu);
      }
    }
    return out.toArray(new long[0][]);
  }

  /** Evaluations of the root bound in the weight search at most. */
  static final int SURROGATE_EVALUATIONS = 40;

  /**
   * Integer multipliers proportional to {@code w[d] / cap[d]} with {@code sum_d mu[d] cap[d] <=
   * 2^31}; null when all are 0.
   */
  private static long @Nullable [] integerWeights(double[] w, int[] cap) {
    int dims = cap.length;
    double total = 0;
    for (int d = 0; d < dims; d++) {
      if (cap[d] > 0) {
        total += w[d];
      }
    }
    long[] mu = new long[dims];
    boolean any = false;
    for (int d = 0; d < dims; d++) {
      if (cap[d] > 0 && total > 0) {
        // floor(2^31 w[d] / (total cap[d])) keeps sum mu[d] cap[d] <= 2^31.
        mu[d] = (long) Math.floor(0x1p31 * (w[d] / total) / cap[d]);
        any |= mu[d] > 0;
      }
    }
    if (!any) {
      return null;
    }
    long sum = 0;
    for (int d = 0; d < dims; d++) {
      sum += mu[d] * cap[d];
    }
    if (sum > 1L << 31) {
      throw new IllegalStateException("surrogate capacity " + sum + " exceeds 2^31");
    }
    return mu;
  }

  /**
   * The fractional bound of the surrogate knapsack with weights {@code w} on the normalised sizes
   * {@code u} (capacity {@code sum w}), values {@code v} and copies {@code m}, in floating point.
   */
  private static double fractional(double[] w, double[][] u, double[] v, double[] m,
      double[] ratio, Integer[] idx) {
    int live = v.length;
    double capacity = 0;
    for (double x : w) {
      capacity += x;
    }
    for (int i = 0; i < live; i++) {
      double s = 0;
      for (int d = 0; d < w.length; d++) {
        s += w[d] * u[i][d];
      }
      ratio[i] = s <= 0 ? Double.POSITIVE_INFINITY : v[i] / s;
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> ratio[a] != ratio[b] ? Double.compare(ratio[b], ratio[a])
        : Integer.compare(a, b));
    double r = capacity;
    double sum = 0;
    for (int k = 0; k < live; k++) {
      int i = idx[k];
      double s = ratio[i] == Double.POSITIVE_INFINITY ? 0 : v[i] / ratio[i];
      if (s * m[i] <= r) {
        sum += v[i] * m[i];
        r -= s * m[i];
      } else {
        sum += v[i] * r / s;
        break;
      }
    }
    return sum;
  }

  private static boolean fits(int[] s, int[] cap) {
    for (int d = 0; d < cap.length; d++) {
      if (s[d] > cap[d]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Upper bound on the value addable with the types at positions {@code >= k} of the order (the
   * one at {@code k} at most {@code firstCap} copies, the others at most their demand) into the
   * residual: the least over the bounding dimensions (from {@link #fullFrom}) of that
   * dimension's fractional relaxation alone, rounded up. A cheap bound comes first: the residual
   * of a bounding dimension (any) times the best value per size among those types; the fractional
   * relaxations are computed only when the cheap bound does not already fall to {@code prune}.
   */
  private long bound(int k, int firstCap, long prune) {
    long cheap = Long.MAX_VALUE;
    for (int d = 0; d < bdims; d++) {
      int t = bestRatio[d][k];
      if (t >= 0) {
        cheap = Math.min(cheap, ceilRatio(residual[d], value[t], bsize[t][d]));
      }
    }
    if (cheap <= prune) {
      return cheap;
    }
    long result = cheap;
    for (int d = bdims - 1; d >= fullFrom; d--) {
      long r = residual[d];
      long sum = 0;
      int[] ratioOrder = byRatio[d];
      for (int i = firstFrom[d][k]; i < ratioOrder.length; i++) {
        int pos = ratioOrder[i];
        if (pos < k) {
          continue;
        }
        int t = order[pos];
        long c = pos == k ? firstCap : demand[t];
        if (c <= 0) {
          continue;
        }
        long s = bsize[t][d];
        if (s == 0 || c * s <= r) {
          sum += c * value[t];
          r -= c * s;
        } else {
          // The fraction r / s of one more copy, rounded up: ceil(r * v / s).
          sum += ceilRatio(r, value[t], s);
          break;
        }
      }
      result = Math.min(result, sum);
      if (result <= prune) {
        break;
      }
    }
    return result;
  }

  private void dfs(int k, long val) {
    nodes++;
    if (val > best) {
      best = val;
      bestCounts = cur.clone();
      offer(val, cur);
    } else if (val > 0 && (kept < KEEP || val > keptValue[KEEP - 1])) {
      offer(val, cur);
    }
    // Types that no longer fit are skipped without a node.
    while (k < order.length && !fitsOnce(order[k])) {
      k++;
    }
    if (k == order.length) {
      return;
    }
    int cmax = maxCopies(order[k], demand[order[k]]);
    int t = order[k];
    long ub = val + bound(k, cmax, best - val);
    if (ub <= best) {
      return;
    }
    if (stop()) {
      open = Math.max(open, ub);
      return;
    }
    for (int c = cmax; c >= 0; c--) {
      cur[t] = c;
      for (int d = 0; d < bdims; d++) {
        residual[d] -= c * bsize[t][d];
      }
      dfs(k + 1, val + c * value[t]);
      for (int d = 0; d < bdims; d++) {
        residual[d] += c * bsize[t][d];
      }
      cur[t] = 0;
      if (stopped && c > 0) {
        // The siblings with fewer copies are left: bound them.
        open = Math.max(open, val + bound(k, c - 1, -1));
        return;
      }
      if (c > 0 && val + bound(k, c - 1, best - val) <= best) {
        return;
      }
    }
  }

  private boolean stop() {
    if (!stopped && (nodes >= nodeLimit
        || ((nodes & 1023) == 0 && System.nanoTime() - deadline >= 0))) {
      stopped = true;
    }
    return stopped;
  }
}

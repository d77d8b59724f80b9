package io.gpualloc.binpack.packing.internal;

import io.gpualloc.binpack.packing.Packing;
import io.gpualloc.binpack.solver.SolverInvariantException;
import io.gpualloc.core.InvalidSpecException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * A local search that removes bins from a complete packing of a classic instance (one bin type,
 * unlimited, any number of dimensions), in the spirit of the consistent neighbourhood search of
 * Buljubasic and Vasquez (Computers &amp; OR 2016); this is our own design and code.
 *
 * <p>From a packing with {@code m} bins it tries to reach {@code m - 1}: the {@code k + 1} bins of
 * least weight are emptied into a <em>pool</em> of unassigned items, and the search keeps a
 * partial packing with {@code m - 1 - k} feasible bins plus the pool, which is complete once the
 * pool fits in {@code k} more bins (checked, whenever the pool's total size fits, by a depth-first
 * search with a node limit). The run has two phases with half of the iterations and of the time
 * each: {@code k = 1} (the pool's weight measures the distance to the aim exactly), then {@code k
 * = 2} from the first phase's best packing (the published method likewise works on {@code m - 2}
 * bins of its target); on samples of Hard28 and CT01 each phase closes instances the other does
 * not.
 * Each iteration
 *
 * <ol>
 *   <li>makes the best non-tabu <em>swap</em>: a set {@code A} of 0..2 items leaves one bin for the
 *       pool and a set {@code B} of 1..2 pool items enters that bin, which must stay feasible. A
 *       move is scored by the pool's weight decrease {@code w(B) - w(A)}; ties by the gain in the
 *       bin's squared normalised load (fill bins that are already full, take from emptier ones,
 *       which gathers the free space), then by {@code |A| - |B|} (a pool of many small items is
 *       easier to pack), remaining ties at random. Item weights are their sizes (one dimension)
 *       or their sizes normalised by the capacity and summed (vectors). A moved item may not
 *       leave or re-enter the same bin for a few iterations (tabu), unless the move brings the
 *       pool below the lightest pool seen for this bin count (aspiration);
 *   <li>a <em>fill</em> descent on one bin (round robin): the subset of the bin's items and the
 *       pool's of largest weight that fits the bin, by a depth-first search with a node limit
 *       (stopping early on an exact fill in one dimension); it replaces the bin's content when it
 *       is strictly heavier.
 * </ol>
 *
 * When the pool fits in {@code k} bins, the partial packing plus those bins is complete: it is
 * recorded, one more bin is emptied into the pool, and the search goes on, down to the target. It stops at
 * the target, after the iteration budget, or at the deadline. With the same input, seed and budget
 * it takes the same steps; only the deadline (checked every iteration) can cut it short.
 */
public final class LocalSearch {
  /** Weight scale of a full dimension for vectors. */
  private static final long SCALE = 1L << 20;
  /** Search nodes per fill. */
  private static final int FILL_NODES = 2_000;
  /** Above this many pool items, swaps bring in single items only (pairs: up to 2^19 sets). */
  private static final int MAX_POOL_FOR_PAIRS = 1_000;
  /** Search nodes per check whether the pool fits in the extra bins. */
  private static final int POOL_NODES = 5_000;

  /**
   * What a run gave.
   *
   * @param bins the best complete packing found (items per bin, all of bin type 0); the start
   *     packing when none was better
   * @param iterations iterations run
   * @param iterationsToBest the iteration at which {@code bins} was found (0 for the start)
   */
  public record Result(int[][] bins, long iterations, long iterationsToBest) {}

  private final Problem p;
  private final int dims;
  private final long[] cap;
  private final long[] w;
  private final SplittableRandom rnd;

  // Bins: items, counts, loads (flattened bin * dims + d), weights.
  private int m;
  private int[][] items;
  private int[] count;
  private long[] load;
  private long[] binW;
  // Pool.
  private final int[] pool;
  private int extra;
  private int poolCount;
  private long poolW;
  // Per item: its bin (-1 in the pool), tabu until this iteration.
  private final int[] where;
  private final long[] tabuUntil;
  private final int[] tabuBin;

  // Pool singles and pairs of one iteration, by decreasing weight.
  private int[] b1 = new int[0];
  private int[] b2 = new int[0];
  private long[] bw = new long[0];
  private long[] bs = new long[0];
  private int[] border = new int[0];
  private long[] sortKey = new long[0];
  private long[] sortedW = new long[0];

  // Fill search scratch.
  private final int[] cand;
  private final boolean[] take;
  private final boolean[] bestTake;
  private final long[] fillLoad;
  private final long[] poolLoad;
  private final int[] poolAssign;
  private long fillBest;
  private int fillNodes;
  private long[] suffixW;

  private LocalSearch(Problem p, long seed) {
    this.p = p;
    this.dims = p.dims;
    this.cap = new long[dims];
    for (int d = 0; d < dims; d++) {
      cap[d] = p.cap[0][d];
    }
    this.w = new long[p.n];
    for (int i = 0; i < p.n; i++) {
      if (dims == 1) {
        w[i] = p.size[i][0];
      } else {
        long s = 0;
        for (int d = 0; d < dims; d++) {
          s += cap[d] == 0 ? 0 : p.size[i][d] * SCALE / cap[d];
        }
        w[i] = s;
      }
    }
    this.rnd = new SplittableRandom(seed);
    this.pool = new int[p.n];
    this.where = new int[p.n];
    this.tabuUntil = new long[p.n];
    this.tabuBin = new int[p.n];
    this.cand = new int[p.n];
    this.take = new boolean[p.n];
    this.bestTake = new boolean[p.n];
    this.fillLoad = new long[dims];
    this.poolLoad = new long[2 * dims];
    this.poolAssign = new int[p.n];
    this.suffixW = new long[p.n + 1];
  }

  /**
   * Runs the search from a complete packing and returns the best complete packing found as a
   * {@link Packing}: {@code start} itself when the problem is not classic, {@code start} is not
   * complete, or nothing better was found.
   *
   * @param p the problem of the packing's instance
   * @param start the packing to improve
   * @param target stop at this many bins
   * @param seed the seed
   * @param maxIterations the iteration budget
   * @param deadline nanoTime after which the search stops; {@code Long.MAX_VALUE} for none
   * @return a packing with no more bins than {@code start}
   */
  public static Packing improve(Problem p, Packing start, int target, long seed,
      long maxIterations, long deadline) {
    if (!p.classic() || !start.isComplete() || start.binCount() <= target) {
      return start;
    }
    int[][] bins = new int[start.binCount()][];
    for (int b = 0; b < bins.length; b++) {
      List<Integer> its = start.bins().get(b).items();
      bins[b] = new int[its.size()];
      for (int k = 0; k < bins[b].length; k++) {
        bins[b][k] = its.get(k);
      }
    }
    Result r = run(p, bins, target, seed, maxIterations, deadline);
    if (r.bins().length >= start.binCount()) {
      return start;
    }
    List<Packing.Bin> out = new ArrayList<>();
    for (int[] bin : r.bins()) {
      List<Integer> its = new ArrayList<>(bin.length);
      for (int i : bin) {
        its.add(i);
      }
      out.add(new Packing.Bin(0, its));
    }
    return new Packing(out, List.of());
  }

  /**
   * Searches for a packing with fewer bins than {@code start}, down to {@code target} bins.
   *
   * @param p a classic problem (one bin type, unlimited)
   * @param start a complete feasible packing of {@code p}: the items of each bin
   * @param target stop when a packing with this many bins is found
   * @param seed the seed of the random tie-breaking and tabu tenures
   * @param maxIterations the iteration budget
   * @param deadline nanoTime after which the search stops; {@code Long.MAX_VALUE} for none
   * @return the best packing found (never more bins than {@code start}) and the iteration counts
   * @throws InvalidSpecException when {@code p} is not classic
   */
  public static Result run(Problem p, int[][] start, int target, long seed, long maxIterations,
      long deadline) {
    if (!p.classic()) {
      throw InvalidSpecException.of("LocalSearch", "bin types",
          p.types + " type(s)" + (p.types == 1 ? " available " + p.available[0] + " times" : ""),
          "one bin type, unlimited");
    }
    // Two phases, each with half of the budget: the pool must fit in one bin, then in two. The
    // first is the sharper aim (the pool's weight says how far it is), the second gives the
    // swaps more room; each closes instances the other does not (Hard28 and CT01 samples).
    long half = maxIterations / 2;
    long mid = deadline == Long.MAX_VALUE ? deadline
        : System.nanoTime() + (deadline - System.nanoTime()) / 2;
    Result first = new LocalSearch(p, seed).search(start, Math.max(1, target), 1, half, mid);
    if (first.bins().length <= Math.max(1, target)) {
      return first;
    }
    Result second = new LocalSearch(p, seed + 1).search(first.bins(), Math.max(1, target), 2,
        maxIterations - first.iterations(), deadline);
    if (second.bins().length >= first.bins().length) {
      return new Result(first.bins(), first.iterations() + second.iterations(),
          first.iterationsToBest());
    }
    return new Result(second.bins(), first.iterations() + second.iterations(),
        first.iterations() + second.iterationsToBest());
  }

  private Result search(int[][] start, int target, int extraBins, long maxIterations,
      long deadline) {
    int[][] best = copy(start);
    long bestIt = 0;
    if (start.length <= target || p.n == 0) {
      return new Result(best, 0, 0);
    }
    m = start.length;
    items = new int[m][];
    count = new int[m];
    load = new long[m * dims];
    binW = new long[m];
    for (int b = 0; b < m; b++) {
      items[b] = new int[Math.max(4, start[b].length * 2)];
      for (int i : start[b]) {
        add(b, i);
      }
    }
    // Aim at total - 1 bins: keep total - 1 - extraBins bins and a pool that must fit in
    // extraBins more.
    int total = m;
    extra = Math.min(extraBins, total - 1);
    for (int r = 0; r < extra + 1; r++) {
      removeLightestBin();
    }
    long bestPoolW = poolW;
    long it = 0;
    int fillCursor = 0;
    while (it < maxIterations) {
      if (deadline != Long.MAX_VALUE && System.nanoTime() - deadline >= 0) {
        break;
      }
      it++;
      int[][] done = poolPacked();
      if (done != null) {
        best = done;
        bestIt = it;
        total = done.length;
        if (total <= target) {
          break;
        }
        // One bin fewer: the pool takes one more bin's items (or must fit in fewer bins).
        if (m > 0) {
          removeLightestBin();
        } else {
          extra--;
        }
        bestPoolW = poolW;
        continue;
      }
      swap(it, bestPoolW);
      if (poolCount > 0 && m > 0) {
        fill(fillCursor % m, it);
        fillCursor++;
      }
      if (poolW < bestPoolW) {
        bestPoolW = poolW;
      }
    }
    return new Result(best, it, bestIt);
  }

  /**
   * The complete packing when the pool fits in {@code extra} bins (a depth-first search with a
   * node limit, only when the pool's total size fits), else null.
   */
  private int @Nullable [][] poolPacked() {
    for (int d = 0; d < dims; d++) {
      long sum = 0;
      for (int k = 0; k < poolCount; k++) {
        sum += p.size[pool[k]][d];
      }
      if (sum > extra * cap[d]) {
        return null;
      }
    }
    int c = poolCount;
    for (int k = 0; k < c; k++) {
      cand[k] = pool[k];
    }
    // Heaviest first.
    for (int x = 1; x < c; x++) {
      int v = cand[x];
      int y = x - 1;
      while (y >= 0 && w[cand[y]] < w[v]) {
        cand[y + 1] = cand[y];
        y--;
      }
      cand[y + 1] = v;
    }
    long[] pl = poolLoad;
    Arrays.fill(pl, 0);
    int[] assign = poolAssign;
    fillNodes = 0;
    if (!assignPool(0, c, pl, assign, 0)) {
      return null;
    }
    int used = 0;
    for (int k = 0; k < c; k++) {
      used = Math.max(used, assign[k] + 1);
    }
    int[][] out = new int[m + used][];
    for (int b = 0; b < m; b++) {
      out[b] = Arrays.copyOf(items[b], count[b]);
    }
    for (int e = 0; e < used; e++) {
      int n = 0;
      for (int k = 0; k < c; k++) {
        n += assign[k] == e ? 1 : 0;
      }
      int[] bin = new int[n];
      n = 0;
      for (int k = 0; k < c; k++) {
        if (assign[k] == e) {
          bin[n++] = cand[k];
        }
      }
      out[m + e] = bin;
    }
    return out;
  }

  /** Puts pool candidate {@code x} and later ones into the extra bins (opened in order). */
  private boolean assignPool(int x, int c, long[] pl, int[] assign, int open) {
    if (x == c) {
      return true;
    }
    if (++fillNodes > POOL_NODES) {
      return false;
    }
    int[] s = p.size[cand[x]];
    for (int e = 0; e < Math.min(open + 1, extra); e++) {
      boolean fits = true;
      for (int d = 0; d < dims && fits; d++) {
        fits = pl[e * dims + d] + s[d] <= cap[d];
      }
      if (!fits) {
        continue;
      }
      for (int d = 0; d < dims; d++) {
        pl[e * dims + d] += s[d];
      }
      assign[x] = e;
      boolean ok = assignPool(x + 1, c, pl, assign, Math.max(open, e + 1));
      for (int d = 0; d < dims; d++) {
        pl[e * dims + d] -= s[d];
      }
      if (ok) {
        return true;
      }
    }
    return false;
  }

  private static int[][] copy(int[][] a) {
    int[][] out = new int[a.length][];
    for (int b = 0; b < a.length; b++) {
      out[b] = a[b].clone();
    }
    return out;
  }

  private void add(int b, int i) {
    if (count[b] == items[b].length) {
      items[b] = Arrays.copyOf(items[b], items[b].length * 2);
    }
    items[b][count[b]++] = i;
    int[] s = p.size[i];
    for (int d = 0; d < dims; d++) {
      load[b * dims + d] += s[d];
    }
    binW[b] += w[i];
    where[i] = b;
  }

  private void removeAt(int b, int k) {
    int i = items[b][k];
    items[b][k] = items[b][--count[b]];
    int[] s = p.size[i];
    for (int d = 0; d < dims; d++) {
      load[b * dims + d] -= s[d];
    }
    binW[b] -= w[i];
  }

  private void remove(int b, int i) {
    for (int k = 0; k < count[b]; k++) {
      if (items[b][k] == i) {
        removeAt(b, k);
        return;
      }
    }
    throw new SolverInvariantException("LocalSearch: item " + i + " not in bin " + b);
  }

  private void toPool(int i) {
    pool[poolCount++] = i;
    poolW += w[i];
    where[i] = -1;
  }

  private void fromPool(int i) {
    for (int k = 0; k < poolCount; k++) {
      if (pool[k] == i) {
        pool[k] = pool[--poolCount];
        poolW -= w[i];
        return;
      }
    }
    throw new SolverInvariantException("LocalSearch: item " + i + " not in the pool");
  }

  /** Empties the bin of least weight (ties at random) into the pool; the last bin takes its slot. */
  private void removeLightestBin() {
    int pick = -1;
    int ties = 0;
    for (int b = 0; b < m; b++) {
      if (pick < 0 || binW[b] < binW[pick]) {
        pick = b;
        ties = 1;
      } else if (binW[b] == binW[pick] && rnd.nextInt(++ties) == 0) {
        pick = b;
      }
    }
    while (count[pick] > 0) {
      int i = items[pick][count[pick] - 1];
      removeAt(pick, count[pick] - 1);
      toPool(i);
    }
    int last = m - 1;
    if (pick != last) {
      int[] tmp = items[pick];
      items[pick] = items[last];
      items[last] = tmp;
      count[pick] = count[last];
      count[last] = 0;
      binW[pick] = binW[last];
      binW[last] = 0;
      for (int d = 0; d < dims; d++) {
        load[pick * dims + d] = load[last * dims + d];
        load[last * dims + d] = 0;
      }
      for (int k = 0; k < count[pick]; k++) {
        where[items[pick][k]] = pick;
      }
    }
    m--;
    Arrays.fill(tabuUntil, 0);
  }

  /** Lists the pool's non-empty subsets of at most two items, by decreasing weight. */
  private int listPoolSets() {
    // Pairs only while the pool is small enough to list them (and to index them in 20 bits).
    boolean pairs = poolCount <= MAX_POOL_FOR_PAIRS;
    int max = pairs ? poolCount + poolCount * (poolCount - 1) / 2 : poolCount;
    if (b1.length < max) {
      int len = Math.max(max, b1.length * 2);
      b1 = new int[len];
      b2 = new int[len];
      bw = new long[len];
      bs = new long[len * dims];
      border = new int[len];
      sortKey = new long[len];
      sortedW = new long[len];
    }
    int k = 0;
    long maxW = 0;
    for (int x = 0; x < poolCount; x++) {
      int i = pool[x];
      for (int y = x, yEnd = pairs ? poolCount : x + 1; y < yEnd; y++) {
        int j = y == x ? -1 : pool[y];
        b1[k] = i;
        b2[k] = j;
        bw[k] = w[i] + (j < 0 ? 0 : w[j]);
        maxW = Math.max(maxW, bw[k]);
        for (int d = 0; d < dims; d++) {
          bs[k * dims + d] = p.size[i][d] + (j < 0 ? 0 : p.size[j][d]);
        }
        k++;
      }
    }
    // Decreasing weight, singles before pairs, then by index: one primitive sort of packed keys
    // (weights are below 2^42: sizes are ints, vector weights at most 2 dims 2^20).
    for (int x = 0; x < k; x++) {
      sortKey[x] = ((maxW - bw[x]) << 21) | ((b2[x] < 0 ? 0L : 1L) << 20) | x;
    }
    Arrays.sort(sortKey, 0, k);
    for (int x = 0; x < k; x++) {
      border[x] = (int) (sortKey[x] & ((1 << 20) - 1));
      sortedW[x] = bw[border[x]];
    }
    return k;
  }

  /** The best non-tabu swap (or a tabu one by aspiration); false when none exists. */
  private boolean swap(long it, long bestPoolW) {
    int sets = listPoolSets();
    long bestDw = Long.MIN_VALUE;
    long bestDsq = Long.MIN_VALUE;
    int bestDn = Integer.MIN_VALUE;
    int ties = 0;
    int mb = -1;
    int ma1 = -1;
    int ma2 = -1;
    int mset = -1;
    for (int b = 0; b < m; b++) {
      int cnt = count[b];
      int[] its = items[b];
      // A = {} (x = -1), {x} (y = x) or {x, y} (y > x)
      for (int x = -1; x < cnt; x++) {
        int ix = x < 0 ? -1 : its[x];
        for (int y = x, yEnd = x < 0 ? 0 : cnt; y < yEnd; y++) {
          int iy = y == x ? -1 : its[y];
          long wa = (ix < 0 ? 0 : w[ix]) + (iy < 0 ? 0 : w[iy]);
          int na = (ix < 0 ? 0 : 1) + (iy < 0 ? 0 : 1);
          boolean aTabu = (ix >= 0 && tabu(ix, b, it)) || (iy >= 0 && tabu(iy, b, it));
          // One dimension: weight is size, so the sets heavier than the room left cannot fit.
          int s0 = dims == 1 ? firstAtMost(sets, cap[0] - load[b] + wa) : 0;
          for (int s = s0; s < sets; s++) {
            int k = border[s];
            int nb = b2[k] < 0 ? 1 : 2;
            long dw = bw[k] - wa;
            if (dw < bestDw) {
              break; // sorted by weight: no later set scores higher for this A
            }
            if (na == 1 && nb == 1 && b2[k] < 0 && iy < 0 && sameSize(ix, b1[k])) {
              continue;
            }
            if (!fitsSwap(b, ix, iy, k)) {
              continue;
            }
            boolean tabu = aTabu || tabu(b1[k], b, it) || (b2[k] >= 0 && tabu(b2[k], b, it));
            if (tabu && poolW - dw >= bestPoolW) {
              continue;
            }
            long dsq = squareGain(b, ix, iy, k);
            int dn = na - nb;
            int c = dw != bestDw ? 1 : Long.compare(dsq, bestDsq);
            if (c == 0) {
              c = Integer.compare(dn, bestDn);
            }
            if (c < 0) {
              continue;
            }
            if (c > 0) {
              bestDw = dw;
              bestDsq = dsq;
              bestDn = dn;
              ties = 1;
            } else if (rnd.nextInt(++ties) != 0) {
              continue;
            }
            mb = b;
            ma1 = ix;
            ma2 = iy;
            mset = k;
          }
        }
      }
    }
    if (mb < 0) {
      return false;
    }
    int tenure = 3 + rnd.nextInt(poolCount + 4);
    int i = b1[mset];
    int j = b2[mset];
    if (ma1 >= 0) {
      remove(mb, ma1);
      toPool(ma1);
      tabuUntil[ma1] = it + tenure;
      tabuBin[ma1] = mb;
    }
    if (ma2 >= 0) {
      remove(mb, ma2);
      toPool(ma2);
      tabuUntil[ma2] = it + tenure;
      tabuBin[ma2] = mb;
    }
    fromPool(i);
    add(mb, i);
    tabuUntil[i] = it + tenure;
    tabuBin[i] = mb;
    if (j >= 0) {
      fromPool(j);
      add(mb, j);
      tabuUntil[j] = it + tenure;
      tabuBin[j] = mb;
    }
    return true;
  }

  /** The first index of the decreasing {@code sortedW[0..sets)} at most {@code room}. */
  private int firstAtMost(int sets, long room) {
    int lo = 0;
    int hi = sets;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sortedW[mid] > room) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Whether moving item {@code i} out of or into bin {@code b} is tabu at iteration it. */
  private boolean tabu(int i, int b, long it) {
    return tabuUntil[i] > it && tabuBin[i] == b;
  }

  private boolean sameSize(int a, int b) {
    return Arrays.equals(p.size[a], p.size[b]);
  }

  /** Change of the bin's squared normalised load under the swap: prefers filling full bins. */
  private long squareGain(int b, int ix, int iy, int k) {
    long g = 0;
    for (int d = 0; d < dims; d++) {
      long l = load[b * dims + d];
      long nl = l + bs[k * dims + d] - (ix >= 0 ? p.size[ix][d] : 0) - (iy >= 0 ? p.size[iy][d] : 0);
      if (dims > 1) {
        l = l * SCALE / cap[d];
        nl = nl * SCALE / cap[d];
      }
      g += nl * nl - l * l;
    }
    return g;
  }

  private boolean fitsSwap(int b, int ix, int iy, int k) {
    for (int d = 0; d < dims; d++) {
      long l = load[b * dims + d] + bs[k * dims + d];
      if (ix >= 0) {
        l -= p.size[ix][d];
      }
      if (iy >= 0) {
        l -= p.size[iy][d];
      }
      if (l > cap[d]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Refills bin {@code b} with the heaviest subset of its items and the pool that fits, when that
   * is strictly heavier than its content.
   */
  private void fill(int b, long it) {
    int c = 0;
    for (int k = 0; k < count[b]; k++) {
      cand[c++] = items[b][k];
    }
    for (int k = 0; k < poolCount; k++) {
      cand[c++] = pool[k];
    }
    // Heaviest first (insertion sort: the candidate list is short).
    for (int x = 1; x < c; x++) {
      int v = cand[x];
      int y = x - 1;
      while (y >= 0 && w[cand[y]] < w[v]) {
        cand[y + 1] = cand[y];
        y--;
      }
      cand[y + 1] = v;
    }
    if (suffixW.length < c + 1) {
      suffixW = new long[c + 1];
    }
    suffixW[c] = 0;
    for (int x = c - 1; x >= 0; x--) {
      suffixW[x] = suffixW[x + 1] + w[cand[x]];
    }
    fillBest = binW[b];
    fillNodes = 0;
    Arrays.fill(fillLoad, 0);
    boolean found = dfs(0, c, 0);
    if (!found) {
      return;
    }
    // Apply: the bin's items not taken go to the pool, the pool items taken go in.
    for (int x = 0; x < c; x++) {
      int i = cand[x];
      boolean inBin = where[i] == b;
      if (inBin && !bestTake[x]) {
        remove(b, i);
        toPool(i);
        tabuUntil[i] = it + 1 + rnd.nextInt(poolCount + 1);
        tabuBin[i] = b;
      }
    }
    for (int x = 0; x < c; x++) {
      int i = cand[x];
      if (where[i] == -1 && bestTake[x]) {
        fromPool(i);
        add(b, i);
        tabuUntil[i] = it + 1 + rnd.nextInt(poolCount + 1);
        tabuBin[i] = b;
      }
    }
  }

  /** Depth-first subset search; returns whether a strictly better subset was recorded. */
  private boolean dfs(int x, int c, long weight) {
    boolean found = false;
    if (weight > fillBest) {
      fillBest = weight;
      System.arraycopy(take, 0, bestTake, 0, c);
      Arrays.fill(bestTake, x, c, false);
      found = true;
    }
    if (x == c || ++fillNodes > FILL_NODES || weight + suffixW[x] <= fillBest) {
      return found;
    }
    if (dims == 1 && fillLoad[0] == cap[0]) {
      return found;
    }
    int i = cand[x];
    int[] s = p.size[i];
    boolean fits = true;
    for (int d = 0; d < dims; d++) {
      if (fillLoad[d] + s[d] > cap[d]) {
        fits = false;
        break;
      }
    }
    if (fits) {
      for (int d = 0; d < dims; d++) {
        fillLoad[d] += s[d];
      }
      take[x] = true;
      found |= dfs(x + 1, c, weight + w[i]);
      take[x] = false;
      for (int d = 0; d < dims; d++) {
        fillLoad[d] -= s[d];
      }
    }
    found |= dfs(x + 1, c, weight);
    return found;
  }
}

package io.gpualloc.topology;

import java.util.Arrays;

/**
 * The exact selector: branch and bound over the candidate GPUs in index order.
 *
 * <p>Objective, lexicographic: (1) maximise the sum of pair scores inside the set; (2) minimise the
 * damage to the wholly-free structure (see {@link GpuSetChoice.Chosen#damage()}); (3) the
 * lexicographically smallest index list. The search branches include-first in ascending index
 * order, so the first set it finds with a given objective value is the lexicographically smallest;
 * subtrees are cut when their bound cannot beat the best set, or can only tie with it.
 *
 * <p>Bound for a partial set S with r slots left among remaining candidates R: every completion T
 * adds {@code sum_{j in T} (w(j,S) + 1/2 sum_{l in T, l != j} w(j,l))}, which is at most the sum of
 * the r largest values {@code w(j,S) + 1/2 top_{r-1}(j)} over j in R, where {@code top_t(j)} is
 * the sum of j's t largest scores to other candidates. The damage bound is the sum of the r smallest
 * damages in R. A greedy set improved by swaps serves as the first incumbent.
 *
 * <p>Interchangeable GPUs (swapping them is a symmetry of the scored node and they have the same
 * damage) are taken in index order: a later one is only included when the earlier one is.
 *
 * <p>With more than 16 candidates the search stops after a node budget; then the answer is the
 * best set found with the root bound ({@code optimal = false}). With at most 16 candidates the
 * whole tree has fewer than 2^17 nodes and the search always completes.
 */
final class BranchAndBoundSelector extends ProblemSelector {
  static final String NAME = "branch-and-bound";
  /** Up to this many candidates the search always runs to the end. */
  static final int EXACT_CANDIDATES = 16;

  private final long nodeBudget;

  BranchAndBoundSelector(LinkScores scores, long nodeBudget) {
    super(NAME, scores);
    this.nodeBudget = nodeBudget;
  }

  @Override
  GpuSetChoice solve(Problem p, int k) {
    long budget = p.optional.length <= EXACT_CANDIDATES ? Long.MAX_VALUE : nodeBudget;
    return new Search(p, budget).run();
  }

  @Override
  public String toString() {
    return NAME;
  }

  /** One search; not thread-safe, used once. */
  private static final class Search {
    private final Problem p;
    private final long budget;
    private final int m;
    private final int r;
    private final int[] opt;
    private final int[] w; // m x m local scores
    private final long[] a; // score from each optional candidate to the current set
    private final long[] c; // damage per optional candidate
    private final long[][] top; // top[j][t]: sum of j's t largest scores to other optionals
    private final int[] chosen;
    private final int[] prev; // nearest earlier interchangeable optional candidate, or -1
    private final boolean[] inSet;
    private final long[] scratch;
    private final long baseScore;
    private final long baseDamage;
    private int[] best;
    private long bestScore = Long.MIN_VALUE;
    private long bestDamage = Long.MAX_VALUE;
    private boolean bestFromSearch;
    private long nodes;
    private boolean aborted;

    Search(Problem p, long budget) {
      this.p = p;
      this.budget = budget;
      this.opt = p.optional;
      this.m = opt.length;
      this.r = p.k - p.must.length;
      this.w = new int[m * m];
      this.a = new long[m];
      this.c = new long[m];
      this.top = new long[m][];
      this.chosen = new int[Math.max(r, 0)];
      this.scratch = new long[m];
      this.prev = new int[m];
      this.inSet = new boolean[m];
      int[] twin = p.node.twins(p.scores);
      int[] local = new int[p.n];
      java.util.Arrays.fill(local, -1);
      for (int i = 0; i < m; i++) {
        local[opt[i]] = i;
      }
      for (int i = 0; i < m; i++) {
        // interchangeable: a symmetry of the node and the same damage
        int t = twin[opt[i]];
        prev[i] = -1;
        while (t >= 0 && prev[i] < 0) {
          if (local[t] >= 0 && p.damage[t] == p.damage[opt[i]]) {
            prev[i] = local[t];
          }
          t = twin[t];
        }
      }
      // top sums over the other candidates; with every GPU a candidate they equal the node's
      // cached sums over all GPUs, otherwise they are sorted here (a tighter bound than the cache)
      boolean cached = m == p.n;
      long[][] nodeTop = cached ? p.node.topScores(p.scores) : null;
      int keep = Math.max(r, 1);
      int[] row = new int[Math.max(m - 1, 0)];
      for (int i = 0; i < m; i++) {
        c[i] = p.damage[opt[i]];
        for (int s : p.must) {
          a[i] += p.w(opt[i], s);
        }
        int q = 0;
        int base = opt[i] * p.n;
        for (int j = 0; j < m; j++) {
          int v = i == j ? 0 : p.matrix[base + opt[j]];
          w[i * m + j] = v;
          if (i != j) {
            row[q++] = v;
          }
        }
        if (cached) {
          top[i] = nodeTop[opt[i]];
          continue;
        }
        Arrays.sort(row, 0, q);
        long[] t = new long[keep];
        for (int x = 1; x < keep && x <= q; x++) {
          t[x] = t[x - 1] + row[q - x];
        }
        top[i] = t;
      }
      this.baseScore = p.score(p.must);
      this.baseDamage = p.damage(p.must);
    }

    GpuSetChoice run() {
      if (r == 0) {
        return new GpuSetChoice.Chosen(
            GpuSet.of(p.must), baseScore, baseDamage, baseScore, true);
      }
      greedy();
      long rootBound = bound(0, r, baseScore);
      dfs(0, 0, baseScore, baseDamage);
      int[] set = new int[p.k];
      System.arraycopy(p.must, 0, set, 0, p.must.length);
      for (int i = 0; i < r; i++) {
        set[p.must.length + i] = opt[best[i]];
      }
      boolean optimal = !aborted;
      long ub = optimal ? bestScore : Math.max(rootBound, bestScore);
      return new GpuSetChoice.Chosen(GpuSet.of(set), bestScore, bestDamage, ub, optimal);
    }

    /** Greedy construction plus 1-swap improvement: the first incumbent. */
    private void greedy() {
      long[] in = a.clone();
      boolean[] taken = new boolean[m];
      int[] set = new int[r];
      for (int step = 0; step < r; step++) {
        int pick = -1;
        long pickKey = Long.MIN_VALUE;
        for (int j = 0; j < m; j++) {
          if (taken[j]) {
            continue;
          }
          long key = 2 * in[j] + top[j][Math.min(r - 1 - step, m - 1)];
          if (pick < 0 || key > pickKey || (key == pickKey && c[j] < c[pick])) {
            pick = j;
            pickKey = key;
          }
        }
        taken[pick] = true;
        set[step] = pick;
        for (int j = 0; j < m; j++) {
          in[j] += w[pick * m + j];
        }
      }
      boolean improved = true;
      int rounds = 0;
      while (improved && rounds++ < 4 * m) {
        improved = false;
        for (int x = 0; x < r && !improved; x++) {
          int i = set[x];
          for (int j = 0; j < m; j++) {
            if (taken[j]) {
              continue;
            }
            long delta = (in[j] - w[j * m + i]) - in[i];
            if (delta > 0 || (delta == 0 && c[j] < c[i])) {
              taken[i] = false;
              taken[j] = true;
              set[x] = j;
              for (int y = 0; y < m; y++) {
                in[y] += w[j * m + y] - w[i * m + y];
              }
              improved = true;
              break;
            }
          }
        }
      }
      Arrays.sort(set);
      long s = baseScore;
      long d = baseDamage;
      for (int x = 0; x < r; x++) {
        s += a[set[x]];
        d += c[set[x]];
        for (int y = x + 1; y < r; y++) {
          s += w[set[x] * m + set[y]];
        }
      }
      best = set;
      bestScore = s;
      bestDamage = d;
      bestFromSearch = false;
    }

    /** Upper bound on the score of any completion of the current set from position {@code pos}. */
    private long bound(int pos, int slots, long cur) {
      int avail = m - pos;
      for (int j = pos; j < m; j++) {
        scratch[j - pos] = 2 * a[j] + top[j][slots - 1];
      }
      return (2 * cur + sumLargest(scratch, avail, slots)) / 2;
    }

    private long damageBound(int pos, int slots, long cur) {
      int avail = m - pos;
      for (int j = pos; j < m; j++) {
        scratch[j - pos] = -c[j];
      }
      return cur - sumLargest(scratch, avail, slots);
    }

    /** Sum of the {@code t} largest of {@code v[0..len)}; reorders {@code v}. */
    private static long sumLargest(long[] v, int len, int t) {
      if (t >= len) {
        long s = 0;
        for (int i = 0; i < len; i++) {
          s += v[i];
        }
        return s;
      }
      // partial selection sort for small t, full sort otherwise
      if (t <= 8) {
        long s = 0;
        for (int x = 0; x < t; x++) {
          int bi = x;
          for (int i = x + 1; i < len; i++) {
            if (v[i] > v[bi]) {
              bi = i;
            }
          }
          long tmp = v[x];
          v[x] = v[bi];
          v[bi] = tmp;
          s += v[x];
        }
        return s;
      }
      Arrays.sort(v, 0, len);
      long s = 0;
      for (int i = len - t; i < len; i++) {
        s += v[i];
      }
      return s;
    }

    private boolean cut(long ub, long lbDamage) {
      if (ub != bestScore) {
        return ub < bestScore;
      }
      if (lbDamage != bestDamage) {
        return lbDamage > bestDamage;
      }
      return bestFromSearch;
    }

    private void leaf(int cnt, long score, long damage) {
      boolean better = score > bestScore
          || (score == bestScore && (damage < bestDamage
              || (damage == bestDamage && !bestFromSearch)));
      if (better) {
        best = Arrays.copyOf(chosen, cnt);
        bestScore = score;
        bestDamage = damage;
        bestFromSearch = true;
      }
    }

    private void dfs(int pos, int cnt, long cur, long dmg) {
      if (++nodes > budget) {
        aborted = true;
        return;
      }
      int slots = r - cnt;
      if (slots == 0) {
        leaf(cnt, cur, dmg);
        return;
      }
      int avail = m - pos;
      if (avail < slots) {
        return;
      }
      if (avail == slots) {
        long s = cur;
        long d = dmg;
        for (int j = pos; j < m; j++) {
          s += a[j];
          d += c[j];
          chosen[cnt + j - pos] = j;
          for (int l = j + 1; l < m; l++) {
            s += w[j * m + l];
          }
        }
        leaf(r, s, d);
        return;
      }
      long ub = bound(pos, slots, cur);
      if (ub < bestScore
          || (ub == bestScore && cut(ub, damageBound(pos, slots, dmg)))) {
        return;
      }
      if (prev[pos] >= 0 && !inSet[prev[pos]]) {
        // an interchangeable earlier GPU was left out: sets with this one instead are never
        // lexicographically first among equals
        dfs(pos + 1, cnt, cur, dmg);
        return;
      }
      chosen[cnt] = pos;
      inSet[pos] = true;
      int row = pos * m;
      for (int j = pos + 1; j < m; j++) {
        a[j] += w[row + j];
      }
      dfs(pos + 1, cnt + 1, cur + a[pos], dmg + c[pos]);
      for (int j = pos + 1; j < m; j++) {
        a[j] -= w[row + j];
      }
      inSet[pos] = false;
      if (aborted) {
        return;
      }
      dfs(pos + 1, cnt, cur, dmg);
    }
  }
}

package io.gpualloc.topology;

import io.gpualloc.core.RejectReason;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The exact selector: branch and bound over the candidate GPUs in index order.
 *
 * <p>Objective: {@link SelectionObjective}, a lexicographic order. The search branches
 * include-first in ascending index order, so the first set it finds with a given objective value is
 * the lexicographically smallest; a subtree is cut as soon as, level by level, its bound falls below
 * the best set's value, or all levels only tie with it.
 *
 * <p>Bounds for a partial set S with r slots left among remaining candidates R. Quality (and
 * locality alike): every completion T adds {@code sum_{j in T} (w(j,S) + 1/2 sum_{l in T, l != j}
 * w(j,l))}, at most half the sum of the r largest values {@code 2 w(j,S) + top_{r-1}(j)} over j in
 * R, where {@code top_t(j)} is the sum of j's t largest values to other candidates. Lookahead: the
 * free GPUs left after any completion are a subset of those left now, so the lookahead of S itself
 * (and the lookahead with nothing chosen) bounds it; when even the incumbent reaches the latter, the
 * level can only tie and is not evaluated. Fewer than {@code k} free GPUs certainly left: no set. The
 * damage bound is the sum of the r smallest damages in R. A greedy set improved by swaps is the first
 * incumbent.
 *
 * <p>Interchangeable GPUs (swapping them is a symmetry of the scored node, both wholly free or both
 * partly used, same damage) are taken in index order: a later one is only included when the earlier
 * one is.
 *
 * <p>With more than 16 candidates the search stops after a node budget; then the answer is the
 * best set found with the root bound ({@code optimal = false}). With at most 16 candidates the
 * whole tree has fewer than 2^17 nodes and the search always completes.
 */
final class BranchAndBoundSelector extends ProblemSelector {
  static final String NAME = "branch-and-bound";
  /** The registry name of the selector with {@link SelectionObjective#PAIR_SCORE}. */
  static final String PAIR_SCORE_NAME = "branch-and-bound-pair-score";
  /** Up to this many candidates the search always runs to the end. */
  static final int EXACT_CANDIDATES = 16;

  private final long nodeBudget;
  private final SelectionObjective objective;

  BranchAndBoundSelector(LinkScores scores, long nodeBudget, SelectionObjective objective) {
    super(objective == SelectionObjective.PAIR_SCORE ? PAIR_SCORE_NAME : NAME, scores);
    this.nodeBudget = nodeBudget;
    this.objective = objective;
  }

  @Override
  GpuSetChoice solve(Problem p, int k) {
    long budget = p.optional.length <= EXACT_CANDIDATES ? Long.MAX_VALUE : nodeBudget;
    return new Search(p, budget, objective).run();
  }

  /** A search for a GPU+NIC request; {@link Search#bestNics()} has the NICs after {@code run}. */
  Search search(Problem p) {
    long budget = p.optional.length <= EXACT_CANDIDATES ? Long.MAX_VALUE : nodeBudget;
    return new Search(p, budget, objective);
  }

  @Override
  public String toString() {
    return name();
  }

  /** Sum of the {@code t} largest of {@code v[0..len)}; reorders {@code v}. */
  static long sumLargest(long[] v, int len, int t) {
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

  /** One search; not thread-safe, used once. */
  static final class Search {
    private static final long NONE = GpuSetChoice.Chosen.NO_SET;
    private final Problem p;
    private final long budget;
    private final boolean useLookahead;
    private final boolean useLocality;
    private final int m;
    private final int r;
    private final int[] opt;
    private final int[] w; // m x m local primary scores (quality, or pair score)
    private final int[] wl; // m x m local localities
    private final long[] a; // primary score from each optional candidate to the current set
    private final long[] al; // locality from each optional candidate to the current set
    private final long[] c; // damage per optional candidate
    private final boolean[] free; // per optional candidate
    private final int[] partlyFrom; // partly-used optional candidates at positions >= index
    private final long[][] top; // top[j][t]: sum of j's t largest primary scores to other optionals
    private final long[][] topL;
    private final int[] chosen;
    private final int[] prev; // nearest earlier interchangeable optional candidate, or -1
    private final boolean[] inSet;
    private final long[] scratch;
    private final long baseScore;
    private final long baseLocality;
    private final long baseDamage;
    private final int baseFree;
    private final BestSubset sub;
    private final @Nullable NicPlan nic;
    private final boolean useCoverage;
    private final int[] nicOut;
    private int[] bestNics = new int[0];
    private int bestCov;
    private final int[] restBuf;
    private final boolean[] inBuf;
    private final long[] witness = new long[8];
    private final long[] witnessValue = new long[8];
    private long nextWitness;
    private int witnesses;
    private final long mustMask;
    private final long freeMask;
    private final boolean capFromIncumbent;
    private final boolean uniform;
    private final boolean uniformFree;
    private final long uniformValue;
    private long bestMask;
    private final long[][] nodeQualityTop;
    private int[] best = new int[0];
    private boolean haveBest;
    private long bestScore = Long.MIN_VALUE;
    private long bestLocality;
    private long bestDamage = Long.MAX_VALUE;
    private long bestLookahead;
    private boolean bestLookaheadKnown;
    private long cap;
    private boolean capKnown;
    private long capBoundValue;
    private boolean capBoundKnown;
    private boolean bestFromSearch;
    private long nodes;
    private boolean aborted;

    Search(Problem p, long budget, SelectionObjective objective) {
      this.p = p;
      this.budget = budget;
      boolean full = objective == SelectionObjective.QUALITY_LOOKAHEAD_LOCALITY;
      this.useLookahead = full;
      this.useLocality = full;
      int[] primary = full ? p.quality : p.matrix;
      this.opt = p.optional;
      this.m = opt.length;
      this.r = p.k - p.must.length;
      this.w = new int[m * m];
      this.wl = new int[m * m];
      this.a = new long[m];
      this.al = new long[m];
      this.c = new long[m];
      this.free = new boolean[m];
      this.partlyFrom = new int[m + 1];
      this.top = new long[m][];
      this.topL = new long[m][];
      this.chosen = new int[Math.max(r, 0)];
      this.scratch = new long[m];
      this.prev = new int[m];
      this.inSet = new boolean[m];
      this.sub = new BestSubset(p);
      this.nic = p.nic;
      this.useCoverage = nic != null && !nic.required;
      this.nicOut = new int[nic == null ? 0 : nic.count];
      this.restBuf = new int[p.n];
      this.inBuf = new boolean[p.n];
      this.mustMask = p.n <= 64 ? Problem.mask(p.must) : 0;
      this.freeMask = p.n <= 64 ? Problem.mask(p.free) : 0;
      this.capFromIncumbent = p.n <= 64 && p.must.length == 0 && p.optional.length == p.free.length;
      this.nodeQualityTop = p.node.topScores(p.scores);
      int[] twin = p.node.twins(p.scores);
      int[] local = new int[p.n];
      Arrays.fill(local, -1);
      for (int i = 0; i < m; i++) {
        local[opt[i]] = i;
        free[i] = p.isFree[opt[i]];
      }
      for (int i = m - 1; i >= 0; i--) {
        partlyFrom[i] = partlyFrom[i + 1] + (free[i] ? 0 : 1);
      }
      for (int i = 0; i < m; i++) {
        // interchangeable: a symmetry of the node, the same freeness and the same damage
        int t = twin[opt[i]];
        prev[i] = -1;
        while (t >= 0 && prev[i] < 0) {
          if (local[t] >= 0 && p.damage[t] == p.damage[opt[i]] && p.isFree[t] == free[i]
              && (nic == null || nic.servedBy[t] == nic.servedBy[opt[i]])) {
            prev[i] = local[t];
          }
          t = twin[t];
        }
      }
      // top sums over the other candidates; with every GPU a candidate they equal the node's
      // cached sums over all GPUs, otherwise they are sorted here (a tighter bound than the cache)
      boolean cached = m == p.n;
      long[][] nodeTop = cached
          ? (full ? p.node.topScores(p.scores) : p.node.topPairScores(p.scores)) : null;
      long[][] nodeTopL = cached && full ? p.node.topLocality(p.scores) : null;
      int keep = Math.max(r, 1);
      int[] row = new int[Math.max(m - 1, 0)];
      int[] rowL = new int[Math.max(m - 1, 0)];
      int n = p.n;
      for (int i = 0; i < m; i++) {
        c[i] = p.damage[opt[i]];
        for (int s : p.must) {
          a[i] += primary[opt[i] * n + s];
          al[i] += p.locality[opt[i] * n + s];
        }
        int q = 0;
        int base = opt[i] * n;
        for (int j = 0; j < m; j++) {
          int v = i == j ? 0 : primary[base + opt[j]];
          int vl = i == j ? 0 : p.locality[base + opt[j]];
          w[i * m + j] = v;
          wl[i * m + j] = vl;
          if (i != j) {
            row[q] = v;
            rowL[q++] = vl;
          }
        }
        top[i] = nodeTop != null ? nodeTop[opt[i]] : topSums(row, q, keep);
        if (useLocality) {
          topL[i] = nodeTopL != null ? nodeTopL[opt[i]] : topSums(rowL, q, keep);
        }
      }
      boolean same = true;
      int first = m > 1 ? w[1] : 0;
      for (int i = 0; i < m && same; i++) {
        for (int j = 0; j < m && same; j++) {
          same = i == j || w[i * m + j] == first;
        }
        for (int s : p.must) {
          same = same && primary[opt[i] * n + s] == first;
        }
      }
      this.uniform = same;
      boolean sameFree = true;
      int firstFree = p.free.length > 1 ? primary[p.free[0] * n + p.free[1]] : 0;
      for (int i = 0; i < p.free.length && sameFree; i++) {
        for (int j = i + 1; j < p.free.length && sameFree; j++) {
          sameFree = primary[p.free[i] * n + p.free[j]] == firstFree;
        }
      }
      this.uniformFree = full && sameFree;
      this.uniformValue = (long) firstFree * p.k * (p.k - 1) / 2;
      this.baseScore = full ? p.quality(p.must) : p.score(p.must);
      this.baseLocality = p.locality(p.must);
      this.baseDamage = p.damage(p.must);
      int f = 0;
      for (int g : p.must) {
        f += p.isFree[g] ? 1 : 0;
      }
      this.baseFree = f;
    }

    private static long[] topSums(int[] row, int q, int keep) {
      Arrays.sort(row, 0, q);
      long[] t = new long[keep];
      for (int x = 1; x < keep && x <= q; x++) {
        t[x] = t[x - 1] + row[q - x];
      }
      return t;
    }

    GpuSetChoice run() {
      if (r == 0) {
        if (nic != null) {
          bestCov = nic.best(Problem.mask(p.must), p.k, nicOut);
          if (bestCov < 0) {
            return noNics();
          }
          bestNics = nicOut.clone();
        }
        long la = useLookahead ? p.lookahead(p.must, Long.MAX_VALUE) : NONE;
        return new GpuSetChoice.Chosen(GpuSet.of(p.must), baseScore, la, baseLocality, baseDamage,
            baseScore, true);
      }
      greedy();
      long rootBound = bound(0, r, baseScore);
      dfs(0, 0, baseScore, baseLocality, baseDamage, baseFree);
      if (!haveBest) {
        return noNics();
      }
      int[] set = fullSet(best, r);
      if (nic != null) {
        nic.best(Problem.mask(set), p.k, nicOut);
        bestNics = nicOut.clone();
      }
      long la = useLookahead ? bestLookahead() : NONE;
      boolean optimal = !aborted && !sub.aborted;
      long ub = optimal ? bestScore : Math.max(rootBound, bestScore);
      Arrays.sort(set);
      return new GpuSetChoice.Chosen(GpuSet.of(set), bestScore, la, bestLocality, bestDamage, ub,
          optimal);
    }

    private GpuSetChoice noNics() {
      return new GpuSetChoice.Rejected(RejectReason.TOPOLOGY_NOT_SATISFIED, "no " + p.k
          + " usable GPUs of " + p.node.name() + " are each served by one of " + nic.count
          + " free NICs that each serve one of them" + (aborted ? " (within the search budget)"
          : ""));
    }

    /** The chosen NICs (local indices into the plan's free NICs) after {@link #run}. */
    int[] bestNics() {
      return bestNics;
    }

    /** The coverage of the chosen set after {@link #run}. */
    int bestCoverage() {
      return bestCov;
    }

    private int[] fullSet(int[] localSet, int cnt) {
      int[] set = new int[p.must.length + cnt];
      System.arraycopy(p.must, 0, set, 0, p.must.length);
      for (int i = 0; i < cnt; i++) {
        set[p.must.length + i] = opt[localSet[i]];
      }
      return set;
    }

    /**
     * The lookahead of the set made of the must-include GPUs and {@code localSet[0..cnt)}. Sets of
     * k free GPUs that reach the lookahead with nothing chosen are kept (up to 8, nodes of up to 64
     * GPUs): a set disjoint from one of them has that lookahead without a search.
     */
    private long lookaheadOf(int[] localSet, int cnt) {
      if (uniformFree) {
        // every k free GPUs have the same quality: only how many stay free matters
        int taken = 0;
        for (int g : p.must) {
          taken += p.isFree[g] ? 1 : 0;
        }
        for (int i = 0; i < cnt; i++) {
          taken += free[localSet[i]] ? 1 : 0;
        }
        return p.free.length - taken < p.k ? NONE : uniformValue;
      }
      boolean small = p.n <= 64;
      if (small) {
        long sm = mustMask;
        for (int i = 0; i < cnt; i++) {
          sm |= 1L << opt[localSet[i]];
        }
        if (p.free.length - Long.bitCount(sm & freeMask) < p.k) {
          return NONE;
        }
        long capValue = cap();
        if (capFromIncumbent && (bestMask & sm) == 0) {
          return capValue; // the incumbent is a set of k free GPUs reaching it
        }
        for (int w = 0; w < witnesses; w++) {
          if (witnessValue[w] == capValue && (witness[w] & sm) == 0) {
            return capValue;
          }
        }
      }
      return searchLookahead(localSet, cnt, small);
    }

    private long searchLookahead(int[] localSet, int cnt, boolean small) {
      boolean[] in = inBuf;
      Arrays.fill(in, false);
      for (int g : p.must) {
        in[g] = true;
      }
      for (int i = 0; i < cnt; i++) {
        in[opt[localSet[i]]] = true;
      }
      int len = 0;
      for (int g : p.free) {
        if (!in[g]) {
          restBuf[len++] = g;
        }
      }
      long v = sub.value(restBuf, len, p.k, budget, nodeQualityTop,
          capFromIncumbent && haveBest ? bestScore : capKnown ? cap : Long.MAX_VALUE);
      if (small && v != NONE && (capFromIncumbent || capKnown) && v == cap()) {
        int slot = witnesses < witness.length ? witnesses++ : (int) (nextWitness++ % witness.length);
        witness[slot] = sub.bestMask;
        witnessValue[slot] = v;
      }
      return v;
    }

    private long bestLookahead() {
      if (!bestLookaheadKnown) {
        bestLookahead = lookaheadOf(best, r);
        bestLookaheadKnown = true;
      }
      return bestLookahead;
    }

    /**
     * An upper bound on {@link #cap()} without a search: half the sum of the k largest values of
     * {@code top_{k-1}} over the free GPUs (the root bound of the lookahead search).
     */
    private long capBound() {
      if (!capBoundKnown) {
        int f = p.free.length;
        if (f < p.k) {
          capBoundValue = NONE;
        } else if (p.k <= 1) {
          capBoundValue = 0;
        } else {
          long[] v = new long[f];
          for (int i = 0; i < f; i++) {
            v[i] = nodeQualityTop[p.free[i]][p.k - 1];
          }
          capBoundValue = Math.floorDiv(sumLargest(v, f, p.k), 2);
        }
        capBoundKnown = true;
      }
      return capBoundValue;
    }

    /** Whether no set can have a larger lookahead than the incumbent. */
    private boolean saturated() {
      long bl = bestLookahead();
      return bl != NONE && (bl >= capBound() || bl >= cap());
    }

    /** The lookahead with nothing chosen: no set can leave more. */
    private long cap() {
      if (capFromIncumbent) {
        // every feasible set is a k-set of free GPUs, so the lookahead with nothing chosen is the
        // best quality, which the incumbent reaches whenever it matters: a tie on the quality
        // level with an incumbent of lower quality than the best only ranks sets that all lose
        return bestScore;
      }
      if (!capKnown) {
        cap = sub.value(p.free, p.free.length, p.k, budget, nodeQualityTop);
        capKnown = true;
        if (p.n <= 64 && cap != NONE) {
          // more witnesses: greedy sets among the free GPUs outside the known ones
          long used = sub.bestMask;
          witnessValue[witnesses] = cap;
          witness[witnesses++] = used;
          while (witnesses < witness.length) {
            int len = 0;
            for (int g : p.free) {
              if ((used & (1L << g)) == 0) {
                restBuf[len++] = g;
              }
            }
            if (len < p.k || sub.greedyValue(restBuf, len, p.k, nodeQualityTop) != cap) {
              break;
            }
            witnessValue[witnesses] = cap;
            witness[witnesses++] = sub.bestMask;
            used |= sub.bestMask;
          }
        }
      }
      return cap;
    }

    /** Greedy construction plus 1-swap improvement: the first incumbent. */
    private void greedy() {
      long[] in = a.clone();
      long[] inL = useLocality ? al.clone() : null;
      boolean[] taken = new boolean[m];
      int[] set = new int[r];
      for (int step = 0; step < r; step++) {
        int pick = -1;
        long pickKey = Long.MIN_VALUE;
        long pickL = Long.MIN_VALUE;
        int t = Math.min(r - 1 - step, m - 1);
        for (int j = 0; j < m; j++) {
          if (taken[j]) {
            continue;
          }
          long key = 2 * in[j] + top[j][t];
          long keyL = inL == null ? 0 : 2 * inL[j] + topL[j][t];
          if (pick < 0 || key > pickKey || (key == pickKey
              && (keyL > pickL || (keyL == pickL && c[j] < c[pick])))) {
            pick = j;
            pickKey = key;
            pickL = keyL;
          }
        }
        taken[pick] = true;
        set[step] = pick;
        for (int j = 0; j < m; j++) {
          in[j] += w[pick * m + j];
          if (inL != null) {
            inL[j] += wl[pick * m + j];
          }
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
            long deltaL = inL == null ? 0 : (inL[j] - wl[j * m + i]) - inL[i];
            if (delta > 0 || (delta == 0 && (deltaL > 0 || (deltaL == 0 && c[j] < c[i])))) {
              taken[i] = false;
              taken[j] = true;
              set[x] = j;
              for (int y = 0; y < m; y++) {
                in[y] += w[j * m + y] - w[i * m + y];
                if (inL != null) {
                  inL[y] += wl[j * m + y] - wl[i * m + y];
                }
              }
              improved = true;
              break;
            }
          }
        }
      }
      Arrays.sort(set);
      long s = baseScore;
      long l = baseLocality;
      long d = baseDamage;
      for (int x = 0; x < r; x++) {
        s += a[set[x]];
        l += al[set[x]];
        d += c[set[x]];
        for (int y = x + 1; y < r; y++) {
          s += w[set[x] * m + set[y]];
          l += wl[set[x] * m + set[y]];
        }
      }
      best = set;
      haveBest = true;
      bestMask = p.n <= 64 ? Problem.mask(fullSet(set, r)) : 0;
      if (nic != null) {
        bestCov = nic.best(Problem.mask(fullSet(set, r)), p.k, null);
        if (bestCov < 0) {
          haveBest = false; // the greedy set does not satisfy the required NICs
          return;
        }
      }
      bestScore = s;
      bestLocality = l;
      bestDamage = d;
      bestLookaheadKnown = false;
      bestFromSearch = false;
    }

    /** Upper bound on the primary score of any completion of the current set. */
    private long bound(int pos, int slots, long cur) {
      int avail = m - pos;
      for (int j = pos; j < m; j++) {
        scratch[j - pos] = 2 * a[j] + top[j][slots - 1];
      }
      return Math.floorDiv(2 * cur + sumLargest(scratch, avail, slots), 2);
    }

    private long localityBound(int pos, int slots, long cur) {
      int avail = m - pos;
      for (int j = pos; j < m; j++) {
        scratch[j - pos] = 2 * al[j] + topL[j][slots - 1];
      }
      return Math.floorDiv(2 * cur + sumLargest(scratch, avail, slots), 2);
    }

    private long damageBound(int pos, int slots, long cur) {
      int avail = m - pos;
      for (int j = pos; j < m; j++) {
        scratch[j - pos] = -c[j];
      }
      return cur - sumLargest(scratch, avail, slots);
    }

    /** Upper bound on the lookahead of any completion of the current set. */
    private long lookaheadBound(int pos, int cnt, int slots, int freeIn) {
      int takenFree = Math.max(0, slots - partlyFrom[pos]);
      if (p.free.length - freeIn - takenFree < p.k) {
        return NONE;
      }
      if (saturated()) {
        return bestLookahead(); // no completion exceeds it: the level can only tie
      }
      return Math.min(cap(), lookaheadOf(chosen, cnt));
    }

    /** Whether a subtree whose primary bound ties the incumbent may still beat it. */
    private boolean mayBeatOnTies(int pos, int cnt, int slots, long curL, long dmg, int freeIn) {
      if (useCoverage) {
        int cb = nic.maxCoverage(p.k);
        if (cb != bestCov) {
          return cb > bestCov;
        }
      }
      if (useLookahead) {
        long lb = lookaheadBound(pos, cnt, slots, freeIn);
        long bl = bestLookahead();
        if (lb != bl) {
          return lb > bl;
        }
      }
      if (useLocality) {
        long lub = localityBound(pos, slots, curL);
        if (lub != bestLocality) {
          return lub > bestLocality;
        }
      }
      long db = damageBound(pos, slots, dmg);
      if (db != bestDamage) {
        return db < bestDamage;
      }
      return !bestFromSearch;
    }

    private void leaf(int cnt, long score, long loc, long damage) {
      if (haveBest && score < bestScore) {
        return;
      }
      int cov = 0;
      if (nic != null) {
        cov = nic.best(Problem.mask(fullSet(chosen, cnt)), p.k, null);
        if (cov < 0) {
          return;
        }
      }
      boolean better;
      long la = 0;
      boolean laKnown = false;
      if (!haveBest || score != bestScore) {
        better = !haveBest || score > bestScore;
      } else {
        int cmp = useCoverage ? Integer.compare(cov, bestCov) : 0;
        if (cmp != 0) {
          better = cmp > 0;
        } else {
          // the levels below the lookahead decide when the lookaheads tie
          int lower = useLocality ? Long.compare(loc, bestLocality) : 0;
          if (lower == 0) {
            lower = Long.compare(bestDamage, damage);
          }
          boolean lowerWins = lower > 0 || (lower == 0 && !bestFromSearch);
          if (!useLookahead) {
            better = lowerWins;
          } else if (!lowerWins && saturated()) {
            better = false; // no set has a larger lookahead than the incumbent's
          } else {
            la = lookaheadOf(chosen, cnt);
            laKnown = true;
            int c = Long.compare(la, bestLookahead());
            better = c > 0 || (c == 0 && lowerWins);
          }
        }
      }
      if (better) {
        best = Arrays.copyOf(chosen, cnt);
        haveBest = true;
        bestMask = p.n <= 64 ? Problem.mask(fullSet(best, cnt)) : 0;
        bestCov = cov;
        bestScore = score;
        bestLocality = loc;
        bestDamage = damage;
        bestLookahead = la;
        bestLookaheadKnown = laKnown;
        bestFromSearch = true;
      }
    }

    private void dfs(int pos, int cnt, long cur, long curL, long dmg, int freeIn) {
      if (++nodes > budget) {
        aborted = true;
        return;
      }
      int slots = r - cnt;
      if (slots == 0) {
        leaf(cnt, cur, curL, dmg);
        return;
      }
      int avail = m - pos;
      if (avail < slots) {
        return;
      }
      if (avail == slots) {
        long s = cur;
        long l = curL;
        long d = dmg;
        for (int j = pos; j < m; j++) {
          s += a[j];
          l += al[j];
          d += c[j];
          chosen[cnt + j - pos] = j;
          for (int x = j + 1; x < m; x++) {
            s += w[j * m + x];
            l += wl[j * m + x];
          }
        }
        leaf(r, s, l, d);
        return;
      }
      // with one quality for every pair every set ties on the quality level (NVSwitch boards)
      long ub = uniform && haveBest ? bestScore : bound(pos, slots, cur);
      if (ub < bestScore
          || (ub == bestScore && !mayBeatOnTies(pos, cnt, slots, curL, dmg, freeIn))) {
        return;
      }
      if (prev[pos] >= 0 && !inSet[prev[pos]]) {
        // an interchangeable earlier GPU was left out: sets with this one instead are never
        // lexicographically first among equals
        dfs(pos + 1, cnt, cur, curL, dmg, freeIn);
        return;
      }
      chosen[cnt] = pos;
      inSet[pos] = true;
      int row = pos * m;
      for (int j = pos + 1; j < m; j++) {
        a[j] += w[row + j];
        al[j] += wl[row + j];
      }
      dfs(pos + 1, cnt + 1, cur + a[pos], curL + al[pos], dmg + c[pos],
          freeIn + (free[pos] ? 1 : 0));
      for (int j = pos + 1; j < m; j++) {
        a[j] -= w[row + j];
        al[j] -= wl[row + j];
      }
      inSet[pos] = false;
      if (aborted) {
        return;
      }
      dfs(pos + 1, cnt, cur, curL, dmg, freeIn);
    }
  }
}

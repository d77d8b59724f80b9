package io.gpualloc.binpack.gang.internal;

import io.gpualloc.binpack.gang.GangDecision;
import io.gpualloc.binpack.gang.GangRejectReason;
import io.gpualloc.binpack.gang.PodSet;
import io.gpualloc.binpack.gang.TopologyConstraint;
import io.gpualloc.binpack.internal.Fit;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.IntraNodeTopology;
import io.gpualloc.core.LedgerCorruptionException;
import io.gpualloc.core.Node;
import io.gpualloc.core.NodeRejection;
import io.gpualloc.core.Placement;
import io.gpualloc.core.Request;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** One run of the greedy gang placer; work memory for one call. */
final class Search {
  private final Spec spec;
  private final Tree tree;
  private final Overlay ov;
  private final Pods pods;
  private final int levels;
  private final int[] order; // pod set indexes, largest first; a co-located pair adjacent
  private final List<int[]> orders; // order first, then the other orders of its units
  private int[] current;
  private final List<Integer> memberSet = new ArrayList<>(); // pod set of each applied member
  private final List<Placement> members = new ArrayList<>();

  private final Rules rules;

  Search(Spec spec, Tree tree, Overlay ov, Pods pods, Rules rules) {
    this.rules = rules;
    this.spec = spec;
    this.tree = tree;
    this.ov = ov;
    this.pods = pods;
    this.levels = tree.levels;
    int n = spec.sets.length;
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    if (rules.largestFirst()) {
      Arrays.sort(idx, (a, b) -> {
        long wa = weight(a);
        long wb = weight(b);
        return wa != wb ? Long.compare(wb, wa) : Integer.compare(a, b);
      });
    }
    List<Integer> o = new ArrayList<>();
    for (int i : idx) {
      if (!o.contains(i)) {
        o.add(i);
        if (spec.partner[i] >= 0) {
          o.add(spec.partner[i]);
        }
      }
    }
    order = o.stream().mapToInt(Integer::intValue).toArray();
    current = order;
    List<int[]> units = new ArrayList<>();
    for (int x = 0; x < order.length; x++) {
      int i = order[x];
      if (spec.partner[i] >= 0) {
        units.add(new int[] {i, order[++x]});
      } else {
        units.add(new int[] {i});
      }
    }
    orders = new ArrayList<>();
    if (rules.permute() && units.size() <= MAX_PERMUTED_UNITS) {
      permute(units, 0, orders);
    } else {
      orders.add(order);
    }
  }

  /** Up to this many units (pod sets, co-located pairs count one) every order is tried. */
  static final int MAX_PERMUTED_UNITS = 4;

  private static void permute(List<int[]> units, int from, List<int[]> out) {
    if (from == units.size()) {
      List<Integer> flat = new ArrayList<>();
      for (int[] u : units) {
        for (int i : u) {
          flat.add(i);
        }
      }
      out.add(flat.stream().mapToInt(Integer::intValue).toArray());
      return;
    }
    for (int x = from; x < units.size(); x++) {
      java.util.Collections.swap(units, from, x);
      permute(units, from + 1, out);
      java.util.Collections.swap(units, from, x);
    }
  }

  Spec spec() {
    return spec;
  }

  Tree tree() {
    return tree;
  }

  Overlay overlay() {
    return ov;
  }

  /** GPU milli of the pod set at its count (pods count 1 milli when CPU-only, to order them). */
  private long weight(int i) {
    PodSet p = spec.sets[i];
    return Math.max(1, p.gpuMilliPerPod()) * p.count();
  }

  GangDecision run() {
    int n = spec.sets.length;
    int[] full = new int[n];
    int[] min = new int[n];
    for (int i = 0; i < n; i++) {
      full[i] = spec.sets[i].count();
      min[i] = spec.sets[i].minCount();
    }
    if (attempt(full)) {
      return placed(full);
    }
    if (!Arrays.equals(full, min) && attempt(min)) {
      int[] best = min.clone();
      for (int i : order) {
        int k = spec.sliceSize[i];
        int lo = min[i] / k;
        int hi = full[i] / k;
        while (lo < hi) {
          int mid = (lo + hi + 1) >>> 1;
          int[] trial = best.clone();
          trial[i] = mid * k;
          if (attempt(trial)) {
            lo = mid;
          } else {
            hi = mid - 1;
          }
        }
        best[i] = lo * k;
      }
      if (!attempt(best)) {
        throw new LedgerCorruptionException("greedy gang: counts that placed once place again");
      }
      return placed(best);
    }
    ov.rollback(0);
    return explain(min);
  }

  // ---- search ------------------------------------------------------------------------------

  /**
   * Places every pod set at {@code counts}, trying the pod set orders in turn (the largest first,
   * then the others while there are at most {@link #MAX_PERMUTED_UNITS} units); on success the
   * members stay applied.
   */
  private boolean attempt(int[] counts) {
    for (int[] o : orders) {
      current = o;
      if (attemptInOrder(counts)) {
        return true;
      }
    }
    rollback(0);
    return false;
  }

  private boolean attemptInOrder(int[] counts) {
    rollback(0);
    int g = spec.gangLevel;
    if (g < 0) {
      return placeAll(counts, levels, 0);
    }
    Agg[] agg = new Agg[counts.length];
    for (int i = 0; i < counts.length; i++) {
      agg[i] = aggregate(i, counts[i], levels, 0);
    }
    int lead = current[0];
    for (int q = g; q < levels; q++) {
      for (int d : first(candidates(agg, counts, q, levels, 0, lead, null))) {
        if (placeAll(counts, q, d)) {
          return true;
        }
        rollback(0);
      }
      if (spec.gangRequired) {
        return false;
      }
    }
    return placeAll(counts, levels, 0);
  }

  /**
   * Domains at level {@code q} inside the restriction where each of the pod sets ({@code only}, or
   * all) fits on its own, ordered by the lead pod set's room ascending (best fit), then id.
   */
  private int[] candidates(Agg[] agg, int[] counts, int q, int rl, int rd, int lead,
      int @Nullable [] only) {
    int dc = tree.topology.domainCount(q);
    List<int[]> ok = new ArrayList<>();
    for (int d = 0; d < dc; d++) {
      if (!tree.inside(q, d, rl, rd)) {
        continue;
      }
      boolean fits = true;
      for (int i = 0; i < counts.length && fits; i++) {
        if (only != null && i != only[0] && i != only[1]) {
          continue;
        }
        fits = agg[i].units(q, d) >= agg[i].need(q, counts[i]);
      }
      if (fits) {
        ok.add(new int[] {agg[lead].units(q, d), d});
      }
    }
    ok.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]));
    int[] out = new int[ok.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ok.get(i)[1];
    }
    return out;
  }

  /** All candidates, or only the first when the rules try one. */
  private int[] first(int[] candidates) {
    return rules.allCandidates() || candidates.length <= 1 ? candidates
        : Arrays.copyOf(candidates, 1);
  }

  private void rollback(int mark) {
    ov.rollback(mark);
    while (members.size() > mark) {
      members.remove(members.size() - 1);
      memberSet.remove(memberSet.size() - 1);
    }
  }

  /** Places all pod sets inside domain {@code rd} of level {@code rl} (the root at levels). */
  private boolean placeAll(int[] counts, int rl, int rd) {
    Set<Integer> done = new HashSet<>();
    for (int i : current) {
      if (!done.add(i)) {
        continue;
      }
      int j = spec.partner[i];
      if (j < 0) {
        if (!placePodSet(i, counts[i], rl, rd)) {
          return false;
        }
        continue;
      }
      done.add(j);
      int c = spec.coLevel[i];
      if (c >= rl) {
        if (!placePodSet(i, counts[i], rl, rd) || !placePodSet(j, counts[j], rl, rd)) {
          return false;
        }
        continue;
      }
      Agg[] agg = new Agg[counts.length];
      agg[i] = aggregate(i, counts[i], rl, rd);
      agg[j] = aggregate(j, counts[j], rl, rd);
      boolean placed = false;
      int mark = members.size();
      for (int d : first(candidates(agg, counts, c, rl, rd, i, new int[] {i, j}))) {
        if (placePodSet(i, counts[i], c, d) && placePodSet(j, counts[j], c, d)) {
          placed = true;
          break;
        }
        rollback(mark);
      }
      if (!placed) {
        return false;
      }
    }
    return true;
  }

  /** Pods of one pod set per node, summed per domain (and in slices), inside a restriction. */
  private final class Agg {
    final int set;
    final int k;
    final int ls;
    final int[] nodes;
    final int[] cap;
    final int[][] podsAt;
    final int[][] slicesAt;
    int rootPods;
    int rootSlices;

    Agg(int set, int need, int rl, int rd) {
      this.set = set;
      // inside one domain at or below the slice level, every slice holds by itself: count pods
      boolean implied = spec.sliceLevel[set] >= rl && rl < levels;
      this.k = implied ? 1 : spec.sliceSize[set];
      this.ls = implied ? -1 : spec.sliceLevel[set];
      this.nodes = tree.nodesOf(rl, rd);
      this.cap = new int[ov.cluster().nodeIdBound()];
      this.podsAt = new int[levels][];
      this.slicesAt = new int[levels][];
      for (int l = 0; l < levels; l++) {
        podsAt[l] = new int[tree.topology.domainCount(l)];
      }
      Request t = spec.sets[set].template();
      for (int v : nodes) {
        int c = pods.count(t, ov, v, need);
        cap[v] = c;
        if (c == 0) {
          continue;
        }
        rootPods = add(rootPods, c);
        for (int l = 0; l < levels; l++) {
          int d = tree.domainOf[l][v];
          if (d >= 0) {
            podsAt[l][d] = add(podsAt[l][d], c);
          }
        }
      }
      if (ls >= 0) {
        for (int l = ls; l < levels; l++) {
          slicesAt[l] = new int[podsAt[l].length];
        }
        for (int d = 0; d < podsAt[ls].length; d++) {
          int s = podsAt[ls][d] / k;
          if (s == 0) {
            continue;
          }
          rootSlices = add(rootSlices, s);
          int x = d;
          for (int l = ls; l < levels && x >= 0; l++) {
            slicesAt[l][x] = add(slicesAt[l][x], s);
            x = tree.parent[l][x];
          }
        }
      }
    }

    private static int add(int a, int b) {
      return (int) Math.min(Integer.MAX_VALUE, (long) a + b);
    }

    /** Room of domain d at level l in the units of that level (slices at or above ls). */
    int units(int l, int d) {
      if (l >= levels) {
        return ls >= 0 ? rootSlices : rootPods;
      }
      return ls >= 0 && l >= ls ? slicesAt[l][d] : podsAt[l][d];
    }

    /** A need of {@code pods} pods in the units of level l. */
    int need(int l, int pods) {
      return ls >= 0 && l >= ls ? pods / k : pods;
    }

    /** Room of a node as a child at level l (no domain there): 0 slices, or its pods. */
    int nodeUnits(int l, int v) {
      return ls >= 0 && l >= ls ? 0 : cap[v];
    }

    boolean slicesAbove(int l) {
      return ls >= 0 && l > ls;
    }
  }

  private Agg aggregate(int set, int need, int rl, int rd) {
    return new Agg(set, need, rl, rd);
  }

  /** Places {@code n} pods of pod set {@code i} inside domain {@code rd} of level {@code rl}. */
  private boolean placePodSet(int i, int n, int rl, int rd) {
    Agg a = aggregate(i, n, rl, rd);
    int need = a.need(levels, n);
    int p = spec.level[i];
    int tl = rl;
    int td = rd;
    int from = rules.climbFromLowest() ? Math.max(0, a.ls + 1) : p;
    if (rules.climbFromLowest() || (p >= 0 && p < rl)) {
      boolean found = false;
      int top = p >= 0 && spec.required[i] ? Math.min(p + 1, rl) : rl;
      for (int q = from; q < top && !found; q++) {
        int best = bestFit(a, q, rl, rd, need);
        if (best >= 0) {
          tl = q;
          td = best;
          found = true;
        }
      }
      if (!found && p >= 0 && p < rl && spec.required[i]) {
        return false;
      }
    }
    if (a.units(tl, td) < need) {
      return false;
    }
    List<int[]> out = new ArrayList<>();
    if (!fill(a, tl, td, need, out)) {
      throw new LedgerCorruptionException("greedy gang: a domain with room " + a.units(tl, td)
          + " could not be filled with " + need);
    }
    Request t = spec.sets[i].template();
    for (int[] vm : out) {
      for (int j = 0; j < vm[1]; j++) {
        var grants = pods.choose(t, ov, vm[0]);
        if (grants == null) {
          throw new LedgerCorruptionException("greedy gang: node " + vm[0] + " counted for "
              + vm[1] + " pods of " + spec.sets[i].name() + " refused pod " + j);
        }
        Placement pl = new Placement("member", vm[0], t.cpuMilli(), t.memoryMib(), grants);
        ov.apply(pl);
        members.add(pl);
        memberSet.add(i);
      }
    }
    return true;
  }

  /** The smallest sufficient domain at level q inside the restriction, or -1. */
  private int bestFit(Agg a, int q, int rl, int rd, int need) {
    int best = -1;
    int bestUnits = Integer.MAX_VALUE;
    int dc = tree.topology.domainCount(q);
    double bestUsed = -1;
    for (int d = 0; d < dc; d++) {
      int u = a.units(q, d);
      if (u < need || !tree.inside(q, d, rl, rd)) {
        continue;
      }
      if (rules.top() == Rules.Top.SMALLEST) {
        if (u < bestUnits) {
          best = d;
          bestUnits = u;
        }
      } else {
        double used = usedShare(q, d);
        if (used > bestUsed) {
          best = d;
          bestUsed = used;
        }
      }
    }
    return best;
  }

  /** The share of the domain's GPUs that take no whole grant now (in use, or unhealthy). */
  private double usedShare(int level, int d) {
    long total = 0;
    long free = 0;
    for (int v : tree.nodesOf(level, d)) {
      total += ov.cluster().node(v).gpuCount();
      free += ov.isSchedulable(v) ? Math.max(0, ov.freeWholeGpus(v)) : 0;
    }
    return total == 0 ? 0 : 1.0 - (double) free / total;
  }

  /**
   * Assigns {@code need} units to nodes under domain d of level l: the fewest children (largest
   * first, the last one the smallest that suffices); in a level-0 domain the tightest nodes first.
   * Appends {node, pods} pairs.
   */
  private boolean fill(Agg a, int l, int d, int need, List<int[]> out) {
    if (need == 0) {
      return true;
    }
    if (l == 0) {
      return fillNodes(a, tree.direct[0][d], need, out);
    }
    if (rules.flatten() && a.ls < 0) {
      return fillNodes(a, tree.nodesOf(l, d), need, out);
    }
    int[] kids = l >= levels ? tree.rootDomains : tree.children[l][d];
    int[] direct = l >= levels ? tree.rootNodes : tree.direct[l][d];
    int c = l - 1;
    boolean slices = a.slicesAbove(l);
    int m = 0;
    long[] items = new long[kids.length + direct.length];
    int[] units = new int[items.length];
    for (int x = 0; x < kids.length; x++) {
      int u = a.units(c, kids[x]);
      if (u > 0) {
        units[m] = u;
        items[m++] = kids[x];
      }
    }
    for (int v : direct) {
      int u = a.nodeUnits(c, v);
      if (u > 0) {
        units[m] = u;
        items[m++] = -1L - v;
      }
    }
    Integer[] idx = new Integer[m];
    for (int x = 0; x < m; x++) {
      idx[x] = x;
    }
    boolean ascending = rules.domains() == Rules.Take.ASCENDING;
    Arrays.sort(idx, (x, y) -> units[x] != units[y]
        ? (ascending ? Integer.compare(units[x], units[y]) : Integer.compare(units[y], units[x]))
        : Long.compare(items[x], items[y]));
    int remaining = need;
    int ptr = 0;
    while (remaining > 0) {
      if (ascending) {
        if (ptr >= m) {
          return false;
        }
        int pick = idx[ptr++];
        int amount = Math.min(units[pick], remaining);
        remaining -= amount;
        if (!assign(a, c, slices, items[pick], amount, out)) {
          return false;
        }
        continue;
      }
      if (ptr >= m) {
        return false;
      }
      int pick;
      int amount;
      if (units[idx[ptr]] >= remaining) {
        int smallest = ptr;
        for (int x = ptr + 1; x < m && units[idx[x]] >= remaining; x++) {
          if (units[idx[x]] < units[idx[smallest]]) {
            smallest = x;
          }
        }
        pick = idx[smallest];
        amount = remaining;
      } else {
        pick = idx[ptr++];
        amount = units[pick];
      }
      remaining -= amount;
      if (!assign(a, c, slices, items[pick], amount, out)) {
        return false;
      }
    }
    return true;
  }

  /** Gives {@code amount} units to a child domain (recursing) or a node. */
  private boolean assign(Agg a, int c, boolean slices, long item, int amount, List<int[]> out) {
    if (item >= 0) {
      int pass = slices && c == a.ls ? amount * a.k : amount;
      return fill(a, c, (int) item, pass, out);
    }
    out.add(new int[] {(int) (-1L - item), slices ? amount * a.k : amount});
    return true;
  }

  /**
   * Nodes by the rules: tightest first (fewest pods of the template, then fewest free GPUs, then
   * id), or the fewest nodes (most room first, the last the smallest that suffices).
   */
  private boolean fillNodes(Agg a, int[] nodes, int need, List<int[]> out) {
    List<Integer> ok = new ArrayList<>();
    for (int v : nodes) {
      if (a.cap[v] > 0) {
        ok.add(v);
      }
    }
    if (rules.nodes() == Rules.Take.FEWEST) {
      ok.sort((x, y) -> a.cap[x] != a.cap[y] ? Integer.compare(a.cap[y], a.cap[x])
          : Integer.compare(x, y));
      int remaining = need;
      int ptr = 0;
      while (remaining > 0 && ptr < ok.size()) {
        int pick = ptr;
        if (a.cap[ok.get(ptr)] >= remaining) {
          for (int x = ptr + 1; x < ok.size() && a.cap[ok.get(x)] >= remaining; x++) {
            if (a.cap[ok.get(x)] < a.cap[ok.get(pick)]) {
              pick = x;
            }
          }
          out.add(new int[] {ok.get(pick), remaining});
          return true;
        }
        out.add(new int[] {ok.get(ptr), a.cap[ok.get(ptr)]});
        remaining -= a.cap[ok.get(ptr)];
        ptr++;
      }
      return remaining == 0;
    }
    ok.sort((x, y) -> {
      if (a.cap[x] != a.cap[y]) {
        return Integer.compare(a.cap[x], a.cap[y]);
      }
      int fx = ov.freeWholeGpus(x);
      int fy = ov.freeWholeGpus(y);
      return fx != fy ? Integer.compare(fx, fy) : Integer.compare(x, y);
    });
    int remaining = need;
    for (int v : ok) {
      if (remaining == 0) {
        break;
      }
      int take = Math.min(a.cap[v], remaining);
      out.add(new int[] {v, take});
      remaining -= take;
    }
    return remaining == 0;
  }

  /**
   * The placed answer for a given assignment ({set, node} per member, in order), granting each
   * member on the overlay as greedy does; null when some member does not fit (the assignment
   * over-books a node).
   */
  @Nullable GangDecision adopt(List<int[]> assignment, int[] counts) {
    rollback(0);
    for (int[] sv : assignment) {
      Request t = spec.sets[sv[0]].template();
      var grants = pods.choose(t, ov, sv[1]);
      if (grants == null) {
        rollback(0);
        return null;
      }
      Placement pl = new Placement("member", sv[1], t.cpuMilli(), t.memoryMib(), grants);
      ov.apply(pl);
      members.add(pl);
      memberSet.add(sv[0]);
    }
    return placed(counts);
  }

  /** The room of every node for pod set i on the clean view (capped as {@link Pods#count}). */
  int[] room(int i, int need) {
    rollback(0);
    int[] cap = new int[ov.cluster().nodeIdBound()];
    for (int v : tree.liveNodes) {
      cap[v] = pods.count(spec.sets[i].template(), ov, v, need);
    }
    return cap;
  }

  // ---- answers -----------------------------------------------------------------------------

  private GangDecision placed(int[] counts) {
    String gang = spec.gang.name();
    int n = spec.sets.length;
    List<List<Placement>> bySet = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      bySet.add(new ArrayList<>());
    }
    for (int x = 0; x < members.size(); x++) {
      bySet.get(memberSet.get(x)).add(members.get(x));
    }
    List<GangDecision.Member> out = new ArrayList<>();
    Map<String, Integer> placedCount = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String ps = spec.sets[i].name();
      List<Placement> list = bySet.get(i);
      for (int j = 0; j < list.size(); j++) {
        out.add(new GangDecision.Member(ps, j,
            list.get(j).withAllocationId(gang + "/" + ps + "-" + j)));
      }
      placedCount.put(ps, list.size());
      if (list.size() != counts[i]) {
        throw new LedgerCorruptionException("greedy gang: pod set " + ps + " placed "
            + list.size() + " of " + counts[i]);
      }
    }
    List<GangDecision.ConstraintOutcome> outcomes = new ArrayList<>();
    if (spec.gang.topology() != null) {
      outcomes.add(outcome("gang", spec.gang.topology(), members));
    }
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < n; i++) {
      int j = spec.partner[i];
      if (j >= 0 && seen.add(i) && seen.add(j)) {
        List<Placement> both = new ArrayList<>(bySet.get(i));
        both.addAll(bySet.get(j));
        outcomes.add(outcome(spec.sets[i].name() + "+" + spec.sets[j].name(),
            TopologyConstraint.required(tree.levelName(spec.coLevel[i])), both));
      }
    }
    for (int i = 0; i < n; i++) {
      if (spec.sets[i].topology() != null) {
        outcomes.add(outcome(spec.sets[i].name(), spec.sets[i].topology(), bySet.get(i)));
      }
    }
    List<Integer> spans = new ArrayList<>();
    Set<Integer> nodes = new HashSet<>();
    for (Placement p : members) {
      nodes.add(p.nodeId());
    }
    for (int l = 0; l < levels; l++) {
      Set<Long> ds = new HashSet<>();
      for (int v : nodes) {
        int d = tree.domainOf[l][v];
        ds.add(d >= 0 ? d : -1L - v);
      }
      spans.add(ds.size());
    }
    long leftover = 0;
    for (int v : nodes) {
      leftover += ov.freeWholeGpus(v);
    }
    Map<String, Double> breakdown = new LinkedHashMap<>();
    double score = 0;
    double w = 1000;
    for (int l = 0; l < levels; l++) {
      w *= 1000;
    }
    for (int l = levels - 1; l >= 0; l--) {
      breakdown.put("domains." + tree.levelName(l), (double) spans.get(l));
      score -= w * spans.get(l);
      w /= 1000;
    }
    breakdown.put("nodes", (double) nodes.size());
    breakdown.put("freeGpusLeftOnTouchedNodes", (double) leftover);
    score -= leftover;
    return new GangDecision.Placed(gang, out, placedCount, outcomes,
        List.of(tree.levelNames), spans, score, breakdown);
  }

  private GangDecision.ConstraintOutcome outcome(String scope, TopologyConstraint c,
      List<Placement> list) {
    for (int l = 0; l < levels; l++) {
      int d = -2;
      boolean one = true;
      for (Placement p : list) {
        int x = tree.domainOf[l][p.nodeId()];
        if (x < 0 || (d != -2 && x != d)) {
          one = false;
          break;
        }
        d = x;
      }
      if (one && d >= 0) {
        return new GangDecision.ConstraintOutcome(scope, c, l, tree.levelName(l),
            tree.domainName(l, d));
      }
    }
    return new GangDecision.ConstraintOutcome(scope, c, levels, "cluster", "cluster");
  }

  private GangDecision explain(int[] min) {
    String gang = spec.gang.name();
    int n = spec.sets.length;
    for (int i = 0; i < n; i++) {
      GangDecision.Shortfall never = neverFits(i);
      if (never != null) {
        return new GangDecision.Rejected(gang, GangRejectReason.TEMPLATE_NEVER_FITS,
            List.of(never), never.line());
      }
    }
    List<GangDecision.Shortfall> out = new ArrayList<>();
    GangRejectReason reason = null;
    Agg[] agg = new Agg[n];
    for (int i = 0; i < n; i++) {
      agg[i] = aggregate(i, min[i], levels, 0);
    }
    for (int i = 0; i < n; i++) {
      Agg a = agg[i];
      int need = a.need(levels, min[i]);
      String ps = spec.sets[i].name();
      if (a.units(levels, 0) < need) {
        out.add(shortfall(ps, a, levels, 0, need, min[i]));
        reason = GangRejectReason.CLUSTER_TOO_SMALL;
        continue;
      }
      List<Integer> hard = new ArrayList<>();
      if (spec.level[i] >= 0 && spec.required[i]) {
        hard.add(spec.level[i]);
      }
      if (spec.gangLevel >= 0 && spec.gangRequired) {
        hard.add(spec.gangLevel);
      }
      if (spec.coLevel[i] >= 0) {
        hard.add(spec.coLevel[i]);
      }
      if (a.ls >= 0) {
        hard.add(a.ls);
      }
      for (int l : hard.stream().distinct().sorted().toList()) {
        int[] best = closest(a, l);
        int unitsNeed = l == a.ls && spec.level[i] != l ? a.k : a.need(l, min[i]);
        int units = l == a.ls && spec.level[i] != l ? (best[0] < 0 ? 0 : a.podsAt[l][best[0]])
            : best[1];
        if (units < unitsNeed) {
          out.add(shortfall(ps, a, l, best[0], unitsNeed, l == a.ls ? a.k : min[i]));
          if (reason == null) {
            reason = GangRejectReason.NO_DOMAIN_LARGE_ENOUGH;
          }
        }
      }
    }
    if (out.isEmpty()) {
      reason = GangRejectReason.POD_SETS_CONFLICT;
      int level = spec.gangLevel >= 0 ? spec.gangLevel : levels;
      for (int i = 0; i < n && level == levels; i++) {
        if (spec.coLevel[i] >= 0) {
          level = spec.coLevel[i];
        }
      }
      int bestD = -1;
      int bestFits = -1;
      int domains = level >= levels ? 1 : tree.topology.domainCount(level);
      for (int d = 0; d < domains; d++) {
        int fits = 0;
        for (int i = 0; i < n; i++) {
          if (agg[i].units(level, d) >= agg[i].need(level, min[i])) {
            fits++;
          }
        }
        if (fits > bestFits) {
          bestFits = fits;
          bestD = d;
        }
      }
      StringBuilder detail = new StringBuilder();
      for (int i = 0; i < n; i++) {
        detail.append(i == 0 ? "" : ", ").append(spec.sets[i].name()).append(' ')
            .append(agg[i].units(level, bestD)).append('/').append(agg[i].need(level, min[i]))
            .append(agg[i].ls >= 0 && level >= agg[i].ls ? " slices" : " pods");
      }
      detail.append(level >= levels ? "; together they do not fit"
          : "; no domain holds all pod sets together");
      out.add(new GangDecision.Shortfall("gang", tree.levelName(level),
          tree.domainName(level, bestD), bestFits, n, "pod sets", detail.toString()));
    }
    String message = out.get(0).line() + (out.size() > 1 ? " (+" + (out.size() - 1)
        + " more)" : "");
    return new GangDecision.Rejected(gang, reason, out, message);
  }

  /** {domain, units} of the domain at level l with the most room for the pod set. */
  private int[] closest(Agg a, int l) {
    int best = -1;
    int units = -1;
    for (int d = 0; d < tree.topology.domainCount(l); d++) {
      int u = l == a.ls ? a.podsAt[l][d] : a.units(l, d);
      if (u > units) {
        units = u;
        best = d;
      }
    }
    return new int[] {best, best < 0 ? 0 : a.units(l, best)};
  }

  private GangDecision.Shortfall shortfall(String ps, Agg a, int l, int d, int needUnits,
      int needPods) {
    boolean sliceLevel = l == a.ls && spec.level[a.set] != l;
    String unit = sliceLevel || a.ls < 0 || l < a.ls ? "pods" : "slices of " + a.k;
    if (d < 0) {
      return new GangDecision.Shortfall(ps, tree.levelName(l), "-", 0, needUnits, unit,
          "the level has no domain");
    }
    int fits = sliceLevel ? a.podsAt[l][d] : a.units(l, d);
    int[] nodes = tree.nodesOf(l, d);
    return new GangDecision.Shortfall(ps, tree.levelName(l), tree.domainName(l, d),
        Math.min(fits, Integer.MAX_VALUE), needUnits, unit, resources(a, nodes, needPods));
  }

  /** What the template needs against what the nodes have free, with numbers. */
  private String resources(Agg a, int[] nodes, int needPods) {
    Request t = spec.sets[a.set].template();
    long freeCpu = 0;
    long freeMem = 0;
    long freeGpus = 0;
    long shareable = 0;
    long podsFit = 0;
    int schedulable = 0;
    GpuDemand gd = t.gpu();
    for (int v : nodes) {
      if (!ov.isSchedulable(v)) {
        continue;
      }
      schedulable++;
      freeCpu += Math.max(0, ov.freeCpuMilli(v));
      freeMem += Math.max(0, ov.freeMemoryMib(v));
      podsFit += a.cap[v];
      Node node = ov.cluster().node(v);
      int off = ov.cluster().gpuOffset(v);
      for (int g = 0; g < node.gpuCount(); g++) {
        if (!t.allowsGpu(node.gpu(g))) {
          continue;
        }
        if (ov.canTakeWhole(off + g)) {
          freeGpus++;
        }
        if (gd instanceof GpuDemand.Shared s
            && ov.canShare(off + g, s.computeMilli(), s.memoryMib())) {
          shareable++;
        }
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append(podsFit).append(" pods fit on ").append(schedulable).append(" schedulable nodes");
    if (gd instanceof GpuDemand.Whole w) {
      sb.append("; needs ").append(needPods).append(" x ").append(w.count()).append(" = ")
          .append((long) needPods * w.count()).append(" whole GPUs, ").append(freeGpus)
          .append(" free");
    } else if (gd instanceof GpuDemand.Shared s) {
      sb.append("; needs ").append(needPods).append(" x ").append(s.count()).append(" shares of ")
          .append(s.computeMilli()).append(" milli / ").append(s.memoryMib()).append(" MiB, ")
          .append(shareable).append(" GPUs can take one");
    } else if (gd instanceof GpuDemand.Mig m) {
      sb.append("; needs ").append(needPods).append(" x ").append(m.count()).append(' ')
          .append(m.profile()).append(" instances");
    }
    if (t.cpuMilli() > 0) {
      sb.append("; cpu needs ").append((long) needPods * t.cpuMilli()).append("m, ")
          .append(freeCpu).append("m free");
    }
    if (t.memoryMib() > 0) {
      sb.append("; memory needs ").append((long) needPods * t.memoryMib()).append(" MiB, ")
          .append(freeMem).append(" MiB free");
    }
    return sb.toString();
  }

  /** A shortfall when no live node could hold one pod of the template even empty, else null. */
  private GangDecision.@Nullable Shortfall neverFits(int i) {
    Request t = spec.sets[i].template();
    Cluster c = ov.cluster();
    Map<String, Boolean> shapes = new HashMap<>();
    @Nullable String firstReason = null;
    for (int v : tree.liveNodes) {
      Node node = c.node(v);
      String key = Fit.hasGpuFilter(t) || t.topology() == IntraNodeTopology.REQUIRED
          ? node.name() : shape(node);
      if (shapes.containsKey(key)) {
        continue;
      }
      ClusterState empty = new ClusterState(Cluster.of(node));
      Overlay e = new Overlay(empty);
      boolean fits = pods.count(t, e, 0, 1) > 0;
      shapes.put(key, fits);
      if (fits) {
        return null;
      }
      if (firstReason == null) {
        NodeRejection r = Fit.check(t, empty, 0);
        firstReason = node.name() + " (empty): " + (r != null ? r.detail()
            : "the intra-node topology REQUIRED has no all-NVLink set of "
                + t.gpu().count() + " GPUs (or no interconnect is known)");
      }
    }
    String ps = spec.sets[i].name();
    return new GangDecision.Shortfall(ps, "node", "-", 0, 1, "pods",
        "no node could ever hold one pod: " + shapes.size() + " node shapes checked empty; "
            + (firstReason == null ? "the cluster has no nodes" : firstReason));
  }

  private static String shape(Node n) {
    StringBuilder sb = new StringBuilder().append(n.cpuMilli()).append('|').append(n.memoryMib());
    for (var g : n.gpus()) {
      sb.append('|').append(g.model().name());
    }
    return sb.toString();
  }
}

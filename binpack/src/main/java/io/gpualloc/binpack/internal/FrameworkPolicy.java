package io.gpualloc.binpack.internal;

import io.gpualloc.binpack.GpuPicker;
import io.gpualloc.binpack.NodeFilter;
import io.gpualloc.binpack.NodeScorer;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterView;
import io.gpualloc.core.Decision;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.NodeRejection;
import io.gpualloc.core.NodeScores;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.Placement;
import io.gpualloc.core.PlacementPolicy;
import io.gpualloc.core.RejectReason;
import io.gpualloc.core.Request;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * A policy in the style of the Kubernetes scheduling framework: every node runs through the
 * filters; the feasible nodes get the weighted sum of the scorers (each optionally min-max
 * normalised); the best node wins, ties broken as {@link Ties} says; then the picker chooses the
 * GPUs.
 *
 * <p>Speed: when every filter and scorer is {@link StateOnly}, their results are memoised per
 * request shape (CPU, memory, GPU demand, model filters) and node state (node type, free CPU, free
 * memory, each GPU's mode, shares left under its split count (0, 1 or more), free compute and free
 * memory). Node states are interned into ids by a
 * {@link NodeStateIndex} (which follows membership changes) and
 * re-read only for nodes whose {@link ClusterView#nodeVersion} changed (every node when the view
 * object changes; first fit reads only the nodes up to the first feasible one), so nodes in
 * identical states share one evaluation and a decision mostly costs a few array reads per node.
 * Normalisation and tie-breaks still run over all feasible nodes on
 * every decision, so the decisions are exactly those of the straightforward evaluation. Requests
 * with UUID filters or MIG demands take the straightforward path. The memo assumes the view is not
 * mutated by another thread during a call (a snapshot, or a ledger owned by the caller).
 */
public final class FrameworkPolicy implements PlacementPolicy {

  /**
   * Marks a {@link NodeFilter} or {@link NodeScorer} whose answer, for requests without UUID
   * filters and MIG demands, depends only on the request's CPU, memory, GPU demand and model
   * filters and on the node's state: its GPU models in index order, free CPU, free memory and
   * each GPU's mode, shares left under its split count (0, 1 or more), free compute and free
   * memory. Such answers can be shared between nodes in the
   * same state and reused until the node changes.
   */
  public interface StateOnly {}

  /** How equal scores are broken. */
  public enum Ties {
    /** Lowest node id. */
    NODE_ID,
    /** A seeded random node priority fixed for the instance ({@link Seeds#rank}). */
    NODE_PRIORITY,
    /** A seeded uniform choice per decision ({@link Seeds#rng}). */
    PER_DECISION
  }

  private final String name;
  private final List<NodeFilter> filters;
  private final List<NodeScorer> scorers;
  private final double[] weights;
  private final GpuPicker picker;
  private final Ties ties;
  private final long seed;
  private volatile int[] rank = new int[0];
  private final boolean memoisable;
  private final boolean pickerStateOnly;
  private final List<String> termNames;
  private final TopologyTerm topology;

  private static final byte UNKNOWN = 0;
  private static final byte FEASIBLE = 1;
  private static final byte REJECTED = 2;
  /** {@code nodeState} of a cordoned node (not interned, never memoised). */
  private static final int CORDONED_STATE = NodeStateIndex.CORDONED;
  /** {@code nodeState} of a removed node id. */
  private static final int REMOVED_STATE = NodeStateIndex.REMOVED;
  private static final RejectReason[] REASONS = RejectReason.values();
  private static final int MAX_SHAPES = 4096;
  private static final int MIN_STATE_CAP = 1 << 16;
  private static final long MAX_CELLS = 1L << 24;

  // memo state, guarded by this
  private final NodeStateIndex index = new NodeStateIndex();
  private final Map<ShapeKey, Memo> memos = new HashMap<>();
  private long memoCells;
  private int stateCap = -1;
  private long cellCap = MAX_CELLS;
  private int[] feasibleScratch = new int[0];
  private int[] stateScratch = new int[0];
  private double[][] partsScratch = new double[0][];
  private double[] totalScratch = new double[0];
  private double[] quotients = new double[0];
  private Memo lastMemo = new Memo();
  private static final long MAX_TABLE = 4096;

  /** A policy of these parts; {@code weights[i]} belongs to {@code scorers[i]}. */
  public FrameworkPolicy(
      String name,
      List<NodeFilter> filters,
      List<NodeScorer> scorers,
      double[] weights,
      GpuPicker picker,
      Ties ties,
      long seed) {
    this(name, filters, scorers, weights, picker, ties, seed, TopologyTerm.none());
  }

  /**
   * A policy of these parts, with an intra-node topology filter and score term; {@code
   * weights[i]} belongs to {@code scorers[i]}.
   */
  public FrameworkPolicy(
      String name,
      List<NodeFilter> filters,
      List<NodeScorer> scorers,
      double[] weights,
      GpuPicker picker,
      Ties ties,
      long seed,
      TopologyTerm topology) {
    this.topology = topology;
    this.name = name;
    this.filters = List.copyOf(filters);
    this.scorers = List.copyOf(scorers);
    this.weights = weights.clone();
    this.picker = picker;
    this.ties = ties;
    this.seed = seed;
    if (weights.length != scorers.size()) {
      throw InvalidSpecException.of("policy " + name, "weights", weights.length,
          "one weight per scorer (" + scorers.size() + ")");
    }
    boolean stateOnly = true;
    for (NodeFilter x : this.filters) {
      stateOnly &= x instanceof StateOnly;
    }
    for (NodeScorer x : this.scorers) {
      stateOnly &= x instanceof StateOnly;
    }
    this.memoisable = stateOnly;
    this.pickerStateOnly = picker instanceof StateOnly;
    List<String> t = new ArrayList<>();
    for (NodeScorer x : this.scorers) {
      t.add(x.name());
    }
    this.termNames = List.copyOf(t);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Decision place(Request request, ClusterView view) {
    if (topology.applies(request)) {
      return scoreAll(request, view).best();
    }
    if (memoisable && memoisable(request)) {
      return placeMemoised(request, view);
    }
    return placeReference(request, view);
  }

  @Override
  public NodeScores scoreAll(Request request, ClusterView view) {
    NodeScores base = null;
    if (memoisable && memoisable(request)) {
      base = scoreMemoised(request, view);
    }
    if (base == null) {
      base = scoreReference(request, view);
    }
    return topology.apply(request, view, base);
  }

  /**
   * Sets how many node states may be interned and how many memo cells kept before the memo is
   * dropped and rebuilt (defaults: max(65,536, 8 x nodes) states and 16M cells). Small limits make
   * tests exercise that path; decisions do not depend on them.
   */
  public synchronized void limitMemo(int maxStates, long maxCells) {
    if (maxStates < 1 || maxCells < 1) {
      throw InvalidSpecException.of("policy " + name, "memo limits", maxStates + ", " + maxCells,
          "positive numbers");
    }
    stateCap = maxStates;
    cellCap = maxCells;
  }

  /**
   * The straightforward evaluation: every filter and scorer on every node. {@link #place} gives
   * exactly the same decisions for requests without an intra-node topology preference; this path
   * is kept for requests the memo does not cover and so that tests can compare the two.
   */
  public Decision placeReference(Request request, ClusterView view) {
    Eval e = evalReference(request, view, false);
    if (e.f == 0) {
      return referenceRejection(request, view, e.why);
    }
    return choose(request, view, e, false);
  }

  private NodeScores scoreReference(Request request, ClusterView view) {
    Eval e = evalReference(request, view, true);
    if (e.f == 0) {
      return scores(request, view, e, false, null, Explain.message(view, e.why));
    }
    return scores(request, view, e, false, null, "");
  }

  /** Filters and raw scores of every node ({@code all}: no first-fit shortcut). */
  private Eval evalReference(Request request, ClusterView view, boolean all) {
    Cluster c = view.cluster();
    int n = c.nodeIdBound();
    int[] feasible = new int[n];
    int f = 0;
    NodeRejection[] reasons = new NodeRejection[n];
    for (int node = 0; node < n; node++) {
      NodeRejection why = Explain.unavailable(view, node);
      for (int i = 0; i < filters.size() && why == null; i++) {
        why = filters.get(i).reject(request, view, node);
      }
      if (why == null) {
        feasible[f++] = node;
        if (!all && scorers.isEmpty() && ties == Ties.NODE_ID) {
          break; // first fit: nothing can beat the lowest feasible id
        }
      } else {
        reasons[node] = why;
      }
    }
    double[][] parts = new double[scorers.size()][f];
    for (int s = 0; s < scorers.size(); s++) {
      NodeScorer scorer = scorers.get(s);
      double[] p = parts[s];
      for (int i = 0; i < f; i++) {
        p[i] = scorer.score(request, view, feasible[i]);
      }
    }
    return new Eval(n, feasible, f, null, parts, new double[f], reasons);
  }

  private static Decision referenceRejection(Request request, ClusterView view,
      NodeRejection[] why) {
    int n = why.length;
    Decision.Rejected.Builder b = Decision.Rejected.builder(request.name(), n);
    for (int node = 0; node < n; node++) {
      b.reject(node, why[node]);
    }
    return b.build(Explain.message(view, why));
  }

  /** What an evaluation found: the feasible nodes and their raw scores, the others' reasons. */
  private static final class Eval {
    final int n;
    final int[] feasible;
    final int f;
    final int @Nullable [] states;
    final double[][] parts;
    final double[] total;
    final NodeRejection @Nullable [] why;

    Eval(int n, int[] feasible, int f, int @Nullable [] states, double[][] parts, double[] total,
        NodeRejection @Nullable [] why) {
      this.n = n;
      this.feasible = feasible;
      this.f = f;
      this.states = states;
      this.parts = parts;
      this.total = total;
      this.why = why;
    }
  }

  /** Normalises and weights the raw scores of the feasible nodes; returns the winner's index. */
  private int rank(Request request, ClusterView view, Eval e, boolean tabled) {
    int f = e.f;
    double[] total = e.total;
    double[][] parts = e.parts;
    for (int s = 0; s < scorers.size(); s++) {
      double[] p = parts[s];
      if (scorers.get(s).normalized()) {
        if (tabled) {
          normaliseTabled(p, f);
        } else {
          normalise(p, f);
        }
      }
      for (int i = 0; i < f; i++) {
        total[i] += weights[s] * p[i];
      }
    }
    int[] feasible = e.feasible;
    int best = 0;
    int[] rk = ties == Ties.NODE_PRIORITY ? rank(e.n) : null;
    SplittableRandom rng = ties == Ties.PER_DECISION ? Seeds.rng(seed, request, view) : null;
    int tied = 1;
    for (int i = 1; i < f; i++) {
      if (total[i] > total[best]) {
        best = i;
        tied = 1;
      } else if (total[i] == total[best]) {
        if (rk != null && rk[feasible[i]] < rk[feasible[best]]) {
          best = i;
        } else if (rng != null && rng.nextInt(++tied) == 0) {
          best = i;
        }
      }
    }
    return best;
  }

  /** The winner of the evaluation, with the picker's GPUs. */
  private Decision choose(Request request, ClusterView view, Eval e, boolean tabled) {
    int best = rank(request, view, e, tabled);
    int node = e.feasible[best];
    List<GpuGrant> grants = picker.pick(request, view, node);
    Placement placement = new Placement(
        request.name(), node, request.cpuMilli(), request.memoryMib(), grants);
    Map<String, Double> breakdown = new LinkedHashMap<>();
    for (int s = 0; s < scorers.size(); s++) {
      breakdown.put(scorers.get(s).name(), weights[s] * e.parts[s][best]);
    }
    return new Decision.Placed(placement, e.total[best], breakdown);
  }

  /**
   * Every feasible node in the policy's order: the winner {@link #choose} takes first, then the
   * others by total (descending), then by the tie rule (node id, or the seeded node priority); and
   * every other node's rejection.
   */
  private NodeScores scores(Request request, ClusterView view, Eval e, boolean tabled,
      @Nullable Memo memo, String message) {
    Cluster c = view.cluster();
    NodeScores.Builder b = NodeScores.builder(request, c, termNames);
    int f = e.f;
    int[] order = new int[f];
    if (f > 0) {
      int best = rank(request, view, e, tabled);
      int[] rk = ties == Ties.NODE_PRIORITY ? rank(e.n) : null;
      int[] tie = new int[f];
      for (int i = 0; i < f; i++) {
        order[i] = i;
        tie[i] = rk != null ? rk[e.feasible[i]] : e.feasible[i];
      }
      order[0] = best;
      order[best] = 0;
      Explain.sortDescending(order, 1, f, e.total, tie);
    }
    double[] terms = new double[scorers.size()];
    for (int j = 0; j < f; j++) {
      int i = order[j];
      int node = e.feasible[i];
      for (int s = 0; s < terms.length; s++) {
        terms[s] = weights[s] * e.parts[s][i];
      }
      List<GpuGrant> grants;
      if (memo != null && pickerStateOnly) {
        int st = e.states[i];
        grants = memo.grants(st);
        if (grants == null) {
          grants = List.copyOf(picker.pick(request, view, node));
          memo.grants[st] = grants;
        }
      } else {
        grants = List.copyOf(picker.pick(request, view, node));
      }
      b.scored(node, e.total[i], terms, grants);
    }
    for (int node = 0, k = 0; node < e.n; node++) {
      if (k < f && e.feasible[k] == node) {
        k++;
        continue;
      }
      b.rejected(node, e.why != null ? e.why[node]
          : rejected(memo, node));
    }
    return b.build(message);
  }

  // ---- memoised path ---------------------------------------------------------------------------

  /** Requests whose filter and score results depend only on their shape and the node state. */
  private static boolean memoisable(Request r) {
    return !(r.gpu() instanceof GpuDemand.Mig)
        && r.uuidInclude().isEmpty() && r.uuidExclude().isEmpty();
  }

  private synchronized Decision placeMemoised(Request request, ClusterView view) {
    Eval e = evalMemoised(request, view, false);
    if (e == null) {
      return placeReference(request, view); // the node changed under this call
    }
    if (e.f == 0) {
      return rejection(request, view, e.n, lastMemo);
    }
    return choose(request, view, e, true);
  }

  private synchronized @Nullable NodeScores scoreMemoised(Request request, ClusterView view) {
    Eval e = evalMemoised(request, view, true);
    if (e == null) {
      return null;
    }
    Memo memo = lastMemo;
    String message = e.f == 0 ? Explain.message(view, node -> rejected(memo, node)) : "";
    return scores(request, view, e, true, memo, message);
  }

  /**
   * Filters and raw scores of every node from the memo ({@code all}: no first-fit shortcut); null
   * when a node changed under the call. Leaves the shape's memo in {@link #lastMemo}.
   */
  private @Nullable Eval evalMemoised(Request request, ClusterView view, boolean all) {
    if (index.count() > (stateCap > 0 ? stateCap
        : Math.max(MIN_STATE_CAP, 8 * view.cluster().nodeIdBound()))) {
      clearStates();
    }
    boolean trusted = index.begin(view);
    long version = view.version();
    int n = index.size();
    Memo memo = memo(request);
    lastMemo = memo;
    memoCells += memo.cover(index.count(), scorers.size());
    if (feasibleScratch.length != n) {
      feasibleScratch = new int[n];
      stateScratch = new int[n];
      partsScratch = new double[scorers.size()][n];
      totalScratch = new double[n];
    }
    int[] feasible = feasibleScratch;
    int[] fs = stateScratch;
    boolean firstFit = !all && scorers.isEmpty() && ties == Ties.NODE_ID;
    byte[] status = memo.status;
    int f = 0;
    boolean complete = true;
    for (int node = 0; node < n; node++) {
      int s = trusted ? index.state(node) : index.refresh(view, node);
      if (s < 0) {
        continue; // cordoned or removed
      }
      if (s >= status.length) {
        memoCells += memo.cover(index.count(), scorers.size());
        status = memo.status;
      }
      byte st = status[s];
      if (st == UNKNOWN) {
        st = evaluate(request, view, node, s, memo);
        if (st == UNKNOWN) {
          return null;
        }
      }
      if (st == FEASIBLE) {
        feasible[f] = node;
        fs[f++] = s;
        if (firstFit) {
          complete = node == n - 1;
          break; // first fit: nothing can beat the lowest feasible id
        }
      }
    }
    if (complete) {
      index.complete(version);
    }
    double[][] parts = partsScratch;
    for (int k = 0; k < parts.length; k++) {
      double[] raw = memo.raw[k];
      double[] p = parts[k];
      for (int i = 0; i < f; i++) {
        p[i] = raw[fs[i]];
      }
    }
    double[] total = totalScratch;
    Arrays.fill(total, 0, f, 0.0);
    return new Eval(n, feasible, f, fs, parts, total, null);
  }

  /**
   * The rejection the reference builds with {@link Decision.Rejected#builder}, with the reasons
   * counted in an array and the reason and detail lists shared with the shape's previous rejection
   * when equal.
   */
  private Decision rejection(Request request, ClusterView view, int n, Memo memo) {
    NodeRejection[] last = memo.lastRej;
    boolean same = last.length == n;
    NodeRejection[] rej = same ? last : new NodeRejection[n];
    int[] count = new int[REASONS.length];
    NodeRejection[] byState = memo.rej;
    for (int node = 0; node < n; node++) {
      int s = index.state(node);
      NodeRejection x = s >= 0 ? byState[s] : s == CORDONED_STATE ? Explain.CORDONED
          : Explain.REMOVED;
      count[x.reason().ordinal()]++;
      if (rej[node] != x) {
        if (same) {
          rej = rej.clone();
          same = false;
        }
        rej[node] = x;
      }
    }
    if (!same) { // the shape's previous rejection differs: new shared lists
      RejectReason[] why = new RejectReason[n];
      String[] detail = new String[n];
      for (int node = 0; node < n; node++) {
        why[node] = rej[node].reason();
        detail[node] = rej[node].detail();
      }
      memo.lastRej = rej;
      memo.whyList = List.of(why);
      memo.detailList = List.of(detail);
    }
    Map<RejectReason, Integer> counts = new EnumMap<>(RejectReason.class);
    for (int i = 0; i < count.length; i++) {
      if (count[i] > 0) {
        counts.put(REASONS[i], count[i]);
      }
    }
    Integer removed = counts.remove(RejectReason.NODE_REMOVED); // not nodes of the cluster
    NodeRejection[] shown = rej;
    return new Decision.Rejected(request.name(), n - (removed == null ? 0 : removed),
        memo.whyList, memo.detailList, counts,
        Explain.message(view, node -> shown[node], counts.size()));
  }

  /** The memoised rejection of a node the last evaluation found infeasible. */
  private NodeRejection rejected(Memo memo, int node) {
    int s = index.state(node);
    return s == CORDONED_STATE ? Explain.CORDONED : s == REMOVED_STATE ? Explain.REMOVED
        : memo.rej[s];
  }

  /**
   * Runs the filters and scorers on the node, whose state is {@code s}, and memoises them; {@link
   * #UNKNOWN} when the node's version moved meanwhile (a ledger mutated by another thread).
   */
  private byte evaluate(Request request, ClusterView view, int node, int s, Memo memo) {
    NodeRejection why = null;
    for (int i = 0; i < filters.size() && why == null; i++) {
      why = filters.get(i).reject(request, view, node);
    }
    byte st;
    if (why == null) {
      st = FEASIBLE;
      for (int k = 0; k < scorers.size(); k++) {
        memo.raw[k][s] = scorers.get(k).score(request, view, node);
      }
    } else {
      st = (byte) (REJECTED + why.reason().ordinal());
    }
    // a ledger changed under a running call (no snapshot): keep nothing, report UNKNOWN
    if (view.nodeVersion(node) != index.version(node)) {
      return UNKNOWN;
    }
    memo.rej[s] = why;
    memo.status[s] = st;
    return st;
  }

  private Memo memo(Request r) {
    ShapeKey key = new ShapeKey(r.cpuMilli(), r.memoryMib(), r.gpu(), r.modelInclude(),
        r.modelExclude());
    if (memoCells > cellCap) {
      memos.clear(); // bounds the memory: about 9 bytes a cell with one scorer
      memoCells = 0;
    }
    Memo m = memos.get(key);
    if (m == null) {
      if (memos.size() >= MAX_SHAPES) {
        memos.clear();
        memoCells = 0;
      }
      m = new Memo();
      memos.put(key, m);
    }
    return m;
  }

  private void clearStates() {
    index.clear();
    memos.clear();
    memoCells = 0;
  }

  /** What the filters and scorers read from a request (UUID filters and MIG take the reference). */
  private record ShapeKey(int cpu, int memory, GpuDemand gpu, Set<String> include,
      Set<String> exclude) {}

  /** Filter outcome and raw scores of one request shape, by state id. */
  private static final class Memo {
    byte[] status = new byte[0];
    double[][] raw = new double[0][];
    /** Each rejected state's reason and numbers. */
    @Nullable NodeRejection[] rej = new NodeRejection[0];
    /** Each feasible state's grants, when the picker reads only the node state. */
    @Nullable List<GpuGrant>[] grants = newGrants(0);
    /** Each node's rejection in the shape's last rejection (never modified once shared). */
    NodeRejection[] lastRej = new NodeRejection[0];
    /** The reasons and details of the shape's last rejection, shared by equal rejections. */
    List<RejectReason> whyList = List.of();
    List<String> detailList = List.of();

    @SuppressWarnings({"unchecked", "rawtypes"})
    static List<GpuGrant>[] newGrants(int n) {
      return new List[n];
    }

    @Nullable List<GpuGrant> grants(int state) {
      return grants[state];
    }

    /** Grows the arrays to at least {@code states} states; returns how many cells were added. */
    int cover(int states, int scorers) {
      if (status.length >= states && raw.length == scorers) {
        return 0;
      }
      int before = status.length;
      int len = Math.max(states, Math.max(64, status.length * 2));
      status = Arrays.copyOf(status, len);
      rej = Arrays.copyOf(rej, len);
      grants = Arrays.copyOf(grants, len);
      double[][] r = new double[scorers][];
      for (int k = 0; k < scorers; k++) {
        r[k] = k < raw.length ? Arrays.copyOf(raw[k], len) : new double[len];
      }
      raw = r;
      return len - before;
    }
  }

  private int[] rank(int n) {
    int[] r = rank;
    if (r.length != n) {
      r = Seeds.rank(seed, n);
      rank = r;
    }
    return r;
  }

  /** Kubernetes' NormalizeScore: integers, (s - lo) * 100 / (hi - lo); all 0 when hi == lo. */
  private static void normalise(double[] p, int f) {
    long lo = Long.MAX_VALUE;
    long hi = Long.MIN_VALUE;
    for (int i = 0; i < f; i++) {
      lo = Math.min(lo, (long) p[i]);
      hi = Math.max(hi, (long) p[i]);
    }
    for (int i = 0; i < f; i++) {
      p[i] = hi == lo ? 0 : (((long) p[i] - lo) * 100 / (hi - lo));
    }
  }

  /**
   * {@link #normalise} with the quotients taken from a table of the (few) distinct integer
   * differences instead of a division per node: the same integers.
   */
  private void normaliseTabled(double[] p, int f) {
    long lo = Long.MAX_VALUE;
    long hi = Long.MIN_VALUE;
    for (int i = 0; i < f; i++) {
      lo = Math.min(lo, (long) p[i]);
      hi = Math.max(hi, (long) p[i]);
    }
    long range = hi - lo;
    if (range <= 0 || range > MAX_TABLE) {
      normalise(p, f);
      return;
    }
    int size = (int) range + 1;
    if (quotients.length < size) {
      quotients = new double[Math.max(size, 2 * quotients.length)];
    }
    double[] q = quotients;
    for (int k = 0; k < size; k++) {
      q[k] = (k * 100L / range);
    }
    for (int i = 0; i < f; i++) {
      p[i] = q[(int) ((long) p[i] - lo)];
    }
  }

  @Override
  public String toString() {
    return name;
  }
}

package io.gpualloc.binpack.internal;

import io.gpualloc.binpack.GpuPicker;
import io.gpualloc.binpack.NodeFilter;
import io.gpualloc.binpack.NodeScorer;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterView;
import io.gpualloc.core.Decision;
import io.gpualloc.core.Gpu;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.GpuModel;
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
 * memory, each GPU's mode, free compute and free memory). Node states are interned into ids and
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
   * each GPU's mode, free compute and free memory. Such answers can be shared between nodes in the
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

  private static final byte UNKNOWN = 0;
  private static final byte FEASIBLE = 1;
  private static final byte REJECTED = 2;
  /** {@code nodeState} of a cordoned node (not interned, never memoised). */
  private static final int CORDONED_STATE = -2;
  /** {@code nodeState} of a removed node id. */
  private static final int REMOVED_STATE = -3;
  private static final RejectReason[] REASONS = RejectReason.values();
  private static final int MAX_SHAPES = 4096;
  private static final int MIN_STATE_CAP = 1 << 16;
  private static final long MAX_CELLS = 1L << 24;

  // memo state, guarded by this
  private @Nullable Cluster cluster;
  private int[] nodeType = new int[0];
  private int[] nodeVersion = new int[0];
  private long[] nodeEpoch = new long[0];
  private int[] nodeState = new int[0];
  private @Nullable ClusterView lastView;
  private long epoch;
  private long validVersion = -1;
  private final Map<StateKey, Integer> stateIds = new HashMap<>();
  private int states;
  private final Map<ShapeKey, Memo> memos = new HashMap<>();
  private long memoCells;
  private int stateCap = -1;
  private long cellCap = MAX_CELLS;
  private int[] feasibleScratch = new int[0];
  private int[] stateScratch = new int[0];
  private double[][] partsScratch = new double[0][];
  private double[] totalScratch = new double[0];
  private double[] quotients = new double[0];
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
    this.name = name;
    this.filters = List.copyOf(filters);
    this.scorers = List.copyOf(scorers);
    this.weights = weights.clone();
    this.picker = picker;
    this.ties = ties;
    this.seed = seed;
    if (weights.length != scorers.size()) {
      throw new IllegalArgumentException("one weight per scorer");
    }
    boolean stateOnly = true;
    for (NodeFilter x : this.filters) {
      stateOnly &= x instanceof StateOnly;
    }
    for (NodeScorer x : this.scorers) {
      stateOnly &= x instanceof StateOnly;
    }
    this.memoisable = stateOnly;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Decision place(Request request, ClusterView view) {
    if (memoisable && memoisable(request)) {
      return placeMemoised(request, view);
    }
    return placeReference(request, view);
  }

  /**
   * Sets how many node states may be interned and how many memo cells kept before the memo is
   * dropped and rebuilt (defaults: max(65,536, 8 x nodes) states and 16M cells). Small limits make
   * tests exercise that path; decisions do not depend on them.
   */
  public synchronized void limitMemo(int maxStates, long maxCells) {
    if (maxStates < 1 || maxCells < 1) {
      throw new IllegalArgumentException("limits must be positive: " + maxStates + ", " + maxCells);
    }
    stateCap = maxStates;
    cellCap = maxCells;
  }

  /**
   * The straightforward evaluation: every filter and scorer on every node. {@link #place} gives
   * exactly the same decisions; this path is kept for requests the memo does not cover and so that
   * tests can compare the two.
   */
  public Decision placeReference(Request request, ClusterView view) {
    Cluster c = view.cluster();
    int n = c.nodeIdBound();
    int[] feasible = new int[n];
    int f = 0;
    RejectReason[] reasons = null;
    for (int node = 0; node < n; node++) {
      RejectReason why = view.isSchedulable(node) ? null
          : c.isLive(node) ? RejectReason.NODE_CORDONED : RejectReason.NODE_REMOVED;
      for (int i = 0; i < filters.size() && why == null; i++) {
        why = filters.get(i).reject(request, view, node);
      }
      if (why == null) {
        feasible[f++] = node;
        if (scorers.isEmpty() && ties == Ties.NODE_ID) {
          break; // first fit: nothing can beat the lowest feasible id
        }
      } else {
        if (reasons == null) {
          reasons = new RejectReason[n];
        }
        reasons[node] = why;
      }
    }
    if (f == 0) {
      Decision.Rejected.Builder b = Decision.Rejected.builder(request.name(), n);
      for (int node = 0; node < n; node++) {
        b.reject(node, reasons[node]);
      }
      return b.build("");
    }
    double[][] parts = new double[scorers.size()][f];
    for (int s = 0; s < scorers.size(); s++) {
      NodeScorer scorer = scorers.get(s);
      double[] p = parts[s];
      for (int i = 0; i < f; i++) {
        p[i] = scorer.score(request, view, feasible[i]);
      }
    }
    return choose(request, view, n, feasible, f, parts, new double[f], false);
  }

  /** Normalises and weights the raw scores of the f feasible nodes, breaks ties, picks GPUs. */
  private Decision choose(Request request, ClusterView view, int n, int[] feasible, int f,
      double[][] parts, double[] total, boolean tabled) {
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
    int best = 0;
    int[] rk = ties == Ties.NODE_PRIORITY ? rank(n) : null;
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
    int node = feasible[best];
    List<GpuGrant> grants = picker.pick(request, view, node);
    Placement placement = new Placement(
        request.name(), node, request.cpuMilli(), request.memoryMib(), grants);
    Map<String, Double> breakdown = new LinkedHashMap<>();
    for (int s = 0; s < scorers.size(); s++) {
      breakdown.put(scorers.get(s).name(), weights[s] * parts[s][best]);
    }
    return new Decision.Placed(placement, total[best], breakdown);
  }

  // ---- memoised path ---------------------------------------------------------------------------

  /** Requests whose filter and score results depend only on their shape and the node state. */
  private static boolean memoisable(Request r) {
    return !(r.gpu() instanceof GpuDemand.Mig)
        && r.uuidInclude().isEmpty() && r.uuidExclude().isEmpty();
  }

  private synchronized Decision placeMemoised(Request request, ClusterView view) {
    Cluster c = view.cluster();
    if (c != cluster) {
      reset(c);
    }
    if (states > (stateCap > 0 ? stateCap : Math.max(MIN_STATE_CAP, 8 * nodeState.length))) {
      clearStates();
    }
    long version = view.version();
    if (view != lastView) {
      lastView = view;
      epoch++; // node versions of another view say nothing about this one
      validVersion = -1;
    }
    // every node was validated at this version of this view: no need to read node versions
    boolean trusted = version == validVersion;
    int n = nodeState.length;
    Memo memo = memo(request);
    memoCells += memo.cover(states, scorers.size());
    if (feasibleScratch.length != n) {
      feasibleScratch = new int[n];
      stateScratch = new int[n];
      partsScratch = new double[scorers.size()][n];
      totalScratch = new double[n];
    }
    int[] feasible = feasibleScratch;
    int[] fs = stateScratch;
    boolean firstFit = scorers.isEmpty() && ties == Ties.NODE_ID;
    byte[] status = memo.status;
    int f = 0;
    boolean all = true;
    for (int node = 0; node < n; node++) {
      if (!trusted) {
        if (!view.isSchedulable(node)) { // removed or cordoned: no state, no memo
          nodeState[node] = c.isLive(node) ? CORDONED_STATE : REMOVED_STATE;
          nodeEpoch[node] = epoch - 1; // re-read when it comes back
          continue;
        }
        int ver = view.nodeVersion(node);
        if (nodeEpoch[node] != epoch || nodeVersion[node] != ver) {
          nodeVersion[node] = ver;
          nodeEpoch[node] = epoch;
          nodeState[node] = intern(view, node);
        }
      }
      int s = nodeState[node];
      if (s < 0) {
        continue; // cordoned or removed
      }
      if (s >= status.length) {
        memoCells += memo.cover(states, scorers.size());
        status = memo.status;
      }
      byte st = status[s];
      if (st == UNKNOWN) {
        st = evaluate(request, view, node, s, memo);
        if (st == UNKNOWN) {
          return placeReference(request, view); // the node changed under this call
        }
      }
      if (st == FEASIBLE) {
        feasible[f] = node;
        fs[f++] = s;
        if (firstFit) {
          all = node == n - 1;
          break; // first fit: nothing can beat the lowest feasible id
        }
      }
    }
    if (all) {
      validVersion = version;
    }
    if (f == 0) {
      return rejection(request, n, status, memo);
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
    return choose(request, view, n, feasible, f, parts, total, true);
  }

  /**
   * The rejection the reference builds with {@link Decision.Rejected#builder}, with the reasons
   * counted in an array and the reason list shared with the shape's previous rejection when equal.
   */
  private Decision rejection(Request request, int n, byte[] status, Memo memo) {
    RejectReason[] why = memo.why;
    boolean same = why.length == n;
    if (!same) {
      why = new RejectReason[n];
    }
    int[] count = new int[REASONS.length];
    for (int node = 0; node < n; node++) {
      int s = nodeState[node];
      RejectReason r = s == CORDONED_STATE ? RejectReason.NODE_CORDONED
          : s == REMOVED_STATE ? RejectReason.NODE_REMOVED : REASONS[status[s] - REJECTED];
      count[r.ordinal()]++;
      if (why[node] != r) {
        if (same) {
          why = why.clone();
          same = false;
        }
        why[node] = r;
      }
    }
    if (!same) {
      memo.why = why;
      memo.whyList = List.of(why);
    }
    Map<RejectReason, Integer> counts = new EnumMap<>(RejectReason.class);
    for (int i = 0; i < count.length; i++) {
      if (count[i] > 0) {
        counts.put(REASONS[i], count[i]);
      }
    }
    Integer removed = counts.remove(RejectReason.NODE_REMOVED); // not nodes of the cluster
    return new Decision.Rejected(
        request.name(), n - (removed == null ? 0 : removed), memo.whyList, counts, "");
  }

  /**
   * Runs the filters and scorers on the node, whose state is {@code s}, and memoises them; {@link
   * #UNKNOWN} when the node's version moved meanwhile (a ledger mutated by another thread).
   */
  private byte evaluate(Request request, ClusterView view, int node, int s, Memo memo) {
    RejectReason why = null;
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
      st = (byte) (REJECTED + why.ordinal());
    }
    // a ledger changed under a running call (no snapshot): keep nothing, report UNKNOWN
    if (view.nodeVersion(node) != nodeVersion[node]) {
      return UNKNOWN;
    }
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

  private void reset(Cluster c) {
    cluster = c;
    int n = c.nodeIdBound();
    nodeType = new int[n];
    Map<List<GpuModel>, Integer> types = new HashMap<>();
    for (int node = 0; node < n; node++) {
      if (!c.isLive(node)) {
        continue;
      }
      List<GpuModel> models = new ArrayList<>();
      for (Gpu g : c.node(node).gpus()) {
        models.add(g.model());
      }
      Integer t = types.get(models);
      if (t == null) {
        t = types.size();
        types.put(models, t);
      }
      nodeType[node] = t;
    }
    nodeVersion = new int[n];
    nodeEpoch = new long[n];
    nodeState = new int[n];
    clearStates();
  }

  private void clearStates() {
    stateIds.clear();
    memos.clear();
    memoCells = 0;
    states = 0;
    epoch++;
    validVersion = -1;
  }

  /**
   * The node's state id: node type (its GPU models in index order), free CPU, free memory and
   * each GPU's mode, free compute and free memory, in index order.
   */
  private int intern(ClusterView v, int node) {
    int base = cluster.gpuOffset(node);
    int g = cluster.node(node).gpuCount();
    int[] key = new int[3 + 3 * g];
    key[0] = nodeType[node];
    key[1] = v.freeCpuMilli(node);
    key[2] = v.freeMemoryMib(node);
    for (int i = 0; i < g; i++) {
      key[3 + 3 * i] = v.gpuMode(base + i).ordinal() + (v.isGpuHealthy(base + i) ? 0 : 8);
      key[4 + 3 * i] = v.gpuFreeComputeMilli(base + i);
      key[5 + 3 * i] = v.gpuFreeMemoryMib(base + i);
    }
    StateKey k = new StateKey(key);
    Integer id = stateIds.get(k);
    if (id == null) {
      id = states++;
      stateIds.put(k, id);
    }
    return id;
  }

  /** What the filters and scorers read from a request (UUID filters and MIG take the reference). */
  private record ShapeKey(int cpu, int memory, GpuDemand gpu, Set<String> include,
      Set<String> exclude) {}

  /** An interned node state. */
  private static final class StateKey {
    final int[] key;
    final int hash;

    StateKey(int[] key) {
      this.key = key;
      this.hash = Arrays.hashCode(key);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof StateKey k && k.hash == hash && Arrays.equals(k.key, key);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** Filter outcome and raw scores of one request shape, by state id. */
  private static final class Memo {
    byte[] status = new byte[0];
    double[][] raw = new double[0][];
    /** The reasons of the shape's last rejection (never modified once shared) and their list. */
    RejectReason[] why = new RejectReason[0];
    List<RejectReason> whyList = List.of();

    /** Grows the arrays to at least {@code states} states; returns how many cells were added. */
    int cover(int states, int scorers) {
      if (status.length >= states && raw.length == scorers) {
        return 0;
      }
      int before = status.length;
      int len = Math.max(states, Math.max(64, status.length * 2));
      status = Arrays.copyOf(status, len);
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

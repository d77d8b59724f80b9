package io.gpualloc.binpack.internal;

import io.gpualloc.binpack.TargetWorkload;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterView;
import io.gpualloc.core.Decision;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import io.gpualloc.core.PlacementPolicy;
import io.gpualloc.core.RejectReason;
import io.gpualloc.core.Request;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Fragmentation gradient descent (Weng et al., USENIX ATC '23): place the request where the
 * growth of the cluster's fragmentation against the target workload, Delta = F_after - F_before,
 * is smallest. Three node-choice rules:
 *
 * <ul>
 *   <li>{@link Mode#EXACT}: exact integer argmin of Delta; ties by node id, then GPU index.
 *   <li>{@link Mode#SIMULATOR}: the reference simulator's quantised score {@code
 *       int(100 sigmoid(-Delta/1000))}, the first GPU index reaching the node's best score, and ties
 *       among nodes broken by a seeded random node priority fixed for the instance.
 *   <li>{@link Mode#BUCKETED}: Delta rounded down to buckets of 100 milli-GPU, the lowest bucket
 *       wins, ties broken by a seeded random node priority fixed for the instance (see {@code
 *       docs/policies.md}: treating near-equal Deltas as equal and breaking ties consistently packs
 *       tasks onto the same nodes).
 * </ul>
 *
 * <p>Speed: per-node states (free CPU and the multiset of GPU codes) are interned into ids and
 * refreshed only when {@link ClusterView#nodeVersion} changes (not at all when the view and its
 * version are unchanged); F of a state is computed once; Delta of a (state, request shape) pair is
 * memoised across decisions in a dense per-shape array, so nodes in identical states share one
 * evaluation and a decision costs a few array reads per node. Requests with UUID filters or
 * MIG demands take a direct path without memoisation.
 *
 * <p>The caches assume the policy instance follows one ledger and its snapshots; a {@code fork()}
 * that diverges needs its own instance (a decision is checked against the view before it is
 * returned, and a stale cache is rebuilt). Calls are synchronised.
 *
 * <p>The descent machinery is shared with variants through a package-private constructor taking a
 * {@code Measure}: the fragmentation measure of a node state and an extra cost per milli-GPU taken
 * (see {@link CapacityAwareFragmentationDescent}). The public constructor uses FGD's own measure.
 */
public final class FragmentationGradientDescent implements PlacementPolicy {

  /**
   * The parts of the descent a variant changes: the fragmentation F of a node state, an extra cost
   * per milli-GPU taken from a GPU of a given model, and what a change of cluster does to them.
   */
  interface Measure {
    /** F of a node with {@code freeCpu} free millicores and GPU codes {@code codes}, scaled. */
    long of(int freeCpu, long[] codes);

    /** Extra scaled cost per milli-GPU taken from a GPU of engine model index {@code model}. */
    default double costPerMilli(int model) {
      return 0;
    }

    /**
     * Called at the end of a cache reset for cluster {@code c} ({@code nodeModelIdx}: engine model
     * index per node and GPU).
     *
     * @return whether memoised Deltas depend on the cluster and must be dropped
     */
    default boolean clusterChanged(Cluster c, int[][] nodeModelIdx) {
      return false;
    }
  }

  /** How the node and GPU are chosen from Delta. */
  public enum Mode {
    /** Exact argmin, deterministic ties. */
    EXACT,
    /** The reference simulator's quantised score and random ties. */
    SIMULATOR,
    /** Delta in buckets of {@link #BUCKET_MILLI}; ties by a fixed seeded node priority. */
    BUCKETED
  }

  private static final long INFEASIBLE = Long.MAX_VALUE;
  private static final long UNKNOWN = Long.MIN_VALUE;
  /** Width of a Delta bucket in {@link Mode#BUCKETED}, milli-GPU. */
  public static final long BUCKET_MILLI = 100;

  private final String name;
  private final Mode mode;
  private final long seed;
  private final FragEngine engine;
  private final Measure measure;

  private int[] rank = new int[0];
  private Cluster cluster;
  private int[] nodeVersion = new int[0];
  private int[] nodeCpu = new int[0];
  private int[] nodeWhole = new int[0];
  private int[] nodeMem = new int[0];
  private ClusterView lastView;
  private long lastVersion = -1;
  private int[] nodeState = new int[0];
  private int[][] nodeModelIdx = new int[0][];

  private final Map<StateKey, Integer> stateIds = new HashMap<>();
  private int[] stCpu = new int[64];
  private long[][] stCodes = new long[64][];
  private long[] stFrag = new long[64];
  private int states;

  private final Map<List<Object>, Shape> shapes = new HashMap<>();

  /** A policy named {@code name} against workload M. */
  public FragmentationGradientDescent(String name, TargetWorkload m, Mode mode, long seed) {
    this(name, new FragEngine(m), mode, seed, null);
  }

  /**
   * A policy named {@code name} over {@code engine}, with fragmentation measure {@code measure}
   * (null: FGD's own, {@link FragEngine#scaled}).
   */
  FragmentationGradientDescent(
      String name, FragEngine engine, Mode mode, long seed, @Nullable Measure measure) {
    this.name = name;
    this.mode = mode;
    this.seed = seed;
    this.engine = engine;
    this.measure = measure != null ? measure : engine::scaled;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public synchronized Decision place(Request request, ClusterView view) {
    Decision d = decide(request, view);
    if (d instanceof Decision.Placed p && !valid(request, view, p.placement())) {
      // a stale cache (a diverged fork with equal node versions): rebuild and decide again
      reset(view.cluster());
      d = decide(request, view);
    }
    return d;
  }

  private boolean valid(Request r, ClusterView v, Placement p) {
    if (Fit.cpu(r, v, p.nodeId()) != null || Fit.memory(r, v, p.nodeId()) != null) {
      return false;
    }
    for (GpuGrant g : p.grants()) {
      if (g instanceof GpuGrant.Whole && !Fit.canTakeWhole(r, v, p.nodeId(), g.gpuIndex())) {
        return false;
      }
      if (g instanceof GpuGrant.Share && !Fit.canTakeShare(r, v, p.nodeId(), g.gpuIndex())) {
        return false;
      }
    }
    return true;
  }

  private Decision decide(Request r, ClusterView v) {
    if (cluster != v.cluster()) {
      reset(v.cluster());
    }
    int n = cluster.nodeIdBound();
    boolean direct = r.gpu() instanceof GpuDemand.Mig
        || !r.uuidInclude().isEmpty() || !r.uuidExclude().isEmpty();
    Shape shape = direct ? null : shape(r);
    if (mode != Mode.EXACT && rank.length != n) {
      rank = Seeds.rank(seed, n);
    }
    int best = -1;
    long bestDelta = 0;
    long bestKey = 0;
    int bestScore = -1;
    if (!direct) {
      refreshAll(v);
    }
    int reqMem = r.memoryMib();
    for (int node = 0; node < n; node++) {
      if (!v.isSchedulable(node)) {
        continue; // removed or cordoned
      }
      long delta;
      if (direct) {
        if (Fit.check(r, v, node) != null) {
          continue;
        }
        long[] codes = engine.nodeCodes(v, node);
        int cpu = v.freeCpuMilli(node);
        List<GpuGrant> grants = directGrants(r, v, node, codes);
        long[] after = applyGrants(codes, grants, r);
        delta = measure.of(cpu - r.cpuMilli(), after) - measure.of(cpu, codes);
      } else {
        if (nodeMem[node] < reqMem) {
          continue;
        }
        int s = nodeState[node];
        long[] memo = shape.delta;
        if (s >= memo.length) {
          memo = shape.grow(states);
        }
        delta = memo[s];
        if (delta == UNKNOWN) {
          delta = computeDelta(s, shape);
          memo[s] = delta;
        }
        if (delta == INFEASIBLE) {
          continue;
        }
      }
      if (mode == Mode.SIMULATOR) {
        int score = simScore(delta);
        if (score > bestScore || (score == bestScore && rank[node] < rank[best])) {
          bestScore = score;
          best = node;
          bestDelta = delta;
        }
      } else if (mode == Mode.BUCKETED) {
        long key = Math.floorDiv(delta, BUCKET_MILLI * engine.totalWeight());
        if (best < 0 || key < bestKey || (key == bestKey && rank[node] < rank[best])) {
          bestKey = key;
          best = node;
          bestDelta = delta;
        }
      } else if (best < 0 || delta < bestDelta) {
        best = node;
        bestDelta = delta;
      }
    }
    if (best < 0) {
      Decision.Rejected.Builder b = Decision.Rejected.builder(r.name(), n);
      for (int node = 0; node < n; node++) {
        RejectReason why = v.isSchedulable(node) ? Fit.check(r, v, node)
            : cluster.isLive(node) ? RejectReason.NODE_CORDONED : RejectReason.NODE_REMOVED;
        b.reject(node, why == null ? RejectReason.POLICY : why);
      }
      return b.build("");
    }
    long[] codes = engine.nodeCodes(v, best);
    List<GpuGrant> grants = direct
        ? directGrants(r, v, best, codes) : chooseGpus(r, v, best, codes);
    Placement p = new Placement(r.name(), best, r.cpuMilli(), r.memoryMib(), grants);
    double deltaMilli = engine.totalWeight() == 0 ? 0 : (double) bestDelta / engine.totalWeight();
    Map<String, Double> breakdown = new LinkedHashMap<>();
    breakdown.put("delta-milli-gpu", deltaMilli);
    double score = mode == Mode.SIMULATOR ? simScore(bestDelta) : -deltaMilli;
    breakdown.put(name, score);
    return new Decision.Placed(p, score, breakdown);
  }

  private int simScore(long scaledDelta) {
    double delta = engine.totalWeight() == 0 ? 0 : (double) scaledDelta / engine.totalWeight();
    return (int) (100.0 / (1.0 + Math.exp(delta / 1000.0)));
  }

  /** GPUs on the chosen node: whole GPUs lowest index first; shares by the mode's GPU rule. */
  private List<GpuGrant> chooseGpus(Request r, ClusterView v, int node, long[] codes) {
    GpuDemand d = r.gpu();
    if (!(d instanceof GpuDemand.Shared s)) {
      return Fit.grants(r, v, node, Fit.ShareOrder.FIRST);
    }
    return greedyShares(r, v, node, codes, s);
  }

  /** Shares one GPU at a time, each where Delta is smallest (simulator: best integer score). */
  private List<GpuGrant> greedyShares(
      Request r, ClusterView v, int node, long[] codes, GpuDemand.Shared s) {
    long[] cur = codes.clone();
    int cpuAfter = v.freeCpuMilli(node) - r.cpuMilli();
    long before = mode == Mode.SIMULATOR ? measure.of(v.freeCpuMilli(node), codes) : 0;
    boolean[] used = new boolean[cur.length];
    List<GpuGrant> out = new ArrayList<>();
    for (int k = 0; k < s.count(); k++) {
      int bestIdx = -1;
      long bestF = 0;
      int bestScore = -1;
      for (int i = 0; i < cur.length; i++) {
        if (used[i] || !Fit.canTakeShare(r, v, node, i)) {
          continue;
        }
        long save = cur[i];
        cur[i] = FragEngine.afterShare(save, s.computeMilli(), s.memoryMib());
        long f = measure.of(cpuAfter, cur);
        cur[i] = save;
        if (mode == Mode.SIMULATOR) {
          int score = simScore(f - before);
          if (score > bestScore) {
            bestScore = score;
            bestIdx = i;
          }
        } else if (bestIdx < 0 || f < bestF) {
          bestF = f;
          bestIdx = i;
        }
      }
      used[bestIdx] = true;
      cur[bestIdx] = FragEngine.afterShare(cur[bestIdx], s.computeMilli(), s.memoryMib());
      out.add(GpuGrant.share(bestIdx, s.computeMilli(), s.memoryMib()));
    }
    out.sort(java.util.Comparator.comparingInt(GpuGrant::gpuIndex));
    return out;
  }

  private List<GpuGrant> directGrants(Request r, ClusterView v, int node, long[] codes) {
    if (r.gpu() instanceof GpuDemand.Shared s) {
      return greedyShares(r, v, node, codes, s);
    }
    return Fit.grants(r, v, node, Fit.ShareOrder.FIRST);
  }

  private static long[] applyGrants(long[] codes, List<GpuGrant> grants, Request r) {
    long[] after = codes.clone();
    for (GpuGrant g : grants) {
      int i = g.gpuIndex();
      if (g instanceof GpuGrant.Share s) {
        after[i] = FragEngine.afterShare(after[i], s.computeMilli(), s.memoryMib());
      } else {
        after[i] = FragEngine.afterWhole(after[i]);
      }
    }
    return after;
  }

  // ---- caches ---------------------------------------------------------------------------------

  private void reset(Cluster c) {
    cluster = c;
    int n = c.nodeIdBound();
    nodeVersion = new int[n];
    nodeCpu = new int[n];
    nodeWhole = new int[n];
    nodeMem = new int[n];
    nodeState = new int[n];
    lastView = null;
    lastVersion = -1;
    nodeModelIdx = new int[n][];
    Arrays.fill(nodeState, -1);
    for (int i = 0; i < n; i++) {
      if (!c.isLive(i)) {
        nodeModelIdx[i] = new int[0]; // a removed id
        continue;
      }
      Node node = c.node(i);
      int[] idx = new int[node.gpuCount()];
      for (int g = 0; g < idx.length; g++) {
        idx[g] = engine.modelIndex(node.gpus().get(g).model());
      }
      nodeModelIdx[i] = idx;
    }
    for (Shape s : shapes.values()) {
      s.extend(engine);
    }
    if (measure.clusterChanged(c, nodeModelIdx)) {
      for (Shape s : shapes.values()) {
        s.delta = new long[0];
      }
    }
  }

  /** Refreshes every node whose version changed; nothing when the view and version are the same. */
  private void refreshAll(ClusterView v) {
    long version = v.version();
    if (v == lastView && version == lastVersion) {
      return;
    }
    int n = nodeState.length;
    for (int node = 0; node < n; node++) {
      if (!v.isSchedulable(node)) {
        continue; // removed or cordoned: never a candidate
      }
      if (nodeState[node] < 0 || nodeVersion[node] != v.nodeVersion(node)) {
        refresh(v, node);
      }
    }
    lastView = v;
    lastVersion = version;
  }

  private void refresh(ClusterView v, int node) {
    int ver = v.nodeVersion(node);
    int cpu = v.freeCpuMilli(node);
    int whole = v.freeWholeGpus(node);
    int base = cluster.gpuOffset(node);
    int[] models = nodeModelIdx[node];
    long[] codes = new long[models.length];
    for (int i = 0; i < codes.length; i++) {
      codes[i] = engine.code(v, base + i, models[i]);
    }
    Arrays.sort(codes);
    nodeState[node] = intern(cpu, codes);
    nodeVersion[node] = ver;
    nodeCpu[node] = cpu;
    nodeWhole[node] = whole;
    nodeMem[node] = v.freeMemoryMib(node);
  }

  private int intern(int cpu, long[] sortedCodes) {
    StateKey key = new StateKey(cpu, sortedCodes);
    Integer id = stateIds.get(key);
    if (id != null) {
      return id;
    }
    int s = states++;
    if (s == stCpu.length) {
      int len = s * 2;
      stCpu = Arrays.copyOf(stCpu, len);
      stCodes = Arrays.copyOf(stCodes, len);
      stFrag = Arrays.copyOf(stFrag, len);
    }
    stCpu[s] = cpu;
    stCodes[s] = sortedCodes;
    stFrag[s] = measure.of(cpu, sortedCodes);
    stateIds.put(key, s);
    return s;
  }

  private long computeDelta(int s, Shape shape) {
    int cpu = stCpu[s];
    if (cpu < shape.cpu) {
      return INFEASIBLE;
    }
    long[] codes = stCodes[s];
    int cpuAfter = cpu - shape.cpu;
    long[] cur = codes.clone();
    double pen = 0;
    if (shape.kind == 1) {
      int taken = 0;
      for (int i = 0; i < cur.length && taken < shape.count; i++) {
        if (FragEngine.full(cur[i]) && shape.allowed[FragEngine.model(cur[i])]) {
          pen += measure.costPerMilli(FragEngine.model(cur[i])) * 1000;
          cur[i] = FragEngine.afterWhole(cur[i]);
          taken++;
        }
      }
      if (taken < shape.count) {
        return INFEASIBLE;
      }
    } else if (shape.kind == 2) {
      boolean[] used = new boolean[cur.length];
      for (int k = 0; k < shape.count; k++) {
        int bestIdx = -1;
        long bestF = 0;
        long prevCode = -1;
        for (int i = 0; i < cur.length; i++) {
          long c = cur[i];
          if (used[i] || c == prevCode || !shape.allowed[FragEngine.model(c)]
              || FragEngine.compute(c) < shape.milli || FragEngine.memory(c) < shape.mem) {
            continue;
          }
          prevCode = c;
          cur[i] = FragEngine.afterShare(c, shape.milli, shape.mem);
          long f = measure.of(cpuAfter, cur);
          cur[i] = c;
          if (bestIdx < 0 || f < bestF) {
            bestF = f;
            bestIdx = i;
          }
        }
        if (bestIdx < 0) {
          return INFEASIBLE;
        }
        used[bestIdx] = true;
        pen += measure.costPerMilli(FragEngine.model(cur[bestIdx])) * shape.milli;
        cur[bestIdx] = FragEngine.afterShare(cur[bestIdx], shape.milli, shape.mem);
      }
    }
    return measure.of(cpuAfter, cur) - stFrag[s] + Math.round(pen);
  }

  private Shape shape(Request r) {
    GpuDemand d = r.gpu();
    int kind = d instanceof GpuDemand.Whole ? 1 : d instanceof GpuDemand.Shared ? 2 : 0;
    List<Object> key = List.of(r.cpuMilli(), kind, d.count(), Baselines.perGpuMilli(r),
        d instanceof GpuDemand.Shared s ? s.memoryMib() : 0, r.modelInclude(), r.modelExclude());
    Shape shape = shapes.get(key);
    if (shape == null) {
      if (shapes.size() >= (1 << 24) - 1) {
        throw new IllegalStateException("more than 16M request shapes");
      }
      shape = new Shape(shapes.size(), r, kind);
      shape.extend(engine);
      shapes.put(key, shape);
    }
    return shape;
  }

  /** A request shape: what Delta depends on. */
  private static final class Shape {
    final int id;
    final int cpu;
    final int kind;
    final int count;
    final int milli;
    final int mem;
    final Set<String> include;
    final Set<String> exclude;
    boolean[] allowed = new boolean[0];
    /** Delta of this shape per state id (scaled), INFEASIBLE, or UNKNOWN: the memo. */
    long[] delta = new long[0];
    final List<GpuModel> seen = new ArrayList<>();

    Shape(int id, Request r, int kind) {
      this.id = id;
      this.cpu = r.cpuMilli();
      this.kind = kind;
      this.count = r.gpu().count();
      this.milli = Baselines.perGpuMilli(r);
      this.mem = r.gpu() instanceof GpuDemand.Shared s ? s.memoryMib() : 0;
      this.include = r.modelInclude();
      this.exclude = r.modelExclude();
    }

    /** Grows the memo to cover {@code states} state ids. */
    long[] grow(int states) {
      int len = Math.max(states, delta.length * 2);
      long[] d = Arrays.copyOf(delta, len);
      Arrays.fill(d, delta.length, len, UNKNOWN);
      delta = d;
      return d;
    }

    /** Computes whether each model the engine knows is allowed. */
    void extend(FragEngine e) {
      List<GpuModel> models = e.models();
      if (allowed.length == models.size()) {
        return;
      }
      boolean[] a = Arrays.copyOf(allowed, models.size());
      for (int i = allowed.length; i < models.size(); i++) {
        String m = models.get(i).name();
        a[i] = (include.isEmpty() || include.contains(m)) && !exclude.contains(m);
      }
      allowed = a;
    }
  }

  /** Key of an interned node state. */
  private static final class StateKey {
    final int cpu;
    final long[] codes;
    final int hash;

    StateKey(int cpu, long[] codes) {
      this.cpu = cpu;
      this.codes = codes;
      this.hash = 31 * cpu + Arrays.hashCode(codes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof StateKey k && k.cpu == cpu && Arrays.equals(k.codes, codes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}

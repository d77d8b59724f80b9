package io.gpualloc.binpack.internal;

import io.gpualloc.binpack.TargetWorkload;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterView;
import io.gpualloc.core.Decision;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.Node;
import io.gpualloc.core.NodeRejection;
import io.gpualloc.core.NodeScores;
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
  private final Ranking ranking;
  private final long seed;
  private final FragEngine engine;
  private final Measure measure;
  private TopologyTerm topology = TopologyTerm.none();
  private int[] candNode = new int[0];
  private long[] candDelta = new long[0];
  private int candidates;
  /** The breakdown term holding Delta in milli-GPU. */
  public static final String DELTA_TERM = "delta-milli-gpu";

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

  private final Map<ShapeKey, Shape> shapes = new HashMap<>();
  /** Shapes memoised before the shape memo is dropped and rebuilt on demand. */
  private int shapeCap = MAX_SHAPES;
  /** Default of {@link #shapeCap}: each shape keeps a delta per node state. */
  static final int MAX_SHAPES = 4096;

  /** What a request's GPU demand is, for the memoised path (MIG takes the direct path). */
  private enum Kind {
    NONE,
    WHOLE,
    SHARED
  }

  /** What Delta depends on in a request: CPU, demand kind, count, per-GPU amounts, model filters. */
  private record ShapeKey(int cpu, Kind kind, int count, int milli, int mem, Set<String> include,
      Set<String> exclude) {}

  /** A policy named {@code name} against workload M. */
  public FragmentationGradientDescent(String name, TargetWorkload m, Mode mode, long seed) {
    this(name, new FragEngine(m), mode, seed, null);
  }

  /** A policy named {@code name} against workload M, with an intra-node topology constraint. */
  public FragmentationGradientDescent(String name, TargetWorkload m, Mode mode, long seed,
      TopologyTerm topology) {
    this(name, new FragEngine(m), mode, seed, null);
    this.topology = topology;
  }

  /**
   * A policy named {@code name} over {@code engine}, with fragmentation measure {@code measure}
   * (null: FGD's own, {@link FragEngine#scaled}).
   */
  FragmentationGradientDescent(
      String name, FragEngine engine, Mode mode, long seed, @Nullable Measure measure) {
    this.name = name;
    this.mode = mode;
    this.ranking = switch (mode) {
      case EXACT -> new ExactArgmin();
      case SIMULATOR -> new SimulatorScore();
      case BUCKETED -> new BucketedDelta();
    };
    this.seed = seed;
    this.engine = engine;
    this.measure = measure != null ? measure : engine::scaled;
  }

  @Override
  public String name() {
    return name;
  }

  /** Sets the intra-node topology constraint applied to requests that ask for one. */
  synchronized void topology(TopologyTerm t) {
    this.topology = t;
  }

  /**
   * Sets how many request shapes are memoised before the shape memo is dropped and rebuilt
   * (default {@value #MAX_SHAPES}). A small limit makes tests exercise that path; decisions do not
   * depend on it.
   *
   * @param maxShapes at least 1
   * @throws InvalidSpecException when {@code maxShapes} is below 1
   */
  public synchronized void limitShapes(int maxShapes) {
    if (maxShapes < 1) {
      throw InvalidSpecException.of("policy fgd", "maxShapes", maxShapes, ">= 1");
    }
    shapeCap = maxShapes;
  }

  @Override
  public synchronized Decision place(Request request, ClusterView view) {
    if (topology.applies(request)) {
      return scoreAll(request, view).best();
    }
    Decision d = decide(request, view);
    if (d instanceof Decision.Placed p && !valid(request, view, p.placement())) {
      // a stale cache (a diverged fork with equal node versions): rebuild and decide again
      reset(view.cluster());
      d = decide(request, view);
    }
    return d;
  }

  @Override
  public synchronized NodeScores scoreAll(Request request, ClusterView view) {
    Decision d = decide(request, view);
    if (d instanceof Decision.Placed p && !valid(request, view, p.placement())) {
      reset(view.cluster());
      d = decide(request, view);
    }
    return topology.apply(request, view, scores(request, view, d));
  }

  /**
   * Every candidate of the last {@link #decide} in the mode's order (its winner first), with the
   * grants the policy would make on each; the other nodes' rejections.
   */
  private NodeScores scores(Request r, ClusterView v, Decision d) {
    int n = cluster.nodeIdBound();
    List<String> terms = List.of(DELTA_TERM, name);
    NodeScores.Builder b = NodeScores.builder(r, cluster, terms);
    int f = candidates;
    double[] key = new double[f];
    int[] tie = new int[f];
    int[] order = new int[f];
    for (int i = 0; i < f; i++) {
      key[i] = score(candDelta[i]);
      tie[i] = ranking.tie(candNode[i]);
      order[i] = i;
    }
    Explain.sortDescending(order, 0, f, key, tie);
    boolean direct = isDirect(r);
    Shape sh = direct ? null : shape(r);
    NodeCache cache = direct ? null : nodeCache(sh, v, n, r.memoryMib());
    NodeCache picks = direct ? null : grantCache(sh, v, n);
    double[] parts = new double[2]; // copied by the builder
    for (int j = 0; j < f; j++) {
      int i = order[j];
      int node = candNode[i];
      List<GpuGrant> grants;
      if (j == 0 && d instanceof Decision.Placed p) {
        grants = p.placement().grants();
      } else if (picks != null && picks.fresh(v, node) && picks.value[node] instanceof List<?> l) {
        @SuppressWarnings("unchecked")
        List<GpuGrant> g = (List<GpuGrant>) l;
        grants = g;
      } else {
        long[] codes = engine.nodeCodes(v, node);
        grants = List.copyOf(direct ? directGrants(r, v, node, codes)
            : chooseGpus(r, v, node, codes));
        if (picks != null) {
          picks.put(v, node, grants);
        }
      }
      parts[0] = deltaMilli(candDelta[i]);
      parts[1] = key[i];
      b.scored(node, key[i], parts, grants);
    }
    // candNode is in ascending node order: the others are the gaps
    for (int node = 0, k = 0; node < n; node++) {
      if (k < f && candNode[k] == node) {
        k++;
        continue;
      }
      b.rejected(node, cachedRejection(r, v, node, cache));
    }
    return b.build(f == 0 ? ((Decision.Rejected) d).message() : "");
  }

  /** The shape's per-node cache of grants and rejections for {@code v}, reset for another view. */
  private NodeCache nodeCache(Shape shape, ClusterView v, int n, int memoryMib) {
    NodeCache c = shape.nodes.get(memoryMib);
    if (c == null || c.view != v || c.cluster != cluster || c.value.length != n) {
      if (shape.nodes.size() >= 16) {
        shape.nodes.clear(); // bounds the memory: a few host-memory sizes per shape are typical
      }
      c = new NodeCache(v, cluster, n);
      shape.nodes.put(memoryMib, c);
    }
    return c;
  }

  /**
   * The shape's per-node cache of grants for {@code v}, reset for another view: grants do not
   * depend on the request's host memory (rejections do), so one cache serves every memory size.
   */
  private NodeCache grantCache(Shape shape, ClusterView v, int n) {
    NodeCache c = shape.grants;
    if (c == null || c.view != v || c.cluster != cluster || c.value.length != n) {
      c = new NodeCache(v, cluster, n);
      shape.grants = c;
    }
    return c;
  }

  /**
   * What {@link #scoreAll} computed per node for one request shape on one view object: the grants
   * of a candidate node or the rejection of another, valid while the node's version is unchanged.
   */
  private static final class NodeCache {
    final ClusterView view;
    final Cluster cluster;
    final int[] version;
    final Object[] value;

    NodeCache(ClusterView view, Cluster cluster, int n) {
      this.view = view;
      this.cluster = cluster;
      this.version = new int[n];
      this.value = new Object[n];
    }

    boolean fresh(ClusterView v, int node) {
      return value[node] != null && version[node] == v.nodeVersion(node);
    }

    void put(ClusterView v, int node, Object x) {
      version[node] = v.nodeVersion(node);
      value[node] = x;
    }
  }

  /** The node's rejection, from the shape's node cache when it is fresh. */
  private static NodeRejection cachedRejection(Request r, ClusterView v, int node,
      @Nullable NodeCache cache) {
    NodeRejection out = Explain.unavailable(v, node);
    if (out != null) {
      return out;
    }
    if (cache != null && cache.fresh(v, node) && cache.value[node] instanceof NodeRejection x) {
      return x;
    }
    NodeRejection why = rejection(r, v, node);
    if (cache != null) {
      cache.put(v, node, why);
    }
    return why;
  }

  private static NodeRejection rejection(Request r, ClusterView v, int node) {
    NodeRejection out = Explain.unavailable(v, node);
    if (out != null) {
      return out;
    }
    NodeRejection why = Fit.check(r, v, node);
    return why != null ? why : NodeRejection.of(RejectReason.POLICY, RejectReason.POLICY.text());
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
    boolean direct = isDirect(r);
    if (candNode.length != n) {
      candNode = new int[n];
      candDelta = new long[n];
    }
    candidates = 0;
    Shape shape = direct ? null : shape(r);
    if (mode != Mode.EXACT && rank.length != n) {
      rank = Seeds.rank(seed, n);
    }
    int best = -1;
    long bestDelta = 0;
    long bestKey = 0;
    boolean byRank = ranking.byRank();
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
      candNode[candidates] = node;
      candDelta[candidates++] = delta;
      long key = ranking.key(delta);
      if (best < 0 || key < bestKey || (key == bestKey && byRank && rank[node] < rank[best])) {
        bestKey = key;
        best = node;
        bestDelta = delta;
      }
    }
    if (best < 0) {
      Decision.Rejected.Builder b = Decision.Rejected.builder(r.name(), n);
      NodeRejection[] why = new NodeRejection[n];
      NodeCache cache = direct ? null : nodeCache(shape, v, n, r.memoryMib());
      for (int node = 0; node < n; node++) {
        why[node] = cachedRejection(r, v, node, cache);
        b.reject(node, why[node]);
      }
      return b.build(Explain.message(v, why));
    }
    long[] codes = engine.nodeCodes(v, best);
    List<GpuGrant> grants = direct
        ? directGrants(r, v, best, codes) : chooseGpus(r, v, best, codes);
    Placement p = new Placement(r.name(), best, r.cpuMilli(), r.memoryMib(), grants);
    Map<String, Double> breakdown = new LinkedHashMap<>();
    breakdown.put(DELTA_TERM, deltaMilli(bestDelta));
    double score = score(bestDelta);
    breakdown.put(name, score);
    return new Decision.Placed(p, score, breakdown);
  }

  private static boolean isDirect(Request r) {
    return r.gpu() instanceof GpuDemand.Mig
        || !r.uuidInclude().isEmpty() || !r.uuidExclude().isEmpty();
  }

  private double deltaMilli(long scaledDelta) {
    return engine.totalWeight() == 0 ? 0 : (double) scaledDelta / engine.totalWeight();
  }

  /** The policy's score of a scaled Delta, monotone in its ranking ({@link Ranking#score}). */
  private double score(long scaledDelta) {
    return ranking.score(scaledDelta);
  }

  /**
   * How Delta ranks nodes, one implementation per rule: the policy's score of a Delta (larger is
   * better, so the scored list is non-increasing) and the tie key among equal scores.
   */
  private abstract class Ranking {
    /** The score of a scaled Delta; larger is better, monotone in {@link #key}. */
    abstract double score(long scaledDelta);

    /** The ranking key of a scaled Delta: smaller is better (minus the score, as a long). */
    abstract long key(long scaledDelta);

    /** Whether equal keys go to the lowest node priority (else to the lowest node id). */
    boolean byRank() {
      return true;
    }

    /** The tie key of a node among equal scores; smaller wins. */
    int tie(int node) {
      return byRank() ? rank[node] : node;
    }

    /** Whether shares go to the GPU with the best integer simulator score (first index wins). */
    boolean simulatorGpuChoice() {
      return false;
    }
  }

  /** FGD's exact rule: argmin Delta, ties to the lowest node id. Score: minus Delta, milli-GPU. */
  private final class ExactArgmin extends Ranking {
    @Override
    double score(long scaledDelta) {
      double s = -deltaMilli(scaledDelta);
      return s == 0 ? 0.0 : s;
    }

    @Override
    long key(long scaledDelta) {
      return scaledDelta;
    }

    @Override
    boolean byRank() {
      return false;
    }
  }

  /**
   * The reference simulator's rule: the integer score {@code int(100 sigmoid(-Delta/1000))},
   * ties by the seeded node priority fixed for the instance; shares go to the first GPU with the
   * best integer score.
   */
  private final class SimulatorScore extends Ranking {
    @Override
    double score(long scaledDelta) {
      return simScore(scaledDelta);
    }

    @Override
    long key(long scaledDelta) {
      return -simScore(scaledDelta);
    }

    @Override
    boolean simulatorGpuChoice() {
      return true;
    }
  }

  /**
   * Ours: Delta rounded down to buckets of {@link #BUCKET_MILLI} milli-GPU, the lowest bucket
   * wins, ties by the seeded node priority. Score: minus the bucket's lower edge, milli-GPU.
   */
  private final class BucketedDelta extends Ranking {
    @Override
    double score(long scaledDelta) {
      double s = -(double) key(scaledDelta) * BUCKET_MILLI;
      return s == 0 ? 0.0 : s;
    }

    @Override
    long key(long scaledDelta) {
      return Math.floorDiv(scaledDelta, BUCKET_MILLI * engine.totalWeight());
    }
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
    boolean simulator = ranking.simulatorGpuChoice();
    long before = simulator ? measure.of(v.freeCpuMilli(node), codes) : 0;
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
        if (simulator) {
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
    if (shape.kind == Kind.WHOLE) {
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
    } else if (shape.kind == Kind.SHARED) {
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
    Kind kind = d instanceof GpuDemand.Whole ? Kind.WHOLE
        : d instanceof GpuDemand.Shared ? Kind.SHARED : Kind.NONE;
    ShapeKey key = new ShapeKey(r.cpuMilli(), kind, d.count(), Baselines.perGpuMilli(r),
        d instanceof GpuDemand.Shared s ? s.memoryMib() : 0, r.modelInclude(), r.modelExclude());
    Shape shape = shapes.get(key);
    if (shape == null) {
      if (shapes.size() >= shapeCap) {
        shapes.clear(); // bounds the memory; a dropped shape's deltas are recomputed on demand
      }
      shape = new Shape(r, kind);
      shape.extend(engine);
      shapes.put(key, shape);
    }
    return shape;
  }

  /** A request shape: what Delta depends on. */
  private static final class Shape {
    final int cpu;
    final Kind kind;
    final int count;
    final int milli;
    final int mem;
    final Set<String> include;
    final Set<String> exclude;
    boolean[] allowed = new boolean[0];
    /**
     * Per-node rejections, by the request's host memory (which Delta ignores but a
     * rejection reports).
     */
    final Map<Integer, NodeCache> nodes = new HashMap<>();
    /** Per-node grants of the candidates, for any host memory. */
    @Nullable NodeCache grants;
    /** Delta of this shape per state id (scaled), INFEASIBLE, or UNKNOWN: the memo. */
    long[] delta = new long[0];
    final List<GpuModel> seen = new ArrayList<>();

    Shape(Request r, Kind kind) {
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

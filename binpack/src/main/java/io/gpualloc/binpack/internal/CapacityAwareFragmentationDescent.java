package io.gpualloc.binpack.internal;

import io.gpualloc.binpack.TargetWorkload;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterView;
import io.gpualloc.core.Decision;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.InvalidSpecException;
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

/**
 * Capacity-aware fragmentation descent, our own variant of FGD (Weng et al., USENIX ATC '23):
 * place the request where the growth of the cluster's fragmentation against the target workload
 * M, Delta = F_after - F_before, is smallest, with a fragmentation measure that also counts the
 * GPUs a node's free CPU cannot serve (CPU bound), plus a cost for taking GPUs of models that
 * model-restricted classes will need (model scarcity).
 *
 * <p>FGD counts a node's free GPU as usable by a class m as soon as the node has CPU for one task
 * of m. On CPU-lean nodes (12 cores per GPU in the openb cluster, against 11 cores for an average
 * 1-GPU task) a node with 8 free GPUs and 20 free cores is therefore "unfragmented" for a
 * (11 cores, 1 GPU) class, though it can serve one such task, not eight. Here the number of tasks
 * of m that a node can still take is also bounded by its free CPU, {@code t = floor(cpu /
 * c_m)}; of the GPUs that can host a unit of m, only the {@code t * k_m} with the most free
 * compute are usable, and the rest of the node's free GPU is fragment. Without a CPU bound (or with CPU for every unit)
 * the measure equals FGD's. The effect: CPU-only and CPU-heavy tasks stop eating the last cores
 * next to free GPUs, and GPU tasks go where CPU and GPU run out together.
 *
 * <p>Model scarcity: FGD does not see that a GPU model is scarce for the classes restricted to it
 * (taking one of three free T4 GPUs leaves a T4-only class fitting), and the CPU bound even draws
 * CPU-heavy unrestricted tasks to CPU-rich nodes of such a model. So Delta gets a second term:
 * every milli-GPU taken from a GPU of model g costs {@code q_g} milli-GPU, where {@code q_g} sums,
 * over the classes of M restricted to a proper subset of the cluster's models that includes g,
 * the class's share of M's GPU demand times the cluster's GPU capacity over the capacity of the
 * models the class allows: the fraction of a model's capacity the restricted classes are
 * expected to need. Without model filters in M the term is 0.
 *
 * <p>Node choice as {@code fgd-bucketed}: Delta rounded down to buckets of {@link #BUCKET_MILLI}
 * milli-GPU, the lowest bucket wins, ties broken by a seeded random node priority fixed for the
 * instance; shares go to the GPU(s) that minimise the measure, whole GPUs lowest index first.
 *
 * <p>Speed: per-node states (free CPU and the multiset of GPU codes) are interned into ids and
 * refreshed only when {@link ClusterView#nodeVersion} changes; F of a state is computed once;
 * Delta of a (state, request shape) pair is memoised across decisions, so a decision costs a few
 * array reads per node. Requests with UUID filters or MIG demands take a direct path without
 * memoisation.
 *
 * <p>The caches assume the policy instance follows one ledger and its snapshots; a {@code fork()}
 * that diverges needs its own instance (a decision is checked against the view before it is
 * returned, and a stale cache is rebuilt). Calls are synchronised.
 */
public final class CapacityAwareFragmentationDescent implements PlacementPolicy {

  private static final long INFEASIBLE = Long.MAX_VALUE;
  private static final long UNKNOWN = Long.MIN_VALUE;
  /** Width of a Delta bucket, milli-GPU. */
  public static final long BUCKET_MILLI = 100;

  private final String name;
  private final long seed;

  private final FragEngine engine;

  private int[] rank = new int[0];
  private double[] scarcity = new double[0];
  /** Weight of the model-scarcity term against Delta (milli-GPU per milli-GPU taken). */
  static final double SCARCITY_WEIGHT = 1.0;
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

  /**
   * A policy named {@code name} against workload M; {@code seed} orders ties among nodes.
   *
   * @throws InvalidSpecException when M is empty
   */
  public CapacityAwareFragmentationDescent(String name, TargetWorkload m, long seed) {
    if (m.isEmpty()) {
      throw InvalidSpecException.of("policy " + name, "workload", m,
          "a non-empty target workload. Maybe PolicyConfig.of(seed).withWorkload("
              + "TargetWorkload.fromRequests(pods, 0.95))");
    }
    this.name = name;
    this.seed = seed;
    this.engine = new FragEngine(m);
    TargetWorkload mm = engine.workload();
    List<io.gpualloc.binpack.TaskClass> cs = mm.classes();
    int k = cs.size();
    cCpu = new int[k];
    cCount = new int[k];
    cMilli = new int[k];
    cMem = new int[k];
    cWhole = new boolean[k];
    cWeight = new long[k];
    for (int i = 0; i < k; i++) {
      io.gpualloc.binpack.TaskClass c = cs.get(i);
      cCpu[i] = c.cpuMilli();
      cCount[i] = c.gpuCount();
      cMilli[i] = c.gpuMilli();
      cMem[i] = c.gpuMemoryMib();
      cWhole[i] = c.gpu() instanceof GpuDemand.Whole;
      cWeight[i] = c.weight();
    }
  }

  private final int[] cCpu;
  private final int[] cCount;
  private final int[] cMilli;
  private final int[] cMem;
  private final boolean[] cWhole;
  private final long[] cWeight;
  private boolean[][] allow = new boolean[0][];
  private final long[] unitBuf = new long[64];

  private int tie(int a, int b) {
    return Integer.compare(rank[a], rank[b]);
  }

  private boolean[][] allow() {
    List<GpuModel> models = engine.models();
    if (allow.length != models.size()) {
      List<io.gpualloc.binpack.TaskClass> cs = engine.workload().classes();
      boolean[][] a = Arrays.copyOf(allow, models.size());
      for (int mi = allow.length; mi < a.length; mi++) {
        a[mi] = new boolean[cs.size()];
        for (int c = 0; c < cs.size(); c++) {
          a[mi][c] = cs.get(c).allowsModel(models.get(mi));
        }
      }
      allow = a;
    }
    return allow;
  }

  /**
   * CPU-bounded fragmentation, scaled by the class weights: for each class, the free GPU that no
   * task of the class can use, where the number of tasks a node can take is also bounded by its
   * free CPU.
   */
  private long measure(int freeCpu, long[] codes) {
    boolean[][] al = allow();
    long r = 0;
    for (long c : codes) {
      r += FragEngine.compute(c);
    }
    long[] buf = codes.length <= unitBuf.length ? unitBuf : new long[codes.length];
    long sum = 0;
    for (int i = 0; i < cCpu.length; i++) {
      long f;
      if (cCount[i] == 0 || freeCpu < cCpu[i]) {
        f = r;
      } else {
        int fits = 0;
        for (long c : codes) {
          boolean unit = al[FragEngine.model(c)][i]
              && (cWhole[i] ? FragEngine.full(c)
                  : FragEngine.compute(c) >= cMilli[i] && FragEngine.memory(c) >= cMem[i]);
          if (unit) {
            buf[fits++] = FragEngine.compute(c);
          }
        }
        if (fits < cCount[i]) {
          f = r;
        } else {
          // tasks the free CPU allows (at most one per unit), each taking k units
          long tasks = cCpu[i] == 0 ? fits : Math.min(fits, freeCpu / cCpu[i]);
          long usableUnits = Math.min(fits, tasks * cCount[i]);
          long usable = 0;
          if (usableUnits >= fits) {
            for (int u = 0; u < fits; u++) {
              usable += buf[u];
            }
          } else {
            Arrays.sort(buf, 0, fits);
            for (int u = fits - 1; u >= fits - usableUnits; u--) {
              usable += buf[u];
            }
          }
          f = r - usable;
        }
      }
      sum += cWeight[i] * f;
    }
    return sum;
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
    int n = cluster.nodeCount();
    boolean direct = r.gpu() instanceof GpuDemand.Mig
        || !r.uuidInclude().isEmpty() || !r.uuidExclude().isEmpty();
    Shape shape = direct ? null : shape(r);
    if (rank.length != n) {
      rank = Seeds.rank(seed, n);
    }
    int best = -1;
    long bestDelta = 0;
    long bestKey = 0;
    long w = Math.max(1, engine.totalWeight());
    if (!direct) {
      refreshAll(v);
    }
    int reqMem = r.memoryMib();
    for (int node = 0; node < n; node++) {
      long delta;
      if (direct) {
        if (Fit.check(r, v, node) != null) {
          continue;
        }
        long[] codes = engine.nodeCodes(v, node);
        int cpu = v.freeCpuMilli(node);
        List<GpuGrant> grants = directGrants(r, v, node, codes);
        long[] after = applyGrants(codes, grants, r);
        delta = measure(cpu - r.cpuMilli(), after) - measure(cpu, codes);
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
      long key = Math.floorDiv(delta, BUCKET_MILLI * w);
      if (best < 0 || key < bestKey || (key == bestKey && tie(node, best) < 0)) {
        bestKey = key;
        best = node;
        bestDelta = delta;
      }
    }
    if (best < 0) {
      Decision.Rejected.Builder b = Decision.Rejected.builder(r.name(), n);
      for (int node = 0; node < n; node++) {
        RejectReason why = Fit.check(r, v, node);
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
    double score = -deltaMilli;
    breakdown.put(name, score);
    return new Decision.Placed(p, score, breakdown);
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
    boolean[] used = new boolean[cur.length];
    List<GpuGrant> out = new ArrayList<>();
    for (int k = 0; k < s.count(); k++) {
      int bestIdx = -1;
      long bestF = 0;
      for (int i = 0; i < cur.length; i++) {
        if (used[i] || !Fit.canTakeShare(r, v, node, i)) {
          continue;
        }
        long save = cur[i];
        cur[i] = FragEngine.afterShare(save, s.computeMilli(), s.memoryMib());
        long f = measure(cpuAfter, cur);
        cur[i] = save;
        if (bestIdx < 0 || f < bestF) {
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
    int n = c.nodeCount();
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
      Node node = c.node(i);
      int[] idx = new int[node.gpuCount()];
      for (int g = 0; g < idx.length; g++) {
        idx[g] = engine.modelIndex(node.gpus().get(g).model());
      }
      nodeModelIdx[i] = idx;
    }
    for (Shape s : shapes.values()) {
      s.extend(engine);
      s.delta = new long[0];
    }
    computeScarcity(c);
  }

  /** Scaled penalty per milli-GPU taken from a GPU of model {@code mi}. */
  private double scarcity(int mi) {
    return mi < scarcity.length ? scarcity[mi] : 0;
  }

  /**
   * Model scarcity: for every class restricted to a subset of the cluster's models, its share of
   * M's GPU demand times how much smaller its allowed capacity is than the cluster's, summed per
   * model: the fraction of a model's capacity the restricted classes are expected to need.
   * Scaled by M's total weight and {@link #SCARCITY_WEIGHT}.
   */
  private void computeScarcity(Cluster c) {
    int models = engine.models().size();
    double[] cap = new double[models];
    double total = 0;
    for (int i = 0; i < c.nodeCount(); i++) {
      for (int mi : nodeModelIdx[i]) {
        cap[mi] += 1000;
        total += 1000;
      }
    }
    double demand = 0;
    for (int k = 0; k < cCpu.length; k++) {
      demand += (double) cWeight[k] * cCount[k] * cMilli[k];
    }
    boolean[][] al = allow();
    double[] q = new double[models];
    for (int k = 0; k < cCpu.length && demand > 0; k++) {
      double allowedCap = 0;
      for (int mi = 0; mi < models; mi++) {
        if (al[mi][k]) {
          allowedCap += cap[mi];
        }
      }
      if (allowedCap <= 0 || allowedCap >= total || cCount[k] == 0) {
        continue;
      }
      double share = (double) cWeight[k] * cCount[k] * cMilli[k] / demand * total / allowedCap;
      for (int mi = 0; mi < models; mi++) {
        if (al[mi][k]) {
          q[mi] += share;
        }
      }
    }
    for (int mi = 0; mi < models; mi++) {
      q[mi] *= SCARCITY_WEIGHT * engine.totalWeight();
    }
    scarcity = q;
  }

  /** Refreshes every node whose version changed; nothing when the view and version are the same. */
  private void refreshAll(ClusterView v) {
    long version = v.version();
    if (v == lastView && version == lastVersion) {
      return;
    }
    int n = nodeState.length;
    for (int node = 0; node < n; node++) {
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
    stFrag[s] = measure(cpu, sortedCodes);
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
          pen += scarcity(FragEngine.model(cur[i])) * 1000;
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
          long f = measure(cpuAfter, cur);
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
        pen += scarcity(FragEngine.model(cur[bestIdx])) * shape.milli;
        cur[bestIdx] = FragEngine.afterShare(cur[bestIdx], shape.milli, shape.mem);
      }
    }
    return measure(cpuAfter, cur) - stFrag[s] + Math.round(pen);
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

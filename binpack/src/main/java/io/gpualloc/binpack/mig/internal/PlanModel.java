package io.gpualloc.binpack.mig.internal;

import io.gpualloc.binpack.mig.MigGpuState;
import io.gpualloc.binpack.mig.MigPlan;
import io.gpualloc.binpack.mig.MigPlanPhase;
import io.gpualloc.binpack.mig.MigPlanProblem;
import io.gpualloc.binpack.mig.MigPlanStatus;
import io.gpualloc.binpack.mig.MigReconfiguration;
import io.gpualloc.binpack.solver.SolverInvariantException;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.MigInstance;
import io.gpualloc.core.MigLayout;
import io.gpualloc.core.MigLayouts;
import io.gpualloc.core.MigProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The planning problem as primitive arrays: per GPU its options (option 0 keeps the current
 * layout; the others are the Pareto-maximal vectors of free demanded instances over the maximal
 * layouts that contain every instance in use), and the demand per profile. Lives for one run.
 */
public final class PlanModel {
  /** The problem. */
  public final MigPlanProblem problem;
  /** Demanded profile names, in the demand's order. */
  public final String[] profiles;
  /** Demand per profile. */
  public final int[] demand;
  /** GPU count. */
  public final int gpus;
  /** {@code free[g][o][p]}: free instances of profile p that option o of GPU g offers. */
  public final int[][][] free;
  /** {@code layout[g][o]}: the target layout of option o (option 0: the current one). */
  public final MigLayout[][] layout;
  /** Whether GPU g has an instance in use. */
  public final boolean[] inUse;
  /** Weight of one served instance, of one used GPU (a reconfigured GPU weighs 1). */
  public final long servedWeight;
  /** Weight of one used GPU. */
  public final long usedWeight;

  /**
   * Builds the options.
   *
   * @param problem the problem
   */
  public PlanModel(MigPlanProblem problem) {
    this.problem = problem;
    this.profiles = problem.demand().keySet().toArray(new String[0]);
    this.demand = new int[profiles.length];
    for (int p = 0; p < profiles.length; p++) {
      demand[p] = problem.demand().get(profiles[p]);
    }
    this.gpus = problem.gpus().size();
    this.free = new int[gpus][][];
    this.layout = new MigLayout[gpus][];
    this.inUse = new boolean[gpus];
    this.usedWeight = gpus + 1L;
    this.servedWeight = usedWeight * usedWeight;
    Map<GpuModel, Kinds> byModel = new IdentityHashMap<>();
    // GPUs in the same state (layout, with its model, and instances in use) have the same
    // options: computed once and shared (the arrays are never written after construction)
    Map<List<Object>, Integer> sameState = new HashMap<>();
    for (int g = 0; g < gpus; g++) {
      MigGpuState s = problem.gpus().get(g);
      inUse[g] = !s.inUse().isEmpty();
      Integer twin = sameState.putIfAbsent(List.of(s.current(), s.inUse()), g);
      if (twin != null) {
        free[g] = free[twin];
        layout[g] = layout[twin];
        continue;
      }
      MigProfile[] col = columns(s.model());
      List<int[]> vectors = new ArrayList<>();
      List<MigLayout> layouts = new ArrayList<>();
      vectors.add(vector(s.current(), s.inUse(), col));
      layouts.add(s.current());
      Map<String, Integer> seen = new HashMap<>();
      Kinds kinds = byModel.computeIfAbsent(s.model(), PlanModel::kinds);
      List<MigLayout> candidates = kinds.layouts;
      long busy = kinds.mask(s.inUse());
      for (int li = 0; li < candidates.size(); li++) {
        MigLayout l = candidates.get(li);
        if (busy >= 0 ? (kinds.masks[li] & busy) != busy
            : !l.instances().containsAll(s.inUse())) {
          continue;
        }
        int[] v = vector(l, s.inUse(), col);
        String key = java.util.Arrays.toString(v);
        if (seen.putIfAbsent(key, layouts.size()) == null) {
          vectors.add(v);
          layouts.add(l);
        }
      }
      // keep only options no other dominates (the current layout always stays, as option 0)
      List<int[]> keptV = new ArrayList<>();
      List<MigLayout> keptL = new ArrayList<>();
      keptV.add(vectors.get(0));
      keptL.add(layouts.get(0));
      for (int i = 1; i < vectors.size(); i++) {
        boolean dominated = dominates(vectors.get(0), vectors.get(i));
        for (int j = 1; j < vectors.size() && !dominated; j++) {
          dominated = j != i && dominates(vectors.get(j), vectors.get(i))
              && (!java.util.Arrays.equals(vectors.get(j), vectors.get(i)) || j < i);
        }
        if (!dominated) {
          keptV.add(vectors.get(i));
          keptL.add(layouts.get(i));
        }
      }
      free[g] = keptV.toArray(new int[0][]);
      layout[g] = keptL.toArray(new MigLayout[0]);
    }
  }

  /**
   * The instances of a model's maximal layouts numbered, and each layout as a bit mask of them,
   * so that "contains every instance in use" is one AND (when there are at most 63 of them).
   */
  private static final class Kinds {
    final Map<MigInstance, Integer> id = new HashMap<>();
    final List<MigLayout> layouts;
    final long[] masks;

    Kinds(List<MigLayout> layouts) {
      this.layouts = layouts;
      masks = new long[layouts.size()];
      for (int i = 0; i < masks.length; i++) {
        for (MigInstance x : layouts.get(i).instances()) {
          Integer k = id.computeIfAbsent(x, y -> id.size());
          if (k < 63) {
            masks[i] |= 1L << k;
          }
        }
      }
    }

    /** The mask of the instances, -1 when one has no bit (then the caller compares lists). */
    long mask(List<MigInstance> xs) {
      if (id.size() > 63) {
        return -1;
      }
      long m = 0;
      for (MigInstance x : xs) {
        Integer k = id.get(x);
        if (k == null) {
          return -1;
        }
        m |= 1L << k;
      }
      return m;
    }
  }

  /**
   * A model's maximal layouts and their masks, enumerated once per model (by identity) and kept
   * in a small bounded cache (cleared when full), as the MIG step keeps its capacity tables: the
   * enumeration costs tens of milliseconds, the planning of 1,000 GPUs not much more.
   */
  private static final java.util.concurrent.ConcurrentHashMap<ModelKey, Kinds> KINDS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static final int MAX_MODELS = 64;

  /** A model by identity: its record equality would compare the whole profile table. */
  private record ModelKey(GpuModel model) {
    @Override
    public boolean equals(Object o) {
      return o instanceof ModelKey k && k.model == model;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(model);
    }
  }

  private static Kinds kinds(GpuModel model) {
    ModelKey key = new ModelKey(model);
    Kinds k = KINDS.get(key);
    if (k == null) {
      if (KINDS.size() >= MAX_MODELS) {
        KINDS.clear();
      }
      k = new Kinds(MigLayouts.maximal(model));
      KINDS.putIfAbsent(key, k);
    }
    return k;
  }

  private static boolean dominates(int[] a, int[] b) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] < b[i]) {
        return false;
      }
    }
    return true;
  }

  /** The model's profile for each demanded name, or null when it lacks one. */
  private MigProfile[] columns(GpuModel model) {
    MigProfile[] col = new MigProfile[profiles.length];
    for (int p = 0; p < profiles.length; p++) {
      col[p] = MigPlanProblem.offers(model, profiles[p]) ? model.migProfile(profiles[p]) : null;
    }
    return col;
  }

  private static int[] vector(MigLayout l, List<MigInstance> inUse, MigProfile[] col) {
    int[] v = new int[col.length];
    for (MigInstance x : l.instances()) {
      if (inUse.contains(x)) {
        continue;
      }
      for (int p = 0; p < col.length; p++) {
        if (x.profile().equals(col[p])) {
          v[p]++;
          break;
        }
      }
    }
    return v;
  }

  /**
   * The objective of a solution.
   *
   * @param served instances served in total
   * @param used GPUs used
   * @param reconfigured GPUs reconfigured
   * @return {@code served * servedWeight - used * usedWeight - reconfigured}
   */
  public long objective(long served, long used, long reconfigured) {
    return served * servedWeight - used * usedWeight - reconfigured;
  }

  /**
   * A simple proven upper bound: every demand served up to what the fleet could offer per
   * profile, using no GPU beyond those in use and reconfiguring none.
   *
   * @return the bound
   */
  public long trivialBound() {
    long served = 0;
    for (int p = 0; p < profiles.length; p++) {
      long supply = 0;
      for (int g = 0; g < gpus; g++) {
        int best = 0;
        for (int[] v : free[g]) {
          best = Math.max(best, v[p]);
        }
        supply += best;
      }
      served += Math.min(demand[p], supply);
    }
    int used = 0;
    for (boolean b : inUse) {
      used += b ? 1 : 0;
    }
    return objective(served, used, 0);
  }

  /**
   * The plan of a solution.
   *
   * @param option chosen option per GPU
   * @param assign {@code assign[g][p]}: instances of profile p GPU g serves
   * @param status status
   * @param phase phase
   * @param bound proven bound (raised to the objective if below, which only a bug could cause)
   * @param wall time spent
   * @return the plan
   */
  public MigPlan plan(int[] option, int[][] assign, MigPlanStatus status, MigPlanPhase phase,
      long bound, Duration wall) {
    List<MigLayout> targets = new ArrayList<>();
    List<Map<String, Integer>> assigned = new ArrayList<>();
    List<MigReconfiguration> steps = new ArrayList<>();
    int[] served = new int[profiles.length];
    int used = 0;
    int reconfigured = 0;
    for (int g = 0; g < gpus; g++) {
      MigGpuState s = problem.gpus().get(g);
      MigLayout to = layout[g][option[g]];
      targets.add(to);
      LinkedHashMap<String, Integer> a = new LinkedHashMap<>();
      int any = 0;
      for (int p = 0; p < profiles.length; p++) {
        if (assign[g][p] > free[g][option[g]][p]) {
          throw new SolverInvariantException("MIG plan assigns more than GPU " + g + " offers");
        }
        if (assign[g][p] > 0) {
          a.put(profiles[p], assign[g][p]);
        }
        served[p] += assign[g][p];
        any += assign[g][p];
      }
      assigned.add(a);
      if (any > 0 || inUse[g]) {
        used++;
      }
      if (!to.equals(s.current())) {
        reconfigured++;
        steps.add(MigReconfiguration.between(g, s.name(), s.current(), to));
      }
    }
    LinkedHashMap<String, Integer> sv = new LinkedHashMap<>();
    LinkedHashMap<String, Integer> un = new LinkedHashMap<>();
    long total = 0;
    for (int p = 0; p < profiles.length; p++) {
      if (served[p] > demand[p]) {
        throw new SolverInvariantException(
            "MIG plan serves more " + profiles[p] + " than demanded");
      }
      sv.put(profiles[p], served[p]);
      un.put(profiles[p], demand[p] - served[p]);
      total += served[p];
    }
    long objective = objective(total, used, reconfigured);
    return new MigPlan(status, phase, targets, assigned, steps, sv, un, used, reconfigured,
        objective, Math.max(bound, objective), wall);
  }
}

package io.gpualloc.binpack.mig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.binpack.packing.SolverOptions;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.MigInstance;
import io.gpualloc.core.MigLayout;
import io.gpualloc.core.MigLayouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The planners' specification on random small fleets: plans are feasible and never touch an
 * instance in use; {@code cp-sat} is never worse than {@code greedy} and equals an independent
 * brute force over every valid layout of every GPU (up to 4 GPUs).
 */
class MigPlannerProperties {
  private static final List<GpuModel> MODELS = List.of(
      GpuModelCatalog.builtIn().get("H100-80GB-SXM"), GpuModelCatalog.builtIn().get("A30"));
  private static final SolverOptions OPTS =
      SolverOptions.defaults().withTimeLimit(Duration.ofSeconds(10)).withSeed(3);

  @Provide
  Arbitrary<MigPlanProblem> problems() {
    return Arbitraries.longs().map(MigPlannerProperties::problem);
  }

  static MigPlanProblem problem(long seed) {
    return problem(seed, 4);
  }

  /**
   * A random fleet of 1 to {@code maxGpus} GPUs of one model; with more than 4 GPUs, layouts are
   * drawn from a few so that GPUs in the same state (one class of the CP-SAT model) recur.
   */
  static MigPlanProblem problem(long seed, int maxGpus) {
    Random r = new Random(seed);
    GpuModel model = MODELS.get(r.nextInt(4) == 0 ? 1 : 0);
    int gpus = 1 + r.nextInt(maxGpus);
    List<MigLayout> all = new ArrayList<>(MigLayouts.all(model));
    if (maxGpus > 4) {
      java.util.Collections.shuffle(all, r);
      all = all.subList(0, 6);
    }
    List<MigGpuState> fleet = new ArrayList<>();
    for (int g = 0; g < gpus; g++) {
      MigLayout current = r.nextInt(3) == 0 ? MigLayout.empty(model)
          : all.get(r.nextInt(all.size()));
      List<MigInstance> inUse = new ArrayList<>();
      for (MigInstance x : current.instances()) {
        if (r.nextInt(maxGpus > 4 ? 6 : 3) == 0) {
          inUse.add(x);
        }
      }
      fleet.add(new MigGpuState("g" + g, current, inUse));
    }
    List<String> names = new ArrayList<>();
    model.migProfiles().forEach(p -> {
      if (!p.mediaExtension()) {
        names.add(p.name());
      }
    });
    LinkedHashMap<String, Integer> demand = new LinkedHashMap<>();
    int kinds = 1 + r.nextInt(2);
    for (int k = 0; k < kinds; k++) {
      demand.put(names.get(r.nextInt(names.size())), 1 + r.nextInt(2 * gpus + 1));
    }
    return new MigPlanProblem(fleet, demand);
  }

  /** Free demanded instances per profile of a layout, not counting instances in use. */
  private static int[] vector(MigPlanProblem pr, MigGpuState s, MigLayout l) {
    List<String> names = new ArrayList<>(pr.demand().keySet());
    int[] v = new int[names.size()];
    for (MigInstance x : l.instances()) {
      if (!s.inUse().contains(x)) {
        for (int p = 0; p < names.size(); p++) {
          if (MigPlanProblem.offers(s.model(), names.get(p))
              && s.model().migProfile(names.get(p)).equals(x.profile())) {
            v[p]++;
          }
        }
      }
    }
    return v;
  }

  /** The optimal objective by brute force over every valid layout of every GPU. */
  static long bruteForce(MigPlanProblem pr) {
    int n = pr.gpus().size();
    long w2 = n + 1L;
    long w1 = w2 * w2;
    // per GPU: choices (vector, reconfigured); "serves nothing" is the current layout, unused
    List<List<int[]>> vectors = new ArrayList<>();
    List<List<Boolean>> reconf = new ArrayList<>();
    for (MigGpuState s : pr.gpus()) {
      Map<String, Boolean> seen = new HashMap<>();
      List<int[]> vs = new ArrayList<>();
      List<Boolean> rs = new ArrayList<>();
      int[] keep = vector(pr, s, s.current());
      seen.put(java.util.Arrays.toString(keep), false);
      vs.add(keep);
      rs.add(false);
      for (MigLayout l : MigLayouts.all(s.model())) {
        if (l.instances().containsAll(s.inUse())) {
          int[] v = vector(pr, s, l);
          if (seen.putIfAbsent(java.util.Arrays.toString(v), true) == null) {
            vs.add(v);
            rs.add(true);
          }
        }
      }
      vectors.add(vs);
      reconf.add(rs);
    }
    int[] demand = pr.demand().values().stream().mapToInt(Integer::intValue).toArray();
    return search(pr, vectors, reconf, demand, 0, new int[demand.length], 0, 0, w1, w2);
  }

  private static long search(MigPlanProblem pr, List<List<int[]>> vectors,
      List<List<Boolean>> reconf, int[] demand, int g, int[] supply, int used, int reconfigured,
      long w1, long w2) {
    if (g == pr.gpus().size()) {
      long served = 0;
      for (int p = 0; p < demand.length; p++) {
        served += Math.min(demand[p], supply[p]);
      }
      return served * w1 - used * w2 - reconfigured;
    }
    boolean inUse = !pr.gpus().get(g).inUse().isEmpty();
    // not serving: keep the layout (used only when it has instances in use)
    long best = search(pr, vectors, reconf, demand, g + 1, supply, used + (inUse ? 1 : 0),
        reconfigured, w1, w2);
    List<int[]> vs = vectors.get(g);
    for (int i = 0; i < vs.size(); i++) {
      int[] more = supply.clone();
      for (int p = 0; p < more.length; p++) {
        more[p] += vs.get(i)[p];
      }
      best = Math.max(best, search(pr, vectors, reconf, demand, g + 1, more, used + 1,
          reconfigured + (reconf.get(g).get(i) ? 1 : 0), w1, w2));
    }
    return best;
  }

  private static void feasible(MigPlanProblem pr, MigPlan plan) {
    assertEquals(pr.gpus().size(), plan.targets().size());
    for (int g = 0; g < pr.gpus().size(); g++) {
      MigGpuState s = pr.gpus().get(g);
      MigLayout t = plan.targets().get(g);
      assertTrue(MigLayout.isValid(s.model(), t.instances()));
      assertTrue(t.instances().containsAll(s.inUse()), "an instance in use was touched");
      int[] v = vector(pr, s, t);
      int p = 0;
      for (String name : pr.demand().keySet()) {
        int a = plan.assigned().get(g).getOrDefault(name, 0);
        assertTrue(a <= v[p], "GPU " + g + " serves " + a + " " + name + ", offers " + v[p]);
        p++;
      }
    }
    for (Map.Entry<String, Integer> e : pr.demand().entrySet()) {
      assertEquals(e.getValue(), plan.served().get(e.getKey()) + plan.unserved().get(e.getKey()));
    }
    for (MigReconfiguration step : plan.steps()) {
      for (MigInstance x : step.destroy()) {
        assertTrue(!pr.gpus().get(step.gpu()).inUse().contains(x));
      }
    }
    assertTrue(plan.bound() >= plan.objective());
  }

  @Property(tries = 40)
  void cpSatIsFeasibleNoWorseThanGreedyAndEqualsBruteForce(
      @ForAll("problems") MigPlanProblem pr) {
    MigPlan greedy = MigPlanners.named("greedy", OPTS).plan(pr);
    MigPlan exact = MigPlanners.named("cp-sat", OPTS).plan(pr);
    feasible(pr, greedy);
    feasible(pr, exact);
    assertTrue(exact.objective() >= greedy.objective(),
        exact.summary() + " vs " + greedy.summary());
    long optimum = bruteForce(pr);
    assertTrue(greedy.objective() <= optimum);
    assertEquals(optimum, exact.objective(), exact.summary());
    assertEquals(MigPlanStatus.OPTIMAL, exact.status(), exact.summary());
  }

  @Provide
  Arbitrary<MigPlanProblem> fleets() {
    return Arbitraries.longs().map(seed -> problem(seed, 40));
  }

  /**
   * On fleets of up to 40 GPUs with recurring states (classes of several GPUs): both plans are
   * feasible, {@code cp-sat} is never worse than {@code greedy}, its bound is at least the
   * greedy objective, and an OPTIMAL status has no gap.
   */
  @Property(tries = 15)
  void theClassModelIsFeasibleAndNoWorseThanGreedyOnLargerFleets(
      @ForAll("fleets") MigPlanProblem pr) {
    // a short budget: optimality is not the point here, and a proof can take CP-SAT seconds
    io.gpualloc.binpack.packing.CpSatPacker.preload();
    MigPlan greedy = MigPlanners.named("greedy", OPTS).plan(pr);
    MigPlan exact = MigPlanners.named("cp-sat", OPTS.withTimeLimit(Duration.ofMillis(500)))
        .plan(pr);
    feasible(pr, greedy);
    feasible(pr, exact);
    assertTrue(exact.objective() >= greedy.objective(),
        exact.summary() + " vs " + greedy.summary());
    assertTrue(exact.bound() >= greedy.objective(), exact.summary());
    assertTrue(greedy.bound() >= exact.objective(), greedy.summary() + " vs " + exact.summary());
    if (exact.status() == MigPlanStatus.OPTIMAL) {
      assertEquals(exact.objective(), exact.bound());
    }
  }
}

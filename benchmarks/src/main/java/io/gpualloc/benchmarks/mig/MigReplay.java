package io.gpualloc.benchmarks.mig;

import io.gpualloc.binpack.PolicyComposer;
import io.gpualloc.binpack.PolicyConfig;
import io.gpualloc.binpack.Policies;
import io.gpualloc.binpack.mig.MigGpuState;
import io.gpualloc.binpack.mig.MigOnDemand;
import io.gpualloc.binpack.mig.MigPlan;
import io.gpualloc.binpack.mig.MigPlanProblem;
import io.gpualloc.binpack.mig.MigPlanStatus;
import io.gpualloc.binpack.mig.MigPlanner;
import io.gpualloc.binpack.mig.MigPlanners;
import io.gpualloc.binpack.mig.MigReconfiguration;
import io.gpualloc.binpack.packing.SolverOptions;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.Decision;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.MigConfigs;
import io.gpualloc.core.MigInstance;
import io.gpualloc.core.MigLayout;
import io.gpualloc.core.MigProfile;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import io.gpualloc.core.PlacementPolicy;
import io.gpualloc.core.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * The MIG stream replay: a seeded stream of inference services, each one MIG instance of an H100
 * 80GB profile, arrives at 16 nodes x 8 H100s (Poisson arrivals at an offered load, exponential
 * lifetimes) and each strategy admits a service when it can give it an instance, at once or
 * never (no queue). Measured over the last two thirds of the arrivals.
 *
 * <p>The strategies:
 *
 * <ul>
 *   <li>{@code first-slot}: dynamic MIG, each instance created at admission on the first node,
 *       first GPU and first start slot that fit, destroyed at departure (the former MIG step);
 *   <li>{@code mig-fragmentation}: the same, at the node, GPU and slot the fragmentation-aware
 *       MIG step chooses (the named policy);
 *   <li>{@code on-demand}: GPUs keep their instances after departures (a layout changes only by a
 *       reconfiguration); a service takes a free instance of its profile (GPUs with an instance in
 *       use first, then the lowest position); when there is none, the HAMi-style step {@link
 *       MigPlanners#onDemand} reconfigures one idle or partly idle GPU;
 *   <li>{@code greedy-plan}, {@code cp-sat-plan}: as {@code on-demand}, but when no free instance
 *       fits, the layout planner is first asked for the request plus a forecast of the next
 *       {@code window} arrivals at the stream's mix (rounded counts per profile); its
 *       reconfigurations are applied (they never touch an instance in use), then the request
 *       takes a free instance, or the on-demand step runs when the plan made none;
 *   <li>{@code static-balanced}: every GPU pre-partitioned with the GPU Operator's {@code
 *       all-balanced} layout (2 x 1g.10gb, 2g.20gb, 3g.40gb), never reconfigured; 4g and 7g
 *       services are never admitted.
 * </ul>
 */
public final class MigReplay {
  /** The strategies, floors first. */
  public static final List<String> STRATEGIES = List.of("first-slot", "mig-fragmentation",
      "on-demand", "greedy-plan", "cp-sat-plan", "static-balanced");

  /** The service profiles. */
  public static final List<String> PROFILES =
      List.of("1g.10gb", "2g.20gb", "3g.40gb", "4g.40gb", "7g.80gb");

  /** Percent of the services per profile of {@link #PROFILES}, weighted toward small ones. */
  public static final List<Integer> MIX = List.of(40, 25, 20, 5, 10);

  /** Nodes of the fleet. */
  public static final int NODES = 16;

  /** GPUs per node. */
  public static final int GPUS_PER_NODE = 8;

  /** Mean lifetime of a service, in hours. */
  public static final double MEAN_LIFETIME_HOURS = 1.0;

  /**
   * The {@code cp-sat-plan} planner's deterministic-time limit per plan, in CP-SAT's
   * deterministic seconds ({@link SolverOptions#withDeterministicTime}): with its 1 worker and the
   * stream's seed, a run plans the same on any machine as long as the wall-clock cap ({@link
   * Setup#solverMillis()}) does not bind first. In a probe of 900-service streams (seed 1; 60%,
   * 90% and 120% load), 121 of the 123 plans on 128 H100s proved optimal within 0.27
   * deterministic seconds and the other two needed 0.52 and 1.22. Plans above 0.25 deterministic
   * seconds took 1.3 to 1.8 times as many wall-clock seconds on the 2-core machine, so half a
   * deterministic second (about 0.9 s) stays below the default 2 s cap, which is a safety net.
   */
  public static final double CP_SAT_DETERMINISTIC_SECONDS = 0.5;

  private static final GpuModel H100 = GpuModelCatalog.builtIn().get("H100-80GB-SXM");

  private MigReplay() {}

  /**
   * One service.
   *
   * @param id its position in the stream
   * @param profile index into {@link #PROFILES}
   * @param arrival arrival time, hours
   * @param lifetime how long it runs once admitted, hours
   */
  public record Service(int id, int profile, double arrival, double lifetime) {}

  /**
   * How a strategy runs.
   *
   * @param strategy one of {@link #STRATEGIES}
   * @param window forecast arrivals the planners plan for beyond the request
   * @param solverMillis the CP-SAT planner's wall-clock cap per plan, a safety net behind its
   *     deterministic limit ({@link #CP_SAT_DETERMINISTIC_SECONDS})
   */
  public record Setup(String strategy, int window, long solverMillis) {}

  /**
   * One run's figures, over the measured arrivals.
   *
   * @param strategy the strategy
   * @param load offered load (compute slices of the fleet)
   * @param seed the stream's seed
   * @param arrived measured arrivals
   * @param admitted measured arrivals admitted
   * @param meanGpusUsed time-weighted mean of GPUs with at least one instance in use
   * @param peakGpusUsed most GPUs with at least one instance in use at once
   * @param reconfiguredGpus GPU reconfigurations applied (planner and on-demand steps)
   * @param plans planner calls
   * @param optimalPlans planner calls that ended OPTIMAL
   * @param meanDecisionMicros mean time per arrival's decision (plans included), microseconds
   * @param meanPlanMillis mean time per planner call, milliseconds (0 without plans)
   */
  public record Result(String strategy, double load, long seed, int arrived, int admitted,
      double meanGpusUsed, int peakGpusUsed, int reconfiguredGpus, int plans, int optimalPlans,
      double meanDecisionMicros, double meanPlanMillis) {

    /**
     * Admitted over arrived.
     *
     * @return the acceptance rate, 0 to 1
     */
    public double acceptance() {
      return arrived == 0 ? 0 : (double) admitted / arrived;
    }
  }

  /**
   * Mean compute slices of a service at {@link #MIX}.
   *
   * @return slices
   */
  static double meanSlices() {
    double s = 0;
    for (int p = 0; p < PROFILES.size(); p++) {
      s += MIX.get(p) / 100.0 * H100.migProfile(PROFILES.get(p)).computeSlices();
    }
    return s;
  }

  /**
   * The seeded stream: Poisson arrivals at the rate that offers {@code load} of the fleet's
   * compute slices (rate x mean lifetime x mean slices = load x 128 x 7), profiles drawn at
   * {@link #MIX}, exponential lifetimes.
   *
   * @param load offered load, > 0
   * @param seed the seed
   * @param arrivals services in the stream
   * @return the services by arrival
   */
  public static List<Service> stream(double load, long seed, int arrivals) {
    double rate = load * NODES * GPUS_PER_NODE * 7 / (MEAN_LIFETIME_HOURS * meanSlices());
    SplittableRandom r = new SplittableRandom(seed);
    List<Service> out = new ArrayList<>(arrivals);
    double t = 0;
    for (int i = 0; i < arrivals; i++) {
      t += -Math.log(1 - r.nextDouble()) / rate;
      int x = r.nextInt(100);
      int p = 0;
      while (x >= MIX.get(p)) {
        x -= MIX.get(p++);
      }
      double life = -Math.log(1 - r.nextDouble()) * MEAN_LIFETIME_HOURS;
      out.add(new Service(i, p, t, life));
    }
    return out;
  }

  /** A fleet under one strategy. */
  private abstract static class Fleet {
    final int[] inUse = new int[NODES * GPUS_PER_NODE];
    int gpusUsed;
    int reconfigured;
    int plans;
    int optimal;
    long planNanos;

    abstract boolean admit(Service s);

    abstract void depart(Service s);

    void use(int gpu, int delta) {
      if (inUse[gpu] == 0 && delta > 0) {
        gpusUsed++;
      }
      inUse[gpu] += delta;
      if (inUse[gpu] == 0 && delta < 0) {
        gpusUsed--;
      }
    }
  }

  /** First-slot, mig-fragmentation and static-balanced: the ledger and a placement policy. */
  private static final class LedgerFleet extends Fleet {
    final ClusterState state;
    final PlacementPolicy policy;
    final Map<Integer, Placement> live = new HashMap<>();

    LedgerFleet(PlacementPolicy policy, boolean staticBalanced) {
      List<Node> nodes = new ArrayList<>();
      for (int n = 0; n < NODES; n++) {
        Node.Builder b = Node.builder(String.format(Locale.ROOT, "n%02d", n))
            .cpuMilli(1_000_000).memoryMib(4_000_000);
        nodes.add((staticBalanced
            ? b.staticMigGpus(GPUS_PER_NODE, MigConfigs.named(H100, "all-balanced"))
            : b.gpus(GPUS_PER_NODE, H100)).build());
      }
      this.state = new ClusterState(Cluster.of(nodes));
      this.policy = policy;
    }

    @Override
    boolean admit(Service s) {
      Request r = Request.builder("s" + s.id())
          .gpu(GpuDemand.mig(PROFILES.get(s.profile()), 1)).build();
      Decision d = policy.place(r, state);
      if (!(d instanceof Decision.Placed placed)) {
        return false;
      }
      Placement p = placed.placement();
      state.allocate(p);
      live.put(s.id(), p);
      for (GpuGrant g : p.grants()) {
        use(p.nodeId() * GPUS_PER_NODE + g.gpuIndex(), 1);
      }
      return true;
    }

    @Override
    void depart(Service s) {
      Placement p = live.remove(s.id());
      state.release(p.allocationId());
      for (GpuGrant g : p.grants()) {
        use(p.nodeId() * GPUS_PER_NODE + g.gpuIndex(), -1);
      }
    }
  }

  /** On-demand and the planners: layouts that persist, reconfigured by steps. */
  private static final class PlannedFleet extends Fleet {
    final MigLayout[] layout = new MigLayout[NODES * GPUS_PER_NODE];
    final List<List<MigInstance>> busy = new ArrayList<>();
    final MigPlanner planner;
    final int window;
    final Map<Integer, Object[]> live = new HashMap<>();

    PlannedFleet(MigPlanner planner, int window) {
      for (int g = 0; g < layout.length; g++) {
        layout[g] = MigLayout.empty(H100);
        busy.add(new ArrayList<>());
      }
      this.planner = planner;
      this.window = window;
    }

    /** A free instance of the profile: GPUs with an instance in use first, then by position. */
    private int[] free(MigProfile p) {
      for (int pass = 0; pass < 2; pass++) {
        for (int g = 0; g < layout.length; g++) {
          if ((inUse[g] > 0) != (pass == 0)) {
            continue;
          }
          List<MigInstance> xs = layout[g].instances();
          for (int i = 0; i < xs.size(); i++) {
            if (xs.get(i).profile().equals(p) && !busy.get(g).contains(xs.get(i))) {
              return new int[] {g, i};
            }
          }
        }
      }
      return null;
    }

    private List<MigGpuState> states() {
      List<MigGpuState> out = new ArrayList<>(layout.length);
      for (int g = 0; g < layout.length; g++) {
        out.add(new MigGpuState("gpu-" + g, layout[g], busy.get(g)));
      }
      return out;
    }

    private void apply(MigReconfiguration step) {
      if (!step.to().instances().containsAll(busy.get(step.gpu()))) {
        throw new IllegalStateException("MIG replay: a reconfiguration of GPU " + step.gpu()
            + " drops an instance in use: " + step);
      }
      layout[step.gpu()] = step.to();
      reconfigured++;
    }

    @Override
    boolean admit(Service s) {
      String name = PROFILES.get(s.profile());
      MigProfile p = H100.migProfile(name);
      int[] at = free(p);
      if (at == null && planner != null) {
        Map<String, Integer> demand = new LinkedHashMap<>();
        for (int q = 0; q < PROFILES.size(); q++) {
          demand.put(PROFILES.get(q), (q == s.profile() ? 1 : 0)
              + (int) Math.round(window * MIX.get(q) / 100.0));
        }
        long t0 = System.nanoTime();
        MigPlan plan = planner.plan(new MigPlanProblem(states(), demand));
        planNanos += System.nanoTime() - t0;
        plans++;
        optimal += plan.status() == MigPlanStatus.OPTIMAL ? 1 : 0;
        for (MigReconfiguration step : plan.steps()) {
          apply(step);
        }
        at = free(p);
      }
      MigInstance x;
      int gpu;
      if (at != null) {
        gpu = at[0];
        x = layout[gpu].instances().get(at[1]);
      } else {
        MigOnDemand d = MigPlanners.onDemand(states(), name);
        if (d instanceof MigOnDemand.Reconfigure rc) {
          apply(rc.step());
          gpu = rc.step().gpu();
          x = rc.instance();
        } else if (d instanceof MigOnDemand.Existing e) {
          gpu = e.gpu();
          x = e.instance();
        } else {
          return false;
        }
      }
      busy.get(gpu).add(x);
      use(gpu, 1);
      live.put(s.id(), new Object[] {gpu, x});
      return true;
    }

    @Override
    void depart(Service s) {
      Object[] at = live.remove(s.id());
      int gpu = (Integer) at[0];
      busy.get(gpu).remove((MigInstance) at[1]);
      use(gpu, -1);
    }
  }

  private static Fleet fleet(Setup setup, long seed) {
    return switch (setup.strategy()) {
      case "first-slot" -> new LedgerFleet(PolicyComposer.compose("first-slot", Map.of(),
          "first-slot", PolicyConfig.of(seed)), false);
      case "mig-fragmentation" ->
          new LedgerFleet(Policies.named("mig-fragmentation", PolicyConfig.of(seed)), false);
      case "static-balanced" ->
          new LedgerFleet(Policies.named("mig-fragmentation", PolicyConfig.of(seed)), true);
      case "on-demand" -> new PlannedFleet(null, setup.window());
      case "greedy-plan" -> new PlannedFleet(MigPlanners.named("greedy",
          SolverOptions.defaults()), setup.window());
      case "cp-sat-plan" -> new PlannedFleet(MigPlanners.named("cp-sat", SolverOptions.defaults()
          .withTimeLimit(Duration.ofMillis(setup.solverMillis())).withWorkers(1).withSeed(seed)
          .withDeterministicTime(CP_SAT_DETERMINISTIC_SECONDS)),
          setup.window());
      default -> throw new IllegalArgumentException("unknown MIG replay strategy "
          + setup.strategy() + "; allowed: " + STRATEGIES);
    };
  }

  /**
   * Replays the seeded stream through one strategy.
   *
   * @param setup the strategy and its settings
   * @param load offered load
   * @param seed the stream's seed (and the solver's)
   * @param arrivals services in the stream
   * @return the figures over the last two thirds of the arrivals
   */
  public static Result run(Setup setup, double load, long seed, int arrivals) {
    List<Service> services = stream(load, seed, arrivals);
    Fleet f = fleet(setup, seed);
    int first = arrivals / 3;
    double from = services.get(first).arrival();
    PriorityQueue<double[]> departures =
        new PriorityQueue<>((a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0])
            : Double.compare(a[1], b[1]));
    double last = 0;
    double area = 0;
    int peak = 0;
    int arrived = 0;
    int admitted = 0;
    long decisionNanos = 0;
    int reconfiguredBefore = 0;
    int plansBefore = 0;
    int optimalBefore = 0;
    long planNanosBefore = 0;
    for (Service s : services) {
      double now = s.arrival();
      while (!departures.isEmpty() && departures.peek()[0] <= now) {
        double[] d = departures.poll();
        if (d[0] > from) {
          area += f.gpusUsed * (d[0] - Math.max(last, from));
        }
        last = d[0];
        f.depart(services.get((int) d[1]));
      }
      if (now > from) {
        area += f.gpusUsed * (now - Math.max(last, from));
      }
      last = now;
      if (s.id() == first) {
        reconfiguredBefore = f.reconfigured;
        plansBefore = f.plans;
        optimalBefore = f.optimal;
        planNanosBefore = f.planNanos;
      }
      long t0 = System.nanoTime();
      boolean in = f.admit(s);
      long dt = System.nanoTime() - t0;
      if (in) {
        departures.add(new double[] {now + s.lifetime(), s.id()});
      }
      if (s.id() >= first) {
        arrived++;
        admitted += in ? 1 : 0;
        decisionNanos += dt;
        peak = Math.max(peak, f.gpusUsed);
      }
    }
    double span = last - from;
    int plans = f.plans - plansBefore;
    return new Result(setup.strategy(), load, seed, arrived, admitted,
        span > 0 ? area / span : f.gpusUsed, peak, f.reconfigured - reconfiguredBefore, plans,
        f.optimal - optimalBefore, arrived == 0 ? 0 : decisionNanos / 1e3 / arrived,
        plans == 0 ? 0 : (f.planNanos - planNanosBefore) / 1e6 / plans);
  }
}

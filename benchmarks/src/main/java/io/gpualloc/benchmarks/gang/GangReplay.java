package io.gpualloc.benchmarks.gang;

import io.gpualloc.binpack.gang.BatchResult;
import io.gpualloc.binpack.gang.Gang;
import io.gpualloc.binpack.gang.GangBatch;
import io.gpualloc.binpack.gang.GangDecision;
import io.gpualloc.binpack.gang.GangOptions;
import io.gpualloc.binpack.gang.GangPlacer;
import io.gpualloc.binpack.gang.GangPlacers;
import io.gpualloc.binpack.gang.PendingGang;
import io.gpualloc.binpack.gang.PodSet;
import io.gpualloc.binpack.gang.TopologyConstraint;
import io.gpualloc.binpack.packing.SolverOptions;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.Node;
import io.gpualloc.core.Request;
import io.gpualloc.topology.ClusterTopology;
import io.gpualloc.topology.TopologyLevels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * The gang replay: a seeded stream of jobs (single pods and gangs, 1 to 512 GPUs, most small, a
 * heavy tail of large gangs) arrives at a synthetic cluster at an offered GPU load; each job runs
 * for its duration and leaves. Pending jobs wait in arrival order; after every event the placer is
 * asked for the first {@value #TRIES_PER_EVENT} pending jobs in order, and each one placed is
 * committed at once (jobs behind a blocked one may start: best-effort FIFO). Measured over the
 * last two thirds of the arrivals.
 */
public final class GangReplay {
  /** Pending jobs tried after each event, in arrival order. */
  public static final int TRIES_PER_EVENT = 8;
  /** Jobs of at least this many GPUs count as large for the wait of the largest gangs. */
  public static final int LARGE_GPUS = 128;

  private GangReplay() {}

  /**
   * A synthetic cluster with its topology.
   *
   * @param name the cluster's name
   * @param cluster the nodes
   * @param topology the domains (levels hostname, then the rack-like level, then block)
   * @param gpusPerNode GPUs of every node
   * @param rackNodes nodes per rack-like domain
   * @param rackKey the rack-like level's label key
   */
  public record ClusterSpec(String name, Cluster cluster, ClusterTopology topology,
      int gpusPerNode, int rackNodes, String rackKey) {}

  /**
   * 1,024 nodes x 8 H100 in 32 racks of 32 nodes and 4 blocks (levels hostname, rack, block).
   *
   * @return the cluster
   */
  public static ClusterSpec h100() {
    GpuModel h100 = GpuModelCatalog.builtIn().get("H100-80GB");
    List<Node> nodes = new ArrayList<>();
    for (int v = 0; v < 1024; v++) {
      int rack = v / 32;
      String name = String.format(Locale.ROOT, "h%04d", v);
      nodes.add(Node.builder(name).cpuMilli(192_000).memoryMib(2_097_152).gpus(8, h100, 2)
          .label("hostname", name).label("rack", "r" + rack).label("block", "b" + rack / 8)
          .build());
    }
    Cluster c = Cluster.of(nodes);
    return new ClusterSpec("h100-1024", c,
        ClusterTopology.of(c, TopologyLevels.of("hostname", "rack", "block")), 8, 32, "rack");
  }

  /**
   * A GB200 NVL72 cluster: NVL72 domains of 18 nodes x 4 GPUs, 8 domains per block, 7 blocks
   * (1,008 nodes, 4,032 GPUs; levels hostname, nvlink, block).
   *
   * @return the cluster
   */
  public static ClusterSpec nvl72() {
    GpuModel gb200 = GpuModelCatalog.builtIn().get("GB200");
    List<Node> nodes = new ArrayList<>();
    for (int v = 0; v < 18 * 8 * 7; v++) {
      int domain = v / 18;
      String name = String.format(Locale.ROOT, "g%04d", v);
      nodes.add(Node.builder(name).cpuMilli(144_000).memoryMib(884_736).gpus(4, gb200, 2)
          .label("hostname", name).label("nvlink", "nvl" + domain)
          .label("block", "b" + domain / 8).build());
    }
    Cluster c = Cluster.of(nodes);
    return new ClusterSpec("gb200-nvl72", c,
        ClusterTopology.of(c, TopologyLevels.of("hostname", "nvlink", "block")), 4, 18, "nvlink");
  }

  /**
   * One job.
   *
   * @param id index in arrival order
   * @param arrival arrival time, hours
   * @param duration run time, hours
   * @param gang what it needs
   * @param gpus its GPUs
   */
  public record Job(int id, double arrival, double duration, Gang gang, int gpus) {}

  /** The job streams. */
  public enum Stream {
    /**
     * Mostly single pods of 1, 2 or 4 GPUs, small gangs of partial- or whole-node pods, and a heavy
     * tail of 16 to 512 GPU gangs with REQUIRED or PREFERRED rack/block constraints, some with a
     * leader pod set, some elastic (see {@link GangReplay#jobs}).
     */
    REALISTIC,
    /**
     * The first stream: single pods of 1, 2, 4 or a node of GPUs, and gangs of whole-node pods in
     * one pod set with a REQUIRED domain (see {@link GangReplay#wholeNodeJobs}).
     */
    WHOLE_NODE
  }

  /**
   * The seeded realistic job stream on {@code c} (g GPUs per node). Per job: 55% a single pod of
   * 1, 2 or 4 GPUs (weights 3:2:1); 25% a small gang of 2 to 8 pods of 1, 2, 4 or 8 GPUs each (at
   * most g) and at most 16 GPUs, REQUIRED in one rack-like domain (PREFERRED for a third of them);
   * 20% a large gang of 16, 32, 64, 128, 256 or 512 GPUs (weights 32:16:8:4:2:1, a heavy tail) of
   * g- or g/2-GPU pods, REQUIRED in one rack-like domain when it fits one and in a block otherwise,
   * or (a third of them) PREFERRED at the rack-like level. A quarter of the large gangs have a
   * leader pod set (1 pod of 1 GPU) beside the workers; a quarter are elastic (workers' minimum
   * half their count). Durations exponential (mean 1 h, 3 min to 8 h); Poisson arrivals at the
   * rate that offers {@code load} of the GPUs (at the jobs' full counts).
   *
   * @param c the cluster
   * @param load offered GPU load, fraction of capacity
   * @param seed the seed
   * @param count how many jobs
   * @return the jobs in arrival order
   */
  public static List<Job> jobs(ClusterSpec c, double load, long seed, int count) {
    Random r = new Random(seed);
    int g = c.gpusPerNode();
    Gang[] gangs = new Gang[count];
    for (int i = 0; i < count; i++) {
      double u = r.nextDouble();
      String name = "j" + i;
      if (u < 0.55) {
        int[] sizes = {1, 1, 1, 2, 2, 4};
        gangs[i] = Gang.builder(name).podSet(PodSet.of("w", pod(sizes[r.nextInt(6)]), 1)).build();
      } else if (u < 0.80) {
        int[] per = {1, 2, 4, 8};
        int perPod = Math.min(g, per[r.nextInt(per.length)]);
        int pods = Math.max(2, Math.min(2 + r.nextInt(7), 16 / perPod));
        PodSet ps = PodSet.of("w", pod(perPod), pods).withTopology(r.nextInt(3) == 0
            ? TopologyConstraint.preferred(c.rackKey()) : TopologyConstraint.required(c.rackKey()));
        gangs[i] = Gang.builder(name).podSet(ps).build();
      } else {
        int k = 0; // 16 * 2^k GPUs with weight 2^-k
        while (k < 5 && r.nextBoolean()) {
          k++;
        }
        int total = 16 << k;
        int perPod = r.nextInt(4) == 0 ? g / 2 : g;
        boolean leader = r.nextInt(4) == 0;
        boolean elastic = r.nextInt(4) == 0;
        int workers = (total - (leader ? 1 : 0) + perPod - 1) / perPod;
        PodSet w = PodSet.of("w", pod(perPod), workers);
        if (elastic) {
          w = w.withMinCount(Math.max(1, workers / 2));
        }
        Gang.Builder b = Gang.builder(name);
        if (leader) {
          b.podSet(PodSet.of("leader", pod(1), 1));
        }
        b.podSet(w);
        boolean fitsRack = total <= c.rackNodes() * g;
        b.topology(r.nextInt(3) == 0 ? TopologyConstraint.preferred(c.rackKey())
            : TopologyConstraint.required(fitsRack ? c.rackKey() : "block"));
        gangs[i] = b.build();
      }
    }
    return arrivals(c, load, r, gangs);
  }

  private static Request pod(int gpus) {
    return Request.builder("pod").cpuMilli(4_000 * gpus).memoryMib(65_536 * gpus)
        .gpu(GpuDemand.whole(gpus)).build();
  }

  /** Durations and Poisson arrivals at the rate that offers {@code load}. */
  private static List<Job> arrivals(ClusterSpec c, double load, Random r, Gang[] gangs) {
    int count = gangs.length;
    double[] duration = new double[count];
    int[] gpus = new int[count];
    double gpuHours = 0;
    for (int i = 0; i < count; i++) {
      gpus[i] = (int) (gangs[i].gpuMilli() / 1000);
      duration[i] = Math.min(8, Math.max(0.05, -Math.log(1 - r.nextDouble())));
      gpuHours += gpus[i] * duration[i];
    }
    return schedule(c, load, r, gangs, gpus, duration, gpuHours);
  }

  /**
   * Poisson arrival times at the rate that offers {@code load} of the cluster's GPUs, given each
   * job's GPUs and duration (drawn by the caller, so each stream keeps its own draw order).
   */
  private static List<Job> schedule(ClusterSpec c, double load, Random r, Gang[] gangs,
      int[] gpus, double[] duration, double gpuHours) {
    int count = gangs.length;
    double capacity = c.cluster().gpuCount();
    double rate = load * capacity / (gpuHours / count); // jobs per hour
    List<Job> out = new ArrayList<>(count);
    double t = 0;
    for (int i = 0; i < count; i++) {
      t += -Math.log(1 - r.nextDouble()) / rate;
      out.add(new Job(i, t, duration[i], gangs[i], gpus[i]));
    }
    return out;
  }

  /**
   * The first, whole-node job stream: half single pods (1, 2, 4 or a whole node of GPUs), a third
   * gangs of 2 to 8 whole-node pods, the rest large gangs of 16, 32 or 64 whole-node pods (up to
   * 512 GPUs); gangs that fit one rack-like domain REQUIRE one, larger ones a block; durations
   * exponential (mean 1 h, 3 min to 8 h); Poisson arrivals at the rate that offers {@code load} of
   * the GPUs. Kept for comparison with earlier results: on it every gang is one pod set of
   * whole-node pods.
   *
   * @param c the cluster
   * @param load offered GPU load, fraction of capacity
   * @param seed the seed
   * @param count how many jobs
   * @return the jobs in arrival order
   */
  public static List<Job> wholeNodeJobs(ClusterSpec c, double load, long seed, int count) {
    Random r = new Random(seed);
    int g = c.gpusPerNode();
    int[] gpus = new int[count];
    double[] duration = new double[count];
    Gang[] gangs = new Gang[count];
    double gpuHours = 0;
    for (int i = 0; i < count; i++) {
      double u = r.nextDouble();
      int pods;
      int perPod;
      if (u < 0.5) {
        pods = 1;
        int[] sizes = {1, 2, 4, g};
        perPod = Math.min(g, sizes[r.nextInt(sizes.length)]);
      } else if (u < 0.85) {
        pods = 2 + r.nextInt(7);
        perPod = g;
      } else {
        pods = new int[] {16, 32, 64}[r.nextInt(3)];
        perPod = g;
      }
      Request t = Request.builder("pod").cpuMilli(4_000 * perPod).memoryMib(65_536 * perPod)
          .gpu(GpuDemand.whole(perPod)).build();
      PodSet ps = PodSet.of("w", t, pods);
      if (pods > 1) {
        ps = ps.withTopology(TopologyConstraint.required(pods <= c.rackNodes() ? c.rackKey()
            : "block"));
      }
      gangs[i] = Gang.builder("j" + i).podSet(ps).build();
      gpus[i] = pods * perPod;
      duration[i] = Math.min(8, Math.max(0.05, -Math.log(1 - r.nextDouble())));
      gpuHours += gpus[i] * duration[i];
    }
    return schedule(c, load, r, gangs, gpus, duration, gpuHours);
  }


  /**
   * One run's measures.
   *
   * @param cluster the cluster's name
   * @param placer the placer's name
   * @param load offered load
   * @param seed the seed
   * @param utilisation time-average allocated GPUs over capacity in the window
   * @param admittedGpuHours GPU-hours of the jobs started in the window
   * @param meanWait mean wait (hours) of the jobs arrived in the window; jobs still waiting at the
   *     end count their wait so far
   * @param p95Wait the 95th percentile of that wait
   * @param largeWait mean wait of the jobs of at least {@value #LARGE_GPUS} GPUs
   * @param spans mean domains spanned per level (lowest first) over the gangs started
   * @param latencyP50Micros decision latency p50, microseconds
   * @param latencyP99Micros decision latency p99, microseconds
   * @param decisions place calls made
   */
  public record Result(String cluster, String placer, double load, long seed, double utilisation,
      double admittedGpuHours, double meanWait, double p95Wait, double largeWait, double[] spans,
      double latencyP50Micros, double latencyP99Micros, int decisions) {}

  /** Runs of the replay that are a batch mode rather than a placer of {@link GangPlacers}. */
  public static final List<String> BATCH_MODES = List.of("batch", "batch-cp-sat");

  /**
   * What one replay runs: a placer of {@link GangPlacers#names()} asked job by job, or a batch
   * mode ({@code batch}: {@link GangBatch#place} with {@code greedy}; {@code batch-cp-sat}: {@link
   * GangBatch#placeWithSelection} with {@code greedy}).
   *
   * @param placer a name of {@link GangPlacers#names()} or {@link #BATCH_MODES}
   * @param stream the job stream
   * @param reserveAfter batch modes: events a job waits before the reservation rule holds a domain
   *     for it, 0 for no reservation
   * @param solverMillis the CP-SAT budget of {@code cp-sat} per decision and of {@code
   *     batch-cp-sat} per batch, milliseconds
   */
  public record Setup(String placer, Stream stream, int reserveAfter, long solverMillis) {}

  /**
   * Runs one replay.
   *
   * @param c the cluster
   * @param setup what to run
   * @param load offered load
   * @param seed the seed
   * @param count jobs
   * @return the measures
   */
  public static Result run(ClusterSpec c, Setup setup, double load, long seed, int count) {
    boolean batch = BATCH_MODES.contains(setup.placer());
    GangOptions options = GangOptions.defaults().withSolver(SolverOptions.defaults()
        .withTimeLimit(Duration.ofMillis(setup.solverMillis())));
    if (setup.placer().contains("cp-sat")) {
      // a host loads OR-Tools' native library when it starts, not within a short budget
      io.gpualloc.binpack.packing.CpSatPacker.preload();
    }
    GangPlacer placer = GangPlacers.named(batch ? "greedy" : setup.placer(), options);
    List<Job> jobs = setup.stream() == Stream.REALISTIC ? jobs(c, load, seed, count)
        : wholeNodeJobs(c, load, seed, count);
    Sim sim = new Sim(c, jobs);
    while (sim.advance()) {
      if (batch) {
        List<PendingGang> window = new ArrayList<>();
        for (int k = 0; k < sim.pending.size() && k < TRIES_PER_EVENT; k++) {
          Job j = sim.pending.get(k);
          window.add(new PendingGang(j.gang(), sim.waited[j.id()]));
        }
        long t0 = System.nanoTime();
        BatchResult br = setup.placer().equals("batch")
            ? GangBatch.place(window, sim.state, c.topology(), placer, setup.reserveAfter())
            : GangBatch.placeWithSelection(window, sim.state, c.topology(), placer,
                setup.reserveAfter(), options.solver()).result();
        sim.latencies.add(System.nanoTime() - t0);
        List<Job> started = new ArrayList<>();
        for (int k = 0; k < window.size(); k++) {
          if (br.decisions().get(k) instanceof GangDecision.Placed p) {
            sim.start(sim.pending.get(k), p);
            started.add(sim.pending.get(k));
          }
        }
        sim.pending.removeAll(started);
        continue;
      }
      int tries = 0;
      for (int k = 0; k < sim.pending.size() && tries < TRIES_PER_EVENT; tries++) {
        Job j = sim.pending.get(k);
        long t0 = System.nanoTime();
        GangDecision d = placer.place(j.gang(), sim.state, c.topology());
        sim.latencies.add(System.nanoTime() - t0);
        if (d instanceof GangDecision.Placed p) {
          sim.start(j, p);
          sim.pending.remove(k);
        } else {
          k++;
        }
      }
    }
    return sim.result(setup.placer(), load, seed);
  }

  /** The event loop's state for one run. */
  private static final class Sim {
    final ClusterSpec c;
    final List<Job> jobs;
    final ClusterState state;
    final double windowStart;
    final double windowEnd;
    final double[] start;
    final int[] placedGpus;
    final int[] waited;
    final List<List<String>> members = new ArrayList<>();
    final PriorityQueue<double[]> departures = new PriorityQueue<>((a, b) -> a[0] != b[0]
        ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
    final List<Job> pending = new ArrayList<>();
    final List<Long> latencies = new ArrayList<>();
    final double[] spanSum;
    int spanCount;
    double busyArea;
    int busy;
    double now;
    int next;

    Sim(ClusterSpec c, List<Job> jobs) {
      this.c = c;
      this.jobs = jobs;
      int count = jobs.size();
      state = new ClusterState(c.cluster());
      windowStart = jobs.get(count / 3).arrival();
      windowEnd = jobs.get(count - 1).arrival();
      start = new double[count];
      Arrays.fill(start, -1);
      placedGpus = new int[count];
      waited = new int[count];
      for (int i = 0; i < count; i++) {
        members.add(List.of());
      }
      spanSum = new double[c.topology().levels().size()];
    }

    /** Moves to the next arrival or departure; false at the end of the window. */
    boolean advance() {
      int count = jobs.size();
      double ta = next < count ? jobs.get(next).arrival() : Double.MAX_VALUE;
      double td = departures.isEmpty() ? Double.MAX_VALUE : departures.peek()[0];
      double t = Math.min(Math.min(ta, td), windowEnd);
      busyArea += busy * overlap(now, t, windowStart, windowEnd);
      now = t;
      if (now >= windowEnd) {
        return false;
      }
      if (td <= ta) {
        int id = (int) departures.poll()[1];
        for (String a : members.get(id)) {
          state.release(a);
        }
        busy -= placedGpus[id];
      } else {
        pending.add(jobs.get(next++));
      }
      for (Job j : pending) {
        waited[j.id()]++;
      }
      return true;
    }

    void start(Job j, GangDecision.Placed p) {
      state.allocateAll(p.placements());
      List<String> ids = new ArrayList<>();
      p.placements().forEach(pl -> ids.add(pl.allocationId()));
      members.set(j.id(), ids);
      start[j.id()] = now;
      long milli = 0;
      for (GangDecision.Member m : p.members()) {
        milli += j.gang().podSet(m.podSet()).gpuMilliPerPod();
      }
      placedGpus[j.id()] = (int) (milli / 1000);
      busy += placedGpus[j.id()];
      departures.add(new double[] {now + j.duration(), j.id()});
      if (p.members().size() > 1 && now >= windowStart) {
        for (int l = 0; l < spanSum.length; l++) {
          spanSum[l] += p.domainsSpanned().get(l);
        }
        spanCount++;
      }
    }

    Result result(String placerName, double load, long seed) {
      double capacity = c.cluster().gpuCount();
      double utilisation = busyArea / (capacity * (windowEnd - windowStart));
      double gpuHours = 0;
      List<Double> waits = new ArrayList<>();
      double largeSum = 0;
      int largeCount = 0;
      for (Job j : jobs) {
        if (start[j.id()] >= windowStart) {
          gpuHours += placedGpus[j.id()] * j.duration();
        }
        if (j.arrival() >= windowStart && j.arrival() < windowEnd) {
          double w = (start[j.id()] >= 0 ? start[j.id()] : windowEnd) - j.arrival();
          waits.add(w);
          if (j.gpus() >= LARGE_GPUS) {
            largeSum += w;
            largeCount++;
          }
        }
      }
      waits.sort(Double::compare);
      double mean = waits.stream().mapToDouble(Double::doubleValue).average().orElse(0);
      double p95 = waits.isEmpty() ? 0 : waits.get((int) Math.floor(0.95 * (waits.size() - 1)));
      double[] spans = new double[spanSum.length];
      for (int l = 0; l < spans.length; l++) {
        spans[l] = spanCount == 0 ? 0 : spanSum[l] / spanCount;
      }
      latencies.sort(Long::compare);
      return new Result(c.name(), placerName, load, seed, utilisation, gpuHours, mean, p95,
          largeCount == 0 ? 0 : largeSum / largeCount, spans, percentile(latencies, 0.5) / 1e3,
          percentile(latencies, 0.99) / 1e3, latencies.size());
    }
  }

  private static double overlap(double a, double b, double lo, double hi) {
    return Math.max(0, Math.min(b, hi) - Math.max(a, lo));
  }

  private static double percentile(List<Long> sorted, double q) {
    return sorted.isEmpty() ? 0 : sorted.get((int) Math.floor(q * (sorted.size() - 1)));
  }
}

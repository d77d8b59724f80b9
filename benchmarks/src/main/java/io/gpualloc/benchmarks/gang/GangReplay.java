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
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.Node;
import io.gpualloc.core.Request;
import io.gpualloc.topology.ClusterTopology;
import io.gpualloc.topology.TopologyLevels;
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

  /**
   * The seeded job stream: half single pods (1, 2, 4 or a whole node of GPUs), a third gangs of
   * 2 to 8 whole-node pods, the rest large gangs of 16, 32 or 64 whole-node pods (up to 512
   * GPUs); gangs that fit one rack-like domain REQUIRE one, larger ones a block; durations
   * exponential (mean 1 h, 3 min to 8 h); Poisson arrivals at the rate that offers {@code load} of
   * the GPUs.
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

  /**
   * Runs one replay.
   *
   * @param c the cluster
   * @param placerName a name of {@link GangPlacers#names()}
   * @param load offered load
   * @param seed the seed
   * @param count jobs
   * @return the measures
   */
  public static Result run(ClusterSpec c, String placerName, double load, long seed, int count) {
    return run(c, placerName, load, seed, count, 0);
  }

  /**
   * Runs one replay, with the batch mode when {@code reserveAfter > 0}: after each event the first
   * {@value #TRIES_PER_EVENT} pending jobs go to {@link GangBatch#place} as one batch, each with
   * the events it has waited, and the reservation rule applies after {@code reserveAfter} events
   * (one decision is then one batch).
   *
   * @param c the cluster
   * @param placerName a name of {@link GangPlacers#names()}
   * @param load offered load
   * @param seed the seed
   * @param count jobs
   * @param reserveAfter events a job waits before the reservation rule holds a domain for it; 0
   *     for the plain best-effort FIFO
   * @return the measures
   */
  public static Result run(ClusterSpec c, String placerName, double load, long seed, int count,
      int reserveAfter) {
    if ("cp-sat".equals(placerName)) {
      // a host loads OR-Tools' native library when it starts, not within a 1 s budget
      io.gpualloc.binpack.packing.CpSatPacker.preload();
    }
    GangPlacer placer = GangPlacers.named(placerName, GangOptions.defaults());
    List<Job> jobs = jobs(c, load, seed, count);
    ClusterState state = new ClusterState(c.cluster());
    double windowStart = jobs.get(count / 3).arrival();
    double windowEnd = jobs.get(count - 1).arrival();
    double[] start = new double[count];
    Arrays.fill(start, -1);
    PriorityQueue<double[]> departures =
        new PriorityQueue<>((a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0])
            : Double.compare(a[1], b[1]));
    List<Job> pending = new ArrayList<>();
    List<Long> latencies = new ArrayList<>();
    int levels = c.topology().levels().size();
    double[] spanSum = new double[levels];
    int spanCount = 0;
    double busyArea = 0;
    int busy = 0;
    double now = 0;
    int next = 0;
    int[] waited = new int[count];
    List<List<String>> members = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      members.add(List.of());
    }
    while (now < windowEnd) {
      double ta = next < count ? jobs.get(next).arrival() : Double.MAX_VALUE;
      double td = departures.isEmpty() ? Double.MAX_VALUE : departures.peek()[0];
      double t = Math.min(Math.min(ta, td), windowEnd);
      busyArea += busy * overlap(now, t, windowStart, windowEnd);
      now = t;
      if (now >= windowEnd) {
        break;
      }
      if (td <= ta) {
        int id = (int) departures.poll()[1];
        for (String a : members.get(id)) {
          state.release(a);
        }
        busy -= jobs.get(id).gpus();
      } else {
        pending.add(jobs.get(next++));
      }
      for (Job j : pending) {
        waited[j.id()]++;
      }
      if (reserveAfter > 0) {
        List<PendingGang> window = new ArrayList<>();
        for (int k = 0; k < pending.size() && k < TRIES_PER_EVENT; k++) {
          window.add(new PendingGang(pending.get(k).gang(), waited[pending.get(k).id()]));
        }
        long t0 = System.nanoTime();
        BatchResult br = GangBatch.place(window, state, c.topology(), placer, reserveAfter);
        latencies.add(System.nanoTime() - t0);
        List<Job> started = new ArrayList<>();
        for (int k = 0; k < window.size(); k++) {
          if (br.decisions().get(k) instanceof GangDecision.Placed p) {
            Job j = pending.get(k);
            state.allocateAll(p.placements());
            List<String> ids = new ArrayList<>();
            p.placements().forEach(pl -> ids.add(pl.allocationId()));
            members.set(j.id(), ids);
            start[j.id()] = now;
            busy += j.gpus();
            departures.add(new double[] {now + j.duration(), j.id()});
            started.add(j);
            if (j.gang().podSets().get(0).count() > 1 && now >= windowStart) {
              for (int l = 0; l < levels; l++) {
                spanSum[l] += p.domainsSpanned().get(l);
              }
              spanCount++;
            }
          }
        }
        pending.removeAll(started);
        continue;
      }
      int tries = 0;
      for (int k = 0; k < pending.size() && tries < TRIES_PER_EVENT; tries++) {
        Job j = pending.get(k);
        long t0 = System.nanoTime();
        GangDecision d = placer.place(j.gang(), state, c.topology());
        latencies.add(System.nanoTime() - t0);
        if (d instanceof GangDecision.Placed p) {
          state.allocateAll(p.placements());
          List<String> ids = new ArrayList<>();
          p.placements().forEach(pl -> ids.add(pl.allocationId()));
          members.set(j.id(), ids);
          start[j.id()] = now;
          busy += j.gpus();
          departures.add(new double[] {now + j.duration(), j.id()});
          pending.remove(k);
          if (j.gang().podSets().get(0).count() > 1 && now >= windowStart) {
            for (int l = 0; l < levels; l++) {
              spanSum[l] += p.domainsSpanned().get(l);
            }
            spanCount++;
          }
        } else {
          k++;
        }
      }
    }
    double capacity = c.cluster().gpuCount();
    double utilisation = busyArea / (capacity * (windowEnd - windowStart));
    double gpuHours = 0;
    List<Double> waits = new ArrayList<>();
    double largeSum = 0;
    int largeCount = 0;
    for (Job j : jobs) {
      if (start[j.id()] >= windowStart) {
        gpuHours += j.gpus() * j.duration();
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
    double[] spans = new double[levels];
    for (int l = 0; l < levels; l++) {
      spans[l] = spanCount == 0 ? 0 : spanSum[l] / spanCount;
    }
    latencies.sort(Long::compare);
    return new Result(c.name(), placerName, load, seed, utilisation, gpuHours, mean, p95,
        largeCount == 0 ? 0 : largeSum / largeCount, spans, percentile(latencies, 0.5) / 1e3,
        percentile(latencies, 0.99) / 1e3, latencies.size());
  }

  private static double overlap(double a, double b, double lo, double hi) {
    return Math.max(0, Math.min(b, hi) - Math.max(a, lo));
  }

  private static double percentile(List<Long> sorted, double q) {
    return sorted.isEmpty() ? 0 : sorted.get((int) Math.floor(q * (sorted.size() - 1)));
  }
}

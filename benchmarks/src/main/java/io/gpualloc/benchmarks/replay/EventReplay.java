package io.gpualloc.benchmarks.replay;

import io.gpualloc.binpack.FragmentationTracker;
import io.gpualloc.binpack.Policies;
import io.gpualloc.binpack.PolicyConfig;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.Decision;
import io.gpualloc.core.PlacementPolicy;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Event-driven replay with departures, beyond the paper's arrive-only method: an open system in
 * which pods drawn from the trace (uniformly, with replacement, seeded) arrive at a constant rate
 * chosen so that the offered GPU load is {@code load} times capacity, and each leaves after its own
 * lifetime from the trace ({@code deletion_time - creation_time}). A pod that does not fit on
 * arrival is dropped. Lifetimes are capped at the trace's 90th percentile: the trace's tail (up to
 * 145 days) would otherwise keep the system from reaching a steady state in any practical run.
 * Curves are bucketed by progress through the arrivals (0..100%); the summary metrics use the
 * steady state after the first third, and the default run length is three capped lifetimes, so
 * the first third is the warm-up in which the cluster fills.
 *
 * <p>Traces without timestamps (the multigpu files, the built-in workload) draw lifetimes from the
 * default trace's published lifetime deciles.
 */
public final class EventReplay {
  // deciles of (deletion - creation) in seconds on openb's default trace, 0% and 100% added
  private static final double[] LIFETIME_DECILES =
      {1, 80, 146, 202, 301, 540, 883, 1422, 2700, 6580, 120_000};

  private EventReplay() {}

  /** The lifetime quantile that caps lifetimes. */
  public static final double LIFETIME_CAP_QUANTILE = 0.9;

  /**
   * The default number of arrivals for {@code trace} at {@code load}: three capped lifetimes' worth,
   * so that the first third fills the cluster and the rest is steady state.
   */
  public static int defaultArrivals(Replay.Trace trace, double load) {
    double[] lifetime = lifetimes(trace.pods(), new SplittableRandom(0));
    double interArrival = meanGpuSeconds(trace.pods(), lifetime) / (load * trace.capacityMilli());
    double cap = lifetime.length == 0 ? 1 : quantile(lifetime, LIFETIME_CAP_QUANTILE);
    return (int) Math.min(5_000_000, Math.max(trace.pods().size(), Math.ceil(3 * cap / interArrival)));
  }

  /**
   * Runs one (policy, seed).
   *
   * @param trace the trace
   * @param policyName the policy
   * @param seed seed for the arrival sample and the policy
   * @param load offered GPU load as a fraction of capacity
   * @param arrivals how many pods arrive
   * @return the run
   */
  public static RunResult run(
      Replay.Trace trace, String policyName, long seed, double load, int arrivals) {
    if (!(load > 0) || Double.isInfinite(load)) {
      throw new IllegalArgumentException("load is " + load + "; allowed: a finite value > 0");
    }
    long start = System.nanoTime();
    SplittableRandom rnd = new SplittableRandom(seed);
    List<OpenbPod> pods = trace.pods();
    double[] lifetime = lifetimes(pods, rnd);
    Cluster cluster = trace.cluster();
    long capacity = trace.capacityMilli();
    // offered load = arrival rate * E[gpu * lifetime] / capacity
    double interArrival = meanGpuSeconds(pods, lifetime) / (load * capacity);
    PlacementPolicy policy = Policies.named(policyName, new PolicyConfig(seed, trace.workload()));
    ClusterState state = new ClusterState(cluster);
    FragmentationTracker frag = new FragmentationTracker(trace.workload());
    PriorityQueue<double[]> departures = new PriorityQueue<>((a, b) -> Double.compare(a[0], b[0]));

    int buckets = 101;
    double[] alloc = new double[RunResult.MAX_BUCKET + 1];
    double[] rate = new double[RunResult.MAX_BUCKET + 1];
    double[] share = new double[RunResult.MAX_BUCKET + 1];
    Arrays.fill(alloc, Double.NaN);
    Arrays.fill(rate, Double.NaN);
    Arrays.fill(share, Double.NaN);
    double[] sumAlloc = new double[buckets];
    double[] sumRate = new double[buckets];
    double[] sumShare = new double[buckets];
    int[] count = new int[buckets];
    Map<OpenbPod.PodType, Integer> failed = new EnumMap<>(OpenbPod.PodType.class);
    for (OpenbPod.PodType t : OpenbPod.PodType.values()) {
      failed.put(t, 0);
    }
    long[] latency = new long[arrivals];
    long allocated = 0;
    long[] gpuOf = new long[arrivals];
    for (int i = 0; i < arrivals; i++) {
      double now = i * interArrival;
      while (!departures.isEmpty() && departures.peek()[0] <= now) {
        int id = (int) departures.poll()[1];
        state.release("e" + id);
        allocated -= gpuOf[id];
      }
      int pick = rnd.nextInt(pods.size());
      OpenbPod pod = pods.get(pick);
      long t0 = System.nanoTime();
      Decision d = policy.place(OpenbModels.request(pod, "e" + i), state);
      latency[i] = System.nanoTime() - t0;
      if (d instanceof Decision.Placed placed) {
        state.allocate(placed.placement());
        gpuOf[i] = pod.gpuRequestMilli();
        allocated += gpuOf[i];
        departures.add(new double[] {now + lifetime[pick], i});
      } else {
        failed.merge(pod.type(), 1, Integer::sum);
      }
      int b = (int) ((long) i * 100 / Math.max(1, arrivals - 1));
      FragmentationTracker.Measure m = frag.measure(state);
      sumAlloc[b] += 100.0 * allocated / capacity;
      sumRate[b] += 100.0 * m.rate();
      sumShare[b] += 100.0 * m.fragmentationMilli() / capacity;
      count[b]++;
    }
    for (int b = 0; b < buckets; b++) {
      if (count[b] > 0) {
        alloc[b] = sumAlloc[b] / count[b];
        rate[b] = sumRate[b] / count[b];
        share[b] = sumShare[b] / count[b];
      }
    }
    Arrays.sort(latency);
    return new RunResult(trace.name(), policyName, seed, arrivals, alloc, rate, share, failed,
        latency, System.nanoTime() - start);
  }

  /** Each pod's lifetime in seconds, capped at the {@link #LIFETIME_CAP_QUANTILE} quantile. */
  static double[] lifetimes(List<OpenbPod> pods, SplittableRandom rnd) {
    double[] lifetime = new double[pods.size()];
    for (int i = 0; i < pods.size(); i++) {
      OpenbPod p = pods.get(i);
      lifetime[i] = p.creationTime() >= 0 && p.deletionTime() >= p.creationTime()
          ? Math.max(1, p.deletionTime() - p.creationTime())
          : sampleLifetime(rnd);
    }
    if (lifetime.length > 0) {
      double cap = quantile(lifetime, LIFETIME_CAP_QUANTILE);
      for (int i = 0; i < lifetime.length; i++) {
        lifetime[i] = Math.min(lifetime[i], cap);
      }
    }
    return lifetime;
  }

  private static double meanGpuSeconds(List<OpenbPod> pods, double[] lifetime) {
    double sum = 0;
    for (int i = 0; i < lifetime.length; i++) {
      sum += pods.get(i).gpuRequestMilli() * lifetime[i];
    }
    return Math.max(1e-9, sum / Math.max(1, lifetime.length));
  }

  private static double quantile(double[] values, double q) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  }

  private static double sampleLifetime(SplittableRandom rnd) {
    double u = rnd.nextDouble() * 10;
    int i = (int) u;
    double f = u - i;
    return LIFETIME_DECILES[i] + f * (LIFETIME_DECILES[i + 1] - LIFETIME_DECILES[i]);
  }
}

package io.gpualloc.benchmarks.replay;

import io.gpualloc.binpack.FragmentationTracker;
import io.gpualloc.binpack.Policies;
import io.gpualloc.binpack.PolicyConfig;
import io.gpualloc.binpack.TargetWorkload;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.Decision;
import io.gpualloc.core.PlacementPolicy;
import io.gpualloc.core.Request;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One replay: pods arrive one at a time and never leave (the FGD paper's method); a pod that does
 * not fit is dropped. After every arrival the run records arrived GPU (failed pods included),
 * allocated GPU and the cluster's fragmentation against the trace's target workload, bucketed by
 * arrived load in integer percent of capacity and averaged within a bucket.
 */
public final class Replay {

  /**
   * A prepared trace: cluster, original pods (for the target workload) and its name.
   *
   * @param name trace name, for example {@code default}
   * @param cluster the cluster
   * @param pods the trace's pods, before inflation
   * @param workload the target workload built from the pods
   */
  public record Trace(String name, Cluster cluster, List<OpenbPod> pods, TargetWorkload workload) {
    /** Builds the trace, deriving the target workload from the pods (95% coverage). */
    public static Trace of(String name, Cluster cluster, List<OpenbPod> pods) {
      return new Trace(name, cluster, List.copyOf(pods),
          TargetWorkload.fromRequests(OpenbModels.requests(pods)));
    }

    /** GPU capacity in milli-GPU. */
    public long capacityMilli() {
      return 1000L * cluster.gpuCount();
    }
  }

  private Replay() {}

  /**
   * Runs one (policy, seed) over {@code trace}, inflated to {@code tune} times capacity.
   *
   * @param trace the trace
   * @param policyName a name from {@link Policies#names()}
   * @param seed the seed for inflation and for the policy
   * @param tune target load as a multiple of capacity
   * @param mode the inflation overshoot rule
   * @return the run's curves and counts
   */
  public static RunResult run(
      Trace trace, String policyName, long seed, double tune, Inflation.Mode mode) {
    long start = System.nanoTime();
    Cluster cluster = trace.cluster();
    long capacity = trace.capacityMilli();
    List<OpenbPod> arrivals = Inflation.inflate(trace.pods(), seed, capacity, tune, mode);
    PlacementPolicy policy = Policies.named(policyName, new PolicyConfig(seed, trace.workload()));
    ClusterState state = new ClusterState(cluster);

    FragmentationTracker frag = new FragmentationTracker(trace.workload());
    int buckets = RunResult.MAX_BUCKET + 1;
    double[] alloc = new double[buckets];
    double[] rate = new double[buckets];
    double[] share = new double[buckets];
    int[] count = new int[buckets];
    Map<OpenbPod.PodType, Integer> failed = new EnumMap<>(OpenbPod.PodType.class);
    for (OpenbPod.PodType t : OpenbPod.PodType.values()) {
      failed.put(t, 0);
    }
    long[] latency = new long[arrivals.size()];
    long arrived = 0;
    long allocated = 0;
    for (int i = 0; i < arrivals.size(); i++) {
      OpenbPod pod = arrivals.get(i);
      Request request = OpenbModels.request(pod);
      long t0 = System.nanoTime();
      Decision d = policy.place(request, state);
      latency[i] = System.nanoTime() - t0;
      if (d instanceof Decision.Placed placed) {
        state.allocate(placed.placement());
        allocated += pod.gpuRequestMilli();
      } else {
        failed.merge(pod.type(), 1, Integer::sum);
      }
      arrived += pod.gpuRequestMilli();
      int b = (int) Math.round(100.0 * arrived / capacity);
      if (b < buckets) {
        FragmentationTracker.Measure m = frag.measure(state);
        alloc[b] += 100.0 * allocated / capacity;
        rate[b] += 100.0 * m.rate();
        share[b] += 100.0 * m.fragmentationMilli() / capacity;
        count[b]++;
      }
    }
    for (int b = 0; b < buckets; b++) {
      alloc[b] = count[b] == 0 ? Double.NaN : alloc[b] / count[b];
      rate[b] = count[b] == 0 ? Double.NaN : rate[b] / count[b];
      share[b] = count[b] == 0 ? Double.NaN : share[b] / count[b];
    }
    Arrays.sort(latency);
    return new RunResult(trace.name(), policyName, seed, arrivals.size(), alloc, rate, share,
        failed, latency, System.nanoTime() - start);
  }
}

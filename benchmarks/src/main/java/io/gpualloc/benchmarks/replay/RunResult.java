package io.gpualloc.benchmarks.replay;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * The outcome of one (trace, policy, seed) replay: per arrived-load bucket (0..{@link
 * #MAX_BUCKET} percent of GPU capacity), the mean GPU allocation ratio, fragmentation rate and
 * fragmentation share of capacity, plus failed pods by type and decision latencies.
 *
 * @param trace trace name
 * @param policy policy name
 * @param seed seed
 * @param pods pods that arrived
 * @param allocationPct mean allocated GPU % of capacity per bucket (NaN: no sample)
 * @param fragRatePct mean fragmentation rate % (fragmented / free GPU) per bucket (NaN: none)
 * @param fragSharePct mean fragmented GPU % of capacity per bucket (NaN: none)
 * @param failed failed pods by type
 * @param latencyNanos decision latencies, sorted ascending
 * @param wallNanos the run's wall time
 */
public record RunResult(
    String trace,
    String policy,
    long seed,
    int pods,
    double[] allocationPct,
    double[] fragRatePct,
    double[] fragSharePct,
    Map<OpenbPod.PodType, Integer> failed,
    long[] latencyNanos,
    long wallNanos) {

  /** Buckets run from 0 to this arrived-load percentage. */
  public static final int MAX_BUCKET = 150;

  /** Copies the arrays and map. */
  public RunResult {
    allocationPct = allocationPct.clone();
    fragRatePct = fragRatePct.clone();
    fragSharePct = fragSharePct.clone();
    failed = new EnumMap<>(failed);
    latencyNanos = latencyNanos.clone();
  }

  /** Unallocated GPU % of capacity at {@code arrivedPct}, or NaN when the run never got there. */
  public double unallocatedAt(int arrivedPct) {
    double a = valueAt(allocationPct, arrivedPct);
    return Double.isNaN(a) ? Double.NaN : 100.0 - a;
  }

  /** Fragmentation rate % at {@code arrivedPct}, or NaN. */
  public double fragRateAt(int arrivedPct) {
    return valueAt(fragRatePct, arrivedPct);
  }

  /** The latency percentile {@code q} (0..1) in microseconds. */
  public double latencyMicros(double q) {
    if (latencyNanos.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.min(latencyNanos.length - 1, Math.floor(q * latencyNanos.length));
    return latencyNanos[i] / 1000.0;
  }

  /** Total failed pods. */
  public int failedTotal() {
    return failed.values().stream().mapToInt(Integer::intValue).sum();
  }

  private static double valueAt(double[] series, int pct) {
    return pct < 0 || pct >= series.length ? Double.NaN : series[pct];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RunResult r && r.trace.equals(trace) && r.policy.equals(policy)
        && r.seed == seed && r.pods == pods && Arrays.equals(r.allocationPct, allocationPct)
        && Arrays.equals(r.fragRatePct, fragRatePct) && Arrays.equals(r.fragSharePct, fragSharePct)
        && r.failed.equals(failed);
  }

  @Override
  public int hashCode() {
    return trace.hashCode() * 31 + policy.hashCode() + Long.hashCode(seed)
        + Arrays.hashCode(allocationPct);
  }

  @Override
  public String toString() {
    return "RunResult[" + trace + ", " + policy + ", seed " + seed + ", unallocated@100 "
        + unallocatedAt(100) + "]";
  }
}

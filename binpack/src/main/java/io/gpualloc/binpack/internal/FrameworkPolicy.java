package io.gpualloc.binpack.internal;

import io.gpualloc.binpack.GpuPicker;
import io.gpualloc.binpack.NodeFilter;
import io.gpualloc.binpack.NodeScorer;
import io.gpualloc.core.ClusterView;
import io.gpualloc.core.Decision;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.Placement;
import io.gpualloc.core.PlacementPolicy;
import io.gpualloc.core.RejectReason;
import io.gpualloc.core.Request;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A policy in the style of the Kubernetes scheduling framework: every node runs through the
 * filters; the feasible nodes get the weighted sum of the scorers (each optionally min-max
 * normalised); the best node wins, ties broken as {@link Ties} says; then the picker chooses the
 * GPUs.
 */
public final class FrameworkPolicy implements PlacementPolicy {

  /** How equal scores are broken. */
  public enum Ties {
    /** Lowest node id. */
    NODE_ID,
    /** A seeded random node priority fixed for the instance ({@link Seeds#rank}). */
    NODE_PRIORITY,
    /** A seeded uniform choice per decision ({@link Seeds#rng}). */
    PER_DECISION
  }

  private final String name;
  private final List<NodeFilter> filters;
  private final List<NodeScorer> scorers;
  private final double[] weights;
  private final GpuPicker picker;
  private final Ties ties;
  private final long seed;
  private volatile int[] rank = new int[0];

  /** A policy of these parts; {@code weights[i]} belongs to {@code scorers[i]}. */
  public FrameworkPolicy(
      String name,
      List<NodeFilter> filters,
      List<NodeScorer> scorers,
      double[] weights,
      GpuPicker picker,
      Ties ties,
      long seed) {
    this.name = name;
    this.filters = List.copyOf(filters);
    this.scorers = List.copyOf(scorers);
    this.weights = weights.clone();
    this.picker = picker;
    this.ties = ties;
    this.seed = seed;
    if (weights.length != scorers.size()) {
      throw new IllegalArgumentException("one weight per scorer");
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Decision place(Request request, ClusterView view) {
    int n = view.cluster().nodeCount();
    int[] feasible = new int[n];
    int f = 0;
    RejectReason[] reasons = null;
    for (int node = 0; node < n; node++) {
      RejectReason why = null;
      for (int i = 0; i < filters.size() && why == null; i++) {
        why = filters.get(i).reject(request, view, node);
      }
      if (why == null) {
        feasible[f++] = node;
        if (scorers.isEmpty() && ties == Ties.NODE_ID) {
          break; // first fit: nothing can beat the lowest feasible id
        }
      } else {
        if (reasons == null) {
          reasons = new RejectReason[n];
        }
        reasons[node] = why;
      }
    }
    if (f == 0) {
      Decision.Rejected.Builder b = Decision.Rejected.builder(request.name(), n);
      for (int node = 0; node < n; node++) {
        b.reject(node, reasons[node]);
      }
      return b.build("");
    }
    double[][] parts = new double[scorers.size()][f];
    double[] total = new double[f];
    for (int s = 0; s < scorers.size(); s++) {
      NodeScorer scorer = scorers.get(s);
      double[] p = parts[s];
      for (int i = 0; i < f; i++) {
        p[i] = scorer.score(request, view, feasible[i]);
      }
      if (scorer.normalized()) {
        normalise(p, f);
      }
      for (int i = 0; i < f; i++) {
        total[i] += weights[s] * p[i];
      }
    }
    int best = 0;
    int[] rk = ties == Ties.NODE_PRIORITY ? rank(n) : null;
    SplittableRandom rng = ties == Ties.PER_DECISION ? Seeds.rng(seed, request, view) : null;
    int tied = 1;
    for (int i = 1; i < f; i++) {
      if (total[i] > total[best]) {
        best = i;
        tied = 1;
      } else if (total[i] == total[best]) {
        if (rk != null && rk[feasible[i]] < rk[feasible[best]]) {
          best = i;
        } else if (rng != null && rng.nextInt(++tied) == 0) {
          best = i;
        }
      }
    }
    int node = feasible[best];
    List<GpuGrant> grants = picker.pick(request, view, node);
    Placement placement = new Placement(
        request.name(), node, request.cpuMilli(), request.memoryMib(), grants);
    Map<String, Double> breakdown = new LinkedHashMap<>();
    for (int s = 0; s < scorers.size(); s++) {
      breakdown.put(scorers.get(s).name(), weights[s] * parts[s][best]);
    }
    return new Decision.Placed(placement, total[best], breakdown);
  }

  private int[] rank(int n) {
    int[] r = rank;
    if (r.length != n) {
      r = Seeds.rank(seed, n);
      rank = r;
    }
    return r;
  }

  /** Kubernetes' NormalizeScore: integers, (s - lo) * 100 / (hi - lo); all 0 when hi == lo. */
  private static void normalise(double[] p, int f) {
    long lo = Long.MAX_VALUE;
    long hi = Long.MIN_VALUE;
    for (int i = 0; i < f; i++) {
      lo = Math.min(lo, (long) p[i]);
      hi = Math.max(hi, (long) p[i]);
    }
    for (int i = 0; i < f; i++) {
      p[i] = hi == lo ? 0 : (((long) p[i] - lo) * 100 / (hi - lo));
    }
  }

  @Override
  public String toString() {
    return name;
  }
}

package io.gpualloc.binpack;

import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.Request;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * FGD's target workload M: the task classes a cluster expects, each with its popularity. The
 * fragmentation of a node is measured against M ({@link Fragmentation}).
 *
 * <p>Build it from a pod list with {@link #fromRequests(List, double)} (the paper's rule: group by
 * CPU, GPU demand and model filter, keep the most frequent classes until they cover 95% of the
 * pods, renormalise), or by hand with {@link #of(List)}.
 */
public final class TargetWorkload {
  /** The paper's coverage threshold. */
  public static final double DEFAULT_COVERAGE = 0.95;

  private static final TargetWorkload EMPTY = new TargetWorkload(List.of());

  private final List<TaskClass> classes;
  private final long totalWeight;

  private TargetWorkload(List<TaskClass> classes) {
    this.classes = List.copyOf(classes);
    long t = 0;
    for (TaskClass c : classes) {
      t += c.weight();
    }
    this.totalWeight = t;
  }

  /**
   * The empty workload (no classes): fragmentation is 0 everywhere.
   *
   * @return the empty workload (no classes): fragmentation is 0 everywhere
   */
  public static TargetWorkload empty() {
    return EMPTY;
  }

  /**
   * A workload of exactly these classes, weights as given.
   *
   * @param classes the task classes
   * @return a workload of exactly these classes, weights as given
   */
  public static TargetWorkload of(List<TaskClass> classes) {
    if (classes == null) {
      throw InvalidSpecException.of("target workload", "classes", null, "a list of task classes");
    }
    return new TargetWorkload(classes);
  }

  /**
   * A workload from probabilities: {@code classes[i]} with probability {@code p[i]} (scaled to
   * integer weights of one millionth).
   *
   * @param classes the task classes
   * @param p the probability of each class, summing to 1
   * @return a workload from probabilities: {@code classes[i]} with probability {@code p[i]} (scaled
   *     to integer weights of one millionth)
   */
  public static TargetWorkload ofProbabilities(List<TaskClass> classes, List<Double> p) {
    if (classes.size() != p.size()) {
      throw InvalidSpecException.of(
          "target workload", "probabilities", p.size(), classes.size() + " (one per class)");
    }
    List<TaskClass> out = new ArrayList<>();
    for (int i = 0; i < classes.size(); i++) {
      TaskClass c = classes.get(i);
      long w = Math.round(p.get(i) * 1_000_000);
      out.add(new TaskClass(c.cpuMilli(), c.gpu(), c.modelInclude(), c.modelExclude(), w));
    }
    return new TargetWorkload(out);
  }

  /**
   * {@link #fromRequests(List, double)} with the paper's coverage of 0.95.
   *
   * @param pods the pods of the trace or cluster to learn the classes from
   * @return {@link #fromRequests(List, double)} with the paper's coverage of 0.95
   */
  public static TargetWorkload fromRequests(List<Request> pods) {
    return fromRequests(pods, DEFAULT_COVERAGE);
  }

  /**
   * The paper's M from a pod list: pods grouped by (CPU, GPU demand, model filter), CPU-only pods
   * included, MIG requests skipped; classes sorted by count descending (ties: CPU, per-GPU milli,
   * GPU count, model filter, all descending); the most frequent kept until their pods reach {@code
   * coverage} of all pods; weights are the pod counts.
   *
   * @param coverage in (0, 1]
   * @param pods the pods of the trace or cluster to learn the classes from
   * @return the paper's M from a pod list: pods grouped by (CPU, GPU demand, model filter),
   *     CPU-only pods included, MIG requests skipped; classes sorted by count descending (ties:
   *     CPU, per-GPU milli, GPU count, model filter, all descending); the most frequent kept until
   *     their pods reach {@code coverage} of all pods; weights are the pod counts
   */
  public static TargetWorkload fromRequests(List<Request> pods, double coverage) {
    if (pods == null) {
      throw InvalidSpecException.of("target workload", "pods", null, "a list of requests");
    }
    if (!(coverage > 0 && coverage <= 1)) {
      throw InvalidSpecException.of("target workload", "coverage", coverage, "(0, 1], usually 0.95");
    }
    Map<List<Object>, long[]> counts = new LinkedHashMap<>();
    Map<List<Object>, TaskClass> proto = new LinkedHashMap<>();
    long total = 0;
    for (Request r : pods) {
      if (r.gpu() instanceof GpuDemand.Mig) {
        continue;
      }
      TaskClass c = new TaskClass(r.cpuMilli(), r.gpu(), r.modelInclude(), r.modelExclude(), 1);
      List<Object> key = List.of(c.cpuMilli(), c.gpuMilli(), c.gpuCount(), c.gpuMemoryMib(),
          modelKey(c.modelInclude(), c.modelExclude()));
      counts.computeIfAbsent(key, k -> new long[1])[0]++;
      proto.putIfAbsent(key, c);
      total++;
    }
    List<TaskClass> all = new ArrayList<>();
    for (Map.Entry<List<Object>, long[]> e : counts.entrySet()) {
      TaskClass c = proto.get(e.getKey());
      all.add(new TaskClass(c.cpuMilli(), c.gpu(), c.modelInclude(), c.modelExclude(),
          e.getValue()[0]));
    }
    Comparator<TaskClass> order = Comparator.comparingLong(TaskClass::weight)
        .thenComparingInt(TaskClass::cpuMilli)
        .thenComparingInt(TaskClass::gpuMilli)
        .thenComparingInt(TaskClass::gpuCount)
        .thenComparingInt(TaskClass::gpuMemoryMib)
        .thenComparing(c -> modelKey(c.modelInclude(), c.modelExclude()));
    all.sort(order.reversed());
    List<TaskClass> kept = new ArrayList<>();
    long cum = 0;
    for (TaskClass c : all) {
      if (total > 0 && cum >= coverage * total) {
        break;
      }
      kept.add(c);
      cum += c.weight();
    }
    return new TargetWorkload(kept);
  }

  private static String modelKey(Set<String> include, Set<String> exclude) {
    return String.join("|", include) + (exclude.isEmpty() ? "" : "!" + String.join("|", exclude));
  }

  /**
   * The classes, most frequent first when built from requests.
   *
   * @return the classes, most frequent first when built from requests
   */
  public List<TaskClass> classes() {
    return classes;
  }

  /**
   * The sum of the classes' weights.
   *
   * @return the sum of the classes' weights
   */
  public long totalWeight() {
    return totalWeight;
  }

  /**
   * The probability of class {@code i}: its weight over the total.
   *
   * @param i a GPU index within the node
   * @return the probability of class {@code i}: its weight over the total
   */
  public double probability(int i) {
    return (double) classes.get(i).weight() / totalWeight;
  }

  /**
   * Whether the workload has no classes.
   *
   * @return whether the workload has no classes
   */
  public boolean isEmpty() {
    return classes.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TargetWorkload t && t.classes.equals(classes);
  }

  @Override
  public int hashCode() {
    return classes.hashCode();
  }

  @Override
  public String toString() {
    return "TargetWorkload[" + classes.size() + " classes, weight " + totalWeight + "]";
  }
}

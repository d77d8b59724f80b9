package io.gpualloc.examples.extender;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The server's counters and latency histograms, written in Prometheus' text format (version
 * 0.0.4). Thread-safe and lock-free on the request path.
 */
public final class Metrics {
  /** Upper bounds of the latency buckets, in seconds. */
  static final double[] BUCKETS = {0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
      1, 2.5, 5};

  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> decisions = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> rejections = new ConcurrentHashMap<>();
  private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
  private final Map<String, LongSupplier> gauges = new ConcurrentHashMap<>();

  /** Empty counters. */
  public Metrics() {}

  private static final class Histogram {
    final LongAdder[] buckets = new LongAdder[BUCKETS.length];
    final LongAdder count = new LongAdder();
    final LongAdder sumNanos = new LongAdder();

    Histogram() {
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] = new LongAdder();
      }
    }
  }

  /**
   * Counts one request of {@code verb} that ended with {@code outcome} ({@code ok}, {@code error})
   * and took {@code nanos}.
   *
   * @param verb the endpoint, for example {@code filter}
   * @param outcome {@code ok} or {@code error}
   * @param nanos the time it took
   */
  public void request(String verb, String outcome, long nanos) {
    requests.computeIfAbsent(labels("verb", verb, "outcome", outcome), k -> new LongAdder())
        .increment();
    Histogram h = latency.computeIfAbsent(verb, k -> new Histogram());
    double s = nanos / 1e9;
    for (int i = 0; i < BUCKETS.length; i++) {
      if (s <= BUCKETS[i]) {
        h.buckets[i].increment();
      }
    }
    h.count.increment();
    h.sumNanos.add(nanos);
  }

  /**
   * Counts decisions of {@code verb} by result (filter: {@code passed}/{@code failed} nodes; bind:
   * {@code bound} or the error code; preempt: {@code nodes} offered).
   *
   * @param verb the verb
   * @param result the result
   * @param n how many
   */
  public void decision(String verb, String result, long n) {
    if (n > 0) {
      decisions.computeIfAbsent(labels("verb", verb, "result", result), k -> new LongAdder())
          .add(n);
    }
  }

  /**
   * Counts a node rejected by filter, by reason.
   *
   * @param reason the reason code, for example {@code INSUFFICIENT_GPU_MEMORY}
   */
  public void rejection(String reason) {
    rejections.computeIfAbsent(labels("reason", reason), k -> new LongAdder()).increment();
  }

  /**
   * Registers a gauge read at each scrape.
   *
   * @param name the metric name
   * @param value where to read it
   */
  public void gauge(String name, LongSupplier value) {
    gauges.put(name, value);
  }

  /**
   * The count of one counter series, for tests.
   *
   * @param verb the verb
   * @param outcome the outcome
   * @return the count
   */
  public long requests(String verb, String outcome) {
    LongAdder a = requests.get(labels("verb", verb, "outcome", outcome));
    return a == null ? 0 : a.sum();
  }

  /**
   * Everything in Prometheus' text format.
   *
   * @return the exposition
   */
  public String scrape() {
    StringBuilder sb = new StringBuilder();
    counter(sb, "gpualloc_extender_requests_total", "Requests per verb and outcome.", requests);
    counter(sb, "gpualloc_extender_decisions_total",
        "Decisions per verb: filter nodes passed/failed, bind results, preempt nodes offered.",
        decisions);
    counter(sb, "gpualloc_extender_rejections_total", "Nodes rejected by filter, by reason.",
        rejections);
    sb.append("# HELP gpualloc_extender_request_seconds Request latency per verb.\n")
        .append("# TYPE gpualloc_extender_request_seconds histogram\n");
    for (Map.Entry<String, Histogram> e : new TreeMap<>(latency).entrySet()) {
      Histogram h = e.getValue();
      for (int i = 0; i < BUCKETS.length; i++) {
        sb.append("gpualloc_extender_request_seconds_bucket{verb=\"").append(e.getKey())
            .append("\",le=\"").append(java.math.BigDecimal.valueOf(BUCKETS[i]).toPlainString())
            .append("\"} ").append(h.buckets[i].sum())
            .append('\n');
      }
      long count = h.count.sum();
      sb.append("gpualloc_extender_request_seconds_bucket{verb=\"").append(e.getKey())
          .append("\",le=\"+Inf\"} ").append(count).append('\n');
      sb.append("gpualloc_extender_request_seconds_sum{verb=\"").append(e.getKey()).append("\"} ")
          .append(h.sumNanos.sum() / 1e9).append('\n');
      sb.append("gpualloc_extender_request_seconds_count{verb=\"").append(e.getKey())
          .append("\"} ").append(count).append('\n');
    }
    for (Map.Entry<String, LongSupplier> g : new TreeMap<>(gauges).entrySet()) {
      sb.append("# TYPE ").append(g.getKey()).append(" gauge\n").append(g.getKey()).append(' ')
          .append(g.getValue().getAsLong()).append('\n');
    }
    return sb.toString();
  }

  private static void counter(StringBuilder sb, String name, String help,
      Map<String, LongAdder> series) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(" counter\n");
    for (Map.Entry<String, LongAdder> e : new TreeMap<>(series).entrySet()) {
      sb.append(name).append('{').append(e.getKey()).append("} ").append(e.getValue().sum())
          .append('\n');
    }
  }

  private static String labels(String... kv) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < kv.length; i += 2) {
      sb.append(i > 0 ? "," : "").append(kv[i]).append("=\"")
          .append(kv[i + 1].replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
          .append('"');
    }
    return sb.toString();
  }
}

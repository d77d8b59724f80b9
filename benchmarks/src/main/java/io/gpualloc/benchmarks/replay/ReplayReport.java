package io.gpualloc.benchmarks.replay;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Aggregates runs over seeds and renders the table, the CSV files and the chart. */
public final class ReplayReport {
  /**
   * The FGD paper's unallocated GPU % at 100% arrival on the default trace (mean of 10 seeds), by
   * our policy names; the paper's FGD is {@code fgd}, the reference simulator's scoring.
   */
  public static final Map<String, Double> PAPER_DEFAULT_AT_100 = Map.of(
      "random", 13.70, "dot-product", 9.38, "gpu-clustering", 8.35, "gpu-packing", 8.22,
      "best-fit", 7.14, "fgd", 4.77);

  private final List<RunResult> runs;

  /** A report over these runs. */
  public ReplayReport(List<RunResult> runs) {
    this.runs = List.copyOf(runs);
  }

  /** Runs grouped by trace, then policy, in first-seen order. */
  public Map<String, Map<String, List<RunResult>>> grouped() {
    Map<String, Map<String, List<RunResult>>> out = new LinkedHashMap<>();
    for (RunResult r : runs) {
      out.computeIfAbsent(r.trace(), k -> new LinkedHashMap<>())
          .computeIfAbsent(r.policy(), k -> new ArrayList<>()).add(r);
    }
    return out;
  }

  /** The mean and sample standard deviation of {@code values}, ignoring NaN. */
  public static double[] meanSd(double[] values) {
    double sum = 0;
    int n = 0;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        sum += v;
        n++;
      }
    }
    if (n == 0) {
      return new double[] {Double.NaN, Double.NaN};
    }
    double mean = sum / n;
    double ss = 0;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        ss += (v - mean) * (v - mean);
      }
    }
    return new double[] {mean, n > 1 ? Math.sqrt(ss / (n - 1)) : 0};
  }

  /** The comparison table, one block per trace. */
  public String table() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Map<String, List<RunResult>>> t : grouped().entrySet()) {
      boolean paper = t.getKey().equals("default");
      sb.append("trace ").append(t.getKey()).append(" (")
          .append(t.getValue().values().iterator().next().size()).append(" seeds)\n");
      String head = String.format(Locale.ROOT,
          "%-22s %16s %16s %10s  %-26s %9s %9s%s%n", "policy", "unalloc%@100", "unalloc%@130",
          "frag%@90", "failed cpu/share/1gpu/multi", "p50 us", "p99 us", paper ? "  paper@100" : "");
      sb.append(head).append("-".repeat(head.length() - 1)).append('\n');
      for (Map.Entry<String, List<RunResult>> p : t.getValue().entrySet()) {
        List<RunResult> rs = p.getValue();
        double[] u100 = meanSd(collect(rs, r -> r.unallocatedAt(100)));
        double[] u130 = meanSd(collect(rs, r -> r.unallocatedAt(130)));
        double[] f90 = meanSd(collect(rs, r -> r.fragRateAt(90)));
        double[] p50 = meanSd(collect(rs, r -> r.latencyMicros(0.50)));
        double[] p99 = meanSd(collect(rs, r -> r.latencyMicros(0.99)));
        StringBuilder failed = new StringBuilder();
        for (OpenbPod.PodType type : OpenbPod.PodType.values()) {
          double[] f = meanSd(collect(rs, r -> r.failed().get(type)));
          failed.append(failed.length() == 0 ? "" : "/").append(fmt(f[0], 0));
        }
        Double ref = PAPER_DEFAULT_AT_100.get(p.getKey());
        sb.append(String.format(Locale.ROOT, "%-22s %16s %16s %10s  %-26s %9s %9s%s%n",
            p.getKey(), fmt(u100[0], 2) + " ± " + fmt(u100[1], 2),
            fmt(u130[0], 2) + " ± " + fmt(u130[1], 2), fmt(f90[0], 1), failed,
            fmt(p50[0], 1), fmt(p99[0], 1),
            paper ? "  " + (ref == null ? "-" : fmt(ref, 2)) : ""));
      }
      sb.append('\n');
    }
    sb.append(legend());
    return sb.toString();
  }

  /** What the FGD variants' names mean, for the table's readers (docs/policies.md). */
  private static final Map<String, String> FGD_LEGEND = new java.util.LinkedHashMap<>();

  static {
    FGD_LEGEND.put("fgd", "the FGD paper's policy, its simulator's quantised score (was fgd-sim)");
    FGD_LEGEND.put("fgd-exact", "exact argmin of the fragmentation delta, ties by node id");
    FGD_LEGEND.put("fgd-bucketed", "ours: delta in 100-milli buckets, seeded node priority");
    FGD_LEGEND.put("fgd-capacity", "ours: fgd-bucketed with a CPU-bounded measure");
  }

  private String legend() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : FGD_LEGEND.entrySet()) {
      if (runs.stream().anyMatch(r -> r.policy().equals(e.getKey()))) {
        sb.append(String.format(Locale.ROOT, "  %-14s %s%n", e.getKey(), e.getValue()));
      }
    }
    return sb.length() == 0 ? "" : "FGD variants:\n" + sb + "\n";
  }

  /**
   * The table of event-driven runs: steady-state (after the first third of arrivals) mean GPU
   * allocation and fragmentation rate, and failed pods in % of arrivals.
   */
  public String eventsTable() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Map<String, List<RunResult>>> t : grouped().entrySet()) {
      List<RunResult> first = t.getValue().values().iterator().next();
      sb.append("trace ").append(t.getKey()).append(", event-driven with departures (")
          .append(first.size()).append(" seeds, ").append(first.get(0).pods())
          .append(" arrivals)\n");
      String head = String.format(Locale.ROOT, "%-22s %16s %10s %10s %9s %9s%n", "policy",
          "allocated%", "frag%", "failed%", "p50 us", "p99 us");
      sb.append(head).append("-".repeat(head.length() - 1)).append('\n');
      for (Map.Entry<String, List<RunResult>> p : t.getValue().entrySet()) {
        List<RunResult> rs = p.getValue();
        double[] a = meanSd(collect(rs, r -> steady(r.allocationPct())));
        double[] f = meanSd(collect(rs, r -> steady(r.fragRatePct())));
        double[] failed = meanSd(collect(rs, r -> 100.0 * r.failedTotal() / r.pods()));
        double[] p50 = meanSd(collect(rs, r -> r.latencyMicros(0.50)));
        double[] p99 = meanSd(collect(rs, r -> r.latencyMicros(0.99)));
        sb.append(String.format(Locale.ROOT, "%-22s %16s %10s %10s %9s %9s%n", p.getKey(),
            fmt(a[0], 2) + " ± " + fmt(a[1], 2), fmt(f[0], 1), fmt(failed[0], 2),
            fmt(p50[0], 1), fmt(p99[0], 1)));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static double steady(double[] byProgress) {
    double sum = 0;
    int n = 0;
    for (int b = 34; b <= 100 && b < byProgress.length; b++) {
      if (!Double.isNaN(byProgress[b])) {
        sum += byProgress[b];
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /** Writes {@code summary.csv} and {@code curves.csv} into {@code dir}. */
  public void writeCsv(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (Writer w = Files.newBufferedWriter(dir.resolve("summary.csv"), StandardCharsets.UTF_8)) {
      w.write("trace,policy,seed,pods,unallocated_pct_at_100,unallocated_pct_at_130,"
          + "frag_rate_pct_at_90,failed_cpu_only,failed_shared,failed_one_gpu,failed_multi_gpu\n");
      for (RunResult r : runs) {
        w.write(String.join(",", r.trace(), r.policy(), Long.toString(r.seed()),
            Integer.toString(r.pods()), csv(r.unallocatedAt(100)), csv(r.unallocatedAt(130)),
            csv(r.fragRateAt(90)), r.failed().get(OpenbPod.PodType.CPU_ONLY).toString(),
            r.failed().get(OpenbPod.PodType.SHARED).toString(),
            r.failed().get(OpenbPod.PodType.ONE_GPU).toString(),
            r.failed().get(OpenbPod.PodType.MULTI_GPU).toString()));
        w.write('\n');
      }
    }
    try (Writer w = Files.newBufferedWriter(dir.resolve("curves.csv"), StandardCharsets.UTF_8)) {
      w.write("trace,policy,seed,arrived_pct,allocation_pct,frag_rate_pct,frag_share_pct\n");
      for (RunResult r : runs) {
        for (int b = 0; b < r.allocationPct().length; b++) {
          if (!Double.isNaN(r.allocationPct()[b])) {
            w.write(String.join(",", r.trace(), r.policy(), Long.toString(r.seed()),
                Integer.toString(b), csv(r.allocationPct()[b]), csv(r.fragRatePct()[b]),
                csv(r.fragSharePct()[b])));
            w.write('\n');
          }
        }
      }
    }
  }

  /** Writes one PNG per trace: GPU allocation ratio against arrived load, a line per policy. */
  public List<Path> writeCharts(Path dir) throws IOException {
    return writeCharts(dir, "arrived GPU load, % of capacity", 0);
  }

  /**
   * Writes one PNG per trace: GPU allocation ratio against {@code xAxis} from {@code fromBucket}
   * on, a line per policy.
   */
  public List<Path> writeCharts(Path dir, String xAxis, int fromBucket) throws IOException {
    Files.createDirectories(dir);
    List<Path> out = new ArrayList<>();
    for (Map.Entry<String, Map<String, List<RunResult>>> t : grouped().entrySet()) {
      XYChart chart = new XYChartBuilder().width(900).height(600)
          .title("GPU allocation (" + t.getKey() + ")")
          .xAxisTitle(xAxis)
          .yAxisTitle("allocated GPU, % of capacity").build();
      chart.getStyler().setMarkerSize(0);
      chart.getStyler().setYAxisMin(fromBucket == 0 ? 0.0 : null);
      for (Map.Entry<String, List<RunResult>> p : t.getValue().entrySet()) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int b = Math.max(0, fromBucket); b <= RunResult.MAX_BUCKET; b++) {
          final int bucket = b;
          double m = meanSd(collect(p.getValue(), r -> r.allocationPct()[bucket]))[0];
          if (!Double.isNaN(m)) {
            xs.add((double) b);
            ys.add(m);
          }
        }
        if (!xs.isEmpty()) {
          chart.addSeries(p.getKey(), xs, ys).setMarker(SeriesMarkers.NONE);
        }
      }
      Path file = dir.resolve("allocation-" + t.getKey() + ".png");
      BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
      out.add(file);
    }
    return out;
  }

  private interface Metric {
    double of(RunResult r);
  }

  private static double[] collect(List<RunResult> rs, Metric m) {
    double[] v = new double[rs.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = m.of(rs.get(i));
    }
    return v;
  }

  private static String fmt(double v, int digits) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + digits + "f", v);
  }

  private static String csv(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
  }
}

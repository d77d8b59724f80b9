package io.gpualloc.benchmarks.mig;

import io.gpualloc.benchmarks.ParallelRuns;
import io.gpualloc.binpack.packing.CpSatPacker;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mig-replay}: the MIG strategies of {@link MigReplay} against seeded streams of inference
 * services on 128 H100s, at several offered loads and seeds; a table of means and standard
 * deviations over the seeds on stdout, {@code mig-replay.csv} (one row per run) and a PNG chart of
 * acceptance against load.
 */
@Command(name = "mig-replay", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Replays seeded streams of MIG inference services (1g/2g/3g/4g/7g on H100"
        + " 80GB) on 16 nodes x 8 H100s through slot placement, on-demand reconfiguration, the"
        + " greedy and CP-SAT layout planners and a static all-balanced partition; prints"
        + " acceptance, GPUs used, reconfigurations and decision times; writes mig-replay.csv and"
        + " mig-acceptance.png.")
public final class MigReplayCommand implements Callable<Integer> {
  /** The exit code for a bad command line. */
  public static final int EXIT_USAGE = 2;

  static final int MIN_ARRIVALS = 30;
  static final int MAX_ARRIVALS = 1_000_000;
  static final long MAX_SOLVER_MS = 60_000;

  @Option(names = "--strategies", split = ",", paramLabel = "NAME",
      description = "strategies (default: ${DEFAULT-VALUE})",
      defaultValue = "first-slot,mig-fragmentation,on-demand,greedy-plan,cp-sat-plan,"
          + "static-balanced")
  List<String> strategies;

  @Option(names = "--loads", split = ",", paramLabel = "F",
      description = "offered loads (share of the fleet's compute slices), each > 0 and <= 2"
          + " (default: ${DEFAULT-VALUE})", defaultValue = "0.6,0.9,1.05,1.2")
  List<Double> loads;

  @Option(names = "--seeds", description = "streams per load, seeds 1..N, 1 to 1000 (default:"
      + " ${DEFAULT-VALUE})", defaultValue = "5")
  int seeds;

  @Option(names = "--arrivals", description = "services per stream, " + MIN_ARRIVALS + " to "
      + MAX_ARRIVALS + " (default: ${DEFAULT-VALUE})", defaultValue = "3000")
  int arrivals;

  @Option(names = "--window", paramLabel = "N", description = "planners: forecast arrivals"
      + " planned for beyond the request, 0 to 10000 (default: ${DEFAULT-VALUE})",
      defaultValue = "16")
  int window;

  @Option(names = "--solver-ms", paramLabel = "MS", description = "cp-sat-plan: wall-clock cap"
      + " per plan, a safety net behind its fixed deterministic limit of "
      + MigReplay.CP_SAT_DETERMINISTIC_SECONDS + " s, 1 to " + MAX_SOLVER_MS
      + " ms (default: ${DEFAULT-VALUE})",
      defaultValue = "2000")
  long solverMillis;

  @Option(names = "--threads", description = "parallel runs, >= 1 (default: available"
      + " processors)")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--out", paramLabel = "DIR", description = "output directory (default:"
      + " ${DEFAULT-VALUE})", defaultValue = "results/mig-replay")
  Path out;

  @Option(names = "--no-progress", description = "no progress bar")
  boolean noProgress;

  @Option(names = "--no-chart", description = "no PNG chart")
  boolean noChart;

  @Spec
  CommandSpec spec;

  private final PrintStream stdout;
  private final PrintStream stderr;

  /** A command printing to {@code System.out} and {@code System.err}. */
  public MigReplayCommand() {
    this(System.out, System.err);
  }

  MigReplayCommand(PrintStream stdout, PrintStream stderr) {
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * Runs the command line and exits with its status.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /**
   * Runs the command line on {@code System.out} and {@code System.err} and returns its status.
   *
   * @param args the arguments
   * @return the exit status (see {@link #run(String[], PrintStream, PrintStream)})
   */
  public static int run(String... args) {
    return run(args, System.out, System.err);
  }

  /**
   * Runs the command line. Every option is checked before any work starts: a bad value prints one
   * line to {@code err} and returns {@link #EXIT_USAGE}, without the usage text, a stack trace, a
   * progress bar or any output file.
   *
   * @param args the options after {@code mig-replay}
   * @param out where the table, usage and help go
   * @param err where errors and the progress bar go
   * @return 0 on success or help, {@link #EXIT_USAGE} for a bad command line, 1 when a run failed
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    System.setProperty("java.awt.headless", "true");
    CommandLine cl = new CommandLine(new MigReplayCommand(out, err))
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true));
    cl.setParameterExceptionHandler((e, a) -> {
      err.println("mig-replay: " + String.valueOf(e.getMessage())
          .replaceAll("\\s*\\R\\s*", " ").strip() + " (see mig-replay --help)");
      return EXIT_USAGE;
    });
    cl.setExecutionExceptionHandler((e, c, parsed) -> {
      e.printStackTrace(err);
      return 1;
    });
    return cl.execute(args);
  }

  private CommandLine.ParameterException bad(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  /** Checks every option; nothing is built, written or started before this passes. */
  private void validate() {
    Set<String> seen = new HashSet<>();
    for (String s : strategies) {
      if (!MigReplay.STRATEGIES.contains(s)) {
        throw bad("--strategies has unknown strategy '" + s + "'; allowed: "
            + String.join(", ", MigReplay.STRATEGIES));
      }
      if (!seen.add(s)) {
        throw bad("--strategies names '" + s + "' twice; allowed: each strategy once");
      }
    }
    for (double l : loads) {
      if (!(l > 0 && l <= 2)) {
        throw bad("--loads has " + l + "; allowed: > 0 and <= 2");
      }
    }
    if (seeds < 1 || seeds > 1000) {
      throw bad("--seeds is " + seeds + "; allowed: 1 to 1000");
    }
    if (arrivals < MIN_ARRIVALS || arrivals > MAX_ARRIVALS) {
      throw bad("--arrivals is " + arrivals + "; allowed: " + MIN_ARRIVALS + " to "
          + MAX_ARRIVALS);
    }
    if (window < 0 || window > 10_000) {
      throw bad("--window is " + window + "; allowed: 0 to 10000");
    }
    if (solverMillis < 1 || solverMillis > MAX_SOLVER_MS) {
      throw bad("--solver-ms is " + solverMillis + "; allowed: 1 to " + MAX_SOLVER_MS);
    }
    if (threads < 1) {
      throw bad("--threads is " + threads + "; allowed: >= 1");
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw bad("--out " + out + " is a file; allowed: a directory (created when missing)");
    }
  }

  @Override
  public Integer call() throws Exception {
    validate();
    if (strategies.contains("cp-sat-plan")) {
      CpSatPacker.preload(); // the native load is not a plan's cost
    }
    List<Callable<MigReplay.Result>> tasks = new ArrayList<>();
    for (double l : loads) {
      for (String s : strategies) {
        for (long seed = 1; seed <= seeds; seed++) {
          long sd = seed;
          MigReplay.Setup setup = new MigReplay.Setup(s, window, solverMillis);
          tasks.add(() -> MigReplay.run(setup, l, sd, arrivals));
        }
      }
    }
    long t0 = System.nanoTime();
    List<MigReplay.Result> results = runAll(tasks);
    stdout.print(table(results));
    Files.createDirectories(out);
    writeCsv(results, out.resolve("mig-replay.csv"));
    stdout.printf(Locale.ROOT, "%d runs in %.1f s on %d threads; CSV in %s%n", results.size(),
        (System.nanoTime() - t0) / 1e9, threads, out.toAbsolutePath().normalize());
    if (!noChart) {
      Path png = out.resolve("mig-acceptance.png");
      chart(results, png);
      stdout.println("chart: " + png.toAbsolutePath().normalize());
    }
    return 0;
  }

  private List<MigReplay.Result> runAll(List<Callable<MigReplay.Result>> tasks) throws InterruptedException {
    return ParallelRuns.runAll("mig-replay", threads, noProgress ? null : stderr, tasks);
  }

  /** Mean and sample standard deviation. */
  private static double[] stats(List<MigReplay.Result> rs,
      java.util.function.ToDoubleFunction<MigReplay.Result> f) {
    double sum = 0;
    for (MigReplay.Result r : rs) {
      sum += f.applyAsDouble(r);
    }
    double mean = sum / rs.size();
    double sq = 0;
    for (MigReplay.Result r : rs) {
      double d = f.applyAsDouble(r) - mean;
      sq += d * d;
    }
    return new double[] {mean, rs.size() > 1 ? Math.sqrt(sq / (rs.size() - 1)) : 0};
  }

  /** The runs of each (load, strategy), in the order they first appear. */
  private static List<List<MigReplay.Result>> groups(List<MigReplay.Result> results) {
    List<List<MigReplay.Result>> out = new ArrayList<>();
    for (MigReplay.Result r : results) {
      List<MigReplay.Result> g = null;
      for (List<MigReplay.Result> x : out) {
        if (x.get(0).load() == r.load() && x.get(0).strategy().equals(r.strategy())) {
          g = x;
        }
      }
      if (g == null) {
        g = new ArrayList<>();
        out.add(g);
      }
      g.add(r);
    }
    return out;
  }

  static String table(List<MigReplay.Result> results) {
    StringBuilder sb = new StringBuilder();
    double last = -1;
    for (List<MigReplay.Result> g : groups(results)) {
      MigReplay.Result r0 = g.get(0);
      if (r0.load() != last) {
        sb.append(String.format(Locale.ROOT, "%n128 H100s at %.0f%% offered load, %d seeds,"
            + " %d measured arrivals per seed%n", r0.load() * 100, g.size(), r0.arrived()));
        sb.append(String.format(Locale.ROOT, "%-18s %14s %14s %10s %12s %8s %11s %12s %10s%n",
            "strategy", "acceptance %", "GPUs used", "peak", "reconfigs", "plans", "optimal %",
            "decision us", "plan ms"));
        last = r0.load();
      }
      double[] acc = stats(g, r -> 100 * r.acceptance());
      double[] used = stats(g, MigReplay.Result::meanGpusUsed);
      double[] peak = stats(g, MigReplay.Result::peakGpusUsed);
      double[] rec = stats(g, MigReplay.Result::reconfiguredGpus);
      double[] plans = stats(g, MigReplay.Result::plans);
      double[] dec = stats(g, MigReplay.Result::meanDecisionMicros);
      double[] plan = stats(g, MigReplay.Result::meanPlanMillis);
      int all = 0;
      int opt = 0;
      for (MigReplay.Result r : g) {
        all += r.plans();
        opt += r.optimalPlans();
      }
      sb.append(String.format(Locale.ROOT,
          "%-18s %7.2f ±%5.2f %7.1f ±%5.1f %10.1f %12.1f %8.1f %11s %12.1f %10s%n",
          r0.strategy(), acc[0], acc[1], used[0], used[1], peak[0], rec[0], plans[0],
          all == 0 ? "-" : String.format(Locale.ROOT, "%.1f", 100.0 * opt / all), dec[0],
          all == 0 ? "-" : String.format(Locale.ROOT, "%.2f", plan[0])));
    }
    return sb.toString();
  }

  static void writeCsv(List<MigReplay.Result> results, Path file) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("strategy,load,seed,arrived,admitted,acceptance,mean_gpus_used,peak_gpus_used,"
          + "reconfigured_gpus,plans,optimal_plans,mean_decision_us,mean_plan_ms\n");
      for (MigReplay.Result r : results) {
        w.write(String.format(Locale.ROOT, "%s,%.2f,%d,%d,%d,%.5f,%.2f,%d,%d,%d,%d,%.1f,%.3f%n",
            r.strategy(), r.load(), r.seed(), r.arrived(), r.admitted(), r.acceptance(),
            r.meanGpusUsed(), r.peakGpusUsed(), r.reconfiguredGpus(), r.plans(),
            r.optimalPlans(), r.meanDecisionMicros(), r.meanPlanMillis()));
      }
    }
  }

  private static void chart(List<MigReplay.Result> results, Path png) throws IOException {
    XYChart chart = new XYChartBuilder().width(900).height(600)
        .title("MIG replay on 128 H100s: acceptance against offered load (mean over seeds)")
        .xAxisTitle("offered load, % of compute slices").yAxisTitle("acceptance, %").build();
    chart.getStyler().setMarkerSize(6);
    List<String> series = new ArrayList<>();
    for (MigReplay.Result r : results) {
      if (series.contains(r.strategy())) {
        continue;
      }
      series.add(r.strategy());
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (List<MigReplay.Result> g : groups(results)) {
        if (g.get(0).strategy().equals(r.strategy())) {
          x.add(g.get(0).load() * 100);
          y.add(stats(g, q -> 100 * q.acceptance())[0]);
        }
      }
      chart.addSeries(r.strategy(), x, y);
    }
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}

package io.gpualloc.benchmarks.gang;

import io.gpualloc.benchmarks.ParallelRuns;
import io.gpualloc.binpack.gang.GangPlacers;
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
 * {@code gang-replay}: the gang placers against a seeded job stream on the two synthetic clusters
 * of issue 12, at several offered loads (see {@link GangReplay}); a table on stdout, {@code
 * gang-summary.csv} and a PNG chart of utilisation against load.
 */
@Command(name = "gang-replay", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Replays a seeded stream of single pods and gangs (1 to 512 GPUs) through gang"
        + " placers on a 1,024-node H100 cluster and a GB200 NVL72 cluster at offered loads;"
        + " prints utilisation, admitted GPU-hours, waits, domains spanned and decision latency"
        + " per placer; writes gang-summary.csv and gang-utilisation.png.")
public final class GangReplayCommand implements Callable<Integer> {
  /** The placers compared by default: the baselines, greedy and the two batch modes. */
  public static final String DEFAULT_PLACERS =
      "kueue-best-fit,kueue-least-free,slurm-tree,volcano-hard,greedy,batch,batch-cp-sat";

  /** The exit code for a bad command line. */
  public static final int EXIT_USAGE = 2;

  /** The job streams by option value. */
  enum StreamName {
    realistic(GangReplay.Stream.REALISTIC),
    whole_node(GangReplay.Stream.WHOLE_NODE);

    final GangReplay.Stream stream;

    StreamName(GangReplay.Stream stream) {
      this.stream = stream;
    }
  }

  @Option(names = "--clusters", split = ",", paramLabel = "NAME",
      description = "h100, nvl72 (default: ${DEFAULT-VALUE})", defaultValue = "h100,nvl72")
  List<String> clusters;

  @Option(names = "--placers", split = ",", paramLabel = "NAME",
      description = "gang placers, or the batch modes batch and batch-cp-sat (default:"
          + " ${DEFAULT-VALUE})", defaultValue = DEFAULT_PLACERS)
  List<String> placers;

  @Option(names = "--loads", split = ",", paramLabel = "F",
      description = "offered GPU loads, each > 0 and <= 2 (default: ${DEFAULT-VALUE})",
      defaultValue = "0.70,0.85,0.95")
  List<Double> loads;

  @Option(names = "--seed", description = "seed (default: ${DEFAULT-VALUE})", defaultValue = "1")
  long seed;

  @Option(names = "--jobs", description = "jobs per run, " + MIN_JOBS + " to " + MAX_JOBS
      + " (default: ${DEFAULT-VALUE})", defaultValue = "2000")
  int jobs;

  @Option(names = "--stream", paramLabel = "NAME", description = "job stream: realistic (single"
      + " pods, partial- and whole-node gangs, a heavy tail of 16-512 GPU gangs, leaders, elastic"
      + " gangs) or whole_node (the first stream: whole-node gangs of one pod set) (default:"
      + " ${DEFAULT-VALUE})", defaultValue = "realistic")
  StreamName stream;

  @Option(names = "--reserve-after", paramLabel = "EVENTS", description = "batch modes: a job"
      + " waiting this many events gets the reservation rule; 0 for none (default:"
      + " ${DEFAULT-VALUE})", defaultValue = "20")
  int reserveAfter;

  @Option(names = "--solver-ms", paramLabel = "MS", description = "CP-SAT budget of cp-sat per"
      + " decision and of batch-cp-sat per batch, 1 to " + MAX_SOLVER_MS + " ms (default:"
      + " ${DEFAULT-VALUE})", defaultValue = "100")
  long solverMillis;

  @Option(names = "--threads", description = "parallel runs, >= 1 (default: available"
      + " processors)")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--out", paramLabel = "DIR", description = "output directory (default:"
      + " ${DEFAULT-VALUE})", defaultValue = "results/gang-replay")
  Path out;

  @Option(names = "--no-progress", description = "no progress bar")
  boolean noProgress;

  @Option(names = "--no-chart", description = "no PNG chart")
  boolean noChart;

  @Spec
  CommandSpec spec;

  static final int MIN_JOBS = 30;
  static final int MAX_JOBS = 1_000_000;
  static final long MAX_SOLVER_MS = 60_000;

  private final PrintStream stdout;
  private final PrintStream stderr;

  /** A command printing to {@code System.out} and {@code System.err}. */
  public GangReplayCommand() {
    this(System.out, System.err);
  }

  GangReplayCommand(PrintStream stdout, PrintStream stderr) {
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
   * @param args the options after {@code gang-replay}
   * @param out where the table, usage and help go
   * @param err where errors and the progress bar go
   * @return 0 on success or help, {@link #EXIT_USAGE} for a bad command line, 1 when a run failed
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    System.setProperty("java.awt.headless", "true");
    CommandLine cl = new CommandLine(new GangReplayCommand(out, err))
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true));
    cl.setParameterExceptionHandler((e, a) -> {
      err.println("gang-replay: " + oneLine(e.getMessage()) + " (see gang-replay --help)");
      return EXIT_USAGE;
    });
    cl.setExecutionExceptionHandler((e, c, parsed) -> {
      e.printStackTrace(err);
      return 1;
    });
    return cl.execute(args);
  }

  private static String oneLine(String message) {
    return String.valueOf(message).replaceAll("\\s*\\R\\s*", " ").strip();
  }

  private CommandLine.ParameterException bad(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  private boolean given(String option) {
    return spec.commandLine().getParseResult().hasMatchedOption(option);
  }

  /** Checks every option; nothing is built, written or started before this passes. */
  private void validate() {
    List<String> allowed = new ArrayList<>(GangPlacers.names());
    allowed.addAll(GangReplay.BATCH_MODES);
    Set<String> seen = new HashSet<>();
    for (String p : placers) {
      if (!allowed.contains(p)) {
        throw bad("--placers has unknown placer '" + p + "'; allowed: "
            + String.join(", ", allowed));
      }
      if (!seen.add(p)) {
        throw bad("--placers names '" + p + "' twice; allowed: each placer once");
      }
    }
    seen.clear();
    for (String c : clusters) {
      if (!c.equals("h100") && !c.equals("nvl72")) {
        throw bad("--clusters has unknown cluster '" + c + "'; allowed: h100, nvl72");
      }
      if (!seen.add(c)) {
        throw bad("--clusters names '" + c + "' twice; allowed: each cluster once");
      }
    }
    for (double l : loads) {
      if (!(l > 0 && l <= 2)) {
        throw bad("--loads has " + l + "; allowed: > 0 and <= 2");
      }
    }
    if (jobs < MIN_JOBS || jobs > MAX_JOBS) {
      throw bad("--jobs is " + jobs + "; allowed: " + MIN_JOBS + " to " + MAX_JOBS);
    }
    if (reserveAfter < 0) {
      throw bad("--reserve-after is " + reserveAfter + "; allowed: >= 0 (0: no reservation)");
    }
    if (given("--reserve-after") && placers.stream().noneMatch(GangReplay.BATCH_MODES::contains)) {
      throw bad("--reserve-after applies to the batch modes only; allowed: omit it, or add batch"
          + " or batch-cp-sat to --placers");
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
    List<GangReplay.ClusterSpec> specs = new ArrayList<>();
    for (String c : clusters) {
      specs.add(c.equals("h100") ? GangReplay.h100() : GangReplay.nvl72());
    }
    List<Callable<GangReplay.Result>> tasks = new ArrayList<>();
    for (GangReplay.ClusterSpec c : specs) {
      for (double l : loads) {
        for (String p : placers) {
          GangReplay.Setup setup = new GangReplay.Setup(p, stream.stream, reserveAfter,
              solverMillis);
          tasks.add(() -> GangReplay.run(c, setup, l, seed, jobs));
        }
      }
    }
    long t0 = System.nanoTime();
    List<GangReplay.Result> results = runAll(tasks);
    stdout.print(table(results));
    Files.createDirectories(out);
    writeCsv(results, out.resolve("gang-summary.csv"));
    stdout.printf(Locale.ROOT, "%d runs in %.1f s on %d threads; CSV in %s%n", results.size(),
        (System.nanoTime() - t0) / 1e9, threads, out.toAbsolutePath().normalize());
    if (!noChart) {
      Path png = out.resolve("gang-utilisation.png");
      chart(results, png);
      stdout.println("chart: " + png.toAbsolutePath().normalize());
    }
    return 0;
  }

  private List<GangReplay.Result> runAll(List<Callable<GangReplay.Result>> tasks) throws InterruptedException {
    return ParallelRuns.runAll("gang-replay", threads, noProgress ? null : stderr, tasks);
  }

  static String table(List<GangReplay.Result> results) {
    StringBuilder sb = new StringBuilder();
    String last = "";
    for (GangReplay.Result r : results) {
      String head = r.cluster() + String.format(Locale.ROOT, " at %.0f%% offered load",
          r.load() * 100);
      if (!head.equals(last)) {
        sb.append('\n').append(head).append('\n');
        sb.append(String.format(Locale.ROOT, "%-17s %7s %10s %9s %9s %10s %-18s %9s %9s%n",
            "placer", "util %", "GPU-hours", "wait h", "p95 h", "large h", "spans (low..high)",
            "p50 us", "p99 us"));
        last = head;
      }
      StringBuilder spans = new StringBuilder();
      for (double s : r.spans()) {
        spans.append(spans.length() == 0 ? "" : "/").append(String.format(Locale.ROOT, "%.1f", s));
      }
      sb.append(String.format(Locale.ROOT, "%-17s %7.1f %10.0f %9.2f %9.2f %10.2f %-18s %9.0f %9.0f%n",
          r.placer(), r.utilisation() * 100, r.admittedGpuHours(), r.meanWait(), r.p95Wait(),
          r.largeWait(), spans, r.latencyP50Micros(), r.latencyP99Micros()));
    }
    return sb.toString();
  }

  static void writeCsv(List<GangReplay.Result> results, Path file) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("cluster,placer,load,seed,utilisation,admitted_gpu_hours,mean_wait_h,p95_wait_h,"
          + "large_wait_h,spans,latency_p50_us,latency_p99_us,decisions\n");
      for (GangReplay.Result r : results) {
        StringBuilder spans = new StringBuilder();
        for (double s : r.spans()) {
          spans.append(spans.length() == 0 ? "" : ";").append(String.format(Locale.ROOT, "%.3f",
              s));
        }
        w.write(String.format(Locale.ROOT, "%s,%s,%.2f,%d,%.4f,%.1f,%.4f,%.4f,%.4f,%s,%.1f,%.1f,%d%n",
            r.cluster(), r.placer(), r.load(), r.seed(), r.utilisation(), r.admittedGpuHours(),
            r.meanWait(), r.p95Wait(), r.largeWait(), spans, r.latencyP50Micros(),
            r.latencyP99Micros(), r.decisions()));
      }
    }
  }

  private static void chart(List<GangReplay.Result> results, Path png) throws IOException {
    XYChart chart = new XYChartBuilder().width(900).height(600)
        .title("gang replay: GPU utilisation against offered load")
        .xAxisTitle("offered load, %").yAxisTitle("utilisation, %").build();
    chart.getStyler().setMarkerSize(6);
    List<String> series = new ArrayList<>();
    for (GangReplay.Result r : results) {
      String name = r.cluster() + " " + r.placer();
      if (series.contains(name)) {
        continue;
      }
      series.add(name);
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (GangReplay.Result q : results) {
        if (q.cluster().equals(r.cluster()) && q.placer().equals(r.placer())) {
          x.add(q.load() * 100);
          y.add(q.utilisation() * 100);
        }
      }
      chart.addSeries(name, x, y);
    }
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}

package io.gpualloc.benchmarks.replay;

import io.gpualloc.binpack.Policies;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.GpuallocException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code replay}: replays a workload against a cluster through named policies and seeds, in
 * parallel, and prints a comparison table; writes CSV and PNG charts.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Replays the openb trace (or the built-in synthetic workload with its"
        + " statistics) through placement policies, the FGD paper's way: pods arrive one at a"
        + " time and never leave, and the load is inflated to --tune x GPU capacity per seed."
        + " Prints unallocated GPU %%, fragmentation and failed pods per policy; writes"
        + " summary.csv, curves.csv and a PNG chart per trace.")
public final class ReplayCommand implements Callable<Integer> {
  /**
   * The six policies of the FGD paper's comparison ({@code fgd} is its FGD, the reference
   * simulator's quantised score), then our variants: {@code fgd-exact} (exact argmin of Delta,
   * ties by node id), {@code fgd-bucketed} and {@code fgd-capacity}.
   */
  public static final String DEFAULT_POLICIES =
      "random,dot-product,gpu-clustering,gpu-packing,best-fit,fgd,fgd-exact,fgd-bucketed,"
          + "fgd-capacity";
  /** The 17 traces the paper used. */
  public static final List<String> PAPER_TRACES = List.of("default", "cpu050", "cpu100",
      "cpu200", "cpu250", "gpushare40", "gpushare60", "gpushare80", "gpushare100", "gpuspec10",
      "gpuspec20", "gpuspec25", "gpuspec33", "multigpu20", "multigpu30", "multigpu40",
      "multigpu50");

  @Option(names = "--data", paramLabel = "DIR",
      description = "openb trace directory (e.g. ../shared/traces/openb); omit for the built-in"
          + " synthetic workload")
  Path data;

  @Option(names = "--traces", split = ",", paramLabel = "NAME",
      description = "pod lists under --data: default, cpu050, ..., or 'paper' for the paper's 17"
          + " (default: ${DEFAULT-VALUE})", defaultValue = "default")
  List<String> traces;

  @Option(names = "--policies", split = ",", paramLabel = "NAME",
      description = "policy names (default: ${DEFAULT-VALUE}); 'all' for every registered one",
      defaultValue = DEFAULT_POLICIES)
  List<String> policies;

  @Option(names = "--seeds", paramLabel = "A-B|A,B,..",
      description = "seeds (default: ${DEFAULT-VALUE})", defaultValue = "42-51")
  String seeds;

  @Option(names = "--tune", description = "inflate load to this multiple of GPU capacity"
      + " (default: ${DEFAULT-VALUE})", defaultValue = "1.3")
  double tune;

  @Option(names = "--inflation", description = "overshoot rule: REFERENCE (the paper's"
      + " simulator) or EXACT (default: ${DEFAULT-VALUE})", defaultValue = "REFERENCE")
  Inflation.Mode inflation;

  @Option(names = "--mode", description = "PAPER: arrive-only, inflated to --tune (the FGD"
      + " paper's method); EVENTS: open system with departures at offered --load"
      + " (default: ${DEFAULT-VALUE})", defaultValue = "PAPER")
  Mode mode;

  @Option(names = "--load", description = "EVENTS mode: offered GPU load as a fraction of"
      + " capacity (default: ${DEFAULT-VALUE})", defaultValue = "0.95")
  double load;

  @Option(names = "--arrivals", description = "EVENTS mode: arrivals per run (default: three"
      + " capped lifetimes' worth, so the first third fills the cluster)")
  int arrivals;

  /** Replay modes. */
  public enum Mode {
    /** Arrive-only, inflated load: the FGD paper's method. */
    PAPER,
    /** Open system with departures. */
    EVENTS
  }

  @Option(names = "--threads", description = "parallel runs (default: available processors)")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--out", paramLabel = "DIR", description = "output directory (default:"
      + " ${DEFAULT-VALUE})", defaultValue = "results/replay")
  Path out;

  @Option(names = "--no-progress", description = "no progress bar")
  boolean noProgress;

  @Option(names = "--no-chart", description = "no PNG chart")
  boolean noChart;

  @Option(names = "--chart-from", paramLabel = "PCT", description = "start the chart's x axis"
      + " here, to zoom in on the loaded end (default: ${DEFAULT-VALUE})", defaultValue = "0")
  int chartFrom;

  private final PrintStream stdout;

  /** A command printing to {@code System.out}. */
  public ReplayCommand() {
    this(System.out);
  }

  ReplayCommand(PrintStream stdout) {
    this.stdout = stdout;
  }

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(new CommandLine(new ReplayCommand()).setCaseInsensitiveEnumValuesAllowed(true)
        .execute(args));
  }

  @Override
  public Integer call() throws Exception {
    List<Long> seedList = parseSeeds(seeds);
    List<String> policyList =
        policies.equals(List.of("all")) ? Policies.names() : List.copyOf(policies);
    for (String p : policyList) {
      if (!Policies.names().contains(p)) {
        throw new CommandLine.ParameterException(new CommandLine(this),
            "unknown policy '" + p + "'; allowed: " + String.join(", ", Policies.names()));
      }
    }
    if (threads < 1) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "--threads is " + threads + "; allowed: >= 1");
    }
    List<Replay.Trace> traceList = loadTraces();
    List<Callable<RunResult>> tasks = new ArrayList<>();
    for (Replay.Trace t : traceList) {
      for (String p : policyList) {
        for (long s : seedList) {
          if (mode == Mode.PAPER) {
            tasks.add(() -> Replay.run(t, p, s, tune, inflation));
          } else {
            int n = arrivals > 0 ? arrivals : EventReplay.defaultArrivals(t, load);
            tasks.add(() -> EventReplay.run(t, p, s, load, n));
          }
        }
      }
    }
    long start = System.nanoTime();
    List<RunResult> results = runAll(tasks);
    double seconds = (System.nanoTime() - start) / 1e9;
    ReplayReport report = new ReplayReport(results);
    stdout.print(mode == Mode.PAPER ? report.table() : report.eventsTable());
    report.writeCsv(out);
    stdout.printf("%d runs in %.1f s on %d threads; CSV in %s%n", results.size(), seconds,
        threads, out.toAbsolutePath().normalize());
    if (!noChart) {
      for (Path png : report.writeCharts(out, mode == Mode.PAPER
          ? "arrived GPU load, % of capacity" : "progress through arrivals, %", chartFrom)) {
        stdout.println("chart: " + png.toAbsolutePath().normalize());
      }
    }
    return 0;
  }

  private List<RunResult> runAll(List<Callable<RunResult>> tasks) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "replay");
      t.setDaemon(true);
      return t;
    });
    try (ProgressBar bar = noProgress ? null : new ProgressBarBuilder().setTaskName("replay")
        .setInitialMax(tasks.size()).setStyle(ProgressBarStyle.ASCII)
        .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
        .continuousUpdate().build()) {
      List<Future<RunResult>> futures = new ArrayList<>();
      for (Callable<RunResult> task : tasks) {
        futures.add(pool.submit(() -> {
          RunResult r = task.call();
          if (bar != null) {
            bar.step();
          }
          return r;
        }));
      }
      List<RunResult> results = new ArrayList<>();
      for (Future<RunResult> f : futures) {
        try {
          results.add(f.get());
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException re) {
            throw re;
          }
          throw new IllegalStateException(cause);
        }
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private List<Replay.Trace> loadTraces() {
    List<Replay.Trace> out = new ArrayList<>();
    if (data == null) {
      Cluster cluster = OpenbModels.cluster(SyntheticOpenb.nodes());
      out.add(Replay.Trace.of("builtin", cluster, SyntheticOpenb.pods(2023)));
      return out;
    }
    Path nodes = data.resolve("openb_node_list_gpu_node.csv");
    if (!Files.isRegularFile(nodes)) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "--data " + data + " has no openb_node_list_gpu_node.csv. Maybe point it at"
              + " ../shared/traces/openb, or omit --data for the built-in workload");
    }
    Cluster cluster = OpenbModels.cluster(OpenbReader.readNodes(nodes));
    List<String> names = traces.equals(List.of("paper")) ? PAPER_TRACES : traces;
    for (String name : names) {
      Path pods = data.resolve("openb_pod_list_" + name + ".csv");
      if (!Files.isRegularFile(pods)) {
        throw new CommandLine.ParameterException(new CommandLine(this),
            "trace '" + name + "' not found: " + pods);
      }
      out.add(Replay.Trace.of(name, cluster, OpenbReader.readPods(pods)));
    }
    return out;
  }

  static List<Long> parseSeeds(String text) {
    List<Long> out = new ArrayList<>();
    try {
      for (String part : text.split(",")) {
        String p = part.trim();
        int dash = p.indexOf('-', 1);
        if (dash > 0) {
          long a = Long.parseLong(p.substring(0, dash).trim());
          long b = Long.parseLong(p.substring(dash + 1).trim());
          if (b < a || b - a > 10_000) {
            throw new GpuallocException("--seeds range '" + p + "'; allowed: A-B with A <= B"
                + " and at most 10000 seeds");
          }
          for (long s = a; s <= b; s++) {
            out.add(s);
          }
        } else {
          out.add(Long.parseLong(p));
        }
      }
    } catch (NumberFormatException e) {
      throw new GpuallocException("--seeds is '" + text + "'; allowed: A-B or A,B,C (integers)");
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }
}

package io.gpualloc.benchmarks.replay;

import io.gpualloc.benchmarks.ParallelRuns;
import io.gpualloc.binpack.Policies;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.GpuallocException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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
      description = "pod lists under --data (needs --data): default, cpu050, ..., or 'paper' for"
          + " the paper's 17 (default: ${DEFAULT-VALUE})", defaultValue = "default")
  List<String> traces;

  @Option(names = "--policies", split = ",", paramLabel = "NAME",
      description = "policy names or aliases, each once (default: ${DEFAULT-VALUE}); 'all' for"
          + " every registered one",
      defaultValue = DEFAULT_POLICIES)
  List<String> policies;

  @Option(names = "--seeds", paramLabel = "A-B|A,B,..",
      description = "seeds: a range A-B with A <= B, or a list A,B,C; each once, at most 10000"
          + " (default: ${DEFAULT-VALUE})", defaultValue = "42-51")
  String seeds;

  @Option(names = "--tune", description = "PAPER mode: inflate load to this multiple of GPU"
      + " capacity, 1 to 10 (default: ${DEFAULT-VALUE})", defaultValue = "1.3")
  double tune;

  @Option(names = "--inflation", description = "PAPER mode: overshoot rule: REFERENCE (the"
      + " paper's simulator) or EXACT (default: ${DEFAULT-VALUE})", defaultValue = "REFERENCE")
  Inflation.Mode inflation;

  @Option(names = "--mode", description = "PAPER: arrive-only, inflated to --tune (the FGD"
      + " paper's method); EVENTS: open system with departures at offered --load"
      + " (default: ${DEFAULT-VALUE})", defaultValue = "PAPER")
  Mode mode;

  @Option(names = "--load", description = "EVENTS mode: offered GPU load as a fraction of"
      + " capacity, > 0 and <= 10 (default: ${DEFAULT-VALUE})", defaultValue = "0.95")
  double load;

  @Option(names = "--arrivals", description = "EVENTS mode: arrivals per run, >= 1 (default: three"
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
  private final PrintStream stderr;

  /** A command printing to {@code System.out} and {@code System.err}. */
  public ReplayCommand() {
    this(System.out, System.err);
  }

  ReplayCommand(PrintStream stdout, PrintStream stderr) {
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * Runs the command line and exits with its status.
   *
   * @param args the options after {@code replay}
   */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the command line. Every option is checked before any work starts: a bad value prints one
   * line to {@code err} and returns {@link #EXIT_USAGE}, without a stack trace, a progress bar or
   * any output file.
   *
   * @param args the options after {@code replay}
   * @param out where the table, usage and help go
   * @param err where errors and the progress bar go
   * @return 0 on success or help, {@link #EXIT_USAGE} for a bad command line or bad input, 1 when
   *     a run failed
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    System.setProperty("java.awt.headless", "true");
    CommandLine cl = new CommandLine(new ReplayCommand(out, err))
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true));
    cl.setParameterExceptionHandler((e, a) -> {
      err.println("replay: " + oneLine(e.getMessage()) + " (see replay --help)");
      return EXIT_USAGE;
    });
    cl.setExecutionExceptionHandler((e, c, parsed) -> {
      if (e instanceof GpuallocException) {
        // bad input found while reading it (a malformed trace file, ...): the caller's to fix
        err.println("replay: " + oneLine(e.getMessage()));
        return EXIT_USAGE;
      }
      e.printStackTrace(err);
      return 1;
    });
    return cl.execute(args);
  }

  /** The exit code for a bad command line or bad input. */
  public static final int EXIT_USAGE = 2;

  private static String oneLine(String message) {
    return String.valueOf(message).replaceAll("\\s*\\R\\s*", " ").strip();
  }

  @Spec
  CommandSpec spec;

  private boolean given(String option) {
    return spec.commandLine().getParseResult().hasMatchedOption(option);
  }

  private CommandLine.ParameterException bad(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  /** What {@link #validate()} found: the runs to do. */
  private record Plan(List<Long> seeds, List<String> policies, List<String> traceNames) {}

  /** Checks every option; nothing is read, written or started before this passes. */
  private Plan validate() {
    List<Long> seedList;
    try {
      seedList = parseSeeds(seeds);
    } catch (GpuallocException e) {
      throw bad(e.getMessage());
    }
    List<String> policyList = new ArrayList<>();
    if (policies.equals(List.of("all"))) {
      policyList.addAll(Policies.names());
    } else {
      for (String p : policies) {
        String canonical;
        try {
          canonical = Policies.canonicalName(p.strip());
        } catch (GpuallocException e) {
          throw bad("--policies has unknown policy '" + p + "'; allowed: 'all' or "
              + String.join(", ", Policies.names()) + " (aliases: "
              + Policies.aliases().entrySet().stream().map(x -> x.getKey() + " = " + x.getValue())
                  .sorted().collect(Collectors.joining(", ")) + ")");
        }
        if (policyList.contains(canonical)) {
          throw bad("--policies names '" + canonical + "' twice (" + String.join(",", policies)
              + "); allowed: each policy once");
        }
        policyList.add(canonical);
      }
    }
    if (threads < 1) {
      throw bad("--threads is " + threads + "; allowed: >= 1");
    }
    if (mode == Mode.PAPER) {
      if (!(tune >= MIN_TUNE && tune <= MAX_TUNE)) {
        throw bad("--tune is " + tune + "; allowed: " + MIN_TUNE + " to " + MAX_TUNE
            + " (the table reads the unallocated share at 100% arrived load)");
      }
      for (String o : List.of("--load", "--arrivals")) {
        if (given(o)) {
          throw bad(o + " applies to --mode EVENTS only; allowed: omit it, or add --mode EVENTS");
        }
      }
    } else {
      if (!(load > 0 && load <= MAX_LOAD)) {
        throw bad("--load is " + load + "; allowed: > 0 and <= " + MAX_LOAD);
      }
      if (given("--arrivals") && (arrivals < 1 || arrivals > MAX_ARRIVALS)) {
        throw bad("--arrivals is " + arrivals + "; allowed: 1 to " + MAX_ARRIVALS);
      }
      for (String o : List.of("--tune", "--inflation")) {
        if (given(o)) {
          throw bad(o + " applies to --mode PAPER only; allowed: omit it with --mode EVENTS");
        }
      }
    }
    if (chartFrom < 0 || chartFrom >= RunResult.MAX_BUCKET) {
      throw bad("--chart-from is " + chartFrom + "; allowed: 0 to " + (RunResult.MAX_BUCKET - 1));
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw bad("--out " + out + " is a file; allowed: a directory (created when missing)");
    }
    List<String> traceNames = List.of();
    if (data == null) {
      if (given("--traces")) {
        throw bad("--traces " + String.join(",", traces) + " needs --data DIR; allowed: omit"
            + " --traces to replay the built-in synthetic workload, or add --data"
            + " ../shared/traces/openb");
      }
    } else {
      if (!Files.isRegularFile(data.resolve(NODE_LIST))) {
        throw bad("--data " + data + " has no " + NODE_LIST + "; allowed: an openb trace"
            + " directory. Maybe point it at ../shared/traces/openb, or omit --data for the"
            + " built-in workload");
      }
      traceNames = traces.equals(List.of("paper")) ? PAPER_TRACES : List.copyOf(traces);
      for (String name : traceNames) {
        if (!Files.isRegularFile(data.resolve(POD_LIST_PREFIX + name + ".csv"))) {
          throw bad("--traces has '" + name + "', but " + data + " has no " + POD_LIST_PREFIX
              + name + ".csv; allowed: " + availableTraces() + " or 'paper'");
        }
      }
    }
    return new Plan(seedList, policyList, traceNames);
  }

  private String availableTraces() {
    try (Stream<Path> files = Files.list(data)) {
      return files.map(f -> f.getFileName().toString())
          .filter(f -> f.startsWith(POD_LIST_PREFIX) && f.endsWith(".csv"))
          .map(f -> f.substring(POD_LIST_PREFIX.length(), f.length() - 4)).sorted()
          .collect(Collectors.joining(", "));
    } catch (IOException e) {
      return "(cannot list " + data + ": " + e.getMessage() + ")";
    }
  }

  private static final String NODE_LIST = "openb_node_list_gpu_node.csv";
  private static final String POD_LIST_PREFIX = "openb_pod_list_";
  /** Bounds of {@code --tune}. */
  static final double MIN_TUNE = 1.0;
  static final double MAX_TUNE = 10.0;
  /** Upper bound of {@code --load}. */
  static final double MAX_LOAD = 10.0;
  /** Upper bound of {@code --arrivals}. */
  static final int MAX_ARRIVALS = 10_000_000;

  @Override
  public Integer call() throws Exception {
    Plan plan = validate();
    List<Long> seedList = plan.seeds();
    List<String> policyList = plan.policies();
    List<Replay.Trace> traceList = loadTraces(plan.traceNames());
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
    return ParallelRuns.runAll("replay", threads, noProgress ? null : stderr, tasks);
  }

  private List<Replay.Trace> loadTraces(List<String> names) {
    List<Replay.Trace> out = new ArrayList<>();
    if (data == null) {
      Cluster cluster = OpenbModels.cluster(SyntheticOpenb.nodes());
      out.add(Replay.Trace.of("builtin", cluster, SyntheticOpenb.pods(2023)));
      return out;
    }
    Cluster cluster = OpenbModels.cluster(OpenbReader.readNodes(data.resolve(NODE_LIST)));
    for (String name : names) {
      out.add(Replay.Trace.of(name, cluster,
          OpenbReader.readPods(data.resolve(POD_LIST_PREFIX + name + ".csv"))));
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
          if (b < a || b - a < 0 || b - a > 10_000) {
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
    for (int i = 1; i < out.size(); i++) {
      if (out.get(i).equals(out.get(i - 1))) {
        throw new GpuallocException("--seeds is '" + text + "'; allowed: each seed once ("
            + out.get(i) + " is there twice)");
      }
    }
    if (out.size() > 10_000) {
      throw new GpuallocException("--seeds is '" + text + "'; allowed: at most 10000 seeds");
    }
    return out;
  }
}

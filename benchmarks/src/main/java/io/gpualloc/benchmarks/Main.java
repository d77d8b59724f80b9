package io.gpualloc.benchmarks;

import io.gpualloc.benchmarks.gang.GangReplayCommand;
import io.gpualloc.benchmarks.mig.MigReplayCommand;
import io.gpualloc.benchmarks.replay.ReplayCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;

/**
 * Entry point of the benchmarks jar ({@code java -jar gpualloc-benchmarks.jar}).
 *
 * <ul>
 *   <li>no arguments, {@code help}, {@code -h} or {@code --help}: prints {@link #usage()}, exit 0;
 *   <li>{@code replay ...}: the trace-replay simulator ({@link ReplayCommand});
 *   <li>{@code gang-replay ...}: the gang replay ({@link GangReplayCommand});
 *   <li>{@code mig-replay ...}: the MIG stream replay ({@link MigReplayCommand});
 *   <li>{@code defrag ...}: defragmentation plans on openb snapshots ({@link
 *       io.gpualloc.benchmarks.defrag.DefragCommand});
 *   <li>{@code jmh [JMH options]}: JMH as is (without a benchmark name, the whole suite);
 *   <li>a benchmark name or pattern, or an argument starting with {@code -}: JMH with all
 *       arguments ({@code LedgerBenchmark -f 1});
 *   <li>anything else: one line on stderr, exit {@link ReplayCommand#EXIT_USAGE}.
 * </ul>
 */
public final class Main {
  private Main() {}

  /** The example programs of {@code io.gpualloc.examples}, by simple class name. */
  static final Map<String, String> EXAMPLES = Map.of(
      "QuickStart", "a cluster, whole/share/MIG grants, release",
      "GangExample", "a 64-worker job placed rack-local, all or nothing; a second that no longer fits",
      "RepackExample", "repack a fragmented 50-node cluster with the proof gap (CP-SAT, 10 s)",
      "TopologyExample", "best GPU sets on a DGX-1; parse nvidia-smi topo -m text",
      "ModulePathExample", "place pods with fgd and try the exact packer (module-path demo)",
      "MigPlanExample", "MIG layouts and reconfiguration steps for 8 H100s (greedy and CP-SAT)",
      "DefragExample", "make room for a waiting 8-GPU pod: baseline, greedy and CP-SAT plans");

  /**
   * Dispatches on the first argument and exits with the command's status.
   *
   * @param args the command line
   * @throws Exception when JMH fails
   */
  public static void main(String[] args) throws Exception {
    int status = run(args, System.out, System.err);
    if (status >= 0) {
      System.exit(status);
    }
  }

  /**
   * Runs everything but JMH itself; returns -1 after JMH ran (JMH exits on its own terms).
   *
   * @param args the command line
   * @param out usage and results
   * @param err errors
   * @return the exit status, or -1 when JMH ran
   * @throws Exception when JMH fails
   */
  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    if (args.length == 0 || List.of("help", "-h", "--help").contains(args[0])) {
      out.print(usage());
      return 0;
    }
    String first = args[0];
    if (first.equals("replay")) {
      return ReplayCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
    }
    if (first.equals("gang-replay")) {
      System.setProperty("java.awt.headless", "true");
      return GangReplayCommand.run(Arrays.copyOfRange(args, 1, args.length));
    }
    if (first.equals("mig-replay")) {
      System.setProperty("java.awt.headless", "true");
      return MigReplayCommand.run(Arrays.copyOfRange(args, 1, args.length));
    }
    if (first.equals("defrag")) {
      return io.gpualloc.benchmarks.defrag.DefragCommand.run(
          Arrays.copyOfRange(args, 1, args.length), out, err);
    }
    if (first.equals("jmh")) {
      org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
      return -1;
    }
    if (first.startsWith("-") || matchesBenchmark(first)) {
      org.openjdk.jmh.Main.main(args);
      return -1;
    }
    err.println("gpualloc-benchmarks: unknown command '" + first + "'; allowed: replay,"
        + " gang-replay, mig-replay, defrag, jmh, help,"
        + " or a JMH benchmark (" + String.join(", ", benchmarks().keySet())
        + ") (run without arguments for usage)");
    return ReplayCommand.EXIT_USAGE;
  }

  /** Whether the pattern finds a benchmark as JMH would: in its fully qualified name. */
  private static boolean matchesBenchmark(String pattern) {
    Pattern p;
    try {
      p = Pattern.compile(pattern);
    } catch (PatternSyntaxException e) {
      return false;
    }
    for (BenchmarkListEntry e : benchmarkList()) {
      if (p.matcher(e.getUsername()).find()) {
        return true;
      }
    }
    return false;
  }

  private static List<BenchmarkListEntry> benchmarkList() {
    try (InputStream in = Main.class.getResourceAsStream(BenchmarkList.BENCHMARK_LIST)) {
      if (in == null) {
        throw new IllegalStateException(BenchmarkList.BENCHMARK_LIST + " is missing from the"
            + " benchmarks jar (JMH's annotation processor did not run: a build bug)");
      }
      return BenchmarkList.readBenchmarkList(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The JMH benchmarks compiled into this jar: simple class name to method names.
   *
   * @return sorted by class, then method
   */
  static Map<String, TreeSet<String>> benchmarks() {
    Map<String, TreeSet<String>> out = new TreeMap<>();
    for (BenchmarkListEntry e : benchmarkList()) {
      String cls = e.getUserClassQName();
      String simple = cls.substring(cls.lastIndexOf('.') + 1);
      String user = e.getUsername();
      out.computeIfAbsent(simple, k -> new TreeSet<>())
          .add(user.substring(user.lastIndexOf('.') + 1));
    }
    return out;
  }

  /**
   * The usage text: commands, the JMH benchmarks by name, the example programs, exit codes.
   *
   * @return several lines, ending with a line break
   */
  static String usage() {
    StringBuilder b = new StringBuilder();
    String jar = "java -jar gpualloc-benchmarks.jar";
    b.append("gpualloc benchmarks: the trace-replay simulator, JMH benchmarks, example"
        + " programs.\n\nUsage:\n")
        .append("  ").append(jar).append(" replay [options]\n")
        .append("      replay a workload through placement policies (replay --help lists the"
            + " options)\n")
        .append("  ").append(jar).append(" gang-replay [options]\n")
        .append("      replay a seeded stream of gangs through the gang placers (gang-replay"
            + " --help)\n")
        .append("  ").append(jar).append(" mig-replay [options]\n")
        .append("      replay seeded streams of MIG services through slot placement and the"
            + " layout planners (mig-replay --help)\n")
        .append("  ").append(jar).append(" defrag [options]\n")
        .append("      defragmentation plans on openb snapshots at 80/90/95% load (defrag"
            + " --help)\n")
        .append("  ").append(jar).append(" <Benchmark> [JMH options]\n")
        .append("      run the JMH benchmarks whose name matches, e.g. LedgerBenchmark -f 1\n")
        .append("  ").append(jar).append(" jmh [JMH options]\n")
        .append("      JMH as is: without a name, the whole suite (about 25 minutes); jmh -h"
            + " for JMH's options\n")
        .append("  ").append(jar).append(" --help\n")
        .append("      this text\n\n")
        .append("JMH benchmarks:\n");
    for (Map.Entry<String, TreeSet<String>> e : benchmarks().entrySet()) {
      b.append(String.format("  %-26s %s%n", e.getKey(), String.join(", ", e.getValue())));
    }
    b.append("\nExact packing on the standard bin-packing sets (not JMH):\n")
        .append("  java -cp gpualloc-benchmarks.jar"
            + " io.gpualloc.benchmarks.packing.PackingBenchmark --help\n");
    b.append("\nTime budgets of the exact solvers, first call in a fresh JVM included (not JMH):\n")
        .append("  java -cp gpualloc-benchmarks.jar"
            + " io.gpualloc.benchmarks.packing.BudgetCheck --help\n");
    b.append("\nExample programs (java -cp gpualloc-benchmarks.jar"
        + " io.gpualloc.examples.<Name>):\n");
    for (Map.Entry<String, String> e : new TreeMap<>(EXAMPLES).entrySet()) {
      b.append(String.format("  %-26s %s%n", e.getKey(), e.getValue()));
    }
    b.append("\nExit status: 0 success (and this text), 1 a run failed, ")
        .append(ReplayCommand.EXIT_USAGE)
        .append(" bad command line or input (one line on stderr, before any work).\n");
    return b.toString();
  }
}

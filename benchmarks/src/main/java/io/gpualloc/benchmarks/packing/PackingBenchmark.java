package io.gpualloc.benchmarks.packing;

import io.gpualloc.binpack.packing.BinPackers;
import io.gpualloc.binpack.packing.CpSatPacker;
import io.gpualloc.binpack.packing.PackingInstance;
import io.gpualloc.binpack.packing.PackingReaders;
import io.gpualloc.binpack.packing.PackingResult;
import io.gpualloc.binpack.packing.SizeMeasure;
import io.gpualloc.binpack.packing.SolverOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the exact/anytime packer on the standard sets in {@code ../shared/bench/binpack} (read in
 * place; the files are not redistributable) and prints, per set: instances run, proven optimal,
 * median and max wall time, mean proof gap (upper minus lower bound), the solver's and FFD's
 * excess over the known optimum.
 *
 * <pre>
 * java -cp benchmarks/target/gpualloc-benchmarks.jar \
 *     io.gpualloc.benchmarks.packing.PackingBenchmark --limit 10 --workers 2 \
 *     --sets bpplib/falkenauer_u,bpplib/hard28 --max 20
 * </pre>
 */
@Command(name = "packing-bench", mixinStandardHelpOptions = true,
    description = "Exact bin packing on the standard benchmark sets, one table per set.")
public final class PackingBenchmark implements Callable<Integer> {

  @Option(names = "--data", description = "Folder of the sets (default: ${DEFAULT-VALUE}).")
  Path data = Path.of("../shared/bench/binpack");

  @Option(names = "--sets", split = ",", description = "Sets relative to --data, comma-separated "
      + "(default: ${DEFAULT-VALUE}).")
  List<String> sets = List.of("bpplib/falkenauer_u", "bpplib/falkenauer_t",
      "bpplib/scholl1_subset", "bpplib/schwerin1_subset", "bpplib/schwerin2_subset",
      "bpplib/hard28", "vbp/ct01_caprara_toth_2d", "vbp/mommessin_panigrahy_subset");

  @Option(names = "--limit", description = "Seconds per instance (default: ${DEFAULT-VALUE}).")
  double limit = 10;

  @Option(names = "--workers", description = "CP-SAT workers (default: ${DEFAULT-VALUE}).")
  int workers = 1;

  @Option(names = "--seed", description = "CP-SAT seed (default: ${DEFAULT-VALUE}).")
  long seed = 0;

  @Option(names = "--max", description = "At most this many instances per set, evenly spread "
      + "over optima.csv (0 = all; default: ${DEFAULT-VALUE}).")
  int max = 0;

  @Option(names = "--only-known", description = "Only instances with a known optimum.")
  boolean onlyKnown = true;

  @Option(names = "--verbose", description = "One line per instance.")
  boolean verbose;

  @Option(names = "--files", split = ",", description = "Only these instance files (names as in "
      + "optima.csv), comma-separated; applied after --max.")
  List<String> files = List.of();

  @Option(names = "--csv", description = "Append one row per instance to this CSV file, and "
      + "resume: instances already in it (same set, file, limit, workers and seed) are not run "
      + "again but counted in the tables from their rows.")
  @Nullable Path csv;

  private final Map<String, String[]> done = new HashMap<>();

  private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

  /** Entry point. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new PackingBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    if (csv != null) {
      if (Files.exists(csv)) {
        for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8)) {
          String[] c = line.split(",", -1);
          if (c.length == CSV_HEADER.split(",").length && !line.equals(CSV_HEADER)) {
            done.put(key(c[0], c[1]) + "|" + c[11] + "|" + c[12] + "|" + c[13], c);
          }
        }
      } else {
        Files.writeString(csv, CSV_HEADER + "\n", StandardCharsets.UTF_8);
      }
    }
    out.printf(Locale.ROOT, "limit %.1f s/instance, %d worker(s), seed %d, %d cores visible%n",
        limit, workers, seed, Runtime.getRuntime().availableProcessors());
    out.println("| set | run | proven optimal | median s | max s | mean gap (ub-lb) "
        + "| solver excess over opt | FFD excess over opt | FFD optimal |");
    out.println("|---|---|---|---|---|---|---|---|---|");
    for (String s : sets) {
      runSet(data.resolve(s), s);
    }
    return 0;
  }

  private void runSet(Path set, String label) throws IOException {
    List<Map<String, String>> rows = PackingReaders.readOptimaTable(set.resolve("optima.csv"));
    if (onlyKnown) {
      rows.removeIf(r -> r.getOrDefault("opt", "").isEmpty());
    }
    if (max > 0 && rows.size() > max) {
      List<Map<String, String>> sample = new ArrayList<>();
      for (int k = 0; k < max; k++) {
        sample.add(rows.get((int) ((long) k * rows.size() / max)));
      }
      rows = sample;
    }
    if (!files.isEmpty()) {
      rows.removeIf(r -> !files.contains(r.get("file")));
    }
    SolverOptions opts = SolverOptions.defaults()
        .withTimeLimit(Duration.ofMillis((long) (limit * 1000))).withWorkers(workers)
        .withSeed(seed);
    List<Double> times = new ArrayList<>();
    int proven = 0;
    long gapSum = 0;
    long optSum = 0;
    long excess = 0;
    long ffdExcess = 0;
    int ffdOpt = 0;
    int known = 0;
    for (Map<String, String> row : rows) {
      Path f = set.resolve(row.get("file"));
      String opt = row.getOrDefault("opt", "");
      String doneKey = key(label, row.get("file")) + "|" + fmt(limit) + "|" + workers + "|" + seed;
      String[] c = done.get(doneKey);
      if (c == null) {
        PackingInstance in = f.toString().endsWith(".vbp")
            ? PackingReaders.readVbp(f) : PackingReaders.readBpplib(f);
        PackingResult r = CpSatPacker.solve(in, opts);
        int ffd = BinPackers.firstFitDecreasing(SizeMeasure.SUM).pack(in).binCount();
        double t = r.wallTime().toNanos() / 1e9;
        c = new String[] {label, row.get("file"), String.valueOf(in.itemCount()),
            r.status().name(), String.valueOf(r.upperBound()), String.valueOf(r.lowerBound()),
            opt, String.valueOf(ffd), String.format(Locale.ROOT, "%.3f", t), r.model(),
            r.source(), fmt(limit), String.valueOf(workers), String.valueOf(seed)};
        if (csv != null) {
          Files.writeString(csv, String.join(",", c) + "\n", StandardCharsets.UTF_8,
              StandardOpenOption.APPEND);
        }
        if (verbose) {
          out.printf(Locale.ROOT, "  %s %s ub=%d lb=%d opt=%s ffd=%d %.2fs model=%s source=%s%n",
              in.name(), r.status(), r.upperBound(), r.lowerBound(), opt, ffd, t, r.model(),
              r.source());
        }
      }
      long ub = Long.parseLong(c[4]);
      long lb = Long.parseLong(c[5]);
      int ffd = Integer.parseInt(c[7]);
      times.add(Double.parseDouble(c[8]));
      if (c[3].equals("OPTIMAL")) {
        proven++;
      }
      gapSum += ub - lb;
      if (!opt.isEmpty()) {
        int o = Integer.parseInt(opt);
        if (lb > o || ub < o) {
          throw new IllegalStateException(c[1] + ": bounds " + lb + ".." + ub
              + " exclude the known optimum " + o);
        }
        known++;
        optSum += o;
        excess += ub - o;
        ffdExcess += ffd - o;
        if (ffd == o) {
          ffdOpt++;
        }
      }
    }
    Collections.sort(times);
    int n = rows.size();
    double median = n == 0 ? 0 : (n % 2 == 1 ? times.get(n / 2)
        : (times.get(n / 2 - 1) + times.get(n / 2)) / 2);
    double maxT = n == 0 ? 0 : times.get(n - 1);
    out.printf(Locale.ROOT, "| %s | %d | %d/%d | %.2f | %.2f | %.3f | %s | %s | %d/%d |%n",
        label, n, proven, n, median, maxT, n == 0 ? 0.0 : (double) gapSum / n,
        pct(excess, optSum), pct(ffdExcess, optSum), ffdOpt, known);
  }

  private static final String CSV_HEADER =
      "set,file,n,status,ub,lb,opt,ffd,seconds,model,source,limit,workers,seed";

  private static String key(String set, String file) {
    return set + "|" + file;
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  private static String pct(long extra, long total) {
    return total == 0 ? "-" : String.format(Locale.ROOT, "+%d (%.2f%%)", extra,
        100.0 * extra / total);
  }
}

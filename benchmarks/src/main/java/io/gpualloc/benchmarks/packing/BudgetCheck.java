package io.gpualloc.benchmarks.packing;

import io.gpualloc.benchmarks.gang.GangBenchmark;
import io.gpualloc.benchmarks.mig.MigPlanBenchmark;
import io.gpualloc.binpack.gang.GangOptions;
import io.gpualloc.binpack.gang.GangPlacers;
import io.gpualloc.binpack.mig.MigPlanProblem;
import io.gpualloc.binpack.mig.MigPlanners;
import io.gpualloc.binpack.packing.BinType;
import io.gpualloc.binpack.packing.CpSatPacker;
import io.gpualloc.binpack.packing.PackingInstance;
import io.gpualloc.binpack.packing.PackingReaders;
import io.gpualloc.binpack.packing.PackingResult;
import io.gpualloc.binpack.packing.SolverOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures how well the budgeted solvers keep their time budget: elapsed wall time divided by the
 * budget, for each solver, instance and budget, for the first call in a fresh JVM (OR-Tools'
 * native library extracted and loaded inside the budget) and for warm calls after it. Each
 * (instance, budget) pair runs in its own child JVM with the parent's class path, so every first
 * call is a real first call.
 *
 * <p>Instances, seeded and generated in place: {@code 2d} is 1,000 items with two sizes drawn
 * uniformly from 1..400 into bins of 1,000 x 1,000; {@code 1d} is 1,000 items of size 20..500
 * into bins of 1,000. The gang and MIG solvers run on their JMH benchmarks' inputs: {@code
 * gang-1024} and {@code gang-8192} are {@code GangBenchmark}'s two shapes solved by the {@code
 * cp-sat} gang placer, {@code mig-1000} is {@code MigPlanBenchmark}'s 1,000-GPU fleet planned by the
 * {@code cp-sat} MIG planner. {@code file:PATH} reads a BPPLIB or {@code .vbp} instance (e.g. one of
 * the hard sets in {@code ../shared/bench/binpack}) for {@code CpSatPacker}. Goal (issue 10): every
 * ratio at most 1.1.
 *
 * <pre>
 * java -cp benchmarks/target/gpualloc-benchmarks.jar \
 *     io.gpualloc.benchmarks.packing.BudgetCheck --budgets 1,3,10 --warm 3
 * </pre>
 */
@Command(name = "budget-check", mixinStandardHelpOptions = true,
    description = "Elapsed time over budget per solver, instance and budget, first call in a"
        + " fresh JVM included.")
public final class BudgetCheck implements Callable<Integer> {

  @Option(names = "--budgets", split = ",",
      description = "Budgets in seconds (default: ${DEFAULT-VALUE}).")
  List<Double> budgets = List.of(1.0, 3.0, 10.0);

  @Option(names = "--instances", split = ",",
      description = "Instances: 2d, 1d (CpSatPacker), gang-1024, gang-8192 (cp-sat gang placer),"
          + " mig-1000 (cp-sat MIG planner), or file:PATH, a BPPLIB or .vbp file for"
          + " CpSatPacker (default: ${DEFAULT-VALUE}).")
  List<String> instances = List.of("2d", "1d", "gang-1024", "gang-8192", "mig-1000");

  @Option(names = "--warm", description = "Warm calls after the first, per JVM"
      + " (default: ${DEFAULT-VALUE}).")
  int warm = 2;

  @Option(names = "--workers", description = "CP-SAT workers (default: ${DEFAULT-VALUE}).")
  int workers = 1;

  @Option(names = "--seed", description = "Instance and solver seed (default: ${DEFAULT-VALUE}).")
  long seed = 42;

  @Option(names = "--child", hidden = true, description = "Internal: run one JVM's calls.")
  boolean child;

  private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

  /**
   * Entry point.
   *
   * @param args the options, see {@code --help}
   */
  public static void main(String[] args) {
    System.exit(new CommandLine(new BudgetCheck()).execute(args));
  }

  /**
   * The named instance.
   *
   * @param name {@code 2d} or {@code 1d}
   * @param seed the generator's seed
   * @return the instance
   */
  static PackingInstance instance(String name, long seed) {
    if (name.startsWith("file:")) {
      Path file = Path.of(name.substring("file:".length()));
      return file.toString().endsWith(".vbp") ? PackingReaders.readVbp(file)
          : PackingReaders.readBpplib(file);
    }
    Random r = new Random(seed);
    switch (name) {
      case "2d": {
        PackingInstance.Builder b =
            PackingInstance.builder("random-2d-1000", BinType.of(1000, 1000));
        for (int i = 0; i < 1000; i++) {
          b.item(1 + r.nextInt(400), 1 + r.nextInt(400));
        }
        return b.build();
      }
      case "1d": {
        PackingInstance.Builder b = PackingInstance.builder("random-1d-1000", BinType.of(1000));
        for (int i = 0; i < 1000; i++) {
          b.item(20 + r.nextInt(481));
        }
        return b.build();
      }
      default:
        throw new CommandLine.ParameterException(new CommandLine(new BudgetCheck()),
            "unknown instance '" + name + "'; allowed: " + String.join(", ", INSTANCES));
    }
  }

  private static final List<String> INSTANCES =
      List.of("2d", "1d", "gang-1024", "gang-8192", "mig-1000");

  /**
   * The solver that runs on an instance.
   *
   * @param instance the instance's name
   * @return the solver's name in the table
   */
  static String solverOf(String instance) {
    if (instance.startsWith("gang-")) {
      return "gang cp-sat";
    }
    return instance.startsWith("mig-") ? "MIG cp-sat" : "CpSatPacker";
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (child) {
      return runChild();
    }
    out.printf(Locale.ROOT, "%d worker(s), seed %d, %d cores visible, %d warm call(s)%n",
        workers, seed, Runtime.getRuntime().availableProcessors(), warm);
    out.println("| solver | instance | budget s | first call (fresh JVM) | warm worst | warm"
        + " median | statuses |");
    out.println("|---|---|---:|---:|---:|---:|---|");
    double worst = 0;
    for (String inst : instances) {
      if (!INSTANCES.contains(inst) && !inst.startsWith("file:")) {
        throw new CommandLine.ParameterException(new CommandLine(this),
            "unknown instance '" + inst + "'; allowed: " + String.join(", ", INSTANCES));
      }
      for (double budget : budgets) {
        List<String> lines = spawn(inst, budget);
        List<Double> ratios = new ArrayList<>();
        List<String> statuses = new ArrayList<>();
        for (String line : lines) {
          String[] f = line.split(" ");
          ratios.add(Double.parseDouble(f[1]) / budget);
          statuses.add(f[2]);
        }
        if (ratios.isEmpty()) {
          out.printf(Locale.ROOT, "| %s | %s | %.0f | child JVM failed | | | |%n",
              solverOf(inst), inst, budget);
          continue;
        }
        double first = ratios.get(0);
        List<Double> w = new ArrayList<>(ratios.subList(1, ratios.size()));
        Collections.sort(w);
        double warmWorst = w.isEmpty() ? Double.NaN : w.get(w.size() - 1);
        double warmMedian = w.isEmpty() ? Double.NaN : w.get(w.size() / 2);
        worst = Math.max(worst, Math.max(first, w.isEmpty() ? 0 : warmWorst));
        out.printf(Locale.ROOT, "| %s | %s | %.0f | %.3f | %.3f | %.3f | %s |%n",
            solverOf(inst), inst, budget, first, warmWorst, warmMedian,
            String.join(",", statuses));
      }
    }
    out.printf(Locale.ROOT, "worst ratio: %.3f (goal: <= 1.1)%n", worst);
    return 0;
  }

  private List<String> spawn(String inst, double budget) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> cmd = List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
        BudgetCheck.class.getName(), "--child", "--instances", inst,
        "--budgets", String.valueOf(budget), "--warm", String.valueOf(warm),
        "--workers", String.valueOf(workers), "--seed", String.valueOf(seed));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("call ")) {
          lines.add(line.substring(5));
        } else {
          out.println("  child: " + line);
        }
      }
    }
    p.waitFor();
    return lines;
  }

  /** One JVM: the first call, then the warm calls; one line each: index, seconds, status. */
  private int runChild() {
    String name = instances.get(0);
    double budget = budgets.get(0);
    SolverOptions options = SolverOptions.defaults()
        .withTimeLimit(Duration.ofMillis(Math.round(budget * 1000)))
        .withWorkers(workers).withSeed(seed);
    Callable<String> solve;
    if (name.startsWith("gang-")) {
      GangBenchmark.Scenario sc =
          GangBenchmark.scenario(name.equals("gang-1024") ? "1024n-256gpu" : "8192n-1024gpu");
      // the placer is made inside the timed call: its factory loads OR-Tools on the first call
      solve = () -> GangPlacers.cpSat(GangOptions.defaults().withSolver(options))
          .solve(sc.gang(), sc.state(), sc.topology()).status().toString();
    } else if (name.startsWith("mig-")) {
      MigPlanProblem problem = MigPlanBenchmark.problem(1000);
      solve = () -> MigPlanners.named("cp-sat", options).plan(problem).status().toString();
    } else {
      PackingInstance inst = instance(name, seed);
      solve = () -> {
        PackingResult result = CpSatPacker.solve(inst, options);
        return result.status() + "/" + result.model();
      };
    }
    for (int call = 0; call <= warm; call++) {
      long t = System.nanoTime();
      String status;
      try {
        status = solve.call();
      } catch (Exception e) {
        throw new IllegalStateException("solver failed on " + name, e);
      }
      double s = (System.nanoTime() - t) / 1e9;
      out.printf(Locale.ROOT, "call %d %.4f %s%n", call, s, status);
    }
    return 0;
  }
}

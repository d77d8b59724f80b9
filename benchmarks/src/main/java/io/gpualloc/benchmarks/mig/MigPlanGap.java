package io.gpualloc.benchmarks.mig;

import io.gpualloc.binpack.mig.MigPlan;
import io.gpualloc.binpack.mig.MigPlanProblem;
import io.gpualloc.binpack.mig.MigPlanners;
import io.gpualloc.binpack.packing.CpSatPacker;
import io.gpualloc.binpack.packing.SolverOptions;
import java.time.Duration;
import java.util.Locale;

/**
 * Objective, proven bound and gap of the greedy and the CP-SAT MIG planner on {@link
 * MigPlanBenchmark}'s fleets (not JMH: one plan per planner and size after a warm-up plan, so the
 * times are single samples). Arguments: fleet sizes, comma-separated (default {@code 100,1000}),
 * and the CP-SAT budget in milliseconds (default 1000).
 *
 * <pre>
 * java -cp gpualloc-benchmarks.jar io.gpualloc.benchmarks.mig.MigPlanGap 1000 1000
 * </pre>
 */
public final class MigPlanGap {
  private MigPlanGap() {}

  /**
   * Prints one line per planner and size.
   *
   * @param args {@code [sizes] [budgetMillis]}
   */
  public static void main(String[] args) {
    String sizes = args.length > 0 ? args[0] : "100,1000";
    long budget = args.length > 1 ? Long.parseLong(args[1]) : 1000;
    CpSatPacker.preload();
    SolverOptions options = SolverOptions.defaults().withTimeLimit(Duration.ofMillis(budget))
        .withSeed(1);
    System.out.printf(Locale.ROOT, "%6s %-7s %-16s %6s %15s %15s %9s %8s %6s %6s %9s%n", "gpus",
        "planner", "status", "phase", "objective", "bound", "gap %", "served", "used", "reconf",
        "ms");
    for (String size : sizes.split(",")) {
      MigPlanProblem problem = MigPlanBenchmark.problem(Integer.parseInt(size.strip()));
      for (String name : MigPlanners.names()) {
        MigPlanners.named(name, options).plan(problem); // warm-up
        MigPlan p = MigPlanners.named(name, options).plan(problem);
        System.out.printf(Locale.ROOT, "%6d %-7s %-16s %6s %15d %15d %9.4f %8d %6d %6d %9.1f%n",
            problem.gpus().size(), name, p.status(), p.phase(), p.objective(), p.bound(),
            100.0 * p.gap() / Math.max(1, Math.abs(p.bound())), p.servedTotal(), p.gpusUsed(),
            p.gpusReconfigured(), p.wallTime().toNanos() / 1e6);
      }
    }
  }
}

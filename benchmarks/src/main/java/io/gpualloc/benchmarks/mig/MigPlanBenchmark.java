package io.gpualloc.benchmarks.mig;

import io.gpualloc.binpack.mig.MigGpuState;
import io.gpualloc.binpack.mig.MigPlan;
import io.gpualloc.binpack.mig.MigPlanProblem;
import io.gpualloc.binpack.mig.MigPlanner;
import io.gpualloc.binpack.mig.MigPlanners;
import io.gpualloc.binpack.packing.SolverOptions;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.MigInstance;
import io.gpualloc.core.MigLayout;
import io.gpualloc.core.MigLayouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Planning MIG layouts for a fleet of H100s against a mixed demand: a third of the GPUs idle, the
 * rest in a random maximal layout with about a third of its instances in use; demand of 1g, 2g,
 * 3g and 7g instances worth about half the fleet's compute. The goal: 1,000 GPUs within
 * 1 s ({@code planner=cp-sat} runs with a 1 s budget) and within 1% of the CP-SAT bound.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
public class MigPlanBenchmark {
  /** {@code greedy} or {@code cp-sat}. */
  @Param({"greedy", "cp-sat"})
  public String planner;

  /** Fleet size. */
  @Param({"100", "1000"})
  public int gpus;

  private MigPlanner mig;
  private MigPlanProblem problem;

  /** Builds the fleet and the demand. */
  @Setup
  public void setup() {
    problem = problem(gpus);
    mig = MigPlanners.named(planner, SolverOptions.defaults()
        .withTimeLimit(Duration.ofSeconds(1)).withSeed(1));
  }

  /**
   * The benchmark's fleet and demand (also used by {@code BudgetCheck}).
   *
   * @param gpus the fleet size
   * @return the planning problem, seeded
   */
  public static MigPlanProblem problem(int gpus) {
    GpuModel h100 = GpuModelCatalog.builtIn().get("H100-80GB-SXM");
    List<MigLayout> maximal = MigLayouts.maximal(h100);
    SplittableRandom r = new SplittableRandom(7);
    List<MigGpuState> fleet = new ArrayList<>();
    for (int g = 0; g < gpus; g++) {
      if (r.nextInt(3) == 0) {
        fleet.add(MigGpuState.idle("gpu-" + g, h100));
        continue;
      }
      MigLayout l = maximal.get(r.nextInt(maximal.size()));
      List<MigInstance> inUse = new ArrayList<>();
      for (MigInstance x : l.instances()) {
        if (r.nextInt(3) == 0) {
          inUse.add(x);
        }
      }
      fleet.add(new MigGpuState("gpu-" + g, l, inUse));
    }
    Map<String, Integer> demand = new LinkedHashMap<>();
    demand.put("1g.10gb", gpus);
    demand.put("2g.20gb", gpus / 2);
    demand.put("3g.40gb", gpus / 4);
    demand.put("7g.80gb", gpus / 10);
    return new MigPlanProblem(fleet, demand);
  }

  /**
   * One plan.
   *
   * @return the plan
   */
  @Benchmark
  public MigPlan plan() {
    return mig.plan(problem);
  }
}

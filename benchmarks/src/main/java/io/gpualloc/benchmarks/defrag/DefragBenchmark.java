package io.gpualloc.benchmarks.defrag;

import io.gpualloc.benchmarks.replay.OpenbModels;
import io.gpualloc.benchmarks.replay.Replay;
import io.gpualloc.benchmarks.replay.SyntheticOpenb;
import io.gpualloc.binpack.defrag.DefragGoal;
import io.gpualloc.binpack.defrag.DefragPlan;
import io.gpualloc.binpack.defrag.DefragPlanner;
import io.gpualloc.binpack.defrag.DefragPlanners;
import io.gpualloc.binpack.defrag.DefragProblem;
import io.gpualloc.binpack.packing.SolverOptions;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.Request;
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
 * The greedy defrag planner's hot path (lower bounds over every node, then making room on the
 * best candidates and re-placing with best-fit) on the built-in synthetic openb cluster at 95%
 * arrived load, where no node has 8 GPUs free: place a waiting 8-GPU or 4-GPU pod, or empty 10
 * nodes, evictions allowed. The problem is built once; each call plans from scratch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
public class DefragBenchmark {
  /** The goal. */
  @Param({"fit-8gpu", "fit-4gpu", "empty-10"})
  public String goal;

  private DefragPlanner greedy;
  private DefragProblem problem;

  /** Builds the snapshot and the problem. */
  @Setup
  public void setup() {
    Replay.Trace trace = Replay.Trace.of("builtin", OpenbModels.cluster(SyntheticOpenb.nodes()),
        SyntheticOpenb.pods(2023));
    DefragCommand.Snapshot s = DefragCommand.snapshot(trace, 42, 95);
    DefragGoal g = switch (goal) {
      case "fit-8gpu" -> DefragGoal.Fit.of(pod(8));
      case "fit-4gpu" -> DefragGoal.Fit.of(pod(4));
      default -> DefragGoal.EmptyNodes.any(10);
    };
    problem = DefragProblem.builder(s.ledger(), g).requests(s.requests()).allowEviction(true)
        .build();
    greedy = DefragPlanners.named("greedy", SolverOptions.defaults());
  }

  private static Request pod(int gpus) {
    return Request.builder("waiting-" + gpus).cpuMilli(2000 * gpus).memoryMib(8192 * gpus)
        .gpu(GpuDemand.whole(gpus)).build();
  }

  /**
   * One greedy plan, checked by its dry run.
   *
   * @return the plan
   */
  @Benchmark
  public DefragPlan greedyPlan() {
    return greedy.plan(problem);
  }
}

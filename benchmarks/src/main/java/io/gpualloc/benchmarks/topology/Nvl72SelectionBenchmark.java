package io.gpualloc.benchmarks.topology;

import io.gpualloc.topology.GpuSet;
import io.gpualloc.topology.GpuSetChoice;
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

/** Best GPU set selection on the 72-GPU GB200 NVL72 domain (the baselines cannot enumerate it), every selector, all GPUs free. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class Nvl72SelectionBenchmark {
  /**
   * The selector, by its registry name; {@code branch-and-bound-pair-score} is the exact selector with
   * the objective of earlier versions, so the two objectives are compared inside one run.
   */
  @Param({"branch-and-bound", "branch-and-bound-pair-score"})
  public String selector;

  /** The number of GPUs requested. */
  @Param({"1","2","4","8","16","18","32","36","64","72"})
  public int k;

  private SelectionState state;

  /** Builds the preset and checks that the selector answers. */
  @Setup
  public void setUp() {
    state = new SelectionState("GB200_NVL72", selector, k);
  }

  /** One selection. */
  @Benchmark
  public GpuSetChoice select() {
    return state.selector.select(state.node, state.free, GpuSet.empty(), k);
  }
}

package io.gpualloc.benchmarks.packing;

import io.gpualloc.binpack.packing.BinPackers;
import io.gpualloc.binpack.packing.Packing;
import io.gpualloc.binpack.packing.PackingInstance;
import io.gpualloc.binpack.packing.PackingReaders;
import io.gpualloc.binpack.packing.internal.LocalSearch;
import io.gpualloc.binpack.packing.internal.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The local search ({@code LocalSearch}, {@code BinPackers.localSearch}) for a fixed iteration
 * budget from the portfolio's packing, on a seeded Falkenauer-T-like triplet instance (every bin
 * of capacity 1,000 filled exactly by three items, so the target is n / 3) and, when {@code
 * ../shared} is present, on Hard28 BPP195 (target: its optimum, 64 bins). The time per call is the
 * time per iteration times the iterations run (the call returns early when it reaches the
 * target; the answer's bin count is returned so that it is not optimised away).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
public class LocalSearchBenchmark {
  /** The instance: {@code triplets-249} (seeded) or {@code hard28-BPP195} (shared data). */
  @Param({"triplets-249", "hard28-BPP195"})
  public String instance;

  /** The iteration budget per call. */
  @Param({"2000"})
  public int iterations;

  private Problem problem;
  private Packing start;
  private int target;

  /**
   * Reads or builds the instance and its portfolio packing.
   *
   * @throws IllegalStateException when the shared data for {@code hard28-BPP195} is absent
   */
  @Setup
  public void setup() {
    PackingInstance in;
    if (instance.startsWith("triplets-")) {
      in = ReducedCostFixingBenchmark.triplets(Integer.parseInt(instance.substring(9)), 1);
      target = in.itemCount() / 3;
    } else {
      Path f = Path.of(System.getProperty("gpualloc.shared", "../shared"),
          "bench/binpack/bpplib/hard28/Hard28_BPP195.txt");
      if (!Files.isRegularFile(f)) {
        throw new IllegalStateException(f + " is absent: run from the repository root next to "
            + "../shared, or pass -Dgpualloc.shared=<folder>");
      }
      in = PackingReaders.readBpplib(f);
      target = 64;
    }
    problem = new Problem(in);
    start = BinPackers.best(in);
  }

  /**
   * One run of the local search with the iteration budget, seed 1.
   *
   * @return the bins of the answer
   */
  @Benchmark
  public int search() {
    return LocalSearch.improve(problem, start, target, 1, iterations, Long.MAX_VALUE).binCount();
  }
}

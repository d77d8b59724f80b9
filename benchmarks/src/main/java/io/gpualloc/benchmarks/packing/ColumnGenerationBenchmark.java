package io.gpualloc.benchmarks.packing;

import io.gpualloc.binpack.packing.BinPackers;
import io.gpualloc.binpack.packing.CpSatPacker;
import io.gpualloc.binpack.packing.Packing;
import io.gpualloc.binpack.packing.PackingInstance;
import io.gpualloc.binpack.packing.PackingReaders;
import io.gpualloc.binpack.packing.SizeMeasure;
import io.gpualloc.binpack.packing.internal.ColumnGeneration;
import io.gpualloc.binpack.packing.internal.GreedyPricing;
import io.gpualloc.binpack.packing.internal.PatternKnapsack;
import io.gpualloc.binpack.packing.internal.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
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
 * The column-generation bound of {@code CpSatPacker} (used when there is no arc-flow graph), on
 * one Scholl 3 instance (1-D, capacity 100,000) and two Panigrahy instances (3-D, 500 items), read
 * from {@code -Dgpualloc.shared} (default {@code ../shared}) {@code /bench/binpack}:
 * {@code bound} runs the whole loop from the FFD packing until the bound reaches the known optimum
 * or {@code capSeconds} pass (report the bound reached, not only the time); {@code pricing} is one
 * pricing knapsack at the uniform dual vector (every item worth the same, node limit 20,000);
 * {@code pricingNearLp} is one exact pricing knapsack (node limit 5,120,000) at duals shaped like
 * the LP's late in the loop (each item's size as a fraction of the bin, averaged over the
 * dimensions, times a seeded factor in [0.8, 1.2)), and {@code greedyPricing} the heuristic
 * pricing at the same duals (up to 100 patterns worth more than 1).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 1, time = 10)
@Measurement(iterations = 3, time = 10)
public class ColumnGenerationBenchmark {
  /** Instance file under the benchmark data, and its known optimum, separated by a colon. */
  @Param({"bpplib/scholl3/HARD7.txt:55", "vbp/mommessin_panigrahy_subset/class7_500_3_2.vbp:198",
      "vbp/mommessin_panigrahy_subset/class9_500_3_2.vbp:235"})
  public String instance;

  /** Time cap per bound computation, seconds. */
  @Param({"5"})
  public int capSeconds;

  private Problem problem;
  private Packing start;
  private int optimum;
  private long[] uniform;
  private int[][] sizes;
  private int[] ones;
  private long[] nearLp;
  private double[] nearLpDuals;

  /**
   * Reads the instance and computes its FFD packing.
   *
   * @throws IllegalStateException when the benchmark data is absent
   */
  @Setup
  public void setup() {
    CpSatPacker.preload();
    String[] parts = instance.split(":");
    Path file = Path.of(System.getProperty("gpualloc.shared", "../shared"), "bench", "binpack",
        parts[0]);
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(file + " is absent: run from the project root next to "
          + "../shared, or set -Dgpualloc.shared");
    }
    PackingInstance in = file.toString().endsWith(".vbp") ? PackingReaders.readVbp(file)
        : PackingReaders.readBpplib(file);
    optimum = Integer.parseInt(parts[1]);
    problem = new Problem(in);
    start = BinPackers.firstFitDecreasing(SizeMeasure.SUM).pack(in);
    sizes = problem.size;
    uniform = new long[problem.n];
    Arrays.fill(uniform, 1L << 20);
    ones = new int[problem.n];
    Arrays.fill(ones, 1);
    int[] cap = problem.cap[0];
    Random random = new Random(42);
    nearLpDuals = new double[problem.n];
    for (int i = 0; i < problem.n; i++) {
      double norm = 0;
      for (int d = 0; d < cap.length; d++) {
        norm += (double) sizes[i][d] / cap[d];
      }
      nearLpDuals[i] = norm / cap.length * (0.8 + 0.4 * random.nextDouble());
    }
    nearLp = ColumnGeneration.scale(nearLpDuals, ones);
  }

  /**
   * Column generation from the FFD packing until the bound reaches the optimum or the cap.
   *
   * @return the bound reached
   */
  @Benchmark
  public int bound() {
    return ColumnGeneration.bound(problem, start, optimum,
        System.nanoTime() + capSeconds * 1_000_000_000L).bound();
  }

  /**
   * One pricing knapsack over the items at uniform duals (node limit 20,000).
   *
   * @return the knapsack's upper bound
   */
  @Benchmark
  public long pricing() {
    return PatternKnapsack.solve(uniform, sizes, problem.cap[0], ones, 20_000,
        System.nanoTime() + capSeconds * 1_000_000_000L).upper();
  }

  /**
   * One exact pricing knapsack over the items at duals shaped like the LP's.
   *
   * @return the knapsack's upper bound (its optimum when it finishes)
   */
  @Benchmark
  public long pricingNearLp() {
    return PatternKnapsack.solve(nearLp, sizes, problem.cap[0], ones, 5_120_000,
        System.nanoTime() + capSeconds * 1_000_000_000L).upper();
  }

  /**
   * The heuristic pricing at the same duals.
   *
   * @return the patterns found
   */
  @Benchmark
  public List<int[]> greedyPricing() {
    return GreedyPricing.columns(nearLpDuals, sizes, problem.cap[0], ones, 1, 100,
        System.nanoTime() + capSeconds * 1_000_000_000L);
  }
}

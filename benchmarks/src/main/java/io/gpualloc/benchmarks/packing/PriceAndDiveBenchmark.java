package io.gpualloc.benchmarks.packing;

import io.gpualloc.binpack.packing.BinPackers;
import io.gpualloc.binpack.packing.CpSatPacker;
import io.gpualloc.binpack.packing.Packing;
import io.gpualloc.binpack.packing.PackingInstance;
import io.gpualloc.binpack.packing.PackingReaders;
import io.gpualloc.binpack.packing.internal.PriceAndDive;
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
 * Price and dive (the branch-and-price diving search of {@code CpSatPacker}) from the portfolio's
 * packing to the known optimum, on Hard28 and Scholl 2 instances that the exact packer left one
 * bin above the optimum before it had this step, read from {@code -Dgpualloc.shared} (default
 * {@code ../shared}) {@code /bench/binpack}. One call is a whole search (the root's column
 * generation, then the dives); it returns the bins found, so a run that did not reach the
 * optimum within {@code capSeconds} shows in the result.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 1, time = 10)
@Measurement(iterations = 3, time = 10)
public class PriceAndDiveBenchmark {
  /** Instance file under the benchmark data, and its known optimum, separated by a colon. */
  @Param({"bpplib/hard28/Hard28_BPP832.txt:60", "bpplib/hard28/Hard28_BPP645.txt:58",
      "bpplib/hard28/Hard28_BPP742.txt:64", "bpplib/scholl2_subset/N3W3B1R0.txt:28"})
  public String instance;

  /** Time cap per search, seconds. */
  @Param({"30"})
  public int capSeconds;

  private Problem problem;
  private Packing start;
  private int optimum;

  /**
   * Reads the instance and computes the portfolio's packing.
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
    PackingInstance in = PackingReaders.readBpplib(file);
    optimum = Integer.parseInt(parts[1]);
    problem = new Problem(in);
    start = BinPackers.best(in);
  }

  /**
   * One search from the portfolio's packing aimed at the optimum.
   *
   * @return the bins of the packing found, or -1 when none was
   */
  @Benchmark
  public int search() {
    Packing q = PriceAndDive.search(problem, start, optimum,
        System.nanoTime() + capSeconds * 1_000_000_000L).packing();
    return q == null ? -1 : q.binCount();
  }
}

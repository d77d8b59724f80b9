package io.gpualloc.benchmarks.packing;

import io.gpualloc.binpack.packing.BinType;
import io.gpualloc.binpack.packing.CpSatPacker;
import io.gpualloc.binpack.packing.PackingInstance;
import io.gpualloc.binpack.packing.internal.ArcFlowGraph;
import io.gpualloc.binpack.packing.internal.ArcFlowLp;
import io.gpualloc.binpack.packing.internal.Problem;
import io.gpualloc.binpack.packing.internal.ReducedCostFixing;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The steps of the exact packer around reduced-cost fixing, on seeded triplet instances (the
 * Falkenauer T construction: every bin of capacity 1,000 is filled exactly by three items, so the
 * optimum is n / 3 and equals the LP bound): building and compressing the arc-flow graph, one
 * fixing from the LP duals (two shortest-path passes over the graph), and restricting the graph
 * to the kept arcs. The LP itself (GLOP) is solved once in the setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
public class ReducedCostFixingBenchmark {
  /** Number of items (a multiple of 3). */
  @Param({"249", "501"})
  public int items;

  private Problem problem;
  private ArcFlowGraph graph;
  private ArcFlowLp.Model model;
  private ArcFlowLp.Solution lp;
  private int target;
  private boolean[] keep;

  /** Builds the instance, its graph and the LP solution. */
  @Setup
  public void setup() {
    CpSatPacker.preload();
    problem = new Problem(triplets(items, 1));
    graph = ArcFlowGraph.build(problem, 1_000_000);
    ArcFlowLp.Model m = ArcFlowLp.Model.of(graph);
    if (m == null) {
      throw new IllegalStateException("GLOP is not available");
    }
    model = m;
    lp = model.solve(System.nanoTime() + 600_000_000_000L);
    if (lp == null) {
      throw new IllegalStateException("GLOP did not solve the benchmark's LP");
    }
    target = (int) Math.ceil(lp.value() - 1e-6);
    keep = ReducedCostFixing.keep(graph, lp.nodeDual(), lp.coverDual(), target);
  }

  /** Frees the native LP model. */
  @TearDown
  public void tearDown() {
    model.close();
  }

  /**
   * Seeded triplet instance: each bin gets one item of 380..490, one of 250..(cap - first) / 2
   * rounded to keep it below the first, and the remainder, capacity 1,000.
   *
   * @param n number of items, a multiple of 3
   * @param seed the seed
   * @return the instance
   */
  static PackingInstance triplets(int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    PackingInstance.Builder b = PackingInstance.builder("triplets-" + n, BinType.of(1000));
    for (int k = 0; k < n / 3; k++) {
      int a = rnd.nextInt(380, 491);
      int c = rnd.nextInt(250, (1000 - a) / 2 + 1);
      b.item(a);
      b.item(c);
      b.item(1000 - a - c);
    }
    return b.build();
  }

  /**
   * Builds and compresses the graph.
   *
   * @return its arc count
   */
  @Benchmark
  public int buildGraph() {
    return ArcFlowGraph.build(problem, 1_000_000).arcCount();
  }

  /**
   * One fixing from the LP duals.
   *
   * @return the number of arcs kept
   */
  @Benchmark
  public int fix() {
    return ReducedCostFixing.count(
        ReducedCostFixing.keep(graph, lp.nodeDual(), lp.coverDual(), target));
  }

  /**
   * Restricts the graph to the kept arcs.
   *
   * @return the restricted arc count
   */
  @Benchmark
  public int restrict() {
    return graph.restrict(keep).arcCount();
  }
}

package io.gpualloc.benchmarks.gang;

import io.gpualloc.binpack.gang.Gang;
import io.gpualloc.binpack.gang.GangDecision;
import io.gpualloc.binpack.gang.GangOptions;
import io.gpualloc.binpack.gang.GangPlacer;
import io.gpualloc.binpack.gang.GangPlacers;
import io.gpualloc.binpack.gang.PodSet;
import io.gpualloc.binpack.gang.TopologyConstraint;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import io.gpualloc.core.Request;
import io.gpualloc.topology.ClusterTopology;
import io.gpualloc.topology.TopologyLevels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decision latency of a gang placer (issue 12's goals): a 256-GPU gang (32 pods x 8 GPUs) on
 * 1,024 nodes x 8 GPUs, and a 1,024-GPU gang (128 x 8) on 8,192 nodes, both in 4 levels
 * (hostname, rack of 32 nodes, block of 8 racks, zone of 2 blocks). A seeded background load keeps
 * half the nodes partly busy (1 to 7 GPUs each), so no rack holds the gang and the PREFERRED rack
 * constraint climbs to a block. Each operation is one {@code place} call on a fixed ledger (not
 * committed). Sample-time mode reports percentiles; p50 is the target figure.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class GangBenchmark {
  /** The placer under test (cp-sat, budgeted, is left out; add it with {@code -p placer=cp-sat}). */
  @Param({"greedy", "kueue-best-fit", "kueue-least-free", "slurm-tree", "volcano-hard"})
  public String placer;

  /** {@code 1024n-256gpu} or {@code 8192n-1024gpu}. */
  @Param({"1024n-256gpu", "8192n-1024gpu"})
  public String shape;

  private GangPlacer gangPlacer;
  private ClusterState state;
  private ClusterTopology topology;
  private Gang gang;

  /** Builds the cluster, the background load and the gang; checks that the gang is placed. */
  @Setup(Level.Trial)
  public void setUp() {
    Scenario s = scenario(shape);
    state = s.state();
    topology = s.topology();
    gang = s.gang();
    gangPlacer = GangPlacers.named(placer, GangOptions.defaults());
    GangDecision d = gangPlacer.place(gang, state, topology);
    if (!(d instanceof GangDecision.Placed)) {
      throw new IllegalStateException("benchmark gang not placed: " + d.summary());
    }
  }

  /**
   * The benchmark's ledger, topology and gang (also used by {@code BudgetCheck}).
   *
   * @param state the ledger with its seeded background load
   * @param topology the four levels over the ledger's cluster
   * @param gang the gang to place
   */
  public record Scenario(ClusterState state, ClusterTopology topology, Gang gang) {}

  /**
   * Builds one shape: {@code 1024n-256gpu} or {@code 8192n-1024gpu}.
   *
   * @param shape the shape's name
   * @return the scenario, seeded
   */
  public static Scenario scenario(String shape) {
    int nodes = shape.startsWith("1024n") ? 1024 : 8192;
    int pods = shape.endsWith("-256gpu") ? 32 : 128;
    GpuModel h100 = GpuModelCatalog.builtIn().get("H100-80GB");
    List<Node> list = new ArrayList<>(nodes);
    for (int v = 0; v < nodes; v++) {
      int rack = v / 32;
      int block = rack / 8;
      int zone = block / 2;
      String name = "z" + zone + "-b" + block + "-r" + rack + "-n" + (v % 32);
      list.add(Node.builder(name).cpuMilli(192_000).memoryMib(2_097_152)
          .label("hostname", name).label("rack", "r" + rack).label("block", "b" + block)
          .label("zone", "z" + zone).gpus(8, h100, 2).build());
    }
    Cluster cluster = Cluster.of(list);
    ClusterState ledger = new ClusterState(cluster);
    Random random = new Random(12);
    for (int v = 0; v < nodes; v++) {
      if (random.nextBoolean()) {
        int gpus = 1 + random.nextInt(7);
        Placement.Builder p = Placement.builder("bg-" + v, v).cpuMilli(8_000 * gpus);
        for (int g = 0; g < gpus; g++) {
          p.whole(g);
        }
        ledger.allocate(p.build());
      }
    }
    ClusterTopology levels = ClusterTopology.of(cluster,
        TopologyLevels.of("hostname", "rack", "block", "zone"));
    Request worker = Request.builder("worker").cpuMilli(96_000).memoryMib(1_048_576)
        .gpu(GpuDemand.whole(8)).build();
    Gang g = Gang.builder("bench").podSet(PodSet.of("workers", worker, pods)
        .withTopology(TopologyConstraint.preferred("rack"))).build();
    return new Scenario(ledger, levels, g);
  }

  /**
   * One gang decision.
   *
   * @return the decision
   */
  @Benchmark
  public GangDecision place() {
    return gangPlacer.place(gang, state, topology);
  }
}

package io.gpualloc.benchmarks.mig;

import io.gpualloc.binpack.internal.MigSlots;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.MigProfile;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import io.gpualloc.core.Request;
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
 * The MIG step alone ({@code MigSlots.pick}, which GPU and start slot one instance gets) on the
 * partly partitioned 8-GPU H100 node of {@link MigSlotBenchmark}, with the GPU capacity read from
 * the precomputed per-model tables ({@code capacity=table}) or computed on each call ({@code
 * capacity=direct}, the former code). Both give the same grants (MigCapacityTableProperties); the
 * ratio direct/table within one run is the speed-up of the tables.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MigCapacityTableBenchmark {
  /** Where the GPU capacity comes from: {@code table} (precomputed) or {@code direct}. */
  @Param({"table", "direct"})
  public String capacity;

  /** The profile requested. */
  @Param({"1g.10gb", "3g.40gb"})
  public String profile;

  private boolean tables;
  private ClusterState state;
  private Request request;

  /** Builds the partly partitioned node. */
  @Setup
  public void setup() {
    GpuModel h100 = GpuModelCatalog.builtIn().get("H100-80GB-SXM");
    state = new ClusterState(Cluster.of(List.of(
        Node.builder("n").cpuMilli(64_000).memoryMib(512_000).gpus(8, h100).build())));
    SplittableRandom r = new SplittableRandom(42);
    int id = 0;
    for (int g = 0; g < 8; g++) {
      for (int tries = 0; tries < 6; tries++) {
        MigProfile p = h100.migProfiles().get(r.nextInt(h100.migProfiles().size()));
        int s = p.startSlots().get(r.nextInt(p.startSlots().size()));
        if (Integer.bitCount(state.gpuMigOccupancy(g)) < 4 && state.canPlaceMig(g, p, s)) {
          state.allocate(Placement.builder("b" + id++, 0).mig(g, p.name(), s).build());
        }
      }
    }
    tables = "table".equals(capacity);
    request = Request.builder("r").gpu(GpuDemand.mig(profile, 1)).build();
  }

  /**
   * One placement.
   *
   * @return the grants
   */
  @Benchmark
  public List<GpuGrant> place() {
    return MigSlots.pick(request, state, 0, Map.of(), tables);
  }
}

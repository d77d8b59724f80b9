package io.gpualloc.benchmarks.mig;

import io.gpualloc.binpack.internal.MigSlots;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.Request;
import java.util.List;
import java.util.Map;
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
    state = MigSlotBenchmark.partlyPartitionedNode();
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

package io.gpualloc.benchmarks.mig;

import io.gpualloc.binpack.GpuPicker;
import io.gpualloc.binpack.GpuPickers;
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
 * One MIG slice placement on an 8-GPU H100 node: which GPU and start slot a MIG request's instance
 * gets. The node is partly partitioned (seeded: about half of each GPU's memory slices hold random
 * instances), so every GPU and many slots are candidates. {@code picker} is {@code first} (the MIG
 * fragmentation measure, the MIG step of every policy) or {@code first-slot} (the lowest free
 * start slot, the old step). The goal is 2 us per placement for {@code first}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MigSlotBenchmark {
  /** The GPU picker: {@code first} (fragmentation-aware MIG step) or {@code first-slot}. */
  @Param({"first", "first-slot"})
  public String picker;

  /** The profile requested. */
  @Param({"1g.10gb", "3g.40gb"})
  public String profile;

  private GpuPicker gpuPicker;
  private ClusterState state;
  private Request request;

  /** Builds the partly partitioned node. */
  @Setup
  public void setup() {
    state = partlyPartitionedNode();
    gpuPicker = GpuPickers.named(picker);
    request = Request.builder("r").gpu(GpuDemand.mig(profile, 1)).build();
  }

  /**
   * The benchmark's node (also used by {@link MigCapacityTableBenchmark}): 8 H100s, each with a
   * seeded mix of MIG instances covering at most half its memory slices.
   *
   * @return a ledger over that one node
   */
  static ClusterState partlyPartitionedNode() {
    GpuModel h100 = GpuModelCatalog.builtIn().get("H100-80GB-SXM");
    ClusterState state = new ClusterState(Cluster.of(List.of(
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
    return state;
  }

  /**
   * One placement.
   *
   * @return the grants
   */
  @Benchmark
  public List<GpuGrant> place() {
    return gpuPicker.pick(request, state, 0);
  }
}

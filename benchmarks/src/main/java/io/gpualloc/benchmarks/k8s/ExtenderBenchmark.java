package io.gpualloc.benchmarks.k8s;

import io.gpualloc.binpack.Policies;
import io.gpualloc.binpack.PolicyConfig;
import io.gpualloc.binpack.extender.Extender;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import io.gpualloc.core.io.k8s.KubeMapping;
import io.gpualloc.core.io.k8s.KubeMapping.GpuSemantics;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
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
 * The extender's filter and prioritize for one HAMi pod (1 GPU, 20,000 MiB, 30 % cores) against
 * every node of the cluster given by name ({@code nodeCacheCapable}), JSON in and out included.
 * Clusters of 8-GPU A100 nodes, about half of the GPUs taken by a seeded mix of whole and shared
 * grants. Per call; use {@code -bm sample} for p50/p99.
 *
 * <p>{@code ledger=unchanged}: the ledger does not change between calls, so the extender reuses
 * its last snapshot (filter and prioritize of one pod meet the same ledger). {@code
 * ledger=changed}: before every call (untimed) a CPU-only pod is allocated and released, which
 * moves the ledger's version as a bind between two pods does, so the call takes a new snapshot
 * and the policy re-reads every node: the cost of the first verb for each new pod.
 * {@code filterThenPrioritize} is one pod's pair.
 *
 * <p>{@code java -jar benchmarks/target/gpualloc-benchmarks.jar ExtenderBenchmark -bm sample}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ExtenderBenchmark {

  /** Cluster size in nodes (8 GPUs each); every node is a candidate. */
  @Param({"1000", "5000"})
  public int nodes;

  /** The policy. */
  @Param({"best-fit", "first-fit"})
  public String policy;

  /** Whether the ledger changes before every call: {@code unchanged} or {@code changed}. */
  @Param({"unchanged", "changed"})
  public String ledger;

  private Extender extender;
  private ClusterState state;
  private String body;
  private Placement churn;

  /** The pod of every request. */
  static final String POD = "{\"metadata\":{\"name\":\"train-0\","
      + "\"namespace\":\"ml\",\"uid\":\"5f0c9a1e-0000-4000-8000-000000000001\"},"
      + "\"spec\":{\"schedulerName\":\"hami-scheduler\",\"containers\":[{\"name\":\"main\","
      + "\"image\":\"trainer:1\",\"resources\":{\"requests\":{\"cpu\":\"4\",\"memory\":\"32Gi\"},"
      + "\"limits\":{\"nvidia.com/gpu\":\"1\",\"nvidia.com/gpumem\":\"20000\","
      + "\"nvidia.com/gpucores\":\"30\"}}}]},\"status\":{\"phase\":\"Pending\"}}";

  /**
   * 8-GPU A100 nodes {@code gpu-0..}, about half of the GPUs taken by a seeded mix of whole and
   * shared grants.
   *
   * @param nodes the node count
   * @return the ledger
   */
  static ClusterState cluster(int nodes) {
    GpuModel a100 = GpuModelCatalog.builtIn().get("A100-SXM4-80GB");
    List<Node> list = new ArrayList<>(nodes);
    for (int i = 0; i < nodes; i++) {
      list.add(Node.builder("gpu-" + i).cpuMilli(128_000).memoryMib(1_048_576)
          .gpus(8, a100, 2).build());
    }
    ClusterState state = new ClusterState(Cluster.of(list));
    SplittableRandom rnd = new SplittableRandom(42);
    for (int n = 0; n < nodes; n++) {
      int whole = rnd.nextInt(4);
      Placement.Builder b = Placement.builder("w" + n, n).cpuMilli(8_000).memoryMib(16_384);
      for (int g = 0; g < whole; g++) {
        b.whole(g);
      }
      b.share(4, 100 + rnd.nextInt(600), 10_000 + rnd.nextInt(40_000));
      state.allocate(b.build());
    }
    return state;
  }

  /**
   * The request body: {@link #POD} and every node by name.
   *
   * @param nodes the node count
   * @return the body
   */
  static String byName(int nodes) {
    StringBuilder sb = new StringBuilder("{\"Pod\":").append(POD)
        .append(",\"Nodes\":null,\"NodeNames\":[");
    for (int i = 0; i < nodes; i++) {
      sb.append(i > 0 ? "," : "").append("\"gpu-").append(i).append('"');
    }
    return sb.append("]}").toString();
  }

  /** Builds the cluster, the extender and the request body. */
  @Setup
  public void setUp() {
    if (!ledger.equals("unchanged") && !ledger.equals("changed")) {
      throw new IllegalArgumentException("ledger is " + ledger + "; allowed: unchanged, changed");
    }
    state = cluster(nodes);
    extender = Extender.of(Policies.named(policy, PolicyConfig.of(1)), state,
        KubeMapping.of(GpuSemantics.HAMI));
    body = byName(nodes);
    churn = Placement.builder("churn", 0).cpuMilli(1).memoryMib(1).build();
  }

  /** With {@code ledger=changed}: allocates and releases a CPU-only pod, untimed. */
  @Setup(Level.Invocation)
  public void moveTheLedger() {
    if (ledger.equals("changed")) {
      state.allocate(churn);
      state.release("churn");
    }
  }

  /**
   * The filter verb.
   *
   * @return the response body
   */
  @Benchmark
  public String filter() {
    return extender.filter(body);
  }

  /**
   * The prioritize verb.
   *
   * @return the response body
   */
  @Benchmark
  public String prioritize() {
    return extender.prioritize(body);
  }

  /**
   * Filter then prioritize for the same pod, as kube-scheduler calls them.
   *
   * @return the sum of the two response lengths
   */
  @Benchmark
  public int filterThenPrioritize() {
    return extender.filter(body).length() + extender.prioritize(body).length();
  }
}

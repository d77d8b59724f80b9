package io.gpualloc.benchmarks.k8s;

import io.gpualloc.binpack.Policies;
import io.gpualloc.binpack.PolicyConfig;
import io.gpualloc.binpack.extender.BindOutcome;
import io.gpualloc.binpack.extender.Extender;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.io.k8s.KubeMapping;
import io.gpualloc.core.io.k8s.KubeMapping.GpuSemantics;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The extender's bind for one HAMi pod (1 GPU, 20,000 MiB, 30 % cores), JSON in and out: look the
 * pod up, re-decide it on the named node, build the HAMi annotations, commit to the ledger. The
 * cluster of {@link ExtenderBenchmark}; before each call (untimed) a filter by one name makes the
 * extender remember the pod, after it (untimed) the allocation is released.
 *
 * <p>{@code java -jar benchmarks/target/gpualloc-benchmarks.jar ExtenderBindBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ExtenderBindBenchmark {

  /** Cluster size in nodes (8 GPUs each). */
  @Param({"1000", "5000"})
  public int nodes;

  private Extender extender;
  private String filterBody;
  private String bindBody;

  /** Builds the cluster and the bodies. */
  @Setup
  public void setUp() {
    ClusterState state = ExtenderBenchmark.cluster(nodes);
    extender = Extender.of(Policies.named("best-fit", PolicyConfig.of(1)), state,
        KubeMapping.of(GpuSemantics.HAMI));
    filterBody = "{\"Pod\":" + ExtenderBenchmark.POD + ",\"Nodes\":null,\"NodeNames\":[\"gpu-7\"]}";
    bindBody = "{\"PodName\":\"train-0\",\"PodNamespace\":\"ml\",\"PodUID\":"
        + "\"5f0c9a1e-0000-4000-8000-000000000001\",\"Node\":\"gpu-7\"}";
  }

  /** Makes the extender remember the pod, as kube-scheduler's filter call does. */
  @Setup(Level.Invocation)
  public void remember() {
    extender.filter(filterBody);
  }

  /** Undoes the bind. */
  @TearDown(Level.Invocation)
  public void release() {
    if (extender.release("ml", "train-0") == null) {
      throw new IllegalStateException("the bind did not commit");
    }
  }

  /**
   * The bind verb, with its annotations.
   *
   * @return the outcome
   */
  @Benchmark
  public BindOutcome bind() {
    return extender.bindOutcome(bindBody);
  }
}

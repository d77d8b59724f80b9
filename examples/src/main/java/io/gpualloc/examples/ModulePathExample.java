package io.gpualloc.examples;

import io.gpualloc.binpack.Policies;
import io.gpualloc.binpack.PolicyConfig;
import io.gpualloc.binpack.TargetWorkload;
import io.gpualloc.binpack.packing.CpSatPacker;
import io.gpualloc.binpack.packing.PackingInstance;
import io.gpualloc.binpack.packing.PackingResult;
import io.gpualloc.binpack.packing.SolverOptions;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.Decision;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.MissingDependencyException;
import io.gpualloc.core.Node;
import io.gpualloc.core.PlacementPolicy;
import io.gpualloc.core.Request;
import java.time.Duration;
import java.util.List;

/**
 * gpualloc on the module path: places three pods with the paper's FGD policy and then asks the
 * exact packer for a tiny packing, which needs OR-Tools. Without OR-Tools on the module path the
 * policy still runs and the packer reports {@link MissingDependencyException} naming the artifact.
 *
 * <p>Run (after {@code mvn -B -q -DskipTests package}; {@code JSPECIFY} is the JSpecify jar):
 *
 * <pre>{@code
 * java --module-path core/target/gpualloc-core-0.1.0-SNAPSHOT.jar:topology/target/gpualloc-topology-0.1.0-SNAPSHOT.jar:binpack/target/gpualloc-binpack-0.1.0-SNAPSHOT.jar:examples/target/gpualloc-examples-0.1.0-SNAPSHOT.jar:$JSPECIFY \
 *     -m io.gpualloc.examples/io.gpualloc.examples.ModulePathExample
 * }</pre>
 */
public final class ModulePathExample {
  private ModulePathExample() {}

  /**
   * Entry point.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    System.out.println("running in " + ModulePathExample.class.getModule()
        + ", policies from " + Policies.class.getModule());
    Cluster cluster = Cluster.of(
        Node.builder("t4-0").cpuMilli(32_000).memoryMib(131_072)
            .gpus(4, GpuModelCatalog.builtIn().get("T4")).build(),
        Node.builder("a100-0").cpuMilli(96_000).memoryMib(1_048_576)
            .gpus(8, GpuModelCatalog.builtIn().get("A100-80GB")).build());
    List<Request> pods = List.of(
        Request.builder("notebook").cpuMilli(4_000).gpu(GpuDemand.shared(1, 300, 0)).build(),
        Request.builder("train").cpuMilli(32_000).gpu(GpuDemand.whole(4)).build(),
        Request.builder("etl").cpuMilli(8_000).build());
    PlacementPolicy fgd = Policies.named("fgd",
        PolicyConfig.of(42).withWorkload(TargetWorkload.fromRequests(pods)));
    ClusterState state = new ClusterState(cluster);
    for (Request pod : pods) {
      Decision d = fgd.place(pod, state);
      if (d instanceof Decision.Placed placed) {
        state.allocate(placed.placement());
        System.out.println(pod.name() + " -> " + cluster.node(placed.placement().nodeId()).name());
      } else {
        System.out.println(pod.name() + " rejected: " + d);
      }
    }
    PackingInstance tiny = PackingInstance.oneDimensional("tiny", 10, 6, 5, 4, 3, 2);
    try {
      PackingResult r = CpSatPacker.solve(tiny,
          SolverOptions.defaults().withTimeLimit(Duration.ofSeconds(5)));
      System.out.println("exact packing: " + r.packing().binCount() + " bins, " + r.status());
    } catch (MissingDependencyException e) {
      System.out.println("exact packing unavailable: " + e.getMessage());
    }
  }
}

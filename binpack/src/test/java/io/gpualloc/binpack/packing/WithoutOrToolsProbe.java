package io.gpualloc.binpack.packing;

import io.gpualloc.binpack.Fragmentation;
import io.gpualloc.binpack.Policies;
import io.gpualloc.binpack.PolicyConfig;
import io.gpualloc.binpack.TargetWorkload;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.Decision;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.MissingDependencyException;
import io.gpualloc.core.Node;
import io.gpualloc.core.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs in a JVM whose class path lacks OR-Tools (see {@link WithoutOrToolsTest}) and prints what
 * happened, one line per check.
 */
public final class WithoutOrToolsProbe {
  private WithoutOrToolsProbe() {}

  /**
   * Prints the lines of {@link #run()}.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    for (String line : run()) {
      System.out.println(line);
    }
  }

  static List<String> run() {
    List<String> out = new ArrayList<>();
    out.add("ortools-visible " + visible("com.google.ortools.Loader"));
    Cluster cluster = Cluster.of(
        Node.builder("a").cpuMilli(32_000).memoryMib(131_072)
            .gpus(4, GpuModelCatalog.builtIn().get("T4")).build(),
        Node.builder("b").cpuMilli(64_000).memoryMib(262_144)
            .gpus(8, GpuModelCatalog.builtIn().get("A100-80GB")).build());
    List<Request> pods = List.of(
        Request.builder("share").cpuMilli(4_000).gpu(GpuDemand.shared(1, 500, 0)).build(),
        Request.builder("whole").cpuMilli(8_000).gpu(GpuDemand.whole(2)).build(),
        Request.builder("cpu").cpuMilli(2_000).build());
    TargetWorkload m = TargetWorkload.fromRequests(pods);
    for (String name : Policies.names()) {
      ClusterState state = new ClusterState(cluster);
      int placed = 0;
      for (Request r : pods) {
        Decision d = Policies.named(name, PolicyConfig.of(7).withWorkload(m)).place(r, state);
        if (d instanceof Decision.Placed p) {
          state.allocate(p.placement());
          placed++;
        }
      }
      out.add("policy " + name + " placed " + placed + " frag " + Fragmentation.cluster(state, m));
    }
    PackingInstance instance = PackingInstance.oneDimensional("tiny", 10, 6, 5, 4, 3, 2);
    out.add("heuristic bins " + BinPackers.best(instance).binCount() + " bound "
        + LowerBounds.of(instance).best());
    SolverOptions options = SolverOptions.defaults().withTimeLimit(Duration.ofSeconds(2));
    out.add(attempt("CpSatPacker.solve", () -> CpSatPacker.solve(instance, options)));
    out.add(attempt("GpuRepacker.repack",
        () -> GpuRepacker.repack(RepackProblem.of(cluster, pods), options)));
    return out;
  }

  private static String attempt(String what, Supplier<Object> call) {
    try {
      return what + " returned " + call.get();
    } catch (MissingDependencyException e) {
      return what + " threw " + e.getClass().getSimpleName() + " feature=" + e.feature()
          + " artifact=" + e.artifact() + " message=" + e.getMessage();
    } catch (Throwable e) {
      return what + " threw " + e;
    }
  }

  private static boolean visible(String className) {
    try {
      Class.forName(className, false, WithoutOrToolsProbe.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}

package io.gpualloc.examples;

import io.gpualloc.binpack.mig.MigGpuState;
import io.gpualloc.binpack.mig.MigOnDemand;
import io.gpualloc.binpack.mig.MigPlan;
import io.gpualloc.binpack.mig.MigPlanProblem;
import io.gpualloc.binpack.mig.MigPlanners;
import io.gpualloc.binpack.mig.MigReconfiguration;
import io.gpualloc.binpack.packing.SolverOptions;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.MigConfigs;
import io.gpualloc.core.MigInstance;
import io.gpualloc.core.MigLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans MIG layouts for a node of 8 H100s: two GPUs are pre-partitioned {@code all-balanced} with
 * a 3g instance in use on one of them, the rest are idle. Against a demand of 1g, 2g, 3g and 7g
 * instances, the greedy and the CP-SAT planners print the layout planned for every GPU and the
 * reconfiguration steps; then the on-demand step answers one more 4g instance.
 *
 * <p>Run: {@code java -cp benchmarks/target/gpualloc-benchmarks.jar
 * io.gpualloc.examples.MigPlanExample [seconds]}.
 */
public final class MigPlanExample {
  private MigPlanExample() {}

  /**
   * Entry point.
   *
   * @param args optional CP-SAT time budget in seconds (default 10)
   */
  public static void main(String[] args) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
    GpuModel h100 = GpuModelCatalog.builtIn().get("NVIDIA H100 80GB HBM3");
    MigLayout balanced = MigConfigs.named(h100, "all-balanced");
    MigInstance busy = balanced.instances().get(3); // 3g.40gb@4 serves a workload
    List<MigGpuState> fleet = new ArrayList<>();
    fleet.add(new MigGpuState("h100-0", balanced, List.of(busy)));
    fleet.add(new MigGpuState("h100-1", balanced, List.of()));
    for (int i = 2; i < 8; i++) {
      fleet.add(MigGpuState.idle("h100-" + i, h100));
    }
    Map<String, Integer> demand = new LinkedHashMap<>();
    demand.put("1g.10gb", 9);
    demand.put("2g.20gb", 4);
    demand.put("3g.40gb", 3);
    demand.put("7g.80gb", 2);
    MigPlanProblem problem = new MigPlanProblem(fleet, demand);
    System.out.println("demand: " + demand);
    SolverOptions options = SolverOptions.defaults()
        .withTimeLimit(Duration.ofMillis((long) (seconds * 1000))).withSeed(1);
    for (String name : MigPlanners.names()) {
      MigPlan plan = MigPlanners.named(name, options).plan(problem);
      System.out.println();
      System.out.println(name + ": " + plan.summary());
      for (int g = 0; g < fleet.size(); g++) {
        System.out.printf("  %-7s %-52s serves %s%n", fleet.get(g).name(),
            plan.targets().get(g), plan.assigned().get(g));
      }
      System.out.println("  steps:");
      for (MigReconfiguration step : plan.steps()) {
        System.out.println("    " + step.name() + ": destroy " + step.destroy() + ", create "
            + step.create());
      }
    }
    System.out.println();
    MigOnDemand more = MigPlanners.onDemand(fleet, "4g.40gb");
    System.out.println("one more 4g.40gb now: " + more.summary());
  }
}

package io.gpualloc.binpack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.Decision;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import io.gpualloc.core.PlacementPolicy;
import io.gpualloc.core.Request;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The hand-computed FGD cases of issue 4 (and notes/fgd.md section 1.6). */
class FgdExamplesTest {
  static final GpuModel T4 = GpuModelCatalog.builtIn().get("T4");
  static final GpuModel V16 = GpuModelCatalog.builtIn().get("V100M16");

  /** A node with these free compute amounts (shares of the rest already allocated, CPU kept). */
  static ClusterState nodes(int[] cpus, GpuModel model, int[]... free) {
    Node[] ns = new Node[cpus.length];
    for (int i = 0; i < cpus.length; i++) {
      ns[i] = Node.builder("n" + i).cpuMilli(cpus[i]).memoryMib(1 << 20)
          .gpus(free[i].length, model).build();
    }
    ClusterState s = new ClusterState(Cluster.of(ns));
    for (int i = 0; i < cpus.length; i++) {
      for (int g = 0; g < free[i].length; g++) {
        if (free[i][g] < 1000) {
          s.allocate(Placement.builder("pre-" + i + "-" + g, i)
              .share(g, 1000 - free[i][g], 0).build());
        }
      }
    }
    return s;
  }

  static TaskClass shared(int cpu, int milli) {
    return TaskClass.of(cpu, GpuDemand.shared(1, milli, 0), 1);
  }

  static Request task(String name, int cpu, GpuDemand gpu) {
    return Request.builder(name).cpuMilli(cpu).gpu(gpu).build();
  }

  static long fAfter(ClusterState s, Placement p, int node, TargetWorkload m) {
    ClusterState f = s.fork();
    f.allocate(p);
    return Fragmentation.node(f, node, m);
  }

  static int gpuOf(Decision d) {
    Decision.Placed p = assertInstanceOf(Decision.Placed.class, d);
    return p.placement().grants().get(0).gpuIndex();
  }

  @Test
  void caseA_gpuChoiceInsideANode() {
    ClusterState s = nodes(new int[] {32000}, T4, new int[] {1000, 1000, 600, 300});
    TargetWorkload m = TargetWorkload.ofProbabilities(
        List.of(shared(4000, 500), TaskClass.of(8000, GpuDemand.whole(1), 1), shared(2000, 250)),
        List.of(.5, .3, .2));
    assertEquals(420, Fragmentation.node(s, 0, m));
    Request t = task("t", 2000, GpuDemand.shared(1, 300, 0));
    assertEquals(630, fAfter(s, Placement.builder("t", 0).cpuMilli(2000).share(0, 300, 0).build(),
        0, m));
    assertEquals(480, fAfter(s, Placement.builder("t", 0).cpuMilli(2000).share(2, 300, 0).build(),
        0, m));
    assertEquals(180, fAfter(s, Placement.builder("t", 0).cpuMilli(2000).share(3, 300, 0).build(),
        0, m));
    PolicyConfig c = PolicyConfig.of(1).withWorkload(m);
    assertEquals(3, gpuOf(Policies.named("fgd-exact", c).place(t, s)));
    Decision sim = Policies.named("fgd", c).place(t, s);
    assertEquals(3, gpuOf(sim));
    assertEquals(55.0, ((Decision.Placed) sim).score());
  }

  @Test
  void caseB_fgdIsNotBestFit() {
    ClusterState s = nodes(new int[] {64000}, T4, new int[] {700, 500});
    TargetWorkload m = TargetWorkload.of(List.of(shared(1000, 500)));
    Request t = task("t", 1000, GpuDemand.shared(1, 200, 0));
    PolicyConfig c = PolicyConfig.of(1).withWorkload(m);
    assertEquals(0, gpuOf(Policies.named("fgd-exact", c).place(t, s)));
    assertEquals(1, gpuOf(Policies.named("best-fit", c).place(t, s)));
  }

  @Test
  void caseC_cpuStrandedNodeIsPreferred() {
    ClusterState s = nodes(new int[] {4000, 64000}, T4, new int[] {1000}, new int[] {1000});
    TargetWorkload m = TargetWorkload.ofProbabilities(
        List.of(TaskClass.of(8000, GpuDemand.whole(1), 1), shared(2000, 500)), List.of(.5, .5));
    assertEquals(500, Fragmentation.node(s, 0, m));
    assertEquals(0, Fragmentation.node(s, 1, m));
    Request t = task("t", 2000, GpuDemand.shared(1, 500, 0));
    assertEquals(250, fAfter(s, Placement.builder("t", 0).cpuMilli(2000).share(0, 500, 0).build(),
        0, m));
    assertEquals(250, fAfter(s, Placement.builder("t", 1).cpuMilli(2000).share(0, 500, 0).build(),
        1, m));
    for (String name : List.of("fgd-exact", "fgd", "fgd-bucketed")) {
      Decision d = Policies.named(name, PolicyConfig.of(7).withWorkload(m)).place(t, s);
      assertEquals(0, ((Decision.Placed) d).placement().nodeId(), name);
    }
  }

  @Test
  void caseD_modelConstraintAndMultiGpuClass() {
    ClusterState s = nodes(new int[] {40000}, T4, new int[] {1000, 1000, 1000, 400});
    TaskClass v100Only = new TaskClass(4000, GpuDemand.shared(1, 500, 0),
        Set.of("V100-16GB", "V100-32GB"), Set.of(), 1);
    TargetWorkload m = TargetWorkload.ofProbabilities(
        List.of(TaskClass.of(8000, GpuDemand.whole(2), 1), v100Only, shared(4000, 300)),
        List.of(.5, .25, .25));
    assertEquals(1050, Fragmentation.node(s, 0, m));
    // a 2-GPU task takes GPUs 0 and 1: Delta 0
    assertEquals(1050, fAfter(s, Placement.builder("w", 0).cpuMilli(8000).whole(0).whole(1)
        .build(), 0, m));
    // a (4000, 1x300) task: GPU3 gives Delta -200, GPUs 0..2 give +275
    assertEquals(850, fAfter(s, Placement.builder("t", 0).cpuMilli(4000).share(3, 300, 0).build(),
        0, m));
    assertEquals(1325, fAfter(s, Placement.builder("t", 0).cpuMilli(4000).share(1, 300, 0).build(),
        0, m));
    Request t = task("t", 4000, GpuDemand.shared(1, 300, 0));
    assertEquals(3,
        gpuOf(Policies.named("fgd-exact", PolicyConfig.of(1).withWorkload(m)).place(t, s)));
  }

  @Test
  void gpuMemoryExtension_memoryShortGpuIsAFragment() {
    // one GPU with compute left but only 1 GiB memory: a class needing 4 GiB cannot use it
    ClusterState s = nodes(new int[] {64000}, T4, new int[] {1000, 1000});
    s.allocate(Placement.builder("mem", 0).share(0, 200, T4.memoryMib() - 1024).build());
    TargetWorkload m = TargetWorkload.of(
        List.of(TaskClass.of(1000, GpuDemand.shared(1, 300, 4096), 1)));
    assertEquals(800, Fragmentation.node(s, 0, m));
    TargetWorkload computeOnly = TargetWorkload.of(List.of(shared(1000, 300)));
    assertEquals(0, Fragmentation.node(s, 0, computeOnly));
  }

  @Test
  void upstreamStyleExample_nonGpuClassCountsAllFreeGpu() {
    ClusterState s = nodes(new int[] {16000}, V16, new int[] {1000, 1000});
    TargetWorkload m = TargetWorkload.ofProbabilities(
        List.of(TaskClass.of(4000, GpuDemand.none(), 1), TaskClass.of(4000, GpuDemand.whole(1), 1)),
        List.of(.2, .8));
    assertEquals(400, Fragmentation.node(s, 0, m));
    assertEquals(0.2, Fragmentation.rate(s, m), 1e-9);
  }

  @Test
  void wholeGpuTaskTakesLowestFreeIndexes() {
    ClusterState s = nodes(new int[] {64000}, T4, new int[] {500, 1000, 1000, 1000});
    TargetWorkload m = TargetWorkload.of(List.of(shared(1000, 500)));
    PlacementPolicy p = Policies.named("fgd-exact", PolicyConfig.of(1).withWorkload(m));
    Decision.Placed d = (Decision.Placed) p.place(task("w", 1000, GpuDemand.whole(2)), s);
    assertEquals(List.of(GpuGrant.whole(1), GpuGrant.whole(2)), d.placement().grants());
    assertTrue(d.breakdown().containsKey("delta-milli-gpu"));
  }
}

package io.gpualloc.binpack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gpualloc.core.ClusterState;
import io.gpualloc.core.Decision;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.Request;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-computed cases of {@code fgd-capacity}, the CPU-bounded fragmentation measure. */
class CapacityAwareFragmentationDescentTest {

  private static int nodeOf(String policy, TargetWorkload m, Request t, ClusterState s) {
    Decision d = Policies.named(policy, PolicyConfig.of(7).withWorkload(m)).place(t, s);
    return ((Decision.Placed) d).placement().nodeId();
  }

  @Test
  void cpuOnlyTaskSparesTheCpuNextToFreeGpus() {
    // node 0: 16 cores, 2 free GPUs; node 1: 24 cores, 2 free GPUs; M = {(8 cores, 1 GPU) 1.0}.
    // A CPU-only task of 8 cores: FGD sees Delta 0 on both (each keeps CPU for one more task)
    // and takes node 0 by id. Bounded by CPU, node 0 drops from 2 servable GPUs to 1
    // (Delta +1000) while node 1 keeps 2 (Delta 0): fgd-capacity takes node 1.
    ClusterState s = FgdExamplesTest.nodes(new int[] {16000, 24000}, FgdExamplesTest.T4,
        new int[] {1000, 1000}, new int[] {1000, 1000});
    TargetWorkload m = TargetWorkload.of(List.of(TaskClass.of(8000, GpuDemand.whole(1), 1)));
    Request t = FgdExamplesTest.task("cpu", 8000, GpuDemand.none());
    assertEquals(0, nodeOf("fgd-exact", m, t, s));
    assertEquals(1, nodeOf("fgd-capacity", m, t, s));
  }

  @Test
  void gpuOnlyTaskUsesTheGpusThatCpuHadStranded() {
    // node 0: 48 cores, 4 free GPUs; node 1: 24 cores, 4 free GPUs. M = {(12 cores, 1 GPU) 1.0}.
    // CPU-bounded F: node 0 serves 4 tasks, F = 0; node 1 serves 2, F = 2000 (2 GPUs stranded).
    // A (0 cores, 1 GPU) task: node 0 -> 3 GPUs, 4 tasks of CPU: F 0, Delta 0; node 1 -> 3 GPUs,
    // 2 tasks of CPU: F 1000, Delta -1000. FGD sees Delta 0 on both and takes node 0 by id.
    ClusterState s = FgdExamplesTest.nodes(new int[] {48000, 24000}, FgdExamplesTest.T4,
        new int[] {1000, 1000, 1000, 1000}, new int[] {1000, 1000, 1000, 1000});
    TargetWorkload m = TargetWorkload.of(List.of(TaskClass.of(12000, GpuDemand.whole(1), 1)));
    assertEquals(0, Fragmentation.node(s, 0, m));
    assertEquals(0, Fragmentation.node(s, 1, m));
    Request t = FgdExamplesTest.task("g", 0, GpuDemand.whole(1));
    assertEquals(0, nodeOf("fgd-exact", m, t, s));
    assertEquals(1, nodeOf("fgd-capacity", m, t, s));
  }

  @Test
  void sameAsFgdWhenCpuIsPlentiful() {
    // notes/fgd.md example E2 (issue 4 case c): node C is CPU-stranded for the whole-GPU class;
    // both measures agree (F_C 500 -> 250, F_D 0 -> 250) and pick C.
    ClusterState s = FgdExamplesTest.nodes(new int[] {4000, 64000}, FgdExamplesTest.T4,
        new int[] {1000}, new int[] {1000});
    TargetWorkload m = TargetWorkload.ofProbabilities(
        List.of(TaskClass.of(8000, GpuDemand.whole(1), 1), FgdExamplesTest.shared(2000, 500)),
        List.of(.5, .5));
    Request t = FgdExamplesTest.task("t", 2000, GpuDemand.shared(1, 500, 0));
    assertEquals(0, nodeOf("fgd-capacity", m, t, s));
  }

  @Test
  void emptyWorkloadSaysWhatToDo() {
    InvalidSpecException e = assertThrows(InvalidSpecException.class,
        () -> Policies.named("fgd-capacity", PolicyConfig.of(1)));
    assertEquals(true, e.getMessage().contains("withWorkload"));
  }
}

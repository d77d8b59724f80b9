package io.gpualloc.binpack.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.binpack.Policies;
import io.gpualloc.binpack.PolicyConfig;
import io.gpualloc.binpack.TargetWorkload;
import io.gpualloc.binpack.TaskClass;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.Decision;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.Node;
import io.gpualloc.core.Request;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The registry: names, creation, errors. */
class RegistryTest {

  @Test
  void everyNameHasAContractTest() throws Exception {
    for (String name : Policies.names()) {
      StringBuilder cls = new StringBuilder();
      for (String part : name.split("-")) {
        cls.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
      Class.forName("io.gpualloc.binpack.contract." + cls + "ContractTest");
    }
  }

  @Test
  void namesAreStableAndCreatePoliciesOfThatName() {
    List<String> names = Policies.names();
    assertEquals(names, Policies.names());
    assertTrue(names.containsAll(List.of("first-fit", "random", "worst-fit", "best-fit",
        "dot-product", "gpu-packing", "gpu-clustering", "fgd", "fgd-exact", "fgd-bucketed",
        "fgd-capacity")));
    for (String n : names) {
      if (!Policies.needsWorkload(n)) {
        assertEquals(n, Policies.named(n, PolicyConfig.of(1)).name());
      }
    }
  }

  @Test
  void aliasesResolveToTheirCanonicalPolicyAndAreNotListed() {
    assertEquals(Map.of("fgd-sim", "fgd"), Policies.aliases());
    PolicyConfig config = PolicyConfig.of(1).withWorkload(TargetWorkload.of(List.of(
        TaskClass.of(1000, GpuDemand.shared(1, 500, 0), 1))));
    for (Map.Entry<String, String> alias : Policies.aliases().entrySet()) {
      assertFalse(Policies.names().contains(alias.getKey()), alias.getKey());
      assertTrue(Policies.names().contains(alias.getValue()), alias.getValue());
      assertEquals(alias.getValue(), Policies.canonicalName(alias.getKey()));
      assertEquals(alias.getValue(), Policies.named(alias.getKey(), config).name());
    }
    for (String n : Policies.names()) {
      assertEquals(n, Policies.canonicalName(n));
    }
  }

  @Test
  void fgdIsThePapersQuantisedScoreAndFgdExactTheArgmin() {
    // One free T4, target workload one class of 500 milli: placing 600 milli leaves 400 milli
    // that no task of the class fits, so Delta = 400 milli-GPU. The paper's score is
    // int(100 sigmoid(-Delta/1000)) = int(100 / (1 + e^0.4)) = 40; the exact variant's is -Delta.
    PolicyConfig config = PolicyConfig.of(1).withWorkload(TargetWorkload.of(List.of(
        TaskClass.of(1000, GpuDemand.shared(1, 500, 0), 1))));
    Request r = Request.builder("r").cpuMilli(1000).gpu(GpuDemand.shared(1, 600, 0)).build();
    ClusterState s = new ClusterState(Cluster.of(Node.builder("n").cpuMilli(8000)
        .memoryMib(8192).gpus(1, GpuModelCatalog.builtIn().get("T4")).build()));
    assertEquals(40.0, assertInstanceOf(Decision.Placed.class,
        Policies.named("fgd", config).place(r, s)).score());
    assertEquals(-400.0, assertInstanceOf(Decision.Placed.class,
        Policies.named("fgd-exact", config).place(r, s)).score());
  }

  @Test
  void unknownNameListsTheKnownOnes() {
    InvalidSpecException e = assertThrows(InvalidSpecException.class,
        () -> Policies.named("tetris", PolicyConfig.of(1)));
    assertTrue(e.getMessage().contains("'tetris'"), e.getMessage());
    assertTrue(e.getMessage().contains("best-fit, dot-product"), e.getMessage());
    assertTrue(e.getMessage().contains("aliases: fgd-sim = fgd"), e.getMessage());
    assertThrows(InvalidSpecException.class, () -> Policies.canonicalName("tetris"));
    assertThrows(InvalidSpecException.class, () -> Policies.canonicalName(null));
  }

  @Test
  void fgdWithoutWorkloadSaysWhatToDo() {
    InvalidSpecException e = assertThrows(InvalidSpecException.class,
        () -> Policies.named("fgd", PolicyConfig.of(1)));
    assertTrue(e.getMessage().contains("TargetWorkload.fromRequests"), e.getMessage());
  }
}

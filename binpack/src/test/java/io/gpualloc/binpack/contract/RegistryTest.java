package io.gpualloc.binpack.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.binpack.Policies;
import io.gpualloc.binpack.PolicyConfig;
import io.gpualloc.core.InvalidSpecException;
import java.util.List;
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
        "dot-product", "gpu-packing", "gpu-clustering", "fgd", "fgd-sim")));
    for (String n : names) {
      if (!Policies.needsWorkload(n)) {
        assertEquals(n, Policies.named(n, PolicyConfig.of(1)).name());
      }
    }
  }

  @Test
  void unknownNameListsTheKnownOnes() {
    InvalidSpecException e = assertThrows(InvalidSpecException.class,
        () -> Policies.named("tetris", PolicyConfig.of(1)));
    assertTrue(e.getMessage().contains("'tetris'"), e.getMessage());
    assertTrue(e.getMessage().contains("best-fit, dot-product"), e.getMessage());
  }

  @Test
  void fgdWithoutWorkloadSaysWhatToDo() {
    InvalidSpecException e = assertThrows(InvalidSpecException.class,
        () -> Policies.named("fgd", PolicyConfig.of(1)));
    assertTrue(e.getMessage().contains("TargetWorkload.fromRequests"), e.getMessage());
  }
}

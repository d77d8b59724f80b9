package io.gpualloc.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gpualloc.core.InvalidSpecException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The builder's NIC name check (a hash set since issue 10, formerly a quadratic scan). */
class NodeInterconnectNicsTest {
  @Test
  void manyNicsBuildAndDuplicatesAreRejected() {
    NodeInterconnect.Builder b = NodeInterconnect.builder("n", 1);
    for (int i = 0; i < 50_000; i++) {
      b.nic(new Nic("nic" + i, -1, List.of(LinkClass.SYS)));
    }
    assertThrows(InvalidSpecException.class,
        () -> b.nic(new Nic("nic17", -1, List.of(LinkClass.SYS))));
    NodeInterconnect ic = b.build();
    assertEquals(50_000, ic.nics().size());
    assertEquals(50_000, ic.toBuilder().build().nics().size());
  }
}

package io.gpualloc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Query and builder inputs outside the ledger's mutations get typed errors too. */
class QueryInputTest {

  @Test
  void rejectionBuilderNamesABadNodeIdOrReason() {
    Decision.Rejected.Builder b = Decision.Rejected.builder("pod-1", 3);
    InvalidSpecException e = assertThrows(InvalidSpecException.class,
        () -> b.reject(3, RejectReason.INSUFFICIENT_CPU));
    assertTrue(e.getMessage().contains("nodeId of rejection of pod-1 is 3; allowed: 0..2"),
        e.getMessage());
    assertThrows(InvalidSpecException.class, () -> b.reject(0, (RejectReason) null));
    assertEquals(3, b.build("").nodeCount());
  }

  @Test
  void migQueryWithoutAProfileIsATypedError() {
    GpuModel a100 = GpuModelCatalog.builtIn().get("A100-80GB");
    ClusterState state = new ClusterState(Cluster.of(Node.builder("n").gpus(1, a100).build()));
    assertThrows(InvalidSpecException.class, () -> state.canPlaceMig(0, null, 0));
    assertThrows(InvalidSpecException.class, () -> state.snapshot().canPlaceMig(0, null, 0));
    assertTrue(state.canPlaceMig(0, a100.migProfile("3g.40gb"), 4));
  }
}

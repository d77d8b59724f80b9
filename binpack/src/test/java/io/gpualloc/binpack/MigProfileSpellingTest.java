package io.gpualloc.binpack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import io.gpualloc.core.RejectReason;
import io.gpualloc.core.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Policies resolve a MIG profile name the way the ledger does ({@link GpuModel#migProfile}): a
 * spelling the ledger accepts is placed, and the grant carries the canonical name.
 */
class MigProfileSpellingTest {
  private static final GpuModelCatalog CATALOG = GpuModelCatalog.builtIn();

  static List<PlacementPolicy> policies() {
    List<PlacementPolicy> out = new ArrayList<>();
    for (String name : List.of("first-fit", "best-fit", "mig-fragmentation")) {
      out.add(Policies.named(name, PolicyConfig.of(1)));
    }
    out.add(PolicyComposer.compose("old", Map.of(), "first-slot", PolicyConfig.of(1)));
    return out;
  }

  static ClusterState cluster(GpuModel model, int gpus) {
    return new ClusterState(Cluster.of(List.of(
        Node.builder("n").cpuMilli(8000).memoryMib(8192).gpus(gpus, model).build())));
  }

  private static void placesAs(String modelName, String spelling, String canonical) {
    GpuModel model = CATALOG.get(modelName);
    assertEquals(canonical, model.migProfile(spelling).name(), "the ledger's resolution");
    for (PlacementPolicy p : policies()) {
      ClusterState s = cluster(model, 1);
      Request r = Request.builder("r").gpu(GpuDemand.mig(spelling, 1)).build();
      Decision d = p.place(r, s);
      assertTrue(d instanceof Decision.Placed, () -> p.name() + " " + spelling + ": " + d);
      Placement placement = ((Decision.Placed) d).placement();
      for (GpuGrant g : placement.grants()) {
        assertEquals(canonical, ((GpuGrant.Mig) g).profile(), p.name());
      }
      s.allocate(placement); // the ledger takes what the policy chose
    }
  }

  @Test
  void gb200DriverSpellingOfProfileNineteen() {
    placesAs("GB200-186GB", "1g.24gb", "1g.23gb");
  }

  @Test
  void nvidiaSmiListPrefix() {
    placesAs("H100-80GB-SXM", "MIG 1g.10gb", "1g.10gb");
  }

  @Test
  void kubernetesResourceName() {
    placesAs("H100-80GB-SXM", "nvidia.com/mig-1g.10gb", "1g.10gb");
  }

  @Test
  void operatorMediaExtensionSpellingAndCase() {
    placesAs("H100-80GB-SXM", "1g.10gb.me", "1g.10gb+me");
    placesAs("H100-80GB-SXM", "3G.40GB", "3g.40gb");
  }

  @Test
  void aNameNoSpellingReachesIsStillNotOffered() {
    GpuModel h100 = CATALOG.get("H100-80GB-SXM");
    assertTrue(h100.findMigProfile("1g.11gb").isEmpty());
    for (PlacementPolicy p : policies()) {
      Decision d = p.place(
          Request.builder("r").gpu(GpuDemand.mig("1g.11gb", 1)).build(), cluster(h100, 1));
      assertFalse(d.isPlaced(), p.name());
      assertEquals(RejectReason.MIG_PROFILE_NOT_OFFERED, ((Decision.Rejected) d).reasonFor(0),
          p.name());
    }
  }
}

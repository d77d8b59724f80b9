package io.gpualloc.binpack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gpualloc.core.ClusterState;
import io.gpualloc.core.Decision;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.MigProfile;
import io.gpualloc.core.PlacementPolicy;
import io.gpualloc.core.Request;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Whatever spelling of a profile the ledger accepts, every policy decides exactly as it does for
 * the canonical name, on a GPU already carrying instances.
 */
class MigProfileSpellingProperties {
  private static final GpuModel H100 = GpuModelCatalog.builtIn().get("H100-80GB-SXM");

  private static String spell(String canonical, int how) {
    String s = (how & 1) != 0 ? canonical.toUpperCase(java.util.Locale.ROOT) : canonical;
    s = (how & 2) != 0 ? s.replace("+me", ".me").replace("+ME", ".ME") : s;
    switch ((how >> 2) % 3) {
      case 1:
        return "MIG " + s;
      case 2:
        return "nvidia.com/mig-" + s;
      default:
        return s;
    }
  }

  @Property(tries = 100)
  void anAcceptedSpellingDecidesLikeTheCanonicalName(
      @ForAll @IntRange(min = 0, max = 6) int profileIndex,
      @ForAll @IntRange(min = 0, max = 11) int how,
      @ForAll @IntRange(min = 0, max = 7) int taken,
      @ForAll @IntRange(min = 1, max = 2) int count) {
    List<MigProfile> profiles = H100.migProfiles();
    MigProfile p = profiles.get(profileIndex % profiles.size());
    String spelling = spell(p.name(), how);
    assertEquals(p, H100.migProfile(spelling), "the ledger accepts " + spelling);
    for (PlacementPolicy policy : MigProfileSpellingTest.policies()) {
      ClusterState a = MigProfileSpellingTest.cluster(H100, 2);
      ClusterState b = MigProfileSpellingTest.cluster(H100, 2);
      if (taken < 7) {
        // one 1g instance at slot taken of GPU 0 (7: none), the same in both states
        io.gpualloc.core.Placement pp = io.gpualloc.core.Placement.builder("pre", 0)
            .mig(0, "1g.10gb", taken).build();
        a.allocate(pp);
        b.allocate(pp);
      }
      Decision canonical = policy.place(
          Request.builder("r").gpu(GpuDemand.mig(p.name(), count)).build(), a);
      Decision spelled = policy.place(
          Request.builder("r").gpu(GpuDemand.mig(spelling, count)).build(), b);
      assertEquals(canonical.isPlaced(), spelled.isPlaced(), policy.name() + " " + spelling);
      if (canonical.isPlaced()) {
        assertEquals(((Decision.Placed) canonical).placement(),
            ((Decision.Placed) spelled).placement(), policy.name() + " " + spelling);
      }
    }
  }
}

package io.gpualloc.binpack.gang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.gpualloc.core.ClusterState;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.Request;
import io.gpualloc.topology.ClusterTopology;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Bad input to the gang model and placers is a typed error naming the field (thrown on
 * construction or by {@code place}, with the ledger unchanged) or, for a template no node could
 * ever hold, an explained rejection; never an exception of another kind.
 */
class GangBadInputProperties {
  /** Level names the test topology (hostname, rack, block) does not have. */
  private static final String[] UNKNOWN = {"spine", "zone", "Rack", "rack ", "host"};

  @Property(tries = 200)
  void badGangsAreTypedErrorsOrExplainedRejections(@ForAll long seed,
      @ForAll @IntRange(min = 0, max = 9) int fault) {
    Random r = new Random(seed);
    ClusterState state = new ClusterState(GangClusters.cluster(1, 2, 2, 8));
    ClusterTopology topology = ClusterTopology.of(state.cluster(), GangClusters.LEVELS);
    long before = state.version();
    for (String name : GangPlacers.names()) {
      GangPlacer placer = GangPlacers.named(name, GangOptions.defaults());
      try {
        Gang g = build(fault, r);
        GangDecision d = placer.placeAndCommit(g, state, topology);
        // the only faults that may get this far: a template no node holds
        GangDecision.Rejected rej = (GangDecision.Rejected) d;
        assertEquals(GangRejectReason.TEMPLATE_NEVER_FITS, rej.reason(), rej.toString());
        assertTrue(rej.message().contains("no node could ever hold"), rej.message());
      } catch (InvalidSpecException e) {
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
      } catch (RuntimeException e) {
        fail("fault " + fault + " threw " + e, e);
      }
      assertEquals(before, state.version());
    }
  }

  private static Gang build(int fault, Random r) {
    Request ok = Request.builder("t").cpuMilli(1000).gpu(GpuDemand.whole(1 + r.nextInt(2)))
        .build();
    String level = UNKNOWN[r.nextInt(UNKNOWN.length)];
    return switch (fault) {
      case 0 -> Gang.builder("g").podSet(PodSet.of("w", ok, -r.nextInt(3))).build();
      case 1 -> Gang.builder("g").podSet(new PodSet("w", ok, 2, 3 + r.nextInt(3), null, null))
          .build();
      case 2 -> Gang.builder("g").podSet(PodSet.of("w", ok, 2)
          .withTopology(new TopologyConstraint(level, TopologyMode.REQUIRED))).build();
      case 3 -> Gang.builder("g").podSet(PodSet.of("w", ok, 4)
          .withTopology(TopologyConstraint.required("rack"))
          .withSlices(new Slices(2, r.nextBoolean() ? "rack" : "block"))).build();
      case 4 -> Gang.builder("g").podSet(PodSet.of("w", ok, 3)
          .withSlices(new Slices(2, "hostname"))).build();
      case 5 -> Gang.builder("g").podSet(PodSet.of("w", ok, 1)).coLocate("w", "w", "rack")
          .build();
      case 6 -> new Gang(r.nextBoolean() ? "" : "a/b", 0, List.of(PodSet.of("w", ok, 1)), null,
          List.of());
      case 7 -> Gang.builder("g").podSet(PodSet.of("w", Request.builder("t")
          .gpu(GpuDemand.whole(9 + r.nextInt(8))).build(), 1)).build();
      case 8 -> Gang.builder("g").podSet(PodSet.of("w", Request.builder("t")
          .cpuMilli(64_001 + r.nextInt(1000)).build(), 1)).build();
      default -> Gang.builder("g").topology(new TopologyConstraint(level, TopologyMode.PREFERRED))
          .podSet(PodSet.of("w", ok, 1)).build();
    };
  }
}

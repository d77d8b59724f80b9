package io.gpualloc.binpack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gpualloc.binpack.internal.MigSlots;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.MigProfile;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import io.gpualloc.core.Request;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The MIG step with precomputed capacity tables decides exactly as the straightforward computation
 * does: same grants, same loss, on random occupancies of a node of 8 GPUs, for the uniform mix and
 * a weighted one.
 */
class MigCapacityTableProperties {
  private static final List<String> MODELS = List.of("H100-80GB-SXM", "A100-40GB-SXM4", "A30-24GB");

  @Property(tries = 150)
  void tablesDecideLikeTheDirectComputation(@ForAll long seed,
      @ForAll @IntRange(min = 0, max = 2) int modelIndex,
      @ForAll @IntRange(min = 0, max = 40) int instances,
      @ForAll @IntRange(min = 1, max = 3) int count,
      @ForAll boolean weighted) {
    GpuModelCatalog catalog = GpuModelCatalog.builtIn();
    GpuModel model = catalog.get(MODELS.get(modelIndex));
    ClusterState s = new ClusterState(Cluster.of(List.of(
        Node.builder("n").cpuMilli(64_000).memoryMib(512_000).gpus(8, model).build())));
    SplittableRandom rnd = new SplittableRandom(seed);
    List<MigProfile> profiles = model.migProfiles();
    for (int k = 0; k < instances; k++) {
      MigProfile p = profiles.get(rnd.nextInt(profiles.size()));
      int g = rnd.nextInt(8);
      int slot = p.startSlots().get(rnd.nextInt(p.startSlots().size()));
      if (s.canPlaceMig(g, p, slot)) {
        s.allocate(Placement.builder("b" + k, 0).mig(g, p.name(), slot).build());
      }
    }
    Map<String, Double> mix = Map.of();
    if (weighted) {
      mix = Map.of(profiles.get(0).name(), 3.0, profiles.get(profiles.size() - 1).name(), 0.5,
          profiles.get(profiles.size() / 2).name(), 1.25);
    }
    MigProfile want = profiles.get(rnd.nextInt(profiles.size()));
    Request r = Request.builder("r").gpu(GpuDemand.mig(want.name(), count)).build();
    List<GpuGrant> direct = MigSlots.pick(r, s, 0, mix, false);
    List<GpuGrant> table = MigSlots.pick(r, s, 0, mix, true);
    assertEquals(direct, table, model.name() + " " + want.name() + " x" + count);
    assertEquals(MigSlots.loss(r, s, 0, mix, false), MigSlots.loss(r, s, 0, mix, true),
        "loss on " + model.name());
  }
}

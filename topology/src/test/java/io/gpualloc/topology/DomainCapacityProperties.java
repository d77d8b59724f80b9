package io.gpualloc.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.GpuMode;
import io.gpualloc.core.Placement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Incremental domain capacity always equals a recount from scratch. */
class DomainCapacityProperties {

  @Property(tries = 30)
  void incrementalEqualsRecount(@ForAll long seed) {
    Random rnd = new Random(seed);
    Cluster c = ClusterTopologyTest.cluster();
    ClusterTopology t = ClusterTopology.of(c, ClusterTopologyTest.LEVELS);
    ClusterState state = new ClusterState(c);
    DomainCapacity cap = new DomainCapacity(t);
    List<String> live = new ArrayList<>();
    for (int step = 0; step < 60; step++) {
      if (!live.isEmpty() && rnd.nextInt(3) == 0) {
        state.release(live.remove(rnd.nextInt(live.size())));
      } else {
        int node = rnd.nextInt(c.nodeCount());
        int gpus = c.node(node).gpuCount();
        int g = rnd.nextInt(gpus);
        int id = c.gpuId(node, g);
        Placement.Builder b = Placement.builder("p" + step, node);
        if (state.gpuMode(id) == GpuMode.FREE && rnd.nextBoolean()) {
          b.whole(g);
        } else if (state.canShare(id, 100, 512)) {
          b.share(g, 100, 512);
        } else {
          continue;
        }
        state.allocate(b.build());
        live.add("p" + step);
      }
      if (rnd.nextInt(4) == 0) {
        cap.refresh(state);
        DomainCapacity fresh = new DomainCapacity(t);
        fresh.refresh(state.snapshot());
        for (int l = 0; l < t.levels().size(); l++) {
          for (int d = 0; d < t.domainCount(l); d++) {
            assertEquals(fresh.freeWholeGpus(l, d), cap.freeWholeGpus(l, d));
            assertEquals(fresh.freeComputeMilli(l, d), cap.freeComputeMilli(l, d));
          }
        }
      }
    }
  }
}

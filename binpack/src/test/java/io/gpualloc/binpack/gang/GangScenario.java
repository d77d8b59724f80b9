package io.gpualloc.binpack.gang;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import io.gpualloc.core.Request;
import io.gpualloc.topology.ClusterTopology;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded small gang scenario: a labelled cluster of at most 8 nodes (hostname/rack/block), some
 * GPUs and CPU already taken, maybe a cordoned node, and a gang of whole-GPU or CPU-only pod sets
 * with random constraints, slices, minimums and co-location.
 */
final class GangScenario {
  final long seed;
  final Cluster cluster;
  final ClusterState state;
  final ClusterTopology topology;
  final Gang gang;

  private static final String[] LEVEL = {"hostname", "rack", "block"};

  GangScenario(long seed, int maxPodSets) {
    this.seed = seed;
    Random r = new Random(seed);
    int blocks = 1 + r.nextInt(2);
    List<Node> nodes = new ArrayList<>();
    for (int b = 0; b < blocks; b++) {
      int racks = 1 + r.nextInt(2);
      for (int k = 0; k < racks; k++) {
        int count = 1 + r.nextInt(2);
        for (int n = 0; n < count; n++) {
          String name = "b" + b + "r" + k + "n" + n;
          Node.Builder nb = Node.builder(name).cpuMilli(2000 + 1000 * r.nextInt(5))
              .memoryMib(64 * 1024).gpus(r.nextBoolean() ? 4 : 2, GangClusters.H100);
          nb.label("block", "b" + b);
          if (r.nextInt(10) > 0) { // now and then a node without rack and host labels
            nb.label("rack", "r" + k).label("hostname", name);
          }
          nodes.add(nb.build());
        }
      }
    }
    cluster = Cluster.of(nodes);
    state = new ClusterState(cluster);
    for (int v = 0; v < cluster.nodeIdBound(); v++) {
      int taken = r.nextInt(cluster.node(v).gpuCount() + 1) / (r.nextBoolean() ? 1 : 2);
      if (taken > 0 || r.nextInt(4) == 0) {
        Placement.Builder pb = Placement.builder("pre" + v, v).cpuMilli(500 * r.nextInt(3));
        for (int g = 0; g < taken; g++) {
          pb.whole(g);
        }
        state.allocate(pb.build());
      }
    }
    if (r.nextInt(8) == 0) {
      state.cordon(cluster.node(r.nextInt(cluster.nodeIdBound())).name());
    }
    topology = ClusterTopology.of(cluster, GangClusters.LEVELS);
    int sets = 1 + r.nextInt(maxPodSets);
    Gang.Builder gb = Gang.builder("g" + seed);
    List<String> names = new ArrayList<>();
    int[] ownLevel = new int[sets];
    for (int i = 0; i < sets; i++) {
      int gpus = r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(2);
      Request.Builder t = Request.builder("t").cpuMilli(500 * (1 + r.nextInt(3)));
      if (gpus > 0) {
        t.gpu(GpuDemand.whole(gpus));
      }
      int k = r.nextInt(3) == 0 ? 2 : 1;
      int count = k * (1 + r.nextInt(k == 2 ? 2 : 4));
      int min = k * (1 + r.nextInt(count / k));
      TopologyConstraint c = null;
      ownLevel[i] = -1;
      if (r.nextBoolean()) {
        int l = r.nextInt(3);
        ownLevel[i] = l;
        c = r.nextBoolean() ? TopologyConstraint.required(LEVEL[l])
            : TopologyConstraint.preferred(LEVEL[l]);
      }
      Slices s = null;
      if (k == 2) {
        int top = ownLevel[i] < 0 ? 3 : ownLevel[i];
        if (top > 0) {
          s = new Slices(2, LEVEL[r.nextInt(top)]);
        }
      }
      String name = "s" + i;
      names.add(name);
      gb.podSet(new PodSet(name, t.build(), count, min, c, s));
    }
    if (r.nextInt(3) == 0) {
      int l = 1 + r.nextInt(2);
      gb.topology(r.nextBoolean() ? TopologyConstraint.required(LEVEL[l])
          : TopologyConstraint.preferred(LEVEL[l]));
    }
    if (sets == 2 && r.nextInt(3) == 0) {
      gb.coLocate(names.get(0), names.get(1), LEVEL[r.nextInt(3)]);
    }
    gang = gb.build();
  }

  @Override
  public String toString() {
    return "seed " + seed + ": " + gang;
  }
}

package io.gpualloc.core.testing;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.Gpu;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.Gpu;
import io.gpualloc.core.MigInstance;
import io.gpualloc.core.MigLayout;
import io.gpualloc.core.MigLayouts;
import io.gpualloc.core.MigProfile;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generators of clusters, placements and ledger operations driven by a seeded {@link Random}: the
 * same seed gives the same values. {@link LedgerArbitraries} wraps them for jqwik; simulations and
 * stress tests call them directly.
 *
 * <p>Placements are tuned so that on the clusters drawn here most are feasible on a lightly used
 * ledger and many collide once it fills up; a few percent break a shape rule (node or GPU index out
 * of range, MIG start slot not in the profile's table, a profile the GPU lacks, a share above the
 * GPU's memory, an id already held).
 */
public final class LedgerGen {
  /** The models clusters are drawn from: MIG-capable and not. */
  public static final List<GpuModel> MODELS;

  /** Allocation ids are drawn from {@code p0 .. p<ID_POOL-1>}, so ids get reused and collide. */
  public static final int ID_POOL = 64;

  static {
    GpuModelCatalog c = GpuModelCatalog.builtIn();
    MODELS = List.of(
        c.get("A100-80GB"), c.get("A30"), c.get("H100-80GB-SXM"), c.get("H100-94GB-NVL"),
        c.get("T4"), c.get("V100-16GB"));
  }

  private LedgerGen() {}

  /** A random node named {@code name}: 0-8 GPUs of one model (sometimes two), CPU, memory, labels. */
  public static Node node(Random r, String name) {
    Node.Builder b = Node.builder(name)
        .cpuMilli(r.nextInt(9) * 8000)
        .memoryMib(r.nextInt(9) * 32768)
        .label("zone", "z" + r.nextInt(3));
    if (r.nextBoolean()) {
      b.label("pool", r.nextBoolean() ? "train" : "serve");
    }
    int gpus = r.nextInt(9);
    GpuModel first = MODELS.get(r.nextInt(MODELS.size()));
    GpuModel second = r.nextInt(5) == 0 ? MODELS.get(r.nextInt(MODELS.size())) : first;
    for (int i = 0; i < gpus; i++) {
      GpuModel model = i < (gpus + 1) / 2 ? first : second;
      int numa = i * 2 / Math.max(1, gpus);
      if (model.supportsMig() && r.nextInt(3) == 0) {
        // pre-partitioned: a random layout of the model, usually a full one
        List<MigLayout> layouts = r.nextInt(4) == 0 ? MigLayouts.all(model)
            : MigLayouts.maximal(model);
        b.gpu(new Gpu(i, "GPU-" + name + "-" + i, model, numa,
            layouts.get(r.nextInt(layouts.size()))));
      } else {
        b.gpu(model, numa);
      }
    }
    return withShareCaps(b.build(), r);
  }

  /**
   * The node, in about a third of the draws with a share cap (HAMi's split count) of 1 to 4 on each
   * GPU, small enough to bind before compute and memory do.
   */
  public static Node withShareCaps(Node node, Random r) {
    if (node.gpuCount() == 0 || r.nextInt(3) != 0) {
      return node;
    }
    List<Gpu> gpus = new ArrayList<>();
    for (Gpu g : node.gpus()) {
      gpus.add(g.withMaxShares(1 + r.nextInt(4)));
    }
    return new Node(node.name(), node.labels(), node.cpuMilli(), node.memoryMib(), gpus);
  }

  /** A random cluster of 1 to {@code maxNodes} nodes named {@code n0, n1, ...}. */
  public static Cluster cluster(Random r, int maxNodes) {
    int n = 1 + r.nextInt(maxNodes);
    List<Node> nodes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      nodes.add(node(r, "n" + i));
    }
    return Cluster.of(nodes);
  }

  /** An allocation id from the shared pool. */
  public static String id(Random r) {
    return "p" + r.nextInt(ID_POOL);
  }

  /** A random placement on {@code cluster} under {@code id}; see the class comment for the mix. */
  public static Placement placement(Cluster cluster, Random r, String id) {
    int bound = cluster.nodeIdBound();
    int nodeId = bound == 0 || r.nextInt(100) == 0 ? bound : r.nextInt(bound);
    if (!cluster.isLive(nodeId) && cluster.nodeCount() > 0 && r.nextInt(4) != 0) {
      nodeId = cluster.nodeIds()[r.nextInt(cluster.nodeCount())]; // mostly members
    }
    // a removed or never-issued id: shaped like some member (or CPU-only when there is none)
    Node node = cluster.isLive(nodeId) ? cluster.node(nodeId)
        : cluster.nodeCount() > 0 ? cluster.nodes().get(0)
        : Node.builder("none").cpuMilli(8000).memoryMib(8192).build();
    Placement.Builder b = Placement.builder(id, nodeId)
        .cpuMilli(amount(r, node.cpuMilli()))
        .memoryMib(amount(r, node.memoryMib()));
    int gpus = node.gpuCount();
    if (gpus == 0) {
      if (r.nextInt(30) == 0) {
        b.whole(0); // a GPU the node does not have
      }
      return b.build();
    }
    int grants = r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(Math.min(3, gpus));
    boolean[] used = new boolean[gpus + 1];
    int lastMigGpu = -1;
    for (int k = 0; k < grants; k++) {
      int gpu = r.nextInt(100) == 0 ? gpus : r.nextInt(gpus);
      GpuModel model = node.gpu(Math.min(gpu, gpus - 1)).model();
      int kind = r.nextInt(10);
      boolean staticGpu = node.gpu(Math.min(gpu, gpus - 1)).isStaticMig();
      if (model.supportsMig() ? kind < (staticGpu ? 9 : 4) : kind == 0) {
        if (lastMigGpu >= 0 && r.nextInt(3) == 0) {
          gpu = lastMigGpu; // several instances on one GPU in one placement
          model = node.gpu(gpu).model();
        } else if (used[gpu]) {
          continue;
        }
        used[gpu] = true;
        lastMigGpu = gpu < gpus ? gpu : -1;
        b.grant(mig(node.gpu(Math.min(gpu, gpus - 1)), r, gpu));
      } else {
        if (used[gpu]) {
          continue;
        }
        used[gpu] = true;
        if (kind < 7) {
          b.grant(share(model, r, gpu));
        } else {
          b.whole(gpu);
        }
      }
    }
    return b.build();
  }

  private static int amount(Random r, int capacity) {
    int roll = r.nextInt(10);
    if (roll < 3 || capacity == 0) {
      return roll == 0 && capacity == 0 ? 1 + r.nextInt(1000) : 0;
    }
    return roll == 9 ? r.nextInt(capacity + 1) : r.nextInt(capacity / 6 + 1);
  }

  private static GpuGrant share(GpuModel model, Random r, int gpu) {
    int compute = r.nextInt(5) == 0 ? 0 : 50 * (1 + r.nextInt(r.nextBoolean() ? 6 : 20));
    int mem = r.nextInt(5) == 0 && compute > 0 ? 0 : 1 + r.nextInt(model.memoryMib() / 3);
    if (r.nextInt(100) == 0) {
      mem = model.memoryMib() + 1 + r.nextInt(1024); // above the GPU's memory: a shape error
    }
    return GpuGrant.share(gpu, compute, mem);
  }

  private static GpuGrant mig(Gpu device, Random r, int gpu) {
    GpuModel model = device.model();
    MigLayout fixed = device.fixedMigLayout();
    if (fixed != null && !fixed.isEmpty() && r.nextInt(5) != 0) {
      MigInstance x = fixed.instances().get(r.nextInt(fixed.size())); // mostly its own instances
      return GpuGrant.mig(gpu, x.profile().name(), x.start());
    }
    if (!model.supportsMig() || r.nextInt(60) == 0) {
      return GpuGrant.mig(gpu, r.nextBoolean() ? "3g.40gb" : "9g.999gb", 0);
    }
    List<MigProfile> table = model.migProfiles();
    // small profiles more often, so several instances share a GPU
    MigProfile p = table.get(Math.min(r.nextInt(table.size()), r.nextInt(table.size())));
    int start = r.nextInt(12) == 0
        ? r.nextInt(model.migMemorySlices())
        : p.startSlots().get(r.nextInt(p.startSlots().size()));
    return GpuGrant.mig(gpu, p.name(), start);
  }

  /** Node names for added nodes: the initial ones ({@code n0..n4}) and a few new ones. */
  private static final int NAME_POOL = 8;

  /** A random membership operation, valid or not (see {@link LedgerOp}). */
  public static LedgerOp membershipOp(Random r) {
    int roll = r.nextInt(100);
    if (roll < 25) {
      Node n = node(r, "n" + r.nextInt(NAME_POOL));
      return new LedgerOp.AddNode(n, r.nextInt(8) == 0 ? r.nextInt(1 << 16) : -1);
    } else if (roll < 35) {
      return new LedgerOp.RemoveNode(r.nextInt(1 << 16), r.nextInt(5) == 0);
    } else if (roll < 60) {
      return new LedgerOp.Cordon(r.nextInt(1 << 16), r.nextInt(3) == 0);
    } else if (roll < 80) {
      java.util.Map<String, String> labels = new java.util.HashMap<>();
      labels.put("zone", "z" + r.nextInt(3));
      if (r.nextBoolean()) {
        labels.put("pool", r.nextBoolean() ? "train" : "serve");
      }
      if (r.nextInt(10) == 0) {
        labels.put(" ", "blank key");
      }
      return new LedgerOp.Relabel(r.nextInt(1 << 16), labels);
    } else {
      return new LedgerOp.GpuHealth(r.nextInt(1 << 16), r.nextInt(1 << 16), r.nextInt(3) == 0);
    }
  }

  /** A random ledger operation; {@code forkDepth} > 0 allows a {@link LedgerOp.Fork}. */
  public static LedgerOp op(Cluster cluster, Random r, int forkDepth) {
    int roll = r.nextInt(100);
    if (roll < 4) {
      return membershipOp(r);
    }
    if (roll < 40) { // drawn at run time, so it can use nodes that joined since
      return new LedgerOp.AllocateNow(r.nextLong(), r.nextInt(5) == 0 ? 2 + r.nextInt(2) : 1);
    }
    roll = r.nextInt(100);
    if (roll < 44) {
      return new LedgerOp.Allocate(placement(cluster, r, id(r)));
    } else if (roll < 54) {
      int n = 2 + r.nextInt(3);
      List<Placement> gang = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String id = i > 0 && r.nextInt(15) == 0 ? gang.get(0).allocationId() : id(r);
        gang.add(placement(cluster, r, id));
      }
      return new LedgerOp.AllocateAll(gang);
    } else if (roll < 86) {
      return new LedgerOp.ReleaseKnown(r.nextInt(1 << 16));
    } else if (roll < 90) {
      return new LedgerOp.ReleaseAgain(r.nextInt(1 << 16));
    } else if (roll < 92) {
      return new LedgerOp.ReleaseUnknown("never-" + r.nextInt(10));
    } else if (roll < 96 || forkDepth <= 0) {
      return new LedgerOp.Snapshot();
    } else {
      return new LedgerOp.Fork(ops(cluster, r, r.nextInt(9), forkDepth - 1));
    }
  }

  /** {@code length} random operations. */
  public static List<LedgerOp> ops(Cluster cluster, Random r, int length, int forkDepth) {
    List<LedgerOp> out = new ArrayList<>(length);
    for (int i = 0; i < length; i++) {
      out.add(op(cluster, r, forkDepth));
    }
    return out;
  }
}

package io.gpualloc.benchmarks.ledger;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterSnapshot;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.Gpu;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The ledger's hot paths on clusters of 8-GPU nodes, half allocated: an allocate+release pair,
 * {@code snapshot()}, {@code fork()}, the capacity reads, and membership changes: adding a node,
 * removing one (holding its 4 allocations), and each followed by the {@code cluster()} read and a
 * lookup on it that a policy makes after a membership change.
 *
 * <p>Membership changes issue new ids and retire old ones for good, so the membership benchmarks
 * start each iteration from a fresh fork of the half-allocated ledger (not measured). {@code
 * addNode}, {@code removeNode} and their variants with the {@code cluster()} read run as batches of
 * {@value #BATCH} calls per iteration ({@code SingleShotTime}, reported in ms per batch, which is
 * the same number in us per call); {@code addThenRemoveNode} keeps the population constant and
 * runs as an ordinary average.
 *
 * <p>{@code java -jar benchmarks/target/gpualloc-benchmarks.jar LedgerBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class LedgerBenchmark {

  /** Cluster size in nodes (8 GPUs each). */
  @Param({"1000", "10000"})
  public int nodes;

  /**
   * Every GPU's share cap (HAMi's split count): {@code unlimited} (the default, as before caps
   * existed) or a number; {@code -p splitCount=unlimited,10} compares the two in one run.
   */
  @Param({"unlimited"})
  public String splitCount;

  ClusterState state;
  private Cluster cluster;
  GpuModel a100;
  private Placement[] probes;
  private int next;
  private int[] gpuIds;

  /** Builds the cluster and fills about half of it with a seeded mix of grants. */
  @Setup(Level.Trial)
  public void setUp() {
    a100 = GpuModelCatalog.builtIn().get("A100-80GB");
    List<Node> list = new ArrayList<>(nodes);
    int cap = splitCount.equals("unlimited") ? Gpu.UNLIMITED_SHARES
        : Integer.parseInt(splitCount);
    for (int i = 0; i < nodes; i++) {
      Node plain = Node.builder("node-" + i).cpuMilli(128_000).memoryMib(1_048_576)
          .gpus(8, a100, 2).build();
      List<Gpu> gpus = new ArrayList<>(8);
      for (Gpu g : plain.gpus()) {
        gpus.add(g.withMaxShares(cap));
      }
      list.add(new Node(plain.name(), plain.labels(), plain.cpuMilli(), plain.memoryMib(), gpus));
    }
    cluster = Cluster.of(list);
    state = new ClusterState(cluster);
    SplittableRandom rnd = new SplittableRandom(42);
    int id = 0;
    for (int n = 0; n < nodes; n++) {
      // GPUs 0-1 whole, 2-3 shared, 4 MIG; 5-7 stay free for the probes
      state.allocate(Placement.builder("w" + id++, n).cpuMilli(16_000).memoryMib(65_536)
          .whole(0).whole(1).build());
      state.allocate(Placement.builder("s" + id++, n).cpuMilli(4_000).memoryMib(8_192)
          .share(2, 100 + rnd.nextInt(500), 10_240).build());
      state.allocate(Placement.builder("s" + id++, n).cpuMilli(4_000).memoryMib(8_192)
          .share(3, 100 + rnd.nextInt(500), 10_240).build());
      state.allocate(Placement.builder("m" + id++, n).cpuMilli(2_000).memoryMib(4_096)
          .mig(4, "3g.40gb", 0).build());
    }
    probes = new Placement[1024];
    for (int i = 0; i < probes.length; i++) {
      int n = rnd.nextInt(nodes);
      probes[i] = switch (i % 3) {
        case 0 -> Placement.builder("probe-" + i, n).cpuMilli(8_000).memoryMib(32_768)
            .whole(5).whole(6).build();
        case 1 -> Placement.builder("probe-" + i, n).cpuMilli(2_000).memoryMib(4_096)
            .share(2, 200, 4_096).build();
        default -> Placement.builder("probe-" + i, n).cpuMilli(1_000).memoryMib(2_048)
            .mig(4, "2g.20gb", 4).build();
      };
    }
    gpuIds = new int[1024];
    for (int i = 0; i < gpuIds.length; i++) {
      gpuIds[i] = rnd.nextInt(cluster.gpuCount());
    }
  }

  /**
   * A ledger with churn for the membership benchmarks: a fork of the half-allocated ledger made
   * before each iteration, the nodes that will join, and every node name in a seeded removal
   * order. A separate state, so that the other benchmarks do not pay for its setup.
   */
  @State(Scope.Thread)
  public static class Churn {
    ClusterState ledger;
    Node[] joiners;
    String[] leavers;
    int joined;
    int left;
    GpuModel model;

    /** Builds the joiners once. */
    @Setup(Level.Trial)
    public void joiners(LedgerBenchmark base) {
      model = base.a100;
      joiners = new Node[1 << 16];
      for (int i = 0; i < joiners.length; i++) {
        joiners[i] = joiner("joiner-" + i);
      }
    }

    /** A fresh fork of the ledger, which has taken its own id space, and the removal order. */
    @Setup(Level.Iteration)
    public void fork(LedgerBenchmark base) {
      ledger = base.state.fork();
      ledger.addNode(Node.builder("warm").gpus(1, model).build()); // the fork's own id space
      ledger.removeNode("warm");
      leavers = new String[base.nodes];
      SplittableRandom rnd = new SplittableRandom(7);
      for (int i = 0; i < leavers.length; i++) {
        leavers[i] = "node-" + i;
      }
      for (int i = leavers.length - 1; i > 0; i--) { // a seeded shuffle
        int j = rnd.nextInt(i + 1);
        String t = leavers[i];
        leavers[i] = leavers[j];
        leavers[j] = t;
      }
      joined = 0;
      left = 0;
    }

    Node nextJoiner() {
      int k = joined++;
      return k < joiners.length ? joiners[k] : joiner("joiner-" + k);
    }

    String nextLeaver() {
      return leavers[left++ % leavers.length];
    }

    private Node joiner(String name) {
      return Node.builder(name).cpuMilli(128_000).memoryMib(1_048_576).label("pool", "train")
          .gpus(8, model, 2).build();
    }
  }

  /** Calls per iteration of the batched membership benchmarks. */
  public static final int BATCH = 1000;

  /** {@code addNode} of an 8-GPU node into the running ledger. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 10, batchSize = BATCH)
  @Measurement(iterations = 20, batchSize = BATCH)
  public int addNode(Churn c) {
    return c.ledger.addNode(c.nextJoiner());
  }

  /** {@code removeNode} of a node holding 4 allocations (released and returned). */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 10, batchSize = BATCH)
  @Measurement(iterations = 20, batchSize = BATCH)
  public List<Placement> removeNode(Churn c) {
    return c.ledger.removeNode(c.nextLeaver());
  }

  /** A node joins and leaves again: the steady state of a churning cluster. */
  @Benchmark
  public List<Placement> addThenRemoveNode(Churn c) {
    Node n = c.nextJoiner();
    c.ledger.addNode(n);
    return c.ledger.removeNode(n.name());
  }

  /**
   * {@code addNode} followed by what a policy does next: read {@code cluster()} and look the new
   * node up by name and by id on it.
   */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 10, batchSize = BATCH)
  @Measurement(iterations = 20, batchSize = BATCH)
  public int addNodeThenClusterRead(Churn c) {
    Node n = c.nextJoiner();
    c.ledger.addNode(n);
    Cluster cl = c.ledger.cluster();
    int id = cl.nodeId(n.name());
    return id + cl.node(id).gpuCount() + cl.gpuOffset(id) + cl.nodeCount();
  }

  /** {@code removeNode} followed by the {@code cluster()} read and a liveness check on it. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 10, batchSize = BATCH)
  @Measurement(iterations = 20, batchSize = BATCH)
  public int removeNodeThenClusterRead(Churn c, Blackhole bh) {
    bh.consume(c.ledger.removeNode(c.nextLeaver()));
    Cluster cl = c.ledger.cluster();
    return cl.nodeCount() + (cl.isLive(0) ? 1 : 0) + cl.nodeIdBound();
  }

  /** A snapshot of the churning ledger, right after a node joined and left. */
  @Benchmark
  public ClusterSnapshot snapshotAfterChurn(Churn c) {
    addThenRemoveNode(c);
    return c.ledger.snapshot();
  }

  /** One allocate and its release, on a random node, cycling through whole, share and MIG. */
  @Benchmark
  public void allocateRelease() {
    Placement p = probes[next++ & 1023];
    state.allocate(p);
    state.release(p.allocationId());
  }

  /** An immutable capacity snapshot. */
  @Benchmark
  public ClusterSnapshot snapshot() {
    return state.snapshot();
  }

  /** A writable copy including the allocation map. */
  @Benchmark
  public ClusterState fork() {
    return state.fork();
  }



  /** The reads a policy makes per node and GPU, on random ids. */
  @Benchmark
  public void reads(Blackhole bh) {
    int g = gpuIds[next++ & 1023];
    int n = cluster.nodeOfGpu(g);
    bh.consume(state.freeCpuMilli(n));
    bh.consume(state.freeMemoryMib(n));
    bh.consume(state.freeWholeGpus(n));
    bh.consume(state.gpuFreeComputeMilli(g));
    bh.consume(state.gpuFreeMemoryMib(g));
    bh.consume(state.gpuMode(g));
  }

  /** A full scan of every GPU's free compute, as a naive policy would do per decision. */
  @Benchmark
  public long scanAllGpus() {
    long sum = 0;
    for (int g = 0, n = cluster.gpuCount(); g < n; g++) {
      sum += state.gpuFreeComputeMilli(g);
    }
    return sum;
  }
}

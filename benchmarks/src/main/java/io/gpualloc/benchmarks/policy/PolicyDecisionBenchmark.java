package io.gpualloc.benchmarks.policy;

import io.gpualloc.benchmarks.replay.OpenbModels;
import io.gpualloc.benchmarks.replay.OpenbNode;
import io.gpualloc.benchmarks.replay.OpenbReader;
import io.gpualloc.benchmarks.replay.SyntheticOpenb;
import io.gpualloc.binpack.Policies;
import io.gpualloc.binpack.PolicyConfig;
import io.gpualloc.binpack.TargetWorkload;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.Decision;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.NodeScores;
import io.gpualloc.core.PlacementPolicy;
import io.gpualloc.core.Request;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
 * Decision latency of a placement policy on a cluster at 50% GPU load: the openb GPU-node cluster
 * (1,213 nodes) or a synthetic 10,000-node cluster with the same node mix. Requests are drawn from
 * the openb default pod list (or its published class mix when {@code ../shared} is absent); the
 * state is filled to 50% by the policy under test and then held fixed, so each operation is one
 * {@code place} call ({@link #decide}) or one {@code scoreAll} call ({@link #scoreAll}). Sample-time mode reports percentiles (p50 is the target figure).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PolicyDecisionBenchmark {
  /** The policy under test. */
  @Param({"fgd-exact", "fgd", "best-fit", "first-fit"})
  public String policy;

  /** {@code openb} (1,213 nodes) or {@code synthetic10k}. */
  @Param({"openb", "synthetic10k"})
  public String cluster;

  private PlacementPolicy placer;
  private ClusterState state;
  private Request[] requests;
  private int next;

  /**
   * Builds the cluster, fills it to 50% GPU load and prepares the request stream. Reads the openb
   * trace from {@code -Dgpualloc.shared} (default {@code ../shared}); without it, the built-in
   * synthetic workload with the same statistics.
   */
  @Setup(Level.Trial)
  public void setUp() {
    Path dir = Path.of(System.getProperty("gpualloc.shared", "../shared"), "traces", "openb");
    boolean real = Files.isDirectory(dir);
    List<OpenbNode> nodeRows = real
        ? OpenbReader.readNodes(dir.resolve("openb_node_list_gpu_node.csv"))
        : SyntheticOpenb.nodes();
    List<Request> pods = OpenbModels.requests(real
        ? OpenbReader.readPods(dir.resolve("openb_pod_list_default.csv"))
        : SyntheticOpenb.pods(2023));
    int nodes = cluster.equals("openb") ? nodeRows.size() : 10_000;
    List<OpenbNode> list = new ArrayList<>(nodes);
    for (int i = 0; i < nodes; i++) {
      OpenbNode n = nodeRows.get(i % nodeRows.size());
      list.add(new OpenbNode("node-" + i, n.cpuMilli(), n.memoryMib(), n.gpus(), n.model()));
    }
    Cluster c = OpenbModels.cluster(list);
    state = new ClusterState(c);
    PolicyConfig config = new PolicyConfig(42, TargetWorkload.fromRequests(pods));
    placer = Policies.named(policy, config);
    // fill with fgd-exact (memoised, so filling 10,000 nodes takes seconds) for every policy
    PlacementPolicy filler = Policies.named("fgd-exact", config);
    Random rnd = new Random(42);
    long capacity = 1000L * c.gpuCount();
    long allocated = 0;
    int id = 0;
    int misses = 0;
    while (allocated * 2 < capacity && misses < 1000) {
      Request p = pods.get(rnd.nextInt(pods.size()));
      Request r = rename(p, "fill-" + id++);
      Decision d = filler.place(r, state);
      if (d instanceof Decision.Placed placed) {
        state.allocate(placed.placement());
        allocated += gpuMilli(r);
      } else {
        misses++;
      }
    }
    requests = new Request[4096];
    for (int i = 0; i < requests.length; i++) {
      requests[i] = rename(pods.get(rnd.nextInt(pods.size())), "probe-" + i);
    }
  }

  /** One placement decision (the state is not changed). */
  @Benchmark
  public Decision decide() {
    Request r = requests[next];
    next = (next + 1) & (requests.length - 1);
    return placer.place(r, state);
  }

  /**
   * The prioritize step: every node scored (positions, scores and grants read) for one request
   * (the state is not changed). Runs next to {@link #decide} so that the two are compared in one
   * run; the goal is at most 1.5x its time.
   */
  @Benchmark
  public void scoreAll(Blackhole bh) {
    Request r = requests[next];
    next = (next + 1) & (requests.length - 1);
    NodeScores s = placer.scoreAll(r, state);
    for (int i = 0; i < s.size(); i++) {
      bh.consume(s.nodeId(i));
      bh.consume(s.score(i));
      bh.consume(s.grants(i));
    }
    bh.consume(s);
  }

  static Request rename(Request p, String name) {
    return Request.builder(name).cpuMilli(p.cpuMilli()).memoryMib(p.memoryMib()).gpu(p.gpu())
        .modelInclude(p.modelInclude()).build();
  }

  static long gpuMilli(Request r) {
    GpuDemand d = r.gpu();
    if (d instanceof GpuDemand.Whole w) {
      return 1000L * w.count();
    }
    return d instanceof GpuDemand.Shared s ? (long) s.count() * s.computeMilli() : 0;
  }
}

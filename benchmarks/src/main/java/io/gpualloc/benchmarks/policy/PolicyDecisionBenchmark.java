package io.gpualloc.benchmarks.policy;

import io.gpualloc.binpack.Policies;
import io.gpualloc.binpack.PolicyConfig;
import io.gpualloc.binpack.TargetWorkload;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.Decision;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.Node;
import io.gpualloc.core.PlacementPolicy;
import io.gpualloc.core.Request;
import java.io.IOException;
import java.io.UncheckedIOException;
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

/**
 * Decision latency of a placement policy on a cluster at 50% GPU load: the openb GPU-node cluster
 * (1,213 nodes) or a synthetic 10,000-node cluster with the same node mix. Requests are drawn from
 * the openb default pod list (or its published class mix when {@code ../shared} is absent); the
 * state is filled to 50% by the policy under test and then held fixed, so each operation is one
 * {@code place} call. Sample-time mode reports percentiles (p50 is the target figure).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PolicyDecisionBenchmark {
  static final GpuModelCatalog CATALOG = GpuModelCatalog.builtIn()
      .with(GpuModel.of("G2", 32768)).with(GpuModel.of("G3", 32768));

  /** The policy under test. */
  @Param({"fgd", "best-fit", "first-fit"})
  public String policy;

  /** {@code openb} (1,213 nodes) or {@code synthetic10k}. */
  @Param({"openb", "synthetic10k"})
  public String cluster;

  private PlacementPolicy placer;
  private ClusterState state;
  private Request[] requests;
  private int next;

  /** Builds the cluster, fills it to 50% GPU load and prepares the request stream. */
  @Setup(Level.Trial)
  public void setUp() {
    Path dir = Path.of(System.getProperty("gpualloc.shared", "../shared"), "traces", "openb");
    List<String[]> nodeRows = rows(dir.resolve("openb_node_list_gpu_node.csv"));
    List<Request> pods = pods(rows(dir.resolve("openb_pod_list_default.csv")));
    int nodes = cluster.equals("openb") ? nodeRows.size() : 10_000;
    List<Node> list = new ArrayList<>(nodes);
    for (int i = 0; i < nodes; i++) {
      String[] f = nodeRows.get(i % nodeRows.size());
      Node.Builder b = Node.builder("node-" + i).cpuMilli(Integer.parseInt(f[1]))
          .memoryMib(Integer.parseInt(f[2]));
      int g = Integer.parseInt(f[3]);
      if (g > 0) {
        b.gpus(g, CATALOG.get(f[4]));
      }
      list.add(b.build());
    }
    Cluster c = Cluster.of(list);
    state = new ClusterState(c);
    PolicyConfig config = new PolicyConfig(42, TargetWorkload.fromRequests(pods));
    placer = Policies.named(policy, config);
    // fill with fgd (memoised, so filling 10,000 nodes takes seconds) for every policy
    PlacementPolicy filler = Policies.named("fgd", config);
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

  /** Rows of a simple comma-separated file without quoting (the openb format), header skipped. */
  static List<String[]> rows(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      List<String[]> out = new ArrayList<>();
      for (String line : lines.subList(1, lines.size())) {
        out.add(line.split(",", -1));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("the benchmark reads the openb trace from ../shared (set"
          + " -Dgpualloc.shared=<dir>): " + file, e);
    }
  }

  static List<Request> pods(List<String[]> rows) {
    List<Request> out = new ArrayList<>();
    for (String[] f : rows) {
      int numGpu = Integer.parseInt(f[3]);
      int milli = Math.min(1000, Integer.parseInt(f[4]));
      GpuDemand d = numGpu == 0 ? GpuDemand.none()
          : milli < 1000 ? GpuDemand.shared(1, milli, 0) : GpuDemand.whole(numGpu);
      List<String> models = new ArrayList<>();
      if (f.length > 5 && !f[5].isEmpty()) {
        for (String m : f[5].split("\\|")) {
          models.add(CATALOG.get(m).name());
        }
      }
      out.add(Request.builder(f[0]).cpuMilli(Integer.parseInt(f[1]))
          .memoryMib(Integer.parseInt(f[2])).gpu(d).modelInclude(models).build());
    }
    return out;
  }
}

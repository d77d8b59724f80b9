package io.gpualloc.binpack;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A throwaway replay of the openb default trace at 100% arrival (the FGD paper's method, notes/fgd.md
 * section 3), to sanity-check the policies before the real simulator exists. Opt-in: run with
 * {@code -Dgpualloc.openbSanity=true} (it takes tens of seconds); skips when ../shared is absent.
 */
class OpenbSanityTest {
  static final GpuModelCatalog CATALOG = GpuModelCatalog.builtIn()
      .with(GpuModel.of("G2", 32768)).with(GpuModel.of("G3", 32768));

  static final long[] FAILED = new long[4];
  static final boolean CHECK = Boolean.getBoolean("gpualloc.openbCheck");

  static Path shared() {
    return Path.of(System.getProperty("gpualloc.shared", "../shared"));
  }

  static Cluster cluster(Path file) throws IOException {
    List<Node> nodes = new ArrayList<>();
    List<String> lines = Files.readAllLines(file);
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      Node.Builder b = Node.builder(f[0]).cpuMilli(Integer.parseInt(f[1]))
          .memoryMib(Integer.parseInt(f[2]));
      int g = Integer.parseInt(f[3]);
      if (g > 0) {
        b.gpus(g, CATALOG.get(f[4]));
      }
      nodes.add(b.build());
    }
    return Cluster.of(nodes);
  }

  static List<Request> pods(Path file) throws IOException {
    List<Request> out = new ArrayList<>();
    List<String> lines = Files.readAllLines(file);
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
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

  static long gpuMilli(Request r) {
    GpuDemand d = r.gpu();
    if (d instanceof GpuDemand.Whole w) {
      return 1000L * w.count();
    }
    return d instanceof GpuDemand.Shared s ? (long) s.count() * s.computeMilli() : 0;
  }

  /** Unallocated GPU % at the first arrival reaching 100% of capacity. */
  static double run(String policy, Cluster c, List<Request> original, TargetWorkload m, long seed) {
    List<Request> pods = new ArrayList<>(original);
    pods.sort(Comparator.comparing(Request::name));
    Random rnd = new Random(seed);
    java.util.Collections.shuffle(pods, rnd);
    long capacity = 1000L * c.gpuCount();
    long total = 0;
    for (Request r : pods) {
      total += gpuMilli(r);
    }
    long target = (long) (1.3 * capacity);
    int copy = 0;
    while (true) {
      Request r = original.get(rnd.nextInt(original.size()));
      if (total + gpuMilli(r) > target) {
        break;
      }
      total += gpuMilli(r);
      pods.add(Request.builder(r.name() + "-c" + copy++).cpuMilli(r.cpuMilli())
          .memoryMib(r.memoryMib()).gpu(r.gpu()).modelInclude(r.modelInclude()).build());
    }
    ClusterState state = new ClusterState(c);
    PlacementPolicy p = Policies.named(policy, new PolicyConfig(seed, m));
    long arrived = 0;
    long allocated = 0;
    for (Request r : pods) {
      arrived += gpuMilli(r);
      Decision d = p.place(r, state);
      if (d instanceof Decision.Placed placed) {
        if (CHECK && placed.breakdown().containsKey("delta-milli-gpu")) {
          int node = placed.placement().nodeId();
          long before = Fragmentation.node(state, node, m);
          ClusterState f = state.fork();
          f.allocate(placed.placement());
          long after = Fragmentation.node(f, node, m);
          double claimed = placed.breakdown().get("delta-milli-gpu");
          if (Math.abs(after - before - claimed) > 1.01) {
            throw new AssertionError(r + " claimed " + claimed + " actual " + (after - before));
          }
        }
        state.allocate(placed.placement());
        allocated += gpuMilli(r);
      } else {
        int k = r.gpu() instanceof GpuDemand.None ? 0 : r.gpu() instanceof GpuDemand.Shared ? 1
            : r.gpu().count() == 1 ? 2 : 3;
        FAILED[k] += gpuMilli(r) + (k == 0 ? 1 : 0);
      }
      if (arrived >= capacity) {
        System.out.println("  failed milli-GPU by type (cpu-only count, share, 1-gpu, multi): "
            + java.util.Arrays.toString(FAILED) + " frag rate " + Fragmentation.rate(state, m));
        java.util.Arrays.fill(FAILED, 0);
        return 100.0 * (capacity - allocated) / capacity;
      }
    }
    return 100.0 * (capacity - allocated) / capacity;
  }

  @Test
  void unallocatedAtFullArrival() throws IOException {
    Assumptions.assumeTrue(Boolean.getBoolean("gpualloc.openbSanity"),
        "opt-in: -Dgpualloc.openbSanity=true");
    Path dir = shared().resolve("traces/openb");
    Assumptions.assumeTrue(Files.isDirectory(dir), "../shared absent: skipping openb sanity run");
    Cluster c = cluster(dir.resolve("openb_node_list_gpu_node.csv"));
    String trace = System.getProperty("gpualloc.openbTrace", "default");
    List<Request> pods = pods(dir.resolve("openb_pod_list_" + trace + ".csv"));
    TargetWorkload m = TargetWorkload.fromRequests(pods,
        Double.parseDouble(System.getProperty("gpualloc.cov", "0.95")));
    String mw = System.getProperty("gpualloc.mweight", "count");
    if (!mw.equals("count")) {
      List<TaskClass> cs = new ArrayList<>();
      for (TaskClass tc : m.classes()) {
        double g = tc.gpuCount() * tc.gpuMilli() / 1000.0;
        double f = mw.equals("gpu") ? Math.max(g, 0.1) : mw.equals("sqrt") ? Math.sqrt(Math.max(g, 0.1))
            : 1 + g * Double.parseDouble(mw);
        cs.add(new TaskClass(tc.cpuMilli(), tc.gpu(), tc.modelInclude(), tc.modelExclude(),
            Math.round(tc.weight() * f * 1000)));
      }
      m = TargetWorkload.of(cs);
    }
    String only = System.getProperty("gpualloc.openbPolicies", "");
    int seeds = Integer.getInteger("gpualloc.openbSeeds", 1);
    for (String name : Policies.names()) {
      if (!only.isEmpty() && !List.of(only.split(",")).contains(name)) {
        continue;
      }
      double sum = 0;
      long t0 = System.nanoTime();
      StringBuilder each = new StringBuilder();
      for (int s = 0; s < seeds; s++) {
        double u = run(name, c, pods, m, 42 + s);
        sum += u;
        each.append(String.format(" %.2f", u));
      }
      System.out.printf("%-22s unallocated@100%% = %6.2f  (%s) %.1fs%n", name, sum / seeds,
          each.toString().trim(), (System.nanoTime() - t0) / 1e9);
      assertTrue(sum >= 0);
    }
  }
}

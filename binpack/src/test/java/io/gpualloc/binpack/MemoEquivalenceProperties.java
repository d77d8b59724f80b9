package io.gpualloc.binpack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gpualloc.binpack.internal.FrameworkPolicy;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.ClusterView;
import io.gpualloc.core.Decision;
import io.gpualloc.core.Gpu;
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
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The memoised scorer-based policies decide exactly as the straightforward evaluation ({@link
 * FrameworkPolicy#placeReference}): same node, grants, score and breakdown, same rejection reasons,
 * after every step of random allocate/release sequences on small clusters with repeated node
 * types, on live ledgers, snapshots (new and older ones of the same ledger, which share the node
 * state index's entries) and forks; and on a sample of the openb default trace.
 */
class MemoEquivalenceProperties {
  static final GpuModel T4 = GpuModelCatalog.builtIn().get("T4");
  static final GpuModel A100 = GpuModelCatalog.builtIn().get("A100-40GB");
  static final GpuModel G2 = GpuModel.of("G2", 32768);

  /** Every registered policy built on {@link FrameworkPolicy}. */
  static List<String> frameworkPolicies() {
    List<String> out = new ArrayList<>();
    for (String name : Policies.names()) {
      if (!Policies.needsWorkload(name)
          && Policies.named(name, PolicyConfig.of(1)) instanceof FrameworkPolicy) {
        out.add(name);
      }
    }
    return out;
  }

  /** One step: place a request, or release the i-th live allocation, or decide on a copy. */
  record Step(int kind, Request request, int pick) {}

  record Run(Cluster cluster, List<Step> steps, long seed) {}

  static Arbitrary<Node> node(int i) {
    // few templates, so that several nodes share a state and the memo's grouping is exercised
    Arbitrary<Integer> cpu = Arbitraries.of(8000, 32000);
    Arbitrary<Integer> mem = Arbitraries.of(16384, 65536);
    Arbitrary<Integer> gpus = Arbitraries.of(0, 1, 2, 4);
    Arbitrary<GpuModel> model = Arbitraries.of(T4, A100, G2);
    // share caps (HAMi's split count) on some templates: the memo must tell 0, 1 and more apart
    Arbitrary<Integer> cap = Arbitraries.of(Gpu.UNLIMITED_SHARES, Gpu.UNLIMITED_SHARES, 1, 2, 3);
    return Combinators.combine(cpu, mem, gpus, model, cap).as((c, m, g, mo, k) -> {
      Node.Builder b = Node.builder("n" + i).cpuMilli(c).memoryMib(m);
      for (int x = 0; x < g; x++) {
        b.gpu(new Gpu(x, "GPU-n" + i + "-" + x, mo, 0, null, k));
      }
      return b.build();
    });
  }

  static Arbitrary<Cluster> clusters() {
    return Arbitraries.integers().between(1, 7).flatMap(n -> {
      List<Arbitrary<Node>> nodes = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        nodes.add(node(i));
      }
      return Combinators.combine(nodes).as(Cluster::of);
    });
  }

  static Arbitrary<GpuDemand> demands() {
    Arbitrary<GpuDemand> whole = Arbitraries.of(1, 1, 2, 4).map(GpuDemand::whole);
    Arbitrary<GpuDemand> shared = Combinators.combine(
        Arbitraries.integers().between(1, 2),
        Arbitraries.of(100, 250, 500, 700, 1000),
        Arbitraries.of(0, 0, 2048, 8192)).as(GpuDemand::shared);
    Arbitrary<GpuDemand> mig = Combinators.combine(Arbitraries.of("1g.5gb", "3g.20gb"),
        Arbitraries.integers().between(1, 2)).as(GpuDemand::mig);
    return Arbitraries.frequencyOf(
        Tuple.of(2, Arbitraries.just(GpuDemand.none())),
        Tuple.of(3, whole),
        Tuple.of(5, shared),
        Tuple.of(1, mig));
  }

  static Arbitrary<Request> requests(int i) {
    Arbitrary<Integer> cpu = Arbitraries.of(0, 1000, 2000, 4000, 8000);
    Arbitrary<Integer> mem = Arbitraries.of(0, 4096, 16384);
    Arbitrary<List<String>> include = Arbitraries.of(
        List.<String>of(), List.<String>of(), List.<String>of(), List.of("T4"),
        List.of("A100-40GB", "G2"));
    Arbitrary<List<String>> uuidExclude = Arbitraries.of(
        List.<String>of(), List.<String>of(), List.<String>of(), List.<String>of(),
        List.of("GPU-n0-0"));
    return Combinators.combine(cpu, mem, demands(), include, uuidExclude).as((c, m, d, inc, ex) ->
        Request.builder("r" + i).cpuMilli(c).memoryMib(m).gpu(d).modelInclude(inc)
            .uuidExclude(ex).build());
  }

  @Provide
  Arbitrary<Run> runs() {
    Arbitrary<List<Step>> steps = Arbitraries.integers().between(1, 30).flatMap(n -> {
      List<Arbitrary<Step>> list = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Arbitrary<Integer> kind = Arbitraries.frequency(
            Tuple.of(7, 0), Tuple.of(2, 1), Tuple.of(1, 2), Tuple.of(1, 3), Tuple.of(1, 4));
        list.add(Combinators.combine(kind, requests(i), Arbitraries.integers().between(0, 99))
            .as(Step::new));
      }
      return Combinators.combine(list).as(l -> l);
    });
    return Combinators.combine(clusters(), steps, Arbitraries.longs().between(0, 1000))
        .as(Run::new);
  }

  @Property(tries = 120)
  void memoisedDecisionsEqualTheReference(@ForAll("runs") Run run) {
    for (String name : frameworkPolicies()) {
      FrameworkPolicy memo = (FrameworkPolicy) Policies.named(name, PolicyConfig.of(run.seed()));
      FrameworkPolicy ref = (FrameworkPolicy) Policies.named(name, PolicyConfig.of(run.seed()));
      if (run.seed() % 3 == 0) {
        memo.limitMemo(6, 40); // drop and rebuild the memo often
      }
      ClusterState state = new ClusterState(run.cluster());
      List<String> live = new ArrayList<>();
      List<ClusterView> past = new ArrayList<>(); // snapshots of this ledger (one lineage)
      for (Step step : run.steps()) {
        Request r = step.request();
        past.add(state.snapshot());
        switch (step.kind()) {
          case 4 -> {
            // an older snapshot of the same ledger, then the live ledger again: one lineage, node
            // versions going back and forth
            compare(name, memo, ref, r, past.get(step.pick() % past.size()));
            compare(name, memo, ref, r, state);
          }
          case 1 -> {
            if (!live.isEmpty()) {
              state.release(live.remove(step.pick() % live.size()));
            }
            compare(name, memo, ref, r, state);
          }
          case 2 -> compare(name, memo, ref, r, state.snapshot());
          case 3 -> {
            // two forks that diverge: equal node versions, different capacity
            ClusterState one = state.fork();
            ClusterState two = state.fork();
            if (live.size() >= 2) {
              String a = live.get(step.pick() % live.size());
              String b = live.get((step.pick() + 1) % live.size());
              for (String x : live) {
                if (!x.equals(a) && nodeOf(state, x) == nodeOf(state, a)) {
                  b = x;
                }
              }
              one.release(a);
              two.release(b);
            }
            compare(name, memo, ref, r, one);
            compare(name, memo, ref, r, two);
          }
          default -> {
            Decision d = compare(name, memo, ref, r, state);
            if (d instanceof Decision.Placed p) {
              String id = r.name() + "#" + live.size() + "-" + step.pick();
              if (!live.contains(id)) {
                state.allocate(rename(p, id));
                live.add(id);
              }
            }
          }
        }
      }
    }
  }

  /**
   * The FGD policies drop their shape memo when it is full (default 4096 shapes) and rebuild it on
   * demand: with room for two shapes they decide exactly as with the default, on the same runs.
   */
  @Property(tries = 60)
  void fgdDecidesTheSameWhenItsShapeMemoIsDroppedOften(@ForAll("runs") Run run) {
    List<Request> all = new ArrayList<>();
    for (Step step : run.steps()) {
      all.add(step.request());
    }
    TargetWorkload m = TargetWorkload.fromRequests(all);
    if (m.isEmpty()) {
      return;
    }
    for (String name : List.of("fgd", "fgd-exact")) {
      PlacementPolicy wide = Policies.named(name, new PolicyConfig(run.seed(), m));
      PlacementPolicy tiny = Policies.named(name, new PolicyConfig(run.seed(), m));
      ((io.gpualloc.binpack.internal.FragmentationGradientDescent) tiny).limitShapes(2);
      ClusterState state = new ClusterState(run.cluster());
      int k = 0;
      for (Step step : run.steps()) {
        Request r = step.request();
        Decision a = wide.place(r, state);
        Decision b = tiny.place(r, state);
        assertEquals(a, b, name + " on " + r);
        if (a instanceof Decision.Placed p && step.kind() != 1) {
          state.allocate(rename(p, r.name() + "#" + k++));
        }
      }
    }
  }

  static int nodeOf(ClusterState state, String id) {
    return state.fork().release(id).nodeId();
  }

  static io.gpualloc.core.Placement rename(Decision.Placed p, String id) {
    io.gpualloc.core.Placement x = p.placement();
    return new io.gpualloc.core.Placement(id, x.nodeId(), x.cpuMilli(), x.memoryMib(), x.grants());
  }

  static Decision compare(String name, PlacementPolicy memo, FrameworkPolicy ref, Request r,
      ClusterView view) {
    Decision expected = ref.placeReference(r, view);
    Decision actual = memo.place(r, view);
    assertEquals(expected, actual, name + " on " + r);
    return actual;
  }

  /** The first pods of a seeded shuffle of the openb default trace, on the openb GPU cluster. */
  @Test
  void openbSampleEqualsTheReference() throws IOException {
    Path dir = Path.of(System.getProperty("gpualloc.shared", "../shared"), "traces", "openb");
    Assumptions.assumeTrue(Files.isDirectory(dir),
        "../shared absent: skipping the openb memo-equivalence sample");
    Cluster c = OpenbSanityTest.cluster(dir.resolve("openb_node_list_gpu_node.csv"));
    List<Request> pods = OpenbSanityTest.pods(dir.resolve("openb_pod_list_default.csv"));
    pods.sort(Comparator.comparing(Request::name));
    Collections.shuffle(pods, new Random(42));
    List<Request> sample = pods.subList(0, 700);
    for (String name : frameworkPolicies()) {
      FrameworkPolicy memo = (FrameworkPolicy) Policies.named(name, PolicyConfig.of(42));
      FrameworkPolicy ref = (FrameworkPolicy) Policies.named(name, PolicyConfig.of(42));
      ClusterState state = new ClusterState(c);
      for (Request r : sample) {
        if (compare(name, memo, ref, r, state) instanceof Decision.Placed p) {
          state.allocate(p.placement());
        }
      }
    }
  }
}

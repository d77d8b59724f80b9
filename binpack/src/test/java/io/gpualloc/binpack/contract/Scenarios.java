package io.gpualloc.binpack.contract;

import io.gpualloc.binpack.Policies;
import io.gpualloc.binpack.PolicyConfig;
import io.gpualloc.binpack.TargetWorkload;
import io.gpualloc.binpack.TaskClass;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.Decision;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.Node;
import io.gpualloc.core.PlacementPolicy;
import io.gpualloc.core.Request;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Shared jqwik arbitraries: small clusters, a few prior allocations, and one request. */
public final class Scenarios {
  private Scenarios() {}

  static final GpuModel T4 = GpuModelCatalog.builtIn().get("T4");
  static final GpuModel A100 = GpuModelCatalog.builtIn().get("A100-40GB");
  static final GpuModel G2 = GpuModel.of("G2", 32768);

  /** A scenario: cluster, requests already placed (by first-fit), the request, and M. */
  public record Scenario(Cluster cluster, List<Request> pre, Request request, long seed) {

    /** The ledger after placing {@code pre} with first-fit (those that fit). */
    public ClusterState state() {
      ClusterState s = new ClusterState(cluster);
      PlacementPolicy ff = Policies.named("first-fit", PolicyConfig.of(0));
      for (Request r : pre) {
        if (ff.place(r, s) instanceof Decision.Placed p) {
          s.allocate(p.placement());
        }
      }
      return s;
    }

    /** M from the pre-placed requests and the request; a default class when that is empty. */
    public TargetWorkload workload() {
      List<Request> all = new ArrayList<>(pre);
      all.add(request);
      TargetWorkload m = TargetWorkload.fromRequests(all, 1.0);
      return m.isEmpty()
          ? TargetWorkload.of(List.of(TaskClass.of(2000, GpuDemand.shared(1, 500, 0), 1))) : m;
    }
  }

  static Arbitrary<Node> node(int i) {
    Arbitrary<Integer> cpu = Arbitraries.of(4000, 16000, 64000);
    Arbitrary<Integer> mem = Arbitraries.of(8192, 65536);
    Arbitrary<Integer> gpus = Arbitraries.of(0, 1, 2, 4, 4);
    Arbitrary<GpuModel> model = Arbitraries.of(T4, A100, G2);
    return Combinators.combine(cpu, mem, gpus, model).as((c, m, g, mo) ->
        Node.builder("n" + i).cpuMilli(c).memoryMib(m).gpus(g, mo).build());
  }

  static Arbitrary<Cluster> cluster() {
    return Arbitraries.integers().between(1, 3).flatMap(n -> {
      List<Arbitrary<Node>> nodes = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        nodes.add(node(i));
      }
      return Combinators.combine(nodes).as(Cluster::of);
    });
  }

  static Arbitrary<GpuDemand> demand() {
    Arbitrary<GpuDemand> whole = Arbitraries.of(1, 1, 2, 3).map(GpuDemand::whole);
    Arbitrary<GpuDemand> shared = Combinators.combine(
        Arbitraries.integers().between(1, 2),
        Arbitraries.of(0, 100, 300, 500, 700, 1000),
        Arbitraries.of(0, 2048, 8192))
        .as((k, c, m) -> c == 0 && m == 0 ? GpuDemand.shared(k, 100, 0) : GpuDemand.shared(k, c, m));
    Arbitrary<GpuDemand> mig = Combinators.combine(
        Arbitraries.of("1g.5gb", "3g.20gb", "7g.40gb", "1g.5gb+me"),
        Arbitraries.integers().between(1, 2)).as(GpuDemand::mig);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(2, Arbitraries.just(GpuDemand.none())),
        net.jqwik.api.Tuple.of(3, whole),
        net.jqwik.api.Tuple.of(4, shared),
        net.jqwik.api.Tuple.of(2, mig));
  }

  static Arbitrary<Request> request(String name) {
    Arbitrary<Integer> cpu = Arbitraries.integers().between(0, 8).map(x -> x * 1000);
    Arbitrary<Integer> mem = Arbitraries.of(0, 0, 4096, 16384);
    Arbitrary<List<String>> include = Arbitraries.of(
        List.<String>of(), List.<String>of(), List.<String>of(), List.of("T4"),
        List.of("A100-40GB", "G2"));
    Arbitrary<List<String>> uuidExclude = Arbitraries.of(
        List.<String>of(), List.<String>of(), List.<String>of(), List.of("GPU-n0-0"));
    return Combinators.combine(cpu, mem, demand(), include, uuidExclude).as((c, m, d, inc, ex) ->
        Request.builder(name).cpuMilli(c).memoryMib(m).gpu(d).modelInclude(inc).uuidExclude(ex)
            .build());
  }

  /** A scenario. */
  public static Arbitrary<Scenario> scenarios() {
    Arbitrary<List<Request>> pre = Arbitraries.integers().between(0, 6).flatMap(n -> {
      List<Arbitrary<Request>> rs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        rs.add(request("pre-" + i));
      }
      return Combinators.combine(rs).as(l -> l);
    });
    return Combinators.combine(cluster(), pre, request("req"),
        Arbitraries.longs().between(0, 1000)).as(Scenario::new);
  }
}

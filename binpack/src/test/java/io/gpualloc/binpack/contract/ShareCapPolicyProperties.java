package io.gpualloc.binpack.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.binpack.Policies;
import io.gpualloc.binpack.PolicyConfig;
import io.gpualloc.binpack.TargetWorkload;
import io.gpualloc.binpack.TaskClass;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.Decision;
import io.gpualloc.core.Gpu;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.GpuallocException;
import io.gpualloc.core.Node;
import io.gpualloc.core.NodeRejection;
import io.gpualloc.core.NodeScores;
import io.gpualloc.core.Placement;
import io.gpualloc.core.PlacementPolicy;
import io.gpualloc.core.RejectReason;
import io.gpualloc.core.Request;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Every named policy under per-GPU share caps (HAMi's split count): on small clusters whose GPUs
 * carry random caps of 1 to 3 (or none), one policy instance places a stream of requests, shares
 * mostly, into one ledger, so that its memos and node-state caches live across the changes.
 *
 * <ul>
 *   <li>CAP_ACCEPTED: every Placed decision, and every node {@code scoreAll} scores, is a
 *       placement the ledger accepts.
 *   <li>CAP_COMPLETE: a policy rejects a request only when no node can host it within the caps (by
 *       brute force over the ledger), and {@code scoreAll} rejects a node only when nothing fits on
 *       it. Every policy of {@link Policies#names()} promises this for single requests (the
 *       {@link PlacementPolicyContract} they all run): each filters with the exact per-node check
 *       and picks GPUs among those the ledger would take, so none may give up early. A request
 *       with a required intra-node topology is outside the promise and not generated here.
 *   <li>CAP_REASON: a node refused because its GPUs are at their split count says so, with the
 *       numbers ({@code "gpu 1: holds 2/2 shares (split count)"}).
 * </ul>
 */
class ShareCapPolicyProperties {

  record Run(Cluster cluster, List<Request> pre, List<Request> stream, long seed) {}

  @Provide
  Arbitrary<Run> runs() {
    Arbitrary<Cluster> capped = Scenarios.cluster().flatMap(c ->
        Arbitraries.of(1, 1, 2, 3, Gpu.UNLIMITED_SHARES).list().ofSize(64)
            .map(caps -> withCaps(c, caps)));
    Arbitrary<List<Request>> pre = requests("pre", 0, 10);
    Arbitrary<List<Request>> stream = requests("req", 1, 6);
    return Combinators.combine(capped, pre, stream, Arbitraries.longs().between(0, 1000))
        .as(Run::new);
  }

  private static Cluster withCaps(Cluster c, List<Integer> caps) {
    List<Node> nodes = new ArrayList<>();
    int k = 0;
    for (Node n : c.nodes()) {
      List<Gpu> gpus = new ArrayList<>();
      for (Gpu g : n.gpus()) {
        gpus.add(g.withMaxShares(caps.get(k++ % caps.size())));
      }
      nodes.add(new Node(n.name(), n.labels(), n.cpuMilli(), n.memoryMib(), gpus));
    }
    return Cluster.of(nodes);
  }

  /** Mostly small shares (which caps bind before compute does), some of the contract's mix. */
  private static Arbitrary<List<Request>> requests(String prefix, int min, int max) {
    return Arbitraries.integers().between(min, max).flatMap(n -> {
      List<Arbitrary<Request>> rs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String name = prefix + "-" + i;
        Arbitrary<Request> small = Combinators.combine(
            Arbitraries.integers().between(1, 2), Arbitraries.of(0, 50, 100, 200),
            Arbitraries.of(0, 256, 1024), Arbitraries.of(0, 500, 1000))
            .as((count, milli, mem, cpu) -> Request.builder(name).cpuMilli(cpu)
                .gpu(GpuDemand.shared(count, milli == 0 && mem == 0 ? 50 : milli, mem)).build());
        rs.add(Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, small),
            net.jqwik.api.Tuple.of(1, Scenarios.request(name))));
      }
      return Combinators.combine(rs).as(l -> l);
    });
  }

  private static TargetWorkload workload(Run run) {
    List<Request> all = new ArrayList<>(run.pre());
    all.addAll(run.stream());
    TargetWorkload m = TargetWorkload.fromRequests(all, 1.0);
    return m.isEmpty()
        ? TargetWorkload.of(List.of(TaskClass.of(2000, GpuDemand.shared(1, 500, 0), 1))) : m;
  }

  @Property(tries = 60)
  void everyPolicyStaysWithinTheCapsAndMissesNothing(@ForAll("runs") Run run) {
    for (String name : Policies.names()) {
      check(name, run);
    }
  }

  private static void check(String name, Run run) {
    ClusterState state = new ClusterState(run.cluster());
    PlacementPolicy ff = Policies.named("first-fit", PolicyConfig.of(0));
    for (Request r : run.pre()) {
      if (ff.place(r, state) instanceof Decision.Placed p) {
        state.allocate(p.placement());
      }
    }
    PlacementPolicy policy = Policies.named(name, new PolicyConfig(run.seed(), workload(run)));
    for (Request r : run.stream()) {
      String at = name + " on " + r + ": ";
      NodeScores scores = policy.scoreAll(r, state);
      for (int node : run.cluster().nodeIds()) {
        if (scores.isFeasible(node)) {
          Placement p = new Placement(r.name(), node, r.cpuMilli(), r.memoryMib(),
              scores.grants(scores.positionOf(node)));
          try {
            state.fork().allocate(p);
          } catch (GpuallocException e) {
            throw new AssertionError(at + "CAP_ACCEPTED: scoreAll scored node " + node
                + " with grants the ledger refuses: " + e.getMessage(), e);
          }
        } else {
          NodeRejection why = scores.rejectionFor(node);
          assertFalse(feasibleOn(state, node, r), at + "CAP_COMPLETE: scoreAll rejected node "
              + node + " (" + why + ") although something fits there");
          if (why.reason() == RejectReason.GPU_SHARES_EXHAUSTED) {
            Statistics.label("split-count rejections").collect(name);
            assertTrue(why.detail().matches("(?s)gpu \\d+: holds (\\d+)/\\1 shares \\(split count\\).*"),
                at + "CAP_REASON: " + why.detail());
          }
        }
      }
      Decision d = policy.place(r, state);
      if (d instanceof Decision.Placed p) {
        try {
          state.allocate(p.placement());
        } catch (GpuallocException e) {
          throw new AssertionError(at + "CAP_ACCEPTED: placed " + p.placement()
              + ", which the ledger refuses: " + e.getMessage(), e);
        }
        assertEquals(r.gpu().count(), p.placement().grants().size());
      } else {
        assertFalse(BruteForce.feasible(state, r), at + "CAP_COMPLETE: rejected ("
            + ((Decision.Rejected) d).summary() + ") although something fits");
      }
    }
  }

  /** Whether the request fits on {@code node}, by trying every candidate grant set on a fork. */
  private static boolean feasibleOn(ClusterState s, int node, Request r) {
    for (List<GpuGrant> grants : BruteForce.candidates(s.cluster().node(node), r)) {
      try {
        s.fork().allocate(new Placement("bf", node, r.cpuMilli(), r.memoryMib(), grants));
        return true;
      } catch (GpuallocException e) {
        // not this one
      }
    }
    return false;
  }
}

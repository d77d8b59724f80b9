package io.gpualloc.binpack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.binpack.contract.Scenarios;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.ClusterView;
import io.gpualloc.core.Decision;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.Node;
import io.gpualloc.core.NodeScores;
import io.gpualloc.core.Placement;
import io.gpualloc.core.PlacementPolicy;
import io.gpualloc.core.RejectReason;
import io.gpualloc.core.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The policies' caches follow membership changes: one long-lived instance of every named policy
 * decides and scores exactly as a fresh instance (no caches) after every step of a random sequence
 * of placements, releases, node additions and removals, cordons and GPU health changes, on the
 * live ledger and on snapshots; no answer uses a removed or cordoned node or an unhealthy GPU;
 * removed nodes are reported as such and not counted.
 */
class MembershipCacheProperties {

  @Provide
  Arbitrary<Scenarios.Scenario> scenarios() {
    return Scenarios.scenarios();
  }

  @Property(tries = 25)
  void cachedPoliciesAgreeWithFreshOnesAcrossMembershipChanges(
      @ForAll("scenarios") Scenarios.Scenario s) {
    List<Request> requests = new ArrayList<>(s.pre());
    requests.add(s.request());
    PolicyConfig config = new PolicyConfig(s.seed(), s.workload());
    List<String> names = Policies.names();
    List<PlacementPolicy> cached = new ArrayList<>();
    for (String name : names) {
      cached.add(Policies.named(name, config));
    }
    ClusterState state = new ClusterState(s.cluster());
    SplittableRandom rnd = new SplittableRandom(s.seed());
    List<Node> pool = new ArrayList<>(s.cluster().nodes());
    int added = 0;
    for (int step = 0; step < 14; step++) {
      mutate(state, rnd, pool, added++);
      Request t = requests.get(rnd.nextInt(requests.size()));
      Request r = new Request(t.name() + "-" + step, t.cpuMilli(), t.memoryMib(), t.gpu(),
          t.modelInclude(), t.modelExclude(), t.uuidInclude(), t.uuidExclude(), t.topology(),
          t.priority());
      ClusterView view = rnd.nextBoolean() ? state : state.snapshot();
      Decision first = null;
      for (int i = 0; i < names.size(); i++) {
        String name = names.get(i);
        PlacementPolicy fresh = Policies.named(name, config);
        Decision expected = fresh.place(r, view);
        Decision d = cached.get(i).place(r, view);
        assertEquals(expected, d, name + " step " + step);
        NodeScores scores = cached.get(i).scoreAll(r, view);
        assertEquals(expected, scores.best(), name + " scoreAll step " + step);
        checkMembership(view, d, scores, name);
        if (i == 0) {
          first = d;
        }
      }
      if (first instanceof Decision.Placed p && view == state) {
        state.allocate(p.placement());
      }
    }
  }

  static void checkMembership(ClusterView view, Decision d, NodeScores s, String name) {
    var c = view.cluster();
    for (int id = 0; id < c.nodeIdBound(); id++) {
      if (!view.isSchedulable(id)) {
        assertTrue(!s.isFeasible(id), name);
        assertEquals(c.isLive(id) ? RejectReason.NODE_CORDONED : RejectReason.NODE_REMOVED,
            s.rejectionFor(id).reason(), name);
      }
    }
    assertEquals(c.nodeCount(), s.nodeCount(), name);
    for (int i = 0; i < s.size(); i++) {
      int off = c.gpuOffset(s.nodeId(i));
      for (GpuGrant g : s.grants(i)) {
        assertTrue(view.isGpuHealthy(off + g.gpuIndex()), name + " granted an unhealthy GPU");
      }
    }
    if (d instanceof Decision.Rejected rej && !rej.reasonByNode().isEmpty()) {
      assertEquals(c.nodeCount(), rej.nodeCount(), name);
      assertEquals(c.nodeCount(), rej.counts().values().stream().mapToInt(x -> x).sum(), name);
    }
  }

  /** One random membership or allocation change that the ledger accepts (or none). */
  static void mutate(ClusterState state, SplittableRandom rnd, List<Node> pool, int step) {
    var c = state.cluster();
    int[] ids = c.nodeIds();
    int op = rnd.nextInt(7);
    if (op == 0 && !pool.isEmpty()) {
      Node t = pool.get(rnd.nextInt(pool.size()));
      Node.Builder b = Node.builder("new" + step).cpuMilli(t.cpuMilli()).memoryMib(t.memoryMib());
      if (t.gpuCount() > 0) {
        b.gpus(t.gpuCount(), t.gpu(0).model());
      }
      state.addNode(b.build());
    } else if (op == 1 && ids.length > 1) {
      state.removeNode(c.node(ids[rnd.nextInt(ids.length)]).name());
    } else if (op == 2 && ids.length > 0) {
      state.cordon(c.node(ids[rnd.nextInt(ids.length)]).name());
    } else if (op == 3 && ids.length > 0) {
      state.uncordon(c.node(ids[rnd.nextInt(ids.length)]).name());
    } else if ((op == 4 || op == 5) && ids.length > 0) {
      Node n = c.node(ids[rnd.nextInt(ids.length)]);
      if (n.gpuCount() > 0) {
        int g = rnd.nextInt(n.gpuCount());
        if (op == 4) {
          state.markGpuUnhealthy(n.name(), g);
        } else {
          state.markGpuHealthy(n.name(), g);
        }
      }
    } else if (!state.allocations().isEmpty()) {
      List<Placement> live = state.allocations();
      state.release(live.get(rnd.nextInt(live.size())).allocationId());
    }
  }
}

package io.gpualloc.binpack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.binpack.contract.Scenarios;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.Decision;
import io.gpualloc.core.NodeScores;
import io.gpualloc.core.PlacementPolicy;
import io.gpualloc.core.Request;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@code place} is the best of {@code scoreAll}, for every named policy, after every step of a
 * request sequence on one policy instance (so the memoised paths and their caches are exercised),
 * on the live ledger and on snapshots; and the scored list is well formed: every node is scored or
 * rejected once, scores do not increase along the ranking, every scored node's grants are accepted
 * by the ledger, and the host normalisations put the winner alone at the top.
 */
class ScoringProperties {

  @Provide
  Arbitrary<Scenarios.Scenario> scenarios() {
    return Scenarios.scenarios();
  }

  @Property(tries = 60)
  void placeIsTheBestOfTheScoredListForEveryPolicy(@ForAll("scenarios") Scenarios.Scenario s) {
    List<Request> sequence = new ArrayList<>(s.pre());
    sequence.add(s.request());
    for (String name : Policies.names()) {
      PolicyConfig config = new PolicyConfig(s.seed(), s.workload());
      PlacementPolicy p = Policies.named(name, config);
      PlacementPolicy scoredFirst = Policies.named(name, config);
      ClusterState state = new ClusterState(s.cluster());
      for (Request r : sequence) {
        NodeScores early = scoredFirst.scoreAll(r, state);
        Decision d = p.place(r, state);
        NodeScores scores = p.scoreAll(r, state.snapshot());
        assertEquals(d, scores.best(), name + " " + r);
        assertEquals(d, early.best(), name + " (scoreAll before place) " + r);
        assertEquals(d, scoredFirst.place(r, state), name + " " + r);
        wellFormed(state, r, scores, name);
        if (d instanceof Decision.Placed placed) {
          state.allocate(placed.placement());
        }
      }
    }
  }

  /**
   * A scored list is a value captured at call time: scoring, then changing the ledger (placing
   * the winner, a further request, cordoning and removing a node, a GPU going unhealthy) and
   * scoring again on the same policy instance (whose caches then move on) leaves every entry of
   * the first list as it read before, for every named policy.
   */
  @Property(tries = 40)
  void aScoredListDoesNotChangeWhenTheLedgerChanges(@ForAll("scenarios") Scenarios.Scenario s) {
    for (String name : Policies.names()) {
      PlacementPolicy p = Policies.named(name, new PolicyConfig(s.seed(), s.workload()));
      ClusterState state = s.state();
      NodeScores scores = p.scoreAll(s.request(), state);
      String before = render(scores);
      if (scores.best() instanceof Decision.Placed placed) {
        state.allocate(placed.placement());
      }
      p.scoreAll(s.request(), state);
      for (Request pre : s.pre()) {
        Request r = Request.builder("again-" + pre.name()).cpuMilli(pre.cpuMilli())
            .memoryMib(pre.memoryMib()).gpu(pre.gpu()).build();
        if (p.place(r, state) instanceof Decision.Placed placed) {
          state.allocate(placed.placement());
        }
      }
      String first = state.cluster().node(0).name();
      state.cordon(first);
      p.scoreAll(s.request(), state);
      if (state.cluster().node(0).gpuCount() > 0) {
        state.markGpuUnhealthy(first, 0);
      }
      state.removeNode(first);
      p.scoreAll(s.request(), state);
      p.place(s.request(), state);
      assertEquals(before, render(scores), name);
    }
  }

  /** Every entry of a scored list, read through every accessor, as text. */
  static String render(NodeScores s) {
    StringBuilder sb = new StringBuilder().append(s).append('\n').append(s.terms())
        .append(s.nodeCount()).append('/').append(s.nodeIdBound()).append('\n');
    for (int i = 0; i < s.size(); i++) {
      sb.append(s.node(i)).append(' ').append(s.nodeName(i)).append(' ').append(s.score(i));
      for (int k = 0; k < s.terms().size(); k++) {
        sb.append(' ').append(s.term(i, k));
      }
      sb.append(' ').append(s.grants(i)).append('\n');
    }
    for (int node = 0; node < s.nodeIdBound(); node++) {
      sb.append(node).append(' ').append(s.nodeNameOf(node)).append(' ');
      sb.append(s.isFeasible(node) ? "at " + s.positionOf(node) : s.rejectionFor(node));
      sb.append('\n');
    }
    sb.append(java.util.Arrays.toString(s.normalized100())).append(s.best());
    return sb.toString();
  }

  @Property(tries = 200)
  void theRankingSortOrdersByKeyThenTie(@ForAll("keys") List<Integer> keys,
      @ForAll long shuffle, @ForAll boolean sparseTies) {
    int n = keys.size();
    double[] key = new double[n];
    int[] tie = new int[n];
    List<Integer> ties = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      key[i] = keys.get(i) == 0 && (i & 1) == 1 ? -0.0 : keys.get(i) / 4.0;
      ties.add(sparseTies ? i * 5000 : i * 3);
    }
    java.util.Collections.shuffle(ties, new java.util.Random(shuffle));
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      tie[i] = ties.get(i);
      order[i] = i;
    }
    io.gpualloc.binpack.internal.Explain.sortDescending(order, 0, n, key, tie);
    for (int j = 1; j < n; j++) {
      int a = order[j - 1];
      int b = order[j];
      assertTrue(key[a] > key[b] || (key[a] == key[b] && tie[a] < tie[b]),
          "position " + j + ": " + key[a] + "/" + tie[a] + " before " + key[b] + "/" + tie[b]);
    }
  }

  @Provide
  Arbitrary<List<Integer>> keys() {
    // few distinct keys (bucket sort), many (comparison sort)
    return net.jqwik.api.Arbitraries.oneOf(
        net.jqwik.api.Arbitraries.integers().between(-5, 5).list().ofMaxSize(60),
        net.jqwik.api.Arbitraries.integers().between(-100_000, 100_000).list().ofMaxSize(700));
  }

  static void wellFormed(ClusterState state, Request r, NodeScores s, String name) {
    int n = state.cluster().nodeCount();
    assertEquals(n, s.nodeCount());
    int rejected = 0;
    for (int node = 0; node < n; node++) {
      if (!s.isFeasible(node)) {
        rejected++;
        assertFalse(s.rejectionFor(node).detail().isBlank());
      } else {
        assertEquals(node, s.nodeId(s.positionOf(node)));
      }
    }
    assertEquals(n, rejected + s.size(), name);
    int[] hundred = s.normalized100();
    int[] ten = s.extenderScores();
    for (int i = 0; i < s.size(); i++) {
      if (i > 0) {
        assertTrue(s.score(i) <= s.score(i - 1), name + " ranking");
        assertTrue(hundred[i] < 100 && ten[i] < 10 && hundred[i] >= 0 && ten[i] >= 0);
      }
      assertEquals(state.cluster().node(s.nodeId(i)).name(), s.nodeName(i));
      assertEquals(r.gpu().count(), s.grants(i).size(), name);
      state.fork().allocate(new io.gpualloc.core.Placement(r.name(), s.nodeId(i), r.cpuMilli(),
          r.memoryMib(), s.grants(i)));
    }
    if (s.size() > 0) {
      assertEquals(100, hundred[0]);
      assertEquals(10, ten[0]);
    } else if (s.best() instanceof Decision.Rejected rej && n > 0) {
      assertFalse(rej.message().isEmpty(), name + ": " + rej.summary());
    }
  }
}

package io.gpualloc.binpack.extender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.binpack.Policies;
import io.gpualloc.binpack.PolicyConfig;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.Placement;
import io.gpualloc.core.PlacementPolicy;
import io.gpualloc.core.io.k8s.PreemptionResult;
import io.gpualloc.core.io.k8s.VictimPod;
import io.gpualloc.core.io.k8s.Victims;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Bind and preempt as specifications: no double grant, failures change nothing, feasible plans. */
class ExtenderBindProperties {

  static String limits(int kind) {
    return switch (kind) {
      case 0 -> "\"nvidia.com/gpu\":\"1\"";
      case 1 -> "\"nvidia.com/gpu\":\"2\"";
      case 2 -> "\"nvidia.com/gpu\":\"1\",\"nvidia.com/gpumem\":\"30000\",\"nvidia.com/gpucores\":\"40\"";
      default -> "\"nvidia.com/gpu\":\"1\",\"nvidia.com/gpumem\":\"50000\",\"nvidia.com/gpucores\":\"70\"";
    };
  }

  /**
   * Steps: (pod index, kind, node, whether to filter first). Pods repeat, so binds of a pod
   * already bound, never filtered, or on a full node all happen.
   */
  @Property(tries = 60)
  void bindNeverDoubleGrantsAndAFailedBindChangesNothing(
      @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 0, max = 9) Integer> pods,
      @ForAll @Size(min = 40, max = 40) List<@IntRange(min = 0, max = 3) Integer> kinds,
      @ForAll @Size(min = 40, max = 40) List<@IntRange(min = 0, max = 2) Integer> nodes,
      @ForAll @Size(min = 40, max = 40) List<Boolean> filterFirst) {
    ClusterState s = ExtenderBindTest.cluster();
    Extender e = ExtenderBindTest.extender(s, ExtenderBindTest.AT);
    Set<String> bound = new HashSet<>();
    for (int i = 0; i < pods.size(); i++) {
      String name = "p" + pods.get(i);
      String uid = "u" + pods.get(i);
      if (filterFirst.get(i)) {
        e.filter(ExtenderBindTest.filterBody(ExtenderBindTest.pod(name, uid,
            limits(kinds.get(pods.get(i))))));
      }
      String node = List.of("gpu-a", "gpu-b", "gpu-z").get(nodes.get(i));
      long version = s.version();
      List<Placement> before = s.allocations();
      BindOutcome o = e.bindOutcome(ExtenderBindTest.bindBody(name, uid, node));
      if (o.bound()) {
        assertTrue(bound.add("ml/" + name), "bound twice: " + name);
        assertEquals(o.placement(), s.allocation("ml/" + name));
        assertEquals(version + 1, s.version());
      } else {
        assertFalse(o.error().isEmpty());
        assertEquals(version, s.version(), o.error());
        assertEquals(before, s.allocations());
        assertTrue(o.annotations().isEmpty());
      }
      assertEquals(bound.size(), s.allocationCount());
    }
  }

  /** Every node of a preemption answer is feasible on a fork, and no returned victim is spare. */
  @Property(tries = 60)
  void preemptAnswersAreFeasibleAndMinimal(
      @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 0, max = 3) Integer> victimKinds,
      @ForAll @IntRange(min = 0, max = 3) int podKind) {
    ClusterState s = ExtenderBindTest.cluster();
    Extender e = ExtenderBindTest.extender(s, ExtenderBindTest.AT);
    Map<String, List<String>> uidsOn = Map.of("gpu-a", new ArrayList<>(), "gpu-b",
        new ArrayList<>());
    for (int i = 0; i < victimKinds.size(); i++) {
      String name = "v" + i;
      e.filter(ExtenderBindTest.filterBody(ExtenderBindTest.pod(name, "u" + i,
          limits(victimKinds.get(i)))));
      String node = i % 2 == 0 ? "gpu-a" : "gpu-b";
      if (e.bindOutcome(ExtenderBindTest.bindBody(name, "u" + i, node)).bound()) {
        uidsOn.get(node).add("u" + i);
      }
    }
    StringBuilder sb = new StringBuilder("{\"Pod\":").append(ExtenderBindTest.pod("hi", "u-hi",
        limits(podKind))).append(",\"NodeNameToMetaVictims\":{");
    boolean first = true;
    for (String node : List.of("gpu-a", "gpu-b")) {
      sb.append(first ? "" : ",").append('"').append(node).append("\":{\"Pods\":[");
      List<String> uids = uidsOn.get(node);
      for (int i = 0; i < uids.size(); i++) {
        sb.append(i > 0 ? "," : "").append("{\"UID\":\"").append(uids.get(i)).append("\"}");
      }
      sb.append("],\"NumPDBViolations\":0}");
      first = false;
    }
    long version = s.version();
    PreemptionResult r = e.preemptResult(sb.append("}}").toString());
    assertEquals("", r.error());
    assertEquals(version, s.version());
    PlacementPolicy policy = Policies.named("best-fit", PolicyConfig.of(1));
    var request = ExtenderBindTest.HAMI.readPod(ExtenderBindTest.pod("hi", "u-hi",
        limits(podKind))).request();
    for (Map.Entry<String, Victims> en : r.victims().entrySet()) {
      int id = s.cluster().nodeId(en.getKey());
      ClusterState fork = s.fork();
      List<Placement> removed = new ArrayList<>();
      for (VictimPod v : en.getValue().pods()) {
        String key = "ml/v" + v.uid().substring(1);
        Placement p = fork.allocation(key);
        assertNotNull(p, key);
        assertEquals(id, p.nodeId());
        removed.add(fork.release(key));
      }
      assertTrue(policy.scoreAll(request, fork).isFeasible(id), "infeasible on " + en.getKey());
      for (Placement p : removed) {
        fork.allocate(p);
        assertFalse(policy.scoreAll(request, fork).isFeasible(id),
            "victim " + p.allocationId() + " was not needed on " + en.getKey());
        fork.release(p.allocationId());
      }
    }
  }
}

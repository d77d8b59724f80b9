package io.gpualloc.binpack.extender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.binpack.Policies;
import io.gpualloc.binpack.PolicyConfig;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import io.gpualloc.core.io.hami.HamiCodec;
import io.gpualloc.core.io.hami.HamiLedger;
import io.gpualloc.core.io.k8s.KubeMapping;
import io.gpualloc.core.io.k8s.KubeMapping.GpuSemantics;
import io.gpualloc.core.io.k8s.KubePod;
import io.gpualloc.core.io.k8s.PreemptionResult;
import io.gpualloc.core.ReadLimits;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bind, release and preempt on hand-built clusters, with bodies as kube-scheduler sends them. */
class ExtenderBindTest {
  static final KubeMapping HAMI = KubeMapping.of(GpuSemantics.HAMI);
  static final Clock AT = Clock.fixed(Instant.ofEpochSecond(1_800_000_000L), ZoneOffset.UTC);

  /** A mutable clock for the cache's time-to-live. */
  static final class Ticking extends Clock {
    long millis = 1_800_000_000_000L;

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }

  /** Two nodes of 2 A100-80GB with fixed UUIDs. */
  static ClusterState cluster() {
    var a100 = GpuModelCatalog.builtIn().get("A100-SXM4-80GB");
    Node a = Node.builder("gpu-a").cpuMilli(32_000).memoryMib(262_144)
        .gpu("GPU-a0", a100, 0).gpu("GPU-a1", a100, 0).build();
    Node b = Node.builder("gpu-b").cpuMilli(32_000).memoryMib(262_144)
        .gpu("GPU-b0", a100, 0).gpu("GPU-b1", a100, 0).build();
    return new ClusterState(Cluster.of(a, b));
  }

  static String pod(String name, String uid, String limits) {
    return "{\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"ml\",\"uid\":\"" + uid
        + "\"},\"spec\":{\"schedulerName\":\"gpualloc\",\"initContainers\":[{\"name\":\"fetch\","
        + "\"image\":\"busybox\"}],\"containers\":[{\"name\":\"main\",\"image\":\"trainer:1\","
        + "\"resources\":{\"requests\":{\"cpu\":\"2\",\"memory\":\"8Gi\"},\"limits\":{" + limits
        + "}}}]},\"status\":{\"phase\":\"Pending\"}}";
  }

  static String filterBody(String pod) {
    return "{\"Pod\":" + pod + ",\"Nodes\":null,\"NodeNames\":[\"gpu-a\",\"gpu-b\"]}";
  }

  static String bindBody(String name, String uid, String node) {
    return "{\"PodName\":\"" + name + "\",\"PodNamespace\":\"ml\",\"PodUID\":\"" + uid
        + "\",\"Node\":\"" + node + "\"}";
  }

  static Extender extender(ClusterState s, Clock clock) {
    return Extender.of(Policies.named("best-fit", PolicyConfig.of(1)), s, HAMI,
        Extender.Options.defaults().withClock(clock));
  }

  @Test
  void bindCommitsAndWritesHamiAnnotations() {
    ClusterState s = cluster();
    Extender e = extender(s, AT);
    String pod = pod("train-0", "uid-0", "\"nvidia.com/gpu\":\"2\",\"nvidia.com/gpumem\":"
        + "\"20000\",\"nvidia.com/gpucores\":\"30\"");
    assertEquals("", e.filterResult(filterBody(pod)).error());
    BindOutcome o = e.bindOutcome(bindBody("train-0", "uid-0", "gpu-b"));
    assertEquals("", o.error());
    assertEquals("{\"Error\":\"\"}", o.toJson());
    Placement p = s.allocation("ml/train-0");
    assertNotNull(p);
    assertEquals(1, p.nodeId());
    assertEquals(2000, p.cpuMilli());
    assertEquals(List.of(GpuGrant.share(0, 300, 20_000), GpuGrant.share(1, 300, 20_000)),
        p.grants());
    // init container first (no GPU, empty slot), then the app container with both GPUs
    String devices = ";GPU-b0,NVIDIA,20000,30:GPU-b1,NVIDIA,20000,30:;";
    assertEquals(Map.of(
        HamiCodec.DEVICES_TO_ALLOCATE, devices,
        HamiCodec.DEVICES_ALLOCATED, devices,
        HamiCodec.VGPU_NODE, "gpu-b",
        BindAnnotations.VGPU_TIME, "1800000000",
        BindAnnotations.BIND_PHASE, "allocating",
        BindAnnotations.BIND_TIME, "1800000000"), o.annotations());
  }

  @Test
  void annotationsRebuildTheSamePlacement() {
    ClusterState s = cluster();
    Extender e = extender(s, AT);
    String podJson = pod("train-1", "uid-1", "\"nvidia.com/gpu\":\"1\"");
    e.filter(filterBody(podJson));
    BindOutcome o = e.bindOutcome(bindBody("train-1", "uid-1", "gpu-a"));
    assertTrue(o.bound(), o.error());
    assertEquals(";GPU-a0,NVIDIA,81920,100:;", o.annotations().get(HamiCodec.DEVICES_ALLOCATED));
    // what a restarted extender rebuilds from the pod as the API server then holds it
    KubePod read = HAMI.readPod(podJson);
    KubePod running = new KubePod(read.namespace(), read.name(), read.uid(), "gpu-a",
        o.annotations(), read.request(), read.containers());
    ClusterState fresh = cluster();
    HamiLedger.rebuild(fresh, List.of(running), ReadLimits.defaults());
    assertEquals(s.allocation("ml/train-1"), fresh.allocation("ml/train-1"));
  }

  @Test
  void bindErrorsChangeNothing() {
    ClusterState s = cluster();
    Extender e = extender(s, AT);
    String pod = pod("train-2", "uid-2", "\"nvidia.com/gpu\":\"2\"");
    // never filtered
    assertTrue(e.bindOutcome(bindBody("train-2", "uid-2", "gpu-a")).error()
        .startsWith("PodUnknown"));
    e.filter(filterBody(pod));
    assertTrue(e.bindOutcome(bindBody("train-2", "uid-2", "gpu-z")).error()
        .startsWith("NodeUnknown"));
    assertTrue(e.bindOutcome(bindBody("other", "uid-2", "gpu-a")).error()
        .startsWith("PodMismatch"));
    // the node filled up since filter
    s.allocate(Placement.builder("x", 0).whole(0).build());
    String unfit = e.bindOutcome(bindBody("train-2", "uid-2", "gpu-a")).error();
    assertTrue(unfit.startsWith("NodeUnfitPod"), unfit);
    // malformed bodies
    assertFalse(e.bindOutcome("{").error().isEmpty());
    assertTrue(e.bindOutcome("{\"PodName\":\"a\"}").error().contains("PodNamespace"));
    assertEquals(1, s.allocationCount());
    // then it binds on gpu-b, and a second bind of the same pod is refused
    assertTrue(e.bindOutcome(bindBody("train-2", "uid-2", "gpu-b")).bound());
    e.filter(filterBody(pod));
    assertTrue(e.bindOutcome(bindBody("train-2", "uid-2", "gpu-b")).error()
        .startsWith("AlreadyAllocated"));
    assertEquals(2, s.allocationCount());
  }

  @Test
  void keysAreReadCaseInsensitively() {
    ClusterState s = cluster();
    Extender e = extender(s, AT);
    e.filter(filterBody(pod("t", "u", "\"nvidia.com/gpu\":\"1\"")));
    assertTrue(e.bindOutcome("{\"podname\":\"t\",\"podnamespace\":\"ml\",\"poduid\":\"u\","
        + "\"node\":\"gpu-a\"}").bound());
  }

  @Test
  void pendingPodsExpireAndAreBounded() {
    Ticking clock = new Ticking();
    ClusterState s = cluster();
    Extender e = Extender.of(Policies.named("best-fit", PolicyConfig.of(1)), s, HAMI,
        new Extender.Options(2, Duration.ofSeconds(60), clock));
    e.filter(filterBody(pod("p0", "u0", "\"nvidia.com/gpu\":\"1\"")));
    clock.millis += 60_000;
    assertTrue(e.bindOutcome(bindBody("p0", "u0", "gpu-a")).error().startsWith("PodUnknown"));
    e.filter(filterBody(pod("p1", "u1", "\"nvidia.com/gpu\":\"1\"")));
    e.filter(filterBody(pod("p2", "u2", "\"nvidia.com/gpu\":\"1\"")));
    e.filter(filterBody(pod("p3", "u3", "\"nvidia.com/gpu\":\"1\""))); // drops p1, the oldest
    assertEquals(2, e.pendingPods());
    assertTrue(e.bindOutcome(bindBody("p1", "u1", "gpu-a")).error().startsWith("PodUnknown"));
    assertTrue(e.bindOutcome(bindBody("p2", "u2", "gpu-a")).bound());
    assertTrue(e.bindOutcome(bindBody("p3", "u3", "gpu-a")).bound());
    assertEquals(0, e.pendingPods());
  }

  @Test
  void releaseRestoresTheLedger() {
    ClusterState s = cluster();
    Extender e = extender(s, AT);
    long before = s.snapshot().freeCpuMilli(0);
    e.filter(filterBody(pod("r", "ur", "\"nvidia.com/gpu\":\"1\"")));
    assertTrue(e.bindOutcome(bindBody("r", "ur", "gpu-a")).bound());
    assertNotNull(e.releaseUid("ur"));
    assertNull(e.releaseUid("ur"));
    assertNull(e.release("ml", "r"));
    assertEquals(0, s.allocationCount());
    assertEquals(before, s.snapshot().freeCpuMilli(0));
  }

  /** HAMi's split count: a GPU at its share cap takes no further share; bind says so. */
  @Test
  void bindRespectsTheSplitCount() {
    var a100 = GpuModelCatalog.builtIn().get("A100-SXM4-80GB");
    Node n = Node.builder("gpu-s").cpuMilli(32_000).memoryMib(262_144)
        .gpu(new io.gpualloc.core.Gpu(0, "GPU-s0", a100, 0).withMaxShares(1)).build();
    ClusterState s = new ClusterState(Cluster.of(n));
    Extender e = extender(s, AT);
    String share = "\"nvidia.com/gpu\":\"1\",\"nvidia.com/gpumem\":\"1000\","
        + "\"nvidia.com/gpucores\":\"10\"";
    String names = ",\"Nodes\":null,\"NodeNames\":[\"gpu-s\"]}";
    e.filter("{\"Pod\":" + pod("s1", "u-s1", share) + names);
    e.filter("{\"Pod\":" + pod("s2", "u-s2", share) + names);
    assertTrue(e.bindOutcome(bindBody("s1", "u-s1", "gpu-s")).bound());
    long version = s.version();
    String error = e.bindOutcome(bindBody("s2", "u-s2", "gpu-s")).error();
    assertTrue(error.startsWith("NodeUnfitPod") && error.contains("split count"), error);
    assertEquals(version, s.version());
  }

  // ---------------------------------------------------------------------------------------------
  // preempt

  /** gpu-a: v-big holds both GPUs whole; gpu-b: v1 and v2 each hold one GPU whole. */
  static Extender preemptCluster(ClusterState s) {
    Extender e = extender(s, AT);
    String two = "\"nvidia.com/gpu\":\"2\"";
    String one = "\"nvidia.com/gpu\":\"1\"";
    e.filter(filterBody(pod("v-big", "u-big", two)));
    assertTrue(e.bindOutcome(bindBody("v-big", "u-big", "gpu-a")).bound());
    e.filter(filterBody(pod("v1", "u-1", one)));
    assertTrue(e.bindOutcome(bindBody("v1", "u-1", "gpu-b")).bound());
    e.filter(filterBody(pod("v2", "u-2", one)));
    assertTrue(e.bindOutcome(bindBody("v2", "u-2", "gpu-b")).bound());
    return e;
  }

  @Test
  void preemptReturnsAMinimalVictimSet() {
    ClusterState s = cluster();
    Extender e = preemptCluster(s);
    long version = s.version();
    String body = "{\"Pod\":" + pod("hi", "u-hi", "\"nvidia.com/gpu\":\"1\"") + ","
        + "\"NodeNameToVictims\":null,\"NodeNameToMetaVictims\":{"
        + "\"gpu-a\":{\"Pods\":[{\"UID\":\"u-big\"},{\"UID\":\"u-cpu-only\"}],\"NumPDBViolations\":0},"
        + "\"gpu-b\":{\"Pods\":[{\"UID\":\"u-1\"},{\"UID\":\"u-2\"}],\"NumPDBViolations\":1},"
        + "\"gpu-z\":{\"Pods\":[{\"UID\":\"u-9\"}],\"NumPDBViolations\":0}}}";
    // gpu-a: v-big is needed, the unknown pod passes through; gpu-b: one GPU is enough, so the
    // first (most important) victim is spared; gpu-z is not a member
    assertEquals("{\"NodeNameToMetaVictims\":{"
        + "\"gpu-a\":{\"Pods\":[{\"UID\":\"u-big\"},{\"UID\":\"u-cpu-only\"}],\"NumPDBViolations\":0},"
        + "\"gpu-b\":{\"Pods\":[{\"UID\":\"u-2\"}],\"NumPDBViolations\":1}}}", e.preempt(body));
    assertEquals(version, s.version());
  }

  @Test
  void preemptDropsNodesWhereThePodStillDoesNotFit() {
    ClusterState s = cluster();
    Extender e = preemptCluster(s);
    // a 2-GPU pod: on gpu-b evicting v1 alone is not enough
    String body = "{\"pod\":" + pod("hi", "u-hi", "\"nvidia.com/gpu\":\"2\"") + ","
        + "\"nodenametometavictims\":{\"gpu-b\":{\"pods\":[{\"uid\":\"u-1\"}]}}}";
    assertEquals("{\"NodeNameToMetaVictims\":{}}", e.preempt(body));
    String both = "{\"Pod\":" + pod("hi", "u-hi", "\"nvidia.com/gpu\":\"2\"") + ","
        + "\"NodeNameToMetaVictims\":{\"gpu-b\":{\"Pods\":[{\"UID\":\"u-1\"},{\"UID\":\"u-2\"}],"
        + "\"NumPDBViolations\":0}}}";
    PreemptionResult r = e.preemptResult(both);
    assertEquals(List.of("gpu-b"), List.copyOf(r.victims().keySet()));
    assertEquals(2, r.victims().get("gpu-b").pods().size());
  }

  @Test
  void preemptReadsFullVictimPods() {
    ClusterState s = cluster();
    Extender e = preemptCluster(s);
    String body = "{\"Pod\":" + pod("hi", "u-hi", "\"nvidia.com/gpu\":\"1\"") + ","
        + "\"NodeNameToVictims\":{\"gpu-b\":{\"Pods\":[" + pod("v1", "u-1", "") + ","
        + pod("v2", "u-2", "") + "],\"NumPDBViolations\":0}},\"NodeNameToMetaVictims\":null}";
    assertEquals("{\"NodeNameToMetaVictims\":{\"gpu-b\":{\"Pods\":[{\"UID\":\"u-2\"}],"
        + "\"NumPDBViolations\":0}}}", e.preempt(body));
  }

  @Test
  void preemptBadInputIsAnErrorResult() {
    Extender e = extender(cluster(), AT);
    assertTrue(e.preemptResult("[]").error().contains("expected an object"));
    String none = "{\"Pod\":" + pod("hi", "u", "\"nvidia.com/gpu\":\"1\"") + "}";
    assertTrue(e.preempt(none).startsWith("{\"NodeNameToMetaVictims\":{},\"Error\":"));
    String noUid = "{\"Pod\":" + pod("hi", "u", "\"nvidia.com/gpu\":\"1\"") + ","
        + "\"NodeNameToMetaVictims\":{\"gpu-a\":{\"Pods\":[{}]}}}";
    assertTrue(e.preemptResult(noUid).error().contains("UID"));
  }
}

package io.gpualloc.examples.extender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.GpuMode;
import io.gpualloc.core.Placement;
import io.gpualloc.core.io.k8s.KubeMapping.GpuSemantics;
import io.gpualloc.core.io.k8s.ResourceNames;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The extender server on a loopback port, driven with real HTTP requests whose bodies are what
 * kube-scheduler sends, binding through a loopback fake API server with {@link HttpApiClient}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExtenderServerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient CLIENT = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();
  static final List<String> NAMES = new ArrayList<>();

  @TempDir static Path dir;
  static FakeApiServer api;
  static ExtenderServer server;

  static ServerConfig config(boolean nodeCacheCapable, String nodesDir) {
    return new ServerConfig("best-fit", "127.0.0.1", 0, GpuSemantics.HAMI,
        ResourceNames.defaults(), nodeCacheCapable, nodesDir, "none", null, null, 0, 10_000, 600,
        4);
  }

  @BeforeAll
  static void start() throws IOException {
    List<String> nodes = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      String name = String.format("gpu-%04d", i);
      NAMES.add(name);
      nodes.add(KubeBodies.node(name, 4));
    }
    Path nodesDir = Files.createDirectories(dir.resolve("nodes"));
    Files.writeString(nodesDir.resolve("cluster.json"), KubeBodies.nodeList(nodes));
    Files.writeString(dir.resolve("token"), "test-token\n");
    api = new FakeApiServer();
    server = ExtenderServer.start(config(true, nodesDir.toString()),
        new HttpApiClient(api.uri(), dir.resolve("token"), null));
  }

  @AfterAll
  static void stop() {
    server.close();
    api.close();
  }

  static HttpResponse<String> post(ExtenderServer s, String path, String body)
      throws IOException, InterruptedException {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(ExtenderServer s, String path)
      throws IOException, InterruptedException {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode ok(HttpResponse<String> r) throws IOException {
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
    return JSON.readTree(r.body());
  }

  static final String SHARE = "\"nvidia.com/gpu\":\"1\",\"nvidia.com/gpumem\":\"20000\","
      + "\"nvidia.com/gpucores\":\"30\"";

  @Test
  void filterAndPrioritizeAThousandNodesByName() throws Exception {
    List<String> names = new ArrayList<>(NAMES);
    names.add("gpu-missing");
    String body = KubeBodies.byName(KubeBodies.pod("f-0", "uid-f-0", SHARE), names);
    JsonNode f = ok(post(server, "/filter", body));
    assertEquals("", f.get("Error").asText());
    assertTrue(f.get("Nodes").isNull());
    // other tests of this class fill a few nodes; every other node takes the share
    assertEquals(1000, f.get("NodeNames").size() + f.get("FailedNodes").size());
    assertTrue(f.get("NodeNames").size() >= 990, f.toString());
    assertTrue(f.get("FailedAndUnresolvableNodes").get("gpu-missing").asText()
        .startsWith("NodeUnknown"));
    JsonNode p = ok(post(server, "/prioritize", body));
    assertEquals(1001, p.size());
    int tens = 0;
    for (JsonNode h : p) {
      assertTrue(h.get("Score").asInt() >= 0 && h.get("Score").asInt() <= 10);
      tens += h.get("Score").asInt() == 10 ? 1 : 0;
    }
    assertEquals(1, tens);
    assertEquals("gpu-missing", p.get(1000).get("Host").asText());
    assertEquals(0, p.get(1000).get("Score").asInt());
  }

  @Test
  void fullNodesAreLearntFromTheRequest() throws Exception {
    try (ExtenderServer s = ExtenderServer.start(config(false, null), ApiClient.NONE)) {
      List<String> nodes = List.of(KubeBodies.node("n-a", 2), KubeBodies.node("n-b", 1));
      String two = "\"nvidia.com/gpu\":\"2\"";
      JsonNode f = ok(post(s, "/filter", KubeBodies.withNodes(KubeBodies.pod("w", "uid-w", two),
          nodes)));
      assertEquals("", f.get("Error").asText());
      assertTrue(f.get("NodeNames").isNull());
      assertEquals(1, f.get("Nodes").get("items").size());
      // the passing Node comes back as it was sent
      assertEquals(JSON.readTree(nodes.get(0)), f.get("Nodes").get("items").get(0));
      assertTrue(f.get("FailedNodes").get("n-b").asText().startsWith("insufficient free GPUs"),
          f.toString());
      assertEquals(2, s.extender().state().cluster().nodeCount());
      assertEquals("{\"Error\":\"\"}", post(s, "/bind", KubeBodies.bind("w", "uid-w", "n-a"))
          .body());
    }
  }

  @Test
  void badInputGetsAWellFormedError() throws Exception {
    JsonNode f = ok(post(server, "/filter", "{\"Pod\":"));
    assertFalse(f.get("Error").asText().isEmpty());
    assertTrue(f.get("NodeNames").isNull());
    JsonNode g = ok(post(server, "/filter", KubeBodies.byName(KubeBodies.pod("bad", "u-bad",
        "\"nvidia.com/gpu\":\"1.5\""), NAMES.subList(0, 3))));
    assertTrue(g.get("Error").asText().contains("nvidia.com/gpu"), g.toString());
    assertEquals("[]", post(server, "/prioritize", "not json").body());
    JsonNode b = ok(post(server, "/bind", "{}"));
    assertTrue(b.get("Error").asText().contains("PodName"), b.toString());
    JsonNode p = ok(post(server, "/preempt", "[1,2]"));
    assertEquals(0, p.get("NodeNameToMetaVictims").size());
    assertFalse(p.get("Error").asText().isEmpty());
    JsonNode r = ok(post(server, "/release", "{}"));
    assertFalse(r.get("Released").asBoolean());
    assertFalse(r.get("Error").asText().isEmpty());
    assertEquals(405, get(server, "/filter").statusCode());
    assertEquals(200, get(server, "/healthz").statusCode());
  }

  @Test
  void bindWritesTheAnnotationsAndTheBinding() throws Exception {
    String pod = KubeBodies.pod("b-0", "uid-b-0", SHARE);
    ok(post(server, "/filter", KubeBodies.byName(pod, NAMES.subList(0, 10))));
    int before = api.calls.size();
    JsonNode b = ok(post(server, "/bind", KubeBodies.bind("b-0", "uid-b-0", "gpu-0007")));
    assertEquals("", b.get("Error").asText());
    List<FakeApiServer.Call> calls = api.calls.subList(before, api.calls.size());
    assertEquals(2, calls.size());
    FakeApiServer.Call patch = calls.get(0);
    assertEquals("PATCH", patch.method());
    assertEquals("/api/v1/namespaces/ml/pods/b-0", patch.path());
    assertEquals("application/merge-patch+json", patch.contentType());
    assertEquals("Bearer test-token", patch.authorization());
    JsonNode ann = JSON.readTree(patch.body()).get("metadata").get("annotations");
    assertEquals(";GPU-gpu-0007-0,NVIDIA,20000,30:;",
        ann.get("hami.io/vgpu-devices-to-allocate").asText());
    assertEquals(ann.get("hami.io/vgpu-devices-to-allocate"),
        ann.get("hami.io/vgpu-devices-allocated"));
    assertEquals("gpu-0007", ann.get("hami.io/vgpu-node").asText());
    assertEquals("allocating", ann.get("hami.io/bind-phase").asText());
    assertTrue(ann.get("hami.io/bind-time").asLong() > 1_700_000_000L);
    FakeApiServer.Call binding = calls.get(1);
    assertEquals("POST", binding.method());
    assertEquals("/api/v1/namespaces/ml/pods/b-0/binding", binding.path());
    JsonNode bj = JSON.readTree(binding.body());
    assertEquals("Binding", bj.get("kind").asText());
    assertEquals("uid-b-0", bj.get("metadata").get("uid").asText());
    assertEquals("gpu-0007", bj.get("target").get("name").asText());
    assertNotNull(server.extender().state().allocation("ml/b-0"));
    // the pod ends: released through the hook
    JsonNode r = ok(post(server, "/release", "{\"PodNamespace\":\"ml\",\"PodName\":\"b-0\"}"));
    assertTrue(r.get("Released").asBoolean());
    assertNull(server.extender().state().allocation("ml/b-0"));
  }

  @Test
  void aRefusedBindingReleasesTheAllocation() throws Exception {
    api.refuseBinding.add("doomed");
    String pod = KubeBodies.pod("doomed", "uid-doomed", SHARE);
    ok(post(server, "/filter", KubeBodies.byName(pod, NAMES.subList(0, 10))));
    long version = server.extender().state().version();
    JsonNode b = ok(post(server, "/bind", KubeBodies.bind("doomed", "uid-doomed", "gpu-0003")));
    assertTrue(b.get("Error").asText().startsWith("ApiError"), b.toString());
    assertTrue(b.get("Error").asText().contains("409"), b.toString());
    assertNull(server.extender().state().allocation("ml/doomed"));
    assertEquals(version + 2, server.extender().state().version()); // allocated, then released
  }

  @Test
  void preemptOverHttp() throws Exception {
    String two = "\"nvidia.com/gpu\":\"4\"";
    String victim = KubeBodies.pod("victim", "uid-victim", two);
    ok(post(server, "/filter", KubeBodies.byName(victim, List.of("gpu-0999"))));
    assertEquals("", ok(post(server, "/bind", KubeBodies.bind("victim", "uid-victim",
        "gpu-0999"))).get("Error").asText());
    String body = "{\"Pod\":" + KubeBodies.pod("urgent", "uid-urgent", SHARE)
        + ",\"NodeNameToVictims\":null,\"NodeNameToMetaVictims\":{\"gpu-0999\":{\"Pods\":["
        + "{\"UID\":\"uid-victim\"}],\"NumPDBViolations\":0}}}";
    assertEquals("{\"NodeNameToMetaVictims\":{\"gpu-0999\":{\"Pods\":[{\"UID\":\"uid-victim\"}],"
        + "\"NumPDBViolations\":0}}}", post(server, "/preempt", body).body());
  }

  @Test
  void metricsCountRequestsRejectionsAndLatency() throws Exception {
    ok(post(server, "/filter", KubeBodies.byName(KubeBodies.pod("m", "uid-m",
        "\"nvidia.com/gpu\":\"8\""), NAMES.subList(0, 2))));
    HttpResponse<String> m = get(server, "/metrics");
    assertEquals(200, m.statusCode());
    String text = m.body();
    assertTrue(text.contains("gpualloc_extender_requests_total{verb=\"filter\",outcome=\"ok\"}"),
        text);
    assertTrue(text.contains("gpualloc_extender_rejections_total{reason=\"INSUFFICIENT_GPUS\"}"),
        text);
    assertTrue(text.contains("gpualloc_extender_request_seconds_bucket{verb=\"filter\","
        + "le=\"+Inf\"}"), text);
    assertTrue(text.contains("gpualloc_extender_nodes 1000"), text);
  }

  /**
   * Several threads bind pods at once, some the same pod twice, on a few nodes with fewer GPUs
   * than pods: every success is one Binding and one allocation, no GPU is granted twice.
   */
  @Test
  void concurrentBindsNeitherLoseNorDoubleGrants() throws Exception {
    try (FakeApiServer fake = new FakeApiServer();
        ExtenderServer s = ExtenderServer.start(config(true, dir.resolve("nodes").toString()),
            new HttpApiClient(fake.uri(), null, null))) {
      int pods = 120;
      String whole = "\"nvidia.com/gpu\":\"1\"";
      for (int i = 0; i < pods; i++) {
        ok(post(s, "/filter", KubeBodies.byName(KubeBodies.pod("c-" + i, "uid-c-" + i, whole),
            NAMES.subList(0, 10))));
      }
      AtomicInteger bound = new AtomicInteger();
      Set<String> boundPods = ConcurrentHashMap.newKeySet();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<?>> jobs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        jobs.add(pool.submit(() -> {
          for (int k = 0; k < pods / 2; k++) {
            int i = (thread % 2) * (pods / 2) + k; // threads 0/2 and 1/3 race on the same pods
            String node = NAMES.get(i % 10);
            JsonNode r = ok(post(s, "/bind", KubeBodies.bind("c-" + i, "uid-c-" + i, node)));
            if (r.get("Error").asText().isEmpty()) {
              bound.incrementAndGet();
              assertTrue(boundPods.add("c-" + i), "bound twice: c-" + i);
            }
          }
          return null;
        }));
      }
      for (Future<?> j : jobs) {
        j.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();
      ClusterState state = s.extender().state();
      assertEquals(40, bound.get()); // 10 nodes x 4 GPUs, every one taken once
      assertEquals(bound.get(), state.allocationCount());
      assertEquals(bound.get(), fake.bindings().size());
      Set<String> gpus = new HashSet<>();
      for (Placement p : state.allocations()) {
        assertEquals(1, p.grants().size());
        assertTrue(gpus.add(p.nodeId() + "/" + p.grants().get(0).gpuIndex()));
      }
      for (int n = 0; n < 10; n++) {
        for (int g = 0; g < 4; g++) {
          assertEquals(GpuMode.WHOLE, state.gpuMode(state.cluster().gpuId(n, g)));
        }
      }
    }
  }
}

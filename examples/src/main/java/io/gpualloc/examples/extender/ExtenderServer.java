package io.gpualloc.examples.extender;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gpualloc.binpack.Policies;
import io.gpualloc.binpack.PolicyConfig;
import io.gpualloc.binpack.extender.BindOutcome;
import io.gpualloc.binpack.extender.Extender;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.GpuallocException;
import io.gpualloc.core.Placement;
import io.gpualloc.core.RejectReason;
import io.gpualloc.core.io.k8s.ExtenderArgs;
import io.gpualloc.core.io.k8s.ExtenderJson;
import io.gpualloc.core.io.k8s.FilterResult;
import io.gpualloc.core.io.k8s.KubeMapping;
import io.gpualloc.core.io.k8s.KubeNode;
import io.gpualloc.core.io.k8s.KubePod;
import io.gpualloc.core.io.k8s.PreemptionResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * A kube-scheduler extender over HTTP: the JDK's built-in {@link HttpServer} in front of a
 * transport-free {@link Extender}. Endpoints (all {@code POST} except the last two):
 *
 * <ul>
 *   <li>{@code /filter}, {@code /prioritize}, {@code /bind}, {@code /preempt}: kube-scheduler's
 *       verbs. They always answer 200 with the verb's JSON; bad input gets a well-formed {@code
 *       Error}. {@code /bind} commits to the ledger, writes the HAMi annotations on the pod and
 *       creates the Binding through the {@link ApiClient}; if the API refuses, the allocation is
 *       released and the result carries the error.
 *   <li>{@code /release}: {@code {"PodNamespace": ..., "PodName": ...}} or {@code {"PodUID":
 *       ...}}: a pod ended (the API resync does this by itself when an API server is configured).
 *   <li>{@code /nodes}: a Node or NodeList JSON to add or update; {@code DELETE /nodes/NAME}
 *       removes one.
 *   <li>{@code GET /healthz}, {@code GET /metrics} (Prometheus text).
 * </ul>
 *
 * <p>Nodes are learnt from, in this order: the start-up directory ({@code nodesDir}); the API
 * server (listed at start-up and every {@code nodeResyncSeconds}, together with the running pods,
 * whose HAMi allocations are adopted, and whose disappearance from two lists in a row releases
 * their allocation); {@code /nodes}; and, without {@code nodeCacheCapable}, the full Nodes of each
 * filter and prioritize request.
 */
public final class ExtenderServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ExtenderServer.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ServerConfig config;
  private final ApiClient api;
  private final KubeMapping mapping;
  private final Extender extender;
  private final Metrics metrics = new Metrics();
  private final HttpServer http;
  private final ExecutorService workers;
  private final ScheduledExecutorService resync;
  private final Set<String> apiNodes = new HashSet<>();
  private Set<String> missingOnce = new HashSet<>();

  private ExtenderServer(ServerConfig config, ApiClient api) throws IOException {
    this.config = config;
    this.api = api;
    this.mapping = KubeMapping.of(config.semantics()).withNames(config.names());
    ClusterState state = new ClusterState(Cluster.of(List.of()));
    this.extender = Extender.of(Policies.named(config.policy(), PolicyConfig.of(1)), state,
        mapping, Extender.Options.defaults().withMaxPendingPods(config.maxPendingPods())
            .withPendingTtl(Duration.ofSeconds(config.pendingTtlSeconds())));
    metrics.gauge("gpualloc_extender_nodes", () -> state.cluster().nodeCount());
    metrics.gauge("gpualloc_extender_allocations", state::allocationCount);
    metrics.gauge("gpualloc_extender_pending_pods", extender::pendingPods);
    if (config.nodesDir() != null) {
      loadNodesDir(Path.of(config.nodesDir()));
    }
    if (api != ApiClient.NONE) {
      sync();
    }
    this.http = HttpServer.create(new InetSocketAddress(config.address(), config.port()), 256);
    this.workers = Executors.newFixedThreadPool(config.threads(), r -> {
      Thread t = new Thread(r, "extender-http");
      t.setDaemon(true);
      return t;
    });
    http.setExecutor(workers);
    http.createContext("/filter", ex -> serve(ex, "filter", this::filter));
    http.createContext("/prioritize", ex -> serve(ex, "prioritize", this::prioritize));
    http.createContext("/bind", ex -> serve(ex, "bind", this::bind));
    http.createContext("/preempt", ex -> serve(ex, "preempt", this::preempt));
    http.createContext("/release", ex -> serve(ex, "release", this::release));
    http.createContext("/nodes", this::nodes);
    http.createContext("/healthz", ex -> reply(ex, 200, "text/plain", "ok\n"));
    http.createContext("/metrics", ex -> reply(ex, 200, "text/plain; version=0.0.4",
        metrics.scrape()));
    http.start();
    if (api != ApiClient.NONE && config.nodeResyncSeconds() > 0) {
      resync = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "extender-resync");
        t.setDaemon(true);
        return t;
      });
      resync.scheduleWithFixedDelay(this::syncQuietly, config.nodeResyncSeconds(),
          config.nodeResyncSeconds(), TimeUnit.SECONDS);
    } else {
      resync = null;
    }
  }

  /**
   * Starts a server.
   *
   * @param config the settings
   * @param api the API server client ({@link ApiClient#NONE} to keep decisions in the ledger only)
   * @return the running server
   * @throws IOException when the port cannot be bound, the node directory cannot be read, or the
   *     first API listing fails
   * @throws GpuallocException when a node file is malformed
   */
  public static ExtenderServer start(ServerConfig config, ApiClient api) throws IOException {
    // The JDK's HTTP server writes a response's headers and body in separate writes; without
    // TCP_NODELAY, Nagle's algorithm meets the client's delayed ACK and each response waits tens
    // of milliseconds. The property is read once, when the JDK creates its first HTTP server.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    return new ExtenderServer(config, api);
  }

  /**
   * The port the server listens on (the one chosen when the configured port is 0).
   *
   * @return the port
   */
  public int port() {
    return http.getAddress().getPort();
  }

  /**
   * The extender behind the endpoints.
   *
   * @return the extender
   */
  public Extender extender() {
    return extender;
  }

  /**
   * The server's metrics.
   *
   * @return the metrics
   */
  public Metrics metrics() {
    return metrics;
  }

  /** Stops listening and ends the worker threads. */
  @Override
  public void close() {
    http.stop(0);
    workers.shutdownNow();
    if (resync != null) {
      resync.shutdownNow();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // verbs

  private interface Verb {
    /** Answers a body; {@code ok[0]} set false when the answer carries an error. */
    String answer(String body, boolean[] ok);
  }

  private void serve(HttpExchange ex, String verb, Verb handler) throws IOException {
    long t0 = System.nanoTime();
    boolean[] ok = {true};
    String out;
    try {
      if (!"POST".equals(ex.getRequestMethod())) {
        ok[0] = false;
        reply(ex, 405, "application/json", error("method " + ex.getRequestMethod()
            + " not allowed; allowed: POST"));
        return;
      }
      String body;
      try {
        body = readBody(ex);
      } catch (GpuallocException e) {
        body = null;
        ok[0] = false;
        out = verb.equals("prioritize") ? "[]" : error(e.getMessage());
        reply(ex, 200, "application/json", out);
        return;
      }
      try {
        out = handler.answer(body, ok);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, verb + " failed", e);
        ok[0] = false;
        out = verb.equals("prioritize") ? "[]" : error("internal error: " + e);
      }
      reply(ex, 200, "application/json", out);
    } finally {
      metrics.request(verb, ok[0] ? "ok" : "error", System.nanoTime() - t0);
    }
  }

  private String filter(String body, boolean[] ok) {
    FilterResult r;
    try {
      ExtenderArgs args = ExtenderJson.readArgs(body, mapping);
      learn(args);
      r = extender.filterResult(args);
    } catch (GpuallocException e) {
      r = FilterResult.ofError(e.getMessage());
    }
    ok[0] = r.error().isEmpty();
    if (ok[0]) {
      metrics.decision("filter", "passed",
          r.nodeNames() != null ? r.nodeNames().size() : r.rawNodes().size());
      metrics.decision("filter", "failed", r.failedNodes().size()
          + r.failedAndUnresolvableNodes().size());
      for (String why : r.failedNodes().values()) {
        metrics.rejection(reasonOf(why));
      }
      for (int i = 0; i < r.failedAndUnresolvableNodes().size(); i++) {
        metrics.rejection("NODE_UNKNOWN");
      }
    }
    return ExtenderJson.writeFilterResult(r);
  }

  private String prioritize(String body, boolean[] ok) {
    try {
      ExtenderArgs args = ExtenderJson.readArgs(body, mapping);
      learn(args);
      return ExtenderJson.writePriorities(extender.priorities(args));
    } catch (GpuallocException e) {
      ok[0] = false;
      return "[]";
    }
  }

  private String bind(String body, boolean[] ok) {
    BindOutcome o = extender.bindOutcome(body);
    String error = o.error();
    if (o.bound()) {
      try {
        if (!o.annotations().isEmpty()) {
          api.patchPodAnnotations(o.namespace(), o.name(), o.annotations());
        }
        api.bind(o.namespace(), o.name(), o.uid(), o.node());
      } catch (IOException | RuntimeException e) {
        extender.release(o.namespace(), o.name());
        error = "ApiError: " + e.getMessage() + "; the allocation was released";
      }
    }
    ok[0] = error.isEmpty();
    metrics.decision("bind", ok[0] ? "bound" : codeOf(error), 1);
    return ExtenderJson.writeBindingResult(error);
  }

  private String preempt(String body, boolean[] ok) {
    PreemptionResult r = extender.preemptResult(body);
    ok[0] = r.error().isEmpty();
    metrics.decision("preempt", "nodes", r.victims().size());
    return ExtenderJson.writePreemptionResult(r);
  }

  private String release(String body, boolean[] ok) {
    ObjectNode out = JSON.createObjectNode();
    try {
      JsonNode root = JSON.readTree(body);
      if (root == null || !root.isObject()) {
        throw new IOException("expected an object with PodNamespace and PodName, or PodUID");
      }
      Map<String, String> f = new LinkedHashMap<>();
      root.properties().forEach(e -> f.put(e.getKey().toLowerCase(Locale.ROOT),
          e.getValue().asText("")));
      Placement released;
      if (!f.getOrDefault("podname", "").isEmpty()) {
        String ns = f.getOrDefault("podnamespace", "");
        released = extender.release(ns.isEmpty() ? "default" : ns, f.get("podname"));
      } else if (!f.getOrDefault("poduid", "").isEmpty()) {
        released = extender.releaseUid(f.get("poduid"));
      } else {
        throw new IOException("PodName or PodUID: missing; allowed: PodNamespace and PodName, or"
            + " PodUID");
      }
      out.put("Released", released != null).put("Error", "");
    } catch (IOException e) {
      ok[0] = false;
      out.put("Released", false).put("Error", e.getMessage());
    }
    return out.toString();
  }

  private void nodes(HttpExchange ex) throws IOException {
    long t0 = System.nanoTime();
    boolean good = true;
    try {
      String method = ex.getRequestMethod();
      String path = ex.getRequestURI().getPath();
      ObjectNode out = JSON.createObjectNode();
      if ("DELETE".equals(method) && path.startsWith("/nodes/") && path.length() > 7) {
        String name = path.substring(7);
        out.put("Released", extender.removeNode(name).size()).put("Error", "");
        reply(ex, 200, "application/json", out.toString());
      } else if ("POST".equals(method)) {
        ObjectNode applied = out.putObject("Applied");
        try {
          for (KubeNode k : readNodes(readBody(ex), "body")) {
            applied.put(k.node().name(), extender.applyNode(k).name());
          }
          out.put("Error", "");
        } catch (GpuallocException e) {
          good = false;
          out.put("Error", e.getMessage());
        }
        reply(ex, 200, "application/json", out.toString());
      } else {
        good = false;
        reply(ex, 405, "application/json", error("allowed: POST /nodes, DELETE /nodes/NAME"));
      }
    } finally {
      metrics.request("nodes", good ? "ok" : "error", System.nanoTime() - t0);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // nodes and pods

  /** Without nodeCacheCapable, requests carry full Nodes: apply them before deciding. */
  private void learn(ExtenderArgs args) {
    if (args.nodes() == null) {
      return;
    }
    for (KubeNode k : args.nodes()) {
      try {
        extender.applyNode(k);
      } catch (GpuallocException e) {
        LOG.warning("node " + k.node().name() + " not applied: " + e.getMessage());
      }
    }
  }

  private List<KubeNode> readNodes(String json, String source) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new io.gpualloc.core.ParseException(source, 0, 0, "", "not valid JSON: "
          + e.getMessage(), e);
    }
    List<KubeNode> out = new ArrayList<>();
    if (root != null && root.has("items")) {
      for (JsonNode item : root.get("items")) {
        out.add(mapping.readNode(item.toString()));
      }
    } else {
      out.add(mapping.readNode(json));
    }
    return out;
  }

  private void loadNodesDir(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
    }
    for (Path f : files) {
      for (KubeNode k : readNodes(Files.readString(f), f.toString())) {
        extender.applyNode(k);
      }
    }
  }

  private void syncQuietly() {
    try {
      sync();
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "API resync failed; retrying at the next period", e);
    }
  }

  /**
   * Lists nodes and running pods: applies every node, removes nodes the API no longer lists,
   * adopts running pods' HAMi allocations the ledger does not hold, and releases allocations of
   * pods absent from two lists in a row.
   */
  synchronized void sync() throws IOException {
    Set<String> listed = new HashSet<>();
    for (KubeNode k : readNodes(api.listNodes(), "GET /api/v1/nodes")) {
      listed.add(k.node().name());
      try {
        extender.applyNode(k);
      } catch (GpuallocException e) {
        LOG.warning("node " + k.node().name() + " not applied: " + e.getMessage());
      }
    }
    for (String gone : new ArrayList<>(apiNodes)) {
      if (!listed.contains(gone)) {
        extender.removeNode(gone);
      }
    }
    apiNodes.clear();
    apiNodes.addAll(listed);
    JsonNode pods = JSON.readTree(api.listActivePods());
    Set<String> running = new HashSet<>();
    ClusterState state = extender.state();
    for (JsonNode item : pods.path("items")) {
      KubePod pod;
      try {
        pod = mapping.readPod(item.toString());
      } catch (GpuallocException e) {
        continue; // a pod gpualloc cannot read holds nothing in its ledger
      }
      running.add(pod.key());
      if (state.allocation(pod.key()) == null) {
        try {
          extender.adopt(List.of(pod));
        } catch (GpuallocException e) {
          LOG.warning("pod " + pod.key() + " not adopted: " + e.getMessage());
        }
      }
    }
    Set<String> missing = new HashSet<>();
    for (Placement p : state.allocations()) {
      if (!running.contains(p.allocationId())) {
        missing.add(p.allocationId());
      }
    }
    for (String key : missing) {
      if (missingOnce.contains(key)) {
        int slash = key.indexOf('/');
        extender.release(key.substring(0, slash), key.substring(slash + 1));
      }
    }
    missing.removeIf(k -> state.allocation(k) == null);
    missingOnce = missing;
  }

  // ---------------------------------------------------------------------------------------------
  // helpers

  private String readBody(HttpExchange ex) {
    long max = mapping.limits().maxBytes();
    try (InputStream in = ex.getRequestBody()) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      byte[] chunk = new byte[64 * 1024];
      long total = 0;
      for (int n; (n = in.read(chunk)) > 0; ) {
        total += n;
        if (total > max) {
          throw new io.gpualloc.core.ParseException("request body", 0, 0, "",
              "more than maxBytes = " + max + " bytes (see ReadLimits)");
        }
        buf.write(chunk, 0, n);
      }
      return buf.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void reply(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String error(String message) {
    return JSON.createObjectNode().put("Error", message).toString();
  }

  /** The RejectReason whose text a policy's rejection message starts with. */
  static String reasonOf(String message) {
    for (RejectReason r : RejectReason.values()) {
      if (message.startsWith(r.text())) {
        return r.name();
      }
    }
    return "OTHER";
  }

  /** The code before the first ':' of an extender error ({@code NodeUnfitPod: ...}). */
  static String codeOf(String error) {
    int colon = error.indexOf(':');
    String code = colon > 0 ? error.substring(0, colon) : "";
    return code.matches("[A-Za-z]+") ? code : "Error";
  }
}

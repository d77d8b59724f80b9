package io.gpualloc.benchmarks.k8s;

import io.gpualloc.core.ClusterState;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import io.gpualloc.core.io.k8s.KubeMapping.GpuSemantics;
import io.gpualloc.core.io.k8s.KubeNode;
import io.gpualloc.core.io.k8s.ResourceNames;
import io.gpualloc.examples.extender.ApiClient;
import io.gpualloc.examples.extender.ExtenderServer;
import io.gpualloc.examples.extender.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The extender server's throughput on loopback: two client threads, each sending kube-scheduler's
 * filter and then prioritize request for one HAMi pod against every node by name (the cluster of
 * {@link ExtenderBenchmark}), over HTTP/1.1 to the JDK HTTP server (4 worker threads) in the same
 * JVM. One operation is one filter plus one prioritize; the score is operations per second of both
 * threads together, so requests per second are twice the score.
 *
 * <p>{@code java -jar benchmarks/target/gpualloc-benchmarks.jar ExtenderServerBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ExtenderServerBenchmark {

  /** Cluster size in nodes (8 GPUs each); every node is a candidate. */
  @Param({"1000"})
  public int nodes;

  private ExtenderServer server;
  private HttpClient client;
  private URI filter;
  private URI prioritize;
  private String body;

  /**
   * Starts the server on a free loopback port and loads the cluster into its ledger.
   *
   * @throws IOException when the server cannot start
   */
  @Setup
  public void setUp() throws IOException {
    server = ExtenderServer.start(new ServerConfig("best-fit", "127.0.0.1", 0,
        GpuSemantics.HAMI, ResourceNames.defaults(), true, null, "none", null, null, 0, 10_000,
        600, 4), ApiClient.NONE);
    ClusterState model = ExtenderBenchmark.cluster(nodes);
    for (Node n : model.cluster().nodes()) {
      server.extender().applyNode(new KubeNode(n, List.of(), Map.of(), List.of(), List.of()));
    }
    for (Placement p : model.allocations()) {
      server.extender().state().allocate(p);
    }
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    filter = URI.create("http://127.0.0.1:" + server.port() + "/filter");
    prioritize = URI.create("http://127.0.0.1:" + server.port() + "/prioritize");
    body = ExtenderBenchmark.byName(nodes);
  }

  /** Stops the server. */
  @TearDown
  public void tearDown() {
    server.close();
  }

  /**
   * One filter and one prioritize request.
   *
   * @return the prioritize response's length
   * @throws Exception when a request fails
   */
  @Benchmark
  public int filterThenPrioritize() throws Exception {
    String f = post(filter);
    if (!f.endsWith("\"Error\":\"\"}")) {
      throw new IllegalStateException("filter failed: " + f.substring(0, Math.min(200, f.length())));
    }
    return post(prioritize).length() + f.length();
  }

  private String post(URI uri) throws Exception {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(uri + " answered " + r.statusCode());
    }
    return r.body();
  }
}

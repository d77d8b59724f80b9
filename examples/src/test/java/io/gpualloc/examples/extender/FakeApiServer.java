package io.gpualloc.examples.extender;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/** A loopback stand-in for the API server: records pod patches and bindings. */
final class FakeApiServer implements AutoCloseable {
  /** One request as received. */
  record Call(String method, String path, String authorization, String contentType, String body) {}

  final List<Call> calls = new CopyOnWriteArrayList<>();
  /** Pod names whose binding the fake refuses with 409. */
  final Set<String> refuseBinding = ConcurrentHashMap.newKeySet();
  volatile String nodes = "{\"kind\":\"NodeList\",\"items\":[]}";
  volatile String pods = "{\"kind\":\"PodList\",\"items\":[]}";
  private final HttpServer http;

  FakeApiServer() throws IOException {
    // as ExtenderServer.start does: the JDK reads it once, at its first HTTP server
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    http.setExecutor(Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "fake-api");
      t.setDaemon(true);
      return t;
    }));
    http.createContext("/", ex -> {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String path = ex.getRequestURI().getPath();
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      String type = ex.getRequestHeaders().getFirst("Content-Type");
      calls.add(new Call(ex.getRequestMethod(), path, auth == null ? "" : auth,
          type == null ? "" : type, body));
      int status = 200;
      String out = "{}";
      if (path.equals("/api/v1/nodes")) {
        out = nodes;
      } else if (path.equals("/api/v1/pods")) {
        out = pods;
      } else if (path.endsWith("/binding")) {
        String pod = path.split("/")[6];
        if (refuseBinding.contains(pod)) {
          status = 409;
          out = "{\"kind\":\"Status\",\"message\":\"pod " + pod + " is being deleted\"}";
        } else {
          status = 201;
        }
      }
      byte[] bytes = out.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, bytes.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(bytes);
      }
    });
    http.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
  }

  List<Call> bindings() {
    return calls.stream().filter(c -> c.path().endsWith("/binding")).toList();
  }

  @Override
  public void close() {
    http.stop(0);
  }
}

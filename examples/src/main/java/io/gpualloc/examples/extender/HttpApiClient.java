package io.gpualloc.examples.extender;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * An {@link ApiClient} on the JDK's {@link HttpClient}: bearer-token authentication, the cluster's
 * CA for TLS, JSON merge patches for annotations and {@code v1.Binding} for binds. The token file
 * is re-read on every request, since service-account tokens are rotated.
 */
public final class HttpApiClient implements ApiClient {
  /** Where Kubernetes mounts a pod's service-account credentials. */
  public static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI base;
  private final @Nullable Path tokenFile;
  private final HttpClient http;
  private final Duration timeout = Duration.ofSeconds(10);

  /**
   * A client of the API server at {@code base}.
   *
   * @param base the API server, for example {@code https://10.0.0.1:443}
   * @param tokenFile the bearer token file, or null for none
   * @param caFile a PEM file of the CA certificates to trust, or null for the JDK's trust store
   * @throws IOException when the CA file cannot be read or parsed
   */
  public HttpApiClient(URI base, @Nullable Path tokenFile, @Nullable Path caFile)
      throws IOException {
    this.base = base;
    this.tokenFile = tokenFile;
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(timeout);
    if (caFile != null) {
      b.sslContext(trusting(caFile));
    }
    this.http = b.build();
  }

  /**
   * The client of a pod's own cluster: {@code KUBERNETES_SERVICE_HOST}/{@code _PORT} and the
   * mounted service-account token and CA.
   *
   * @return the client
   * @throws IOException when not running in a pod or the credentials cannot be read
   */
  public static HttpApiClient inCluster() throws IOException {
    String host = System.getenv("KUBERNETES_SERVICE_HOST");
    String port = System.getenv("KUBERNETES_SERVICE_PORT");
    if (host == null || port == null) {
      throw new IOException("KUBERNETES_SERVICE_HOST/PORT are not set: not running in a pod."
          + " Maybe set api to an API server URL, or to none");
    }
    String h = host.contains(":") ? "[" + host + "]" : host;
    return new HttpApiClient(URI.create("https://" + h + ":" + port),
        SERVICE_ACCOUNT.resolve("token"), SERVICE_ACCOUNT.resolve("ca.crt"));
  }

  private static SSLContext trusting(Path caFile) throws IOException {
    try (InputStream in = Files.newInputStream(caFile)) {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        ks.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use the CA file " + caFile + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void patchPodAnnotations(String namespace, String name, Map<String, String> annotations)
      throws IOException {
    ObjectNode patch = JSON.createObjectNode();
    ObjectNode a = patch.putObject("metadata").putObject("annotations");
    annotations.forEach(a::put);
    send("PATCH", podPath(namespace, name), "application/merge-patch+json",
        JSON.writeValueAsString(patch), 200);
  }

  @Override
  public void bind(String namespace, String name, String uid, String node) throws IOException {
    ObjectNode b = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Binding");
    ObjectNode md = b.putObject("metadata").put("name", name).put("namespace", namespace);
    if (!uid.isEmpty()) {
      md.put("uid", uid);
    }
    b.putObject("target").put("apiVersion", "v1").put("kind", "Node").put("name", node);
    send("POST", podPath(namespace, name) + "/binding", "application/json",
        JSON.writeValueAsString(b), 201);
  }

  @Override
  public String listNodes() throws IOException {
    return send("GET", "/api/v1/nodes", null, null, 200);
  }

  @Override
  public String listActivePods() throws IOException {
    String selector = URLEncoder.encode(
        "spec.nodeName!=,status.phase!=Succeeded,status.phase!=Failed", StandardCharsets.UTF_8);
    return send("GET", "/api/v1/pods?fieldSelector=" + selector, null, null, 200);
  }

  private static String podPath(String namespace, String name) {
    return "/api/v1/namespaces/" + enc(namespace) + "/pods/" + enc(name);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private String send(String method, String path, @Nullable String contentType,
      @Nullable String body, int expected) throws IOException {
    HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
        .header("Accept", "application/json");
    if (tokenFile != null) {
      r.header("Authorization", "Bearer " + Files.readString(tokenFile).trim());
    }
    if (body == null) {
      r.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      r.header("Content-Type", contentType);
      r.method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    HttpResponse<String> resp;
    try {
      resp = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(method + " " + path + " interrupted", e);
    }
    if (resp.statusCode() != expected && resp.statusCode() / 100 != 2) {
      String text = resp.body();
      throw new IOException(method + " " + path + " answered " + resp.statusCode() + ": "
          + (text.length() > 300 ? text.substring(0, 300) + "..." : text));
    }
    return resp.body();
  }
}

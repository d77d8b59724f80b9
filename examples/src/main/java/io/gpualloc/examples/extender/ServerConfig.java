package io.gpualloc.examples.extender;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.gpualloc.binpack.Policies;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.ParseException;
import io.gpualloc.core.io.k8s.KubeMapping.GpuSemantics;
import io.gpualloc.core.io.k8s.ResourceNames;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The extender server's settings, read from a small YAML file (every key optional; see {@code
 * examples/deploy/extender.yaml}) and overridden by command-line flags.
 *
 * @param policy the placement policy's registry name ({@code Policies.names()})
 * @param address the address to listen on ({@code 0.0.0.0} in a pod, {@code 127.0.0.1} in tests)
 * @param port the port, 0 for any free one
 * @param semantics how {@code nvidia.com/gpu} is read: {@code HAMI} (shares) or {@code WHOLE}
 * @param names the resource names (renamable as in HAMi's chart)
 * @param nodeCacheCapable whether kube-scheduler sends node names only (it must match the
 *     scheduler's extender stanza); then nodes come from the node sources
 * @param nodesDir a directory of Node or NodeList JSON files read at start-up, or null
 * @param api where bind writes: {@code none} (the ledger only: tests and dry runs), {@code
 *     in-cluster} (the pod's service account), or an API server URL with {@code tokenFile} and
 *     {@code caFile}
 * @param tokenFile the bearer token file for an API server URL, or null
 * @param caFile the CA certificate (PEM) for an API server URL, or null for the JDK's trust store
 * @param nodeResyncSeconds how often the server lists nodes and pods through the API (0: only at
 *     start-up); ignored with {@code api: none}
 * @param maxPendingPods the most pods remembered between filter and bind
 * @param pendingTtlSeconds how long a pod is remembered
 * @param threads the HTTP worker threads
 */
public record ServerConfig(
    String policy,
    String address,
    int port,
    GpuSemantics semantics,
    ResourceNames names,
    boolean nodeCacheCapable,
    @Nullable String nodesDir,
    String api,
    @Nullable String tokenFile,
    @Nullable String caFile,
    int nodeResyncSeconds,
    int maxPendingPods,
    int pendingTtlSeconds,
    int threads) {

  private static final Set<String> KEYS = Set.of("policy", "address", "port", "semantics",
      "resourceNames", "nodeCacheCapable", "nodesDir", "api", "tokenFile", "caFile",
      "nodeResyncSeconds", "maxPendingPods", "pendingTtlSeconds", "threads");
  private static final Set<String> NAME_KEYS =
      Set.of("gpu", "gpuMemory", "gpuMemoryPercentage", "gpuCores");

  /**
   * Validates.
   *
   * @param policy the policy name
   * @param address the listen address
   * @param port the port, 0..65535
   * @param semantics the GPU semantics
   * @param names the resource names
   * @param nodeCacheCapable whether requests carry node names only
   * @param nodesDir a node directory, or null
   * @param api {@code none}, {@code in-cluster} or an http(s) URL
   * @param tokenFile a token file, or null
   * @param caFile a CA file, or null
   * @param nodeResyncSeconds at least 0
   * @param maxPendingPods at least 1
   * @param pendingTtlSeconds at least 1
   * @param threads 1..256
   */
  public ServerConfig {
    if (policy == null || !Policies.names().contains(policy)) {
      throw InvalidSpecException.of("extender server", "policy", policy,
          "one of " + String.join(", ", Policies.names()));
    }
    if (address == null || address.isBlank()) {
      throw InvalidSpecException.of("extender server", "address", address, "a host or IP");
    }
    if (port < 0 || port > 65_535) {
      throw InvalidSpecException.of("extender server", "port", port, "0..65535");
    }
    if (semantics == null || names == null) {
      throw InvalidSpecException.of("extender server", "semantics/resourceNames", null,
          "non-null values");
    }
    if (api == null || !(api.equals("none") || api.equals("in-cluster")
        || api.startsWith("http://") || api.startsWith("https://"))) {
      throw InvalidSpecException.of("extender server", "api", api,
          "none, in-cluster, or an http(s):// URL of the API server");
    }
    if (nodeResyncSeconds < 0) {
      throw InvalidSpecException.of("extender server", "nodeResyncSeconds", nodeResyncSeconds,
          ">= 0");
    }
    if (maxPendingPods < 1) {
      throw InvalidSpecException.of("extender server", "maxPendingPods", maxPendingPods, ">= 1");
    }
    if (pendingTtlSeconds < 1) {
      throw InvalidSpecException.of("extender server", "pendingTtlSeconds", pendingTtlSeconds,
          ">= 1");
    }
    if (threads < 1 || threads > 256) {
      throw InvalidSpecException.of("extender server", "threads", threads, "1..256");
    }
  }

  /**
   * The defaults: {@code best-fit}, {@code 0.0.0.0:8888}, HAMi semantics and names, {@code
   * nodeCacheCapable: true}, no node directory, {@code api: in-cluster}, resync every 30 s, 10,000
   * pending pods for 600 s, 4 threads.
   *
   * @return the defaults
   */
  public static ServerConfig defaults() {
    return new ServerConfig("best-fit", "0.0.0.0", 8888, GpuSemantics.HAMI,
        ResourceNames.defaults(), true, null, "in-cluster", null, null, 30, 10_000, 600, 4);
  }

  /**
   * Reads a YAML document over {@code base}: every key present replaces the base value; unknown
   * keys are errors.
   *
   * @param yaml the document
   * @param base the values for absent keys
   * @return the settings
   * @throws ParseException when the YAML is malformed or a key unknown or of the wrong type
   * @throws InvalidSpecException when a value is out of range
   */
  public static ServerConfig fromYaml(String yaml, ServerConfig base) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (IOException e) {
      throw new ParseException("extender config", 0, 0, "", "not valid YAML: " + e.getMessage(),
          e);
    }
    if (root == null || root.isNull() || root.isMissingNode()) {
      return base;
    }
    if (!root.isObject()) {
      throw new ParseException("extender config", 0, 0, "", "expected a mapping of settings");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!KEYS.contains(k)) {
        throw new ParseException("extender config", 0, 0, k, "unknown key; allowed: "
            + String.join(", ", new java.util.TreeSet<>(KEYS)));
      }
    }
    ResourceNames names = base.names();
    JsonNode rn = root.get("resourceNames");
    if (rn != null && !rn.isNull()) {
      if (!rn.isObject()) {
        throw new ParseException("extender config", 0, 0, "resourceNames", "expected a mapping");
      }
      for (Iterator<String> it = rn.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!NAME_KEYS.contains(k)) {
          throw new ParseException("extender config", 0, 0, "resourceNames." + k,
              "unknown key; allowed: gpu, gpuMemory, gpuMemoryPercentage, gpuCores");
        }
      }
      names = names.withHami(text(rn, "gpu", names.gpu()), text(rn, "gpuMemory", names.gpuMemory()),
          text(rn, "gpuMemoryPercentage", names.gpuMemoryPercentage()),
          text(rn, "gpuCores", names.gpuCores()));
    }
    String sem = text(root, "semantics", base.semantics().name()).toUpperCase(Locale.ROOT);
    GpuSemantics semantics;
    try {
      semantics = GpuSemantics.valueOf(sem);
    } catch (IllegalArgumentException e) {
      throw new ParseException("extender config", 0, 0, "semantics", "is '" + sem
          + "'; allowed: HAMI or WHOLE");
    }
    return new ServerConfig(text(root, "policy", base.policy()),
        text(root, "address", base.address()), integer(root, "port", base.port()), semantics,
        names, bool(root, "nodeCacheCapable", base.nodeCacheCapable()),
        nullableText(root, "nodesDir", base.nodesDir()), text(root, "api", base.api()),
        nullableText(root, "tokenFile", base.tokenFile()),
        nullableText(root, "caFile", base.caFile()),
        integer(root, "nodeResyncSeconds", base.nodeResyncSeconds()),
        integer(root, "maxPendingPods", base.maxPendingPods()),
        integer(root, "pendingTtlSeconds", base.pendingTtlSeconds()),
        integer(root, "threads", base.threads()));
  }

  private static String text(JsonNode o, String key, String dflt) {
    JsonNode n = o.get(key);
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (!n.isTextual()) {
      throw new ParseException("extender config", 0, 0, key, "expected a string, found " + n);
    }
    return n.asText();
  }

  private static @Nullable String nullableText(JsonNode o, String key, @Nullable String dflt) {
    JsonNode n = o.get(key);
    return n == null ? dflt : n.isNull() ? null : text(o, key, "");
  }

  private static int integer(JsonNode o, String key, int dflt) {
    JsonNode n = o.get(key);
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (!n.isInt()) {
      throw new ParseException("extender config", 0, 0, key, "expected an integer, found " + n);
    }
    return n.intValue();
  }

  private static boolean bool(JsonNode o, String key, boolean dflt) {
    JsonNode n = o.get(key);
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (!n.isBoolean()) {
      throw new ParseException("extender config", 0, 0, key, "expected true or false, found " + n);
    }
    return n.booleanValue();
  }
}

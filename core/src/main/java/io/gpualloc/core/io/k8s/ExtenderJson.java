package io.gpualloc.core.io.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.gpualloc.core.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The JSON of kube-scheduler's extender API ({@code k8s.io/kube-scheduler/extender/v1}). Its Go
 * types carry no JSON tags, so kube-scheduler writes the Go field names ({@code Pod}, {@code
 * NodeNames}, ...) and Go reads keys case-insensitively; so do these readers, and the writers use
 * the Go names. Bounds come from the {@link KubeMapping}'s {@code ReadLimits}.
 */
public final class ExtenderJson {
  private static final ObjectMapper WRITER = new ObjectMapper();

  private ExtenderJson() {}

  /**
   * Reads an {@code ExtenderArgs} body (filter and prioritize requests).
   *
   * @param json the request body
   * @param mapping how the pod and nodes are mapped, and the read limits
   * @return the arguments
   * @throws ParseException when the body is malformed, has neither or both of {@code NodeNames} and
   *     {@code Nodes}, or the pod or a node does not map
   */
  public static ExtenderArgs readArgs(String json, KubeMapping mapping) {
    String source = "ExtenderArgs";
    JsonNode root = Json.parse(source, json, mapping.limits());
    if (!root.isObject()) {
      throw Json.error(source, "", "expected an object, found " + Json.describe(root));
    }
    JsonNode podNode = get(root, "Pod");
    if (podNode == null || podNode.isNull()) {
      throw Json.error(source, "Pod", "missing; ExtenderArgs needs the pod");
    }
    KubePod pod = mapping.pod(podNode, source, "Pod.");
    JsonNode names = get(root, "NodeNames");
    JsonNode nodes = get(root, "Nodes");
    boolean hasNames = names != null && !names.isNull();
    boolean hasNodes = nodes != null && !nodes.isNull();
    if (hasNames == hasNodes) {
      throw Json.error(source, "NodeNames", hasNames ? "both NodeNames and Nodes are set"
          : "neither NodeNames nor Nodes is set; allowed: exactly one");
    }
    if (hasNames) {
      List<JsonNode> items = Json.array(source, "NodeNames", names);
      if (items.size() > mapping.limits().maxNodes()) {
        throw Json.error(source, "NodeNames", items.size() + " names; allowed: at most maxNodes = "
            + mapping.limits().maxNodes() + " (see ReadLimits)");
      }
      List<String> out = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        String n = Json.string(source, "NodeNames[" + i + "]", items.get(i), "");
        if (n.isBlank()) {
          throw Json.error(source, "NodeNames[" + i + "]", "expected a node name");
        }
        out.add(n);
      }
      return new ExtenderArgs(pod, out, null, null);
    }
    JsonNode list = Json.object(source, "Nodes", nodes);
    List<JsonNode> items = Json.array(source, "Nodes.items", list == null ? null : get(list, "items"));
    if (items.size() > mapping.limits().maxNodes()) {
      throw Json.error(source, "Nodes.items", items.size() + " nodes; allowed: at most maxNodes = "
          + mapping.limits().maxNodes() + " (see ReadLimits)");
    }
    List<KubeNode> out = new ArrayList<>(items.size());
    List<String> raw = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      out.add(mapping.node(items.get(i), source, "Nodes.items[" + i + "]."));
      raw.add(items.get(i).toString());
    }
    return new ExtenderArgs(pod, null, out, raw);
  }

  /**
   * Reads an {@code ExtenderBindingArgs} body.
   *
   * @param json the request body
   * @param mapping supplies the read limits
   * @return the arguments
   * @throws ParseException when the body is malformed or a field is missing
   */
  public static BindingArgs readBindingArgs(String json, KubeMapping mapping) {
    String source = "ExtenderBindingArgs";
    JsonNode root = Json.parse(source, json, mapping.limits());
    if (!root.isObject()) {
      throw Json.error(source, "", "expected an object, found " + Json.describe(root));
    }
    String name = required(source, root, "PodName");
    String ns = required(source, root, "PodNamespace");
    String uid = Json.string(source, "PodUID", get(root, "PodUID"), "");
    String node = required(source, root, "Node");
    return new BindingArgs(name, ns, uid, node);
  }

  private static String required(String source, JsonNode root, String key) {
    String v = Json.string(source, key, get(root, key), "");
    if (v.isBlank()) {
      throw Json.error(source, key, "missing or blank; allowed: a non-blank string");
    }
    return v;
  }

  /**
   * Writes an {@code ExtenderFilterResult}.
   *
   * @param r the result
   * @return the response body
   */
  public static String writeFilterResult(FilterResult r) {
    ObjectNode o = WRITER.createObjectNode();
    if (r.rawNodes() == null) {
      o.putNull("Nodes");
    } else {
      ObjectNode list = o.putObject("Nodes");
      list.putObject("metadata");
      ArrayNode items = list.putArray("items");
      for (String raw : r.rawNodes()) {
        items.addRawValue(new RawValue(raw));
      }
    }
    if (r.nodeNames() == null) {
      o.putNull("NodeNames");
    } else {
      ArrayNode a = o.putArray("NodeNames");
      r.nodeNames().forEach(a::add);
    }
    putMap(o, "FailedNodes", r.failedNodes());
    putMap(o, "FailedAndUnresolvableNodes", r.failedAndUnresolvableNodes());
    o.put("Error", r.error());
    return write(o);
  }

  private static void putMap(ObjectNode o, String key, Map<String, String> m) {
    ObjectNode f = o.putObject(key);
    m.forEach(f::put);
  }

  /**
   * Writes a {@code HostPriorityList}.
   *
   * @param list the scores
   * @return the response body
   */
  public static String writePriorities(List<HostPriority> list) {
    ArrayNode a = WRITER.createArrayNode();
    for (HostPriority h : list) {
      a.addObject().put("Host", h.host()).put("Score", h.score());
    }
    return write(a);
  }

  /**
   * Writes an {@code ExtenderBindingResult}.
   *
   * @param error the error message, empty for success
   * @return the response body
   */
  public static String writeBindingResult(String error) {
    return write(WRITER.createObjectNode().put("Error", error == null ? "" : error));
  }

  private static String write(JsonNode n) {
    try {
      return WRITER.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("writing a JSON tree cannot fail", e);
    }
  }

  /** The field named {@code name}, matched case-insensitively (exact match first), as Go does. */
  static @Nullable JsonNode get(JsonNode o, String name) {
    JsonNode exact = o.get(name);
    if (exact != null) {
      return exact;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    for (Map.Entry<String, JsonNode> e : o.properties()) {
      if (e.getKey().toLowerCase(Locale.ROOT).equals(lower)) {
        return e.getValue();
      }
    }
    return null;
  }
}

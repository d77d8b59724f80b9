package io.gpualloc.core.io.k8s;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpualloc.core.ParseException;
import io.gpualloc.core.ReadLimits;
import java.io.IOException;
import java.io.StringWriter;
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
    if (json == null) {
      throw new ParseException(source, 0, 0, "", "the input is null; expected a JSON object");
    }
    ReadLimits limits = mapping.limits();
    limits.checkText(source, json);
    // Streamed: the node names (up to thousands) are read as strings, not as a tree; the Pod and
    // the Nodes are read as trees. Keys match case-insensitively, an exact match winning, as Go.
    ObjectMapper m = Json.mapperFor(limits);
    JsonNode podNode = null;
    JsonNode nodes = null;
    List<String> names = null;
    boolean podExact = false;
    boolean nodesExact = false;
    boolean namesExact = false;
    try (JsonParser p = m.getFactory().createParser(json)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new ParseException(source, 0, 0, "", "the input is empty; expected a JSON object");
      }
      if (t != JsonToken.START_OBJECT) {
        throw Json.error(source, "", "expected an object, found "
            + Json.describe(m.readTree(p)));
      }
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        p.nextToken();
        switch (key.toLowerCase(Locale.ROOT)) {
          case "pod" -> {
            JsonNode v = m.readTree(p);
            if (podNode == null || (key.equals("Pod") && !podExact)) {
              podNode = v;
              podExact = key.equals("Pod");
            }
          }
          case "nodes" -> {
            JsonNode v = m.readTree(p);
            if (nodes == null || (key.equals("Nodes") && !nodesExact)) {
              nodes = v;
              nodesExact = key.equals("Nodes");
            }
          }
          case "nodenames" -> {
            List<String> v = readNames(source, p, m, limits);
            if (!namesExact && (names == null || key.equals("NodeNames"))) {
              names = v;
              namesExact = key.equals("NodeNames");
            }
          }
          default -> p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        JsonLocation at = p.currentTokenLocation();
        throw new ParseException(source, at.getLineNr(), at.getColumnNr(), "",
            "unexpected content after the top-level value");
      }
    } catch (JsonProcessingException e) {
      throw Json.notJson(source, e);
    } catch (IOException e) {
      throw new ParseException(source, 0, 0, "", "cannot read the input: " + e, e);
    }
    if (podNode == null || podNode.isNull()) {
      throw Json.error(source, "Pod", "missing; ExtenderArgs needs the pod");
    }
    KubePod pod = mapping.pod(podNode, source, "Pod.");
    boolean hasNames = names != null;
    boolean hasNodes = nodes != null && !nodes.isNull();
    if (hasNames == hasNodes) {
      throw Json.error(source, "NodeNames", hasNames ? "both NodeNames and Nodes are set"
          : "neither NodeNames nor Nodes is set; allowed: exactly one");
    }
    if (hasNames) {
      return new ExtenderArgs(pod, names, null, null);
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
   * {@code NodeNames} at the parser's current token: null for JSON null, else the names (each a
   * non-blank string), at most {@code maxNodes}.
   */
  private static @Nullable List<String> readNames(String source, JsonParser p, ObjectMapper m,
      ReadLimits limits) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw Json.error(source, "NodeNames", "expected a list, found "
          + Json.describe(m.readTree(p)));
    }
    List<String> out = new ArrayList<>();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      int i = out.size();
      if (i >= limits.maxNodes()) {
        throw Json.error(source, "NodeNames", "more than maxNodes = " + limits.maxNodes()
            + " names (see ReadLimits)");
      }
      String n;
      if (t == JsonToken.VALUE_STRING) {
        n = p.getText();
      } else if (t == JsonToken.VALUE_NULL) {
        n = "";
      } else {
        throw Json.error(source, "NodeNames[" + i + "]", "expected a string, found "
            + Json.describe(m.readTree(p)));
      }
      if (n.isBlank()) {
        throw Json.error(source, "NodeNames[" + i + "]", "expected a node name");
      }
      out.add(n);
    }
    return out;
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

  /**
   * Reads an {@code ExtenderPreemptionArgs} body. {@code NodeNameToMetaVictims} ({@code
   * nodeCacheCapable}) is read when set, else {@code NodeNameToVictims}, whose full Pods are read
   * for their identity only ({@code metadata.uid}, {@code namespace}, {@code name}).
   *
   * @param json the request body
   * @param mapping how the preemptor pod is mapped, and the read limits
   * @return the arguments
   * @throws ParseException when the body is malformed, the pod does not map, neither map is set, a
   *     victim has no UID (meta form) or no name (full form), or there are more than {@code
   *     maxNodes} nodes or {@code maxItems} victims
   */
  public static PreemptionArgs readPreemptionArgs(String json, KubeMapping mapping) {
    String source = "ExtenderPreemptionArgs";
    JsonNode root = Json.parse(source, json, mapping.limits());
    if (!root.isObject()) {
      throw Json.error(source, "", "expected an object, found " + Json.describe(root));
    }
    JsonNode podNode = get(root, "Pod");
    if (podNode == null || podNode.isNull()) {
      throw Json.error(source, "Pod", "missing; ExtenderPreemptionArgs needs the pod");
    }
    KubePod pod = mapping.pod(podNode, source, "Pod.");
    JsonNode metaMap = get(root, "NodeNameToMetaVictims");
    JsonNode fullMap = get(root, "NodeNameToVictims");
    boolean meta = metaMap != null && !metaMap.isNull();
    JsonNode map = meta ? metaMap : fullMap;
    String field = meta ? "NodeNameToMetaVictims" : "NodeNameToVictims";
    if (map == null || map.isNull()) {
      throw Json.error(source, "NodeNameToMetaVictims",
          "neither NodeNameToMetaVictims nor NodeNameToVictims is set; allowed: one of them");
    }
    JsonNode obj = Json.object(source, field, map);
    if (obj.size() > mapping.limits().maxNodes()) {
      throw Json.error(source, field, obj.size() + " nodes; allowed: at most maxNodes = "
          + mapping.limits().maxNodes() + " (see ReadLimits)");
    }
    Map<String, Victims> out = new java.util.TreeMap<>();
    int items = 0;
    for (Map.Entry<String, JsonNode> e : obj.properties()) {
      String path = field + "[\"" + e.getKey() + "\"]";
      JsonNode v = Json.object(source, path, e.getValue());
      if (v == null) {
        throw Json.error(source, path, "expected a victims object, found null");
      }
      List<JsonNode> pods = Json.array(source, path + ".Pods", get(v, "Pods"));
      items += pods.size();
      if (items > mapping.limits().maxItems()) {
        throw Json.error(source, path + ".Pods", "more than maxItems = "
            + mapping.limits().maxItems() + " victims (see ReadLimits)");
      }
      List<VictimPod> victims = new ArrayList<>(pods.size());
      for (int i = 0; i < pods.size(); i++) {
        String pp = path + ".Pods[" + i + "]";
        JsonNode p = Json.object(source, pp, pods.get(i));
        if (p == null) {
          throw Json.error(source, pp, "expected a pod, found null");
        }
        if (meta) {
          String uid = Json.string(source, pp + ".UID", get(p, "UID"), "");
          if (uid.isBlank()) {
            throw Json.error(source, pp + ".UID", "missing or blank; allowed: the victim's UID");
          }
          victims.add(VictimPod.ofUid(uid));
        } else {
          JsonNode md = Json.object(source, pp + ".metadata", p.get("metadata"));
          if (md == null) {
            throw Json.error(source, pp + ".metadata", "missing; a victim Pod needs metadata.name");
          }
          String name = Json.string(source, pp + ".metadata.name", md.get("name"), "");
          if (name.isBlank()) {
            throw Json.error(source, pp + ".metadata.name", "missing or blank; a Pod needs a name");
          }
          String ns = Json.string(source, pp + ".metadata.namespace", md.get("namespace"), "");
          String uid = Json.string(source, pp + ".metadata.uid", md.get("uid"), "");
          victims.add(new VictimPod(uid, ns.isBlank() ? "default" : ns, name));
        }
      }
      JsonNode pdb = get(v, "NumPDBViolations");
      long violations = 0;
      if (pdb != null && !pdb.isNull()) {
        if (!pdb.isIntegralNumber() || !pdb.canConvertToLong() || pdb.longValue() < 0) {
          throw Json.error(source, path + ".NumPDBViolations",
              "expected a non-negative 64-bit integer, found " + Json.describe(pdb));
        }
        violations = pdb.longValue();
      }
      out.put(e.getKey(), new Victims(victims, violations));
    }
    return new PreemptionArgs(pod, out, meta);
  }

  /**
   * Writes an {@code ExtenderPreemptionResult}: {@code NodeNameToMetaVictims} with each victim's
   * {@code UID}, and an extra {@code Error} key only when the result carries an error.
   *
   * @param r the result
   * @return the response body
   */
  public static String writePreemptionResult(PreemptionResult r) {
    ObjectNode o = WRITER.createObjectNode();
    ObjectNode m = o.putObject("NodeNameToMetaVictims");
    for (Map.Entry<String, Victims> e : r.victims().entrySet()) {
      ObjectNode v = m.putObject(e.getKey());
      ArrayNode pods = v.putArray("Pods");
      for (VictimPod p : e.getValue().pods()) {
        pods.addObject().put("UID", p.uid());
      }
      v.put("NumPDBViolations", e.getValue().numPdbViolations());
    }
    if (!r.error().isEmpty()) {
      o.put("Error", r.error());
    }
    return write(o);
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
    StringWriter out = new StringWriter(256 + 16 * (r.nodeNames() == null ? 0
        : r.nodeNames().size()));
    try (JsonGenerator g = WRITER.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeFieldName("Nodes");
      if (r.rawNodes() == null) {
        g.writeNull();
      } else {
        g.writeStartObject();
        g.writeFieldName("metadata");
        g.writeStartObject();
        g.writeEndObject();
        g.writeArrayFieldStart("items");
        for (String raw : r.rawNodes()) {
          g.writeRawValue(raw);
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeFieldName("NodeNames");
      if (r.nodeNames() == null) {
        g.writeNull();
      } else {
        g.writeStartArray();
        for (String n : r.nodeNames()) {
          g.writeString(n);
        }
        g.writeEndArray();
      }
      writeMap(g, "FailedNodes", r.failedNodes());
      writeMap(g, "FailedAndUnresolvableNodes", r.failedAndUnresolvableNodes());
      g.writeStringField("Error", r.error());
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("writing JSON to a string cannot fail", e);
    }
    return out.toString();
  }

  private static void writeMap(JsonGenerator g, String key, Map<String, String> m)
      throws IOException {
    g.writeObjectFieldStart(key);
    for (Map.Entry<String, String> e : m.entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }

  /**
   * Writes a {@code HostPriorityList}.
   *
   * @param list the scores
   * @return the response body
   */
  public static String writePriorities(List<HostPriority> list) {
    StringWriter out = new StringWriter(16 + 32 * list.size());
    try (JsonGenerator g = WRITER.getFactory().createGenerator(out)) {
      g.writeStartArray();
      for (HostPriority h : list) {
        g.writeStartObject();
        g.writeStringField("Host", h.host());
        g.writeNumberField("Score", h.score());
        g.writeEndObject();
      }
      g.writeEndArray();
    } catch (IOException e) {
      throw new IllegalStateException("writing JSON to a string cannot fail", e);
    }
    return out.toString();
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

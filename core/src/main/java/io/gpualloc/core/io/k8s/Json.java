package io.gpualloc.core.io.k8s;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpualloc.core.ParseException;
import io.gpualloc.core.ReadLimits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * JSON reading for the Kubernetes codecs: a bounded parse into Jackson's tree (duplicate keys
 * rejected) and typed accessors whose errors name the source and the field path.
 */
final class Json {
  private static final ObjectMapper DEFAULT = mapper(ReadLimits.defaults());

  private Json() {}

  /** The bounded mapper for {@code limits} (shared for the default limits). */
  static ObjectMapper mapperFor(ReadLimits limits) {
    return limits.equals(ReadLimits.defaults()) ? DEFAULT : mapper(limits);
  }

  /** A {@link ParseException} for a parser failure, with its line and column. */
  static ParseException notJson(String source, JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    int line = at == null ? 0 : Math.max(0, at.getLineNr());
    int col = at == null ? 0 : Math.max(0, at.getColumnNr());
    return new ParseException(source, line, col, "", "not valid JSON: " + e.getOriginalMessage(),
        e);
  }

  private static ObjectMapper mapper(ReadLimits limits) {
    StreamReadConstraints c = StreamReadConstraints.builder()
        .maxDocumentLength(limits.maxBytes())
        .maxNestingDepth(limits.maxDepth() + 1)
        .maxStringLength(limits.maxScalarLength())
        .maxNameLength(limits.maxScalarLength())
        .maxNumberLength(Math.min(1000, limits.maxScalarLength()))
        .build();
    JsonFactory f = JsonFactory.builder().streamReadConstraints(c)
        .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    return new ObjectMapper(f);
  }

  /** Parses {@code text} into a tree; any failure is a {@link ParseException} naming {@code source}. */
  static JsonNode parse(String source, String text, ReadLimits limits) {
    if (text == null) {
      throw new ParseException(source, 0, 0, "", "the input is null; expected a JSON object");
    }
    limits.checkText(source, text);
    ObjectMapper m = limits.equals(ReadLimits.defaults()) ? DEFAULT : mapper(limits);
    JsonNode root;
    try (JsonParser p = m.getFactory().createParser(text)) {
      root = m.readTree(p);
      if (root != null && p.nextToken() != null) {
        JsonLocation at = p.currentTokenLocation();
        throw new ParseException(source, at.getLineNr(), at.getColumnNr(), "",
            "unexpected content after the top-level value");
      }
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      int line = at == null ? 0 : Math.max(0, at.getLineNr());
      int col = at == null ? 0 : Math.max(0, at.getColumnNr());
      throw new ParseException(source, line, col, "", "not valid JSON: " + e.getOriginalMessage(), e);
    } catch (java.io.IOException e) {
      throw new ParseException(source, 0, 0, "", "cannot read the input: " + e, e);
    }
    if (root == null || root.isMissingNode()) {
      throw new ParseException(source, 0, 0, "", "the input is empty; expected a JSON object");
    }
    return root;
  }

  static String describe(JsonNode n) {
    if (n.isObject()) {
      return "an object";
    }
    if (n.isArray()) {
      return "a list";
    }
    if (n.isNull()) {
      return "null";
    }
    if (n.isTextual()) {
      String t = n.asText();
      return "the string '" + (t.length() > 40 ? t.substring(0, 40) + "..." : t) + "'";
    }
    return "the value " + n;
  }

  static ParseException error(String source, String path, String problem) {
    return new ParseException(source, 0, 0, path, problem);
  }

  /** The object at {@code path}; null when absent or JSON null. */
  static @Nullable JsonNode object(String source, String path, @Nullable JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    if (!n.isObject()) {
      throw error(source, path, "expected an object, found " + describe(n));
    }
    return n;
  }

  /** The list at {@code path}; empty when absent or JSON null. */
  static List<JsonNode> array(String source, String path, @Nullable JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return List.of();
    }
    if (!n.isArray()) {
      throw error(source, path, "expected a list, found " + describe(n));
    }
    List<JsonNode> out = new ArrayList<>(n.size());
    n.forEach(out::add);
    return out;
  }

  /** The string at {@code path}; {@code dflt} when absent or JSON null. */
  static String string(String source, String path, @Nullable JsonNode n, String dflt) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return dflt;
    }
    if (!n.isTextual()) {
      throw error(source, path, "expected a string, found " + describe(n));
    }
    return n.asText();
  }

  /** The boolean at {@code path}; false when absent or JSON null. */
  static boolean bool(String source, String path, @Nullable JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return false;
    }
    if (!n.isBoolean()) {
      throw error(source, path, "expected true or false, found " + describe(n));
    }
    return n.asBoolean();
  }

  /** A string-to-string map (labels, annotations); empty when absent or JSON null. */
  static Map<String, String> stringMap(String source, String path, @Nullable JsonNode n) {
    JsonNode obj = object(source, path, n);
    Map<String, String> out = new LinkedHashMap<>();
    if (obj == null) {
      return out;
    }
    for (Map.Entry<String, JsonNode> e : obj.properties()) {
      String p = path + "[\"" + e.getKey() + "\"]";
      if (!e.getValue().isTextual()) {
        throw error(source, p, "expected a string, found " + describe(e.getValue()));
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }
}

package io.gpualloc.core.io;

import com.fasterxml.jackson.core.JsonToken;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Typed, path-aware access to the fields of one input object. Construction rejects fields that
 * are not in the allowed list; accessors reject wrong types and report missing required fields. An
 * explicit {@code null} (or an empty YAML value) counts as absent.
 */
final class Fields {
  final Source src;
  final Tree.Obj obj;
  final String path;
  private final String what;

  private Fields(Source src, Tree.Obj obj, String path, String what) {
    this.src = src;
    this.obj = obj;
    this.path = path;
    this.what = what;
  }

  /**
   * Views {@code t} as an object with only the {@code allowed} fields.
   *
   * @param what what the object is, for messages ({@code "a node"})
   */
  static Fields of(Source src, Tree t, String path, String what, List<String> allowed) {
    if (!(t instanceof Tree.Obj o)) {
      throw src.error(t, path, "expected " + what + " (an object), got " + t.describe());
    }
    for (Map.Entry<String, int[]> k : o.keyLocations.entrySet()) {
      if (!allowed.contains(k.getKey())) {
        throw src.error(
            k.getValue(), FieldPath.field(path, k.getKey()),
            "unknown field '" + k.getKey() + "' in " + what + "; allowed: "
                + String.join(", ", allowed) + "." + FieldPath.maybe(k.getKey(), allowed));
      }
    }
    return new Fields(src, o, path, what);
  }

  String pathOf(String key) {
    return FieldPath.field(path, key);
  }

  /** The value of {@code key}, or null when absent or null. */
  @Nullable Tree get(String key) {
    Tree t = obj.fields.get(key);
    if (t instanceof Tree.Scalar s && s.isNull()) {
      return null;
    }
    return t;
  }

  boolean has(String key) {
    return get(key) != null;
  }

  Tree required(String key, String expected) {
    Tree t = get(key);
    if (t == null) {
      throw src.error(
          obj, pathOf(key), "missing required field '" + key + "' (" + expected + ") in " + what);
    }
    return t;
  }

  String string(String key) {
    return asString(required(key, "a string"), pathOf(key));
  }

  String string(String key, String defaultValue) {
    Tree t = get(key);
    return t == null ? defaultValue : asString(t, pathOf(key));
  }

  int integer(String key) {
    return asInt(required(key, "an integer"), pathOf(key));
  }

  int integer(String key, int defaultValue) {
    Tree t = get(key);
    return t == null ? defaultValue : asInt(t, pathOf(key));
  }

  boolean bool(String key, boolean defaultValue) {
    Tree t = get(key);
    if (t == null) {
      return defaultValue;
    }
    if (t instanceof Tree.Scalar s
        && (s.token == JsonToken.VALUE_TRUE || s.token == JsonToken.VALUE_FALSE)) {
      return s.token == JsonToken.VALUE_TRUE;
    }
    throw src.error(t, pathOf(key), "expected a boolean (true or false), got " + t.describe());
  }

  /** The list at {@code key}, empty when absent. */
  List<Tree> list(String key) {
    Tree t = get(key);
    if (t == null) {
      return List.of();
    }
    if (t instanceof Tree.Arr a) {
      return a.items;
    }
    throw src.error(t, pathOf(key), "expected a list, got " + t.describe());
  }

  /** The required list at {@code key}. */
  List<Tree> requiredList(String key) {
    required(key, "a list");
    return list(key);
  }

  /** The list of strings at {@code key}, empty when absent. */
  List<String> strings(String key) {
    List<Tree> items = list(key);
    List<String> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      out.add(asString(items.get(i), FieldPath.index(pathOf(key), i)));
    }
    return out;
  }

  /** The list of integers at {@code key}. */
  List<Integer> integers(String key) {
    List<Tree> items = requiredList(key);
    List<Integer> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      out.add(asInt(items.get(i), FieldPath.index(pathOf(key), i)));
    }
    return out;
  }

  /** The string-to-string map at {@code key} (label values may be any scalar), empty if absent. */
  Map<String, String> stringMap(String key) {
    Tree t = get(key);
    Map<String, String> out = new LinkedHashMap<>();
    if (t == null) {
      return out;
    }
    if (!(t instanceof Tree.Obj o)) {
      throw src.error(t, pathOf(key), "expected an object of string values, got " + t.describe());
    }
    for (Map.Entry<String, Tree> e : o.fields.entrySet()) {
      String p = FieldPath.field(pathOf(key), e.getKey());
      Tree v = e.getValue();
      if (v instanceof Tree.Scalar s && s.isNull()) {
        throw src.error(v, p, "expected a string value, got null. Maybe quote it: \"\"");
      }
      out.put(e.getKey(), asString(v, p));
    }
    return out;
  }

  /**
   * One of {@code allowed} (case-insensitive) at {@code key}, or {@code defaultValue} when absent;
   * returns the allowed spelling.
   */
  String choice(String key, List<String> allowed, @Nullable String defaultValue) {
    Tree t = defaultValue == null ? required(key, "one of " + String.join(", ", allowed)) : get(key);
    if (t == null) {
      return defaultValue;
    }
    String v = asString(t, pathOf(key));
    for (String a : allowed) {
      if (a.equalsIgnoreCase(v)) {
        return a;
      }
    }
    throw src.error(
        t, pathOf(key),
        "'" + v + "' is not allowed for " + key + "; allowed: " + String.join(", ", allowed) + "."
            + FieldPath.maybe(v, allowed));
  }

  String asString(Tree t, String at) {
    if (t instanceof Tree.Scalar s && !s.isNull()) {
      return s.text;
    }
    throw src.error(t, at, "expected a string, got " + t.describe());
  }

  int asInt(Tree t, String at) {
    if (t instanceof Tree.Scalar s) {
      if (s.intValue != null) {
        return s.intValue;
      }
      if (s.token == JsonToken.VALUE_NUMBER_INT) {
        throw src.error(
            t, at, "the integer " + s.text + " is out of range; allowed: "
                + Integer.MIN_VALUE + ".." + Integer.MAX_VALUE);
      }
      if (s.token == JsonToken.VALUE_STRING && looksNumeric(s.text)) {
        throw src.error(
            t, at, "expected an integer, got " + t.describe() + ". Maybe remove the quotes");
      }
    }
    throw src.error(t, at, "expected an integer, got " + t.describe());
  }

  private static boolean looksNumeric(String s) {
    return s.strip().toLowerCase(Locale.ROOT).matches("[+-]?[0-9]+");
  }
}

package io.gpualloc.core;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Validation helpers shared by the model's compact constructors. */
final class Checks {
  private Checks() {}

  static String name(String owner, String field, String value) {
    if (value == null || value.isBlank()) {
      throw InvalidSpecException.of(owner, field, value, "a non-blank string");
    }
    return value;
  }

  static int atLeast(String owner, String field, int value, int min) {
    if (value < min) {
      throw InvalidSpecException.of(owner, field, value, ">= " + min);
    }
    return value;
  }

  static int between(String owner, String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw InvalidSpecException.of(owner, field, value, min + ".." + max);
    }
    return value;
  }

  static <T> T notNull(String owner, String field, T value) {
    if (value == null) {
      throw InvalidSpecException.of(owner, field, null, "a value (not null)");
    }
    return value;
  }

  static <T> List<T> list(String owner, String field, Collection<T> values) {
    notNull(owner, field, values);
    int i = 0;
    for (T v : values) {
      if (v == null) {
        throw InvalidSpecException.of(owner, field + "[" + i + "]", null, "a value (not null)");
      }
      i++;
    }
    return List.copyOf(values);
  }

  /** Copies to an immutable, sorted set so that equal specs compare and print equal. */
  static Set<String> names(String owner, String field, Collection<String> values) {
    notNull(owner, field, values);
    TreeSet<String> out = new TreeSet<>();
    for (String v : values) {
      name(owner, field + " element", v);
      out.add(v);
    }
    return java.util.Collections.unmodifiableSet(out);
  }

  static Map<String, String> labels(String owner, Map<String, String> labels) {
    notNull(owner, "labels", labels);
    TreeMap<String, String> out = new TreeMap<>();
    for (Map.Entry<String, String> e : labels.entrySet()) {
      name(owner, "label key", e.getKey());
      notNull(owner, "labels['" + e.getKey() + "']", e.getValue());
      out.put(e.getKey(), e.getValue());
    }
    return java.util.Collections.unmodifiableMap(out);
  }
}

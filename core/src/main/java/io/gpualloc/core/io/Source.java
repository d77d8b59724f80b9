package io.gpualloc.core.io;

import io.gpualloc.core.GpuallocException;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.ParseException;
import java.util.Map;
import java.util.function.Supplier;

/** The input being mapped: its name, and how to turn problems into {@link ParseException}s. */
final class Source {
  final String name;

  Source(String name) {
    this.name = name;
  }

  ParseException error(Tree at, String path, String problem) {
    return new ParseException(name, at.line, at.column, path, problem);
  }

  ParseException error(int[] at, String path, String problem) {
    return new ParseException(name, at[0], at[1], path, problem);
  }

  /**
   * Runs a core constructor or factory and reports its validation error as a parse error at the
   * offending field.
   *
   * <p>Core's {@link InvalidSpecException} messages start with the field's name ({@code "cpuMilli
   * of node n1 is -1; allowed: >= 0"}, {@code "nodes[2].name of cluster ..."}). When that name,
   * possibly renamed by {@code aliases}, is a path inside {@code obj}, the error points at it (or
   * at its longest prefix that exists in the input); otherwise at {@code obj} itself.
   */
  <T> T build(Tree.Obj obj, String path, Map<String, String> aliases, Supplier<T> constructor) {
    try {
      return constructor.get();
    } catch (GpuallocException e) {
      Tree at = obj;
      String where = path;
      String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      if (e instanceof InvalidSpecException) {
        int of = msg.indexOf(" of ");
        if (of > 0) {
          String field = msg.substring(0, of);
          if (field.endsWith(" element")) {
            field = field.substring(0, field.length() - " element".length());
          }
          field = aliases.getOrDefault(field, field);
          Resolved r = resolve(obj, path, field);
          at = r.tree;
          where = r.path;
        }
      }
      ParseException p = new ParseException(name, at.line, at.column, where, msg, e);
      throw p;
    }
  }

  private record Resolved(Tree tree, String path) {}

  /** Walks {@code relative} (such as {@code gpus[1].index}) from {@code obj} as far as it exists. */
  private static Resolved resolve(Tree.Obj obj, String path, String relative) {
    Tree cur = obj;
    String curPath = path;
    for (String segment : relative.split("\\.", -1)) {
      int bracket = segment.indexOf('[');
      String key = bracket < 0 ? segment : segment.substring(0, bracket);
      if (!(cur instanceof Tree.Obj o) || !o.fields.containsKey(key)) {
        return new Resolved(cur, curPath);
      }
      cur = o.fields.get(key);
      curPath = FieldPath.field(curPath, key);
      while (bracket >= 0) {
        int close = segment.indexOf(']', bracket);
        if (close < 0) {
          return new Resolved(cur, curPath);
        }
        int i;
        try {
          i = Integer.parseInt(segment.substring(bracket + 1, close));
        } catch (NumberFormatException ex) {
          return new Resolved(cur, curPath);
        }
        if (!(cur instanceof Tree.Arr a) || i < 0 || i >= a.items.size()) {
          return new Resolved(cur, curPath);
        }
        cur = a.items.get(i);
        curPath = FieldPath.index(curPath, i);
        bracket = segment.indexOf('[', close);
      }
    }
    return new Resolved(cur, curPath);
  }
}

package io.gpualloc.core.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.gpualloc.core.ParseException;
import io.gpualloc.core.ReadLimits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A parsed JSON or YAML document as a small tree whose every value remembers the line and column
 * it started at, so that the mapping into core records can report where a value was wrong. Jackson's
 * own {@code JsonNode} drops locations, hence this tree.
 */
abstract sealed class Tree permits Tree.Obj, Tree.Arr, Tree.Scalar {
  final int line;
  final int column;

  private Tree(int line, int column) {
    this.line = line;
    this.column = column;
  }

  /** A description for messages, for example {@code "a list"} or {@code "the string 'x'"}. */
  abstract String describe();

  /** An object: fields in input order, each with the location of its key. */
  static final class Obj extends Tree {
    final Map<String, Tree> fields;
    final Map<String, int[]> keyLocations;

    Obj(int line, int column, Map<String, Tree> fields, Map<String, int[]> keyLocations) {
      super(line, column);
      this.fields = Collections.unmodifiableMap(fields);
      this.keyLocations = Collections.unmodifiableMap(keyLocations);
    }

    @Override
    String describe() {
      return "an object";
    }
  }

  /** A list. */
  static final class Arr extends Tree {
    final List<Tree> items;

    Arr(int line, int column, List<Tree> items) {
      super(line, column);
      this.items = Collections.unmodifiableList(items);
    }

    @Override
    String describe() {
      return "a list";
    }
  }

  /** A string, number, boolean or null. */
  static final class Scalar extends Tree {
    final JsonToken token;
    final String text;
    /** The value when the token is an integer that fits an {@code int}, else null. */
    final @Nullable Integer intValue;

    Scalar(int line, int column, JsonToken token, String text, @Nullable Integer intValue) {
      super(line, column);
      this.token = token;
      this.text = text;
      this.intValue = intValue;
    }

    boolean isNull() {
      return token == JsonToken.VALUE_NULL;
    }

    @Override
    String describe() {
      switch (token) {
        case VALUE_STRING:
          return "the string '" + text + "'";
        case VALUE_NUMBER_INT:
          return "the integer " + text;
        case VALUE_NUMBER_FLOAT:
          return "the number " + text;
        case VALUE_TRUE:
        case VALUE_FALSE:
          return "the boolean " + text;
        case VALUE_NULL:
          return "null";
        default:
          return "the value '" + text + "'";
      }
    }
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Reads one document from {@code parser} (which this method closes).
   *
   * @throws ParseException on empty input, a syntax error, a duplicate key or trailing content
   */
  static Tree read(String text, Format format, String source, ReadLimits limits) {
    JsonParser parser;
    try {
      parser = Jackson.parser(text, format, limits);
    } catch (IOException e) {
      throw new ParseException(source, 0, 0, "", "cannot read the input: " + e, e);
    }
    return read(parser, source, limits);
  }

  /**
   * Reads one document from {@code parser} (which this method closes).
   *
   * @throws ParseException on empty input, a syntax error, a duplicate key or trailing content
   */
  static Tree read(JsonParser parser, String source, ReadLimits limits) {
    Reader r = new Reader(parser, source, limits);
    try {
      JsonToken t = r.next();
      Tree root = t == null ? null : r.value(t, "");
      if (root == null || root instanceof Scalar s && (s.isNull() || s.text.isEmpty())) {
        throw new ParseException(source, 0, 0, "", "the input is empty; expected an object");
      }
      JsonToken extra = r.next();
      if (extra != null) {
        int[] at = location(parser.currentTokenLocation());
        throw new ParseException(
            source, at[0], at[1], "",
            "unexpected content after the top-level value (only one document is allowed)");
      }
      return root;
    } catch (JsonProcessingException e) {
      int[] at = syntaxLocation(e, parser);
      throw new ParseException(source, at[0], at[1], shorten(r.path), syntaxMessage(e), e);
    } catch (IOException e) {
      throw new ParseException(source, 0, 0, shorten(r.path), "cannot read the input: " + e, e);
    } finally {
      try {
        parser.close();
      } catch (IOException e) {
        // Closing a parser over a String releases buffers only; nothing to report.
      }
    }
  }

  /**
   * Rejects YAML text with a run of more than {@code maxScalarLength} chars without white space.
   * SnakeYAML scans such a run (a plain or quoted scalar, comment, anchor or tag) in time quadratic
   * in its length; runs up to the limit keep the whole scan linear in the text's length (at most {@code
   * length * maxScalarLength} work). Longer scalars that do contain spaces are scanned in linear
   * time and then rejected by the scalar length check.
   */
  static void checkYamlRuns(String text, String source, ReadLimits limits) {
    int max = limits.maxScalarLength();
    int run = 0;
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n':
          line++;
          lineStart = i + 1;
          run = 0;
          break;
        case ' ': case '\t': case '\r':
          run = 0;
          break;
        default:
          if (++run > max) {
            int column = i - run + 2 - lineStart;
            throw new ParseException(source, line, column, "", "a run of more than "
                + "maxScalarLength = " + max + " chars without white space (a value, comment or"
                + " key); allowed: at most maxScalarLength (see ReadLimits). Maybe break the line, or"
                + " write the document as JSON");
          }
      }
    }
  }

  /** Keeps paths of pathologically deep input readable. */
  private static String shorten(String path) {
    return path.length() <= 200 ? path : "..." + path.substring(path.length() - 197);
  }

  private static String syntaxMessage(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    if (m == null || m.isBlank()) {
      return "syntax error: " + e.getClass().getSimpleName();
    }
    // SnakeYAML messages interleave statements with indented source excerpts and marks: keep
    // the statements.
    StringBuilder sb = new StringBuilder();
    for (String line : m.strip().split("\\R")) {
      if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
        sb.append(sb.length() == 0 ? "" : "; ").append(line.strip());
      }
    }
    String text = sb.length() == 0 ? m.strip() : sb.toString();
    // Jackson's nested locations name a redacted source; keep their line and column only.
    text = JACKSON_LOCATION.matcher(text).replaceAll("line $1, column $2");
    return "syntax error: " + text;
  }

  private static final Pattern JACKSON_LOCATION =
      Pattern.compile("\\[Source: [^;]*; line: (\\d+), column: (\\d+)\\]");
  private static final Pattern YAML_MARK = Pattern.compile("line (\\d+), column (\\d+):");

  /**
   * Where a syntax error is: SnakeYAML's problem mark (the last mark in its message, 1-based)
   * when there is one, since Jackson reports the context mark; else Jackson's location, else the
   * parser's.
   */
  private static int[] syntaxLocation(JsonProcessingException e, JsonParser parser) {
    String m = e.getOriginalMessage();
    if (m != null) {
      Matcher matcher = YAML_MARK.matcher(m);
      int[] last = null;
      while (matcher.find()) {
        last = new int[] {Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2))};
      }
      if (last != null) {
        return last;
      }
    }
    int[] at = location(e.getLocation());
    return at[0] == 0 ? location(parser.currentLocation()) : at;
  }

  static int[] location(@Nullable JsonLocation loc) {
    if (loc == null) {
      return new int[] {0, 0};
    }
    return new int[] {Math.max(0, loc.getLineNr()), Math.max(0, loc.getColumnNr())};
  }

  /** Reads values recursively, remembering the path for syntax errors. */
  private static final class Reader {
    private final JsonParser p;
    private final String source;
    private final ReadLimits limits;
    private int depth;
    String path = "";

    Reader(JsonParser p, String source, ReadLimits limits) {
      this.p = p;
      this.source = source;
      this.limits = limits;
    }

    private void checkLength(String text, int[] at, String where, String what) {
      if (text != null && text.length() > limits.maxScalarLength()) {
        throw new ParseException(source, at[0], at[1], shorten(where), what + " of "
            + text.length() + " chars; allowed: at most maxScalarLength = "
            + limits.maxScalarLength() + " (see ReadLimits)");
      }
    }

    @Nullable JsonToken next() throws IOException {
      try {
        return p.nextToken();
      } catch (JsonProcessingException e) {
        throw e;
      } catch (RuntimeException e) {
        // SnakeYAML reports a few problems (for example limits) with its own unchecked exceptions.
        int[] at = location(p.currentLocation());
        throw new ParseException(
            source, at[0], at[1], shorten(path), "syntax error: " + e.getMessage(), e);
      }
    }

    Tree value(JsonToken t, String at) throws IOException {
      path = at;
      int[] loc = location(p.currentTokenLocation());
      if ((t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY)
          && depth >= limits.maxDepth()) {
        throw new ParseException(source, loc[0], loc[1], shorten(at), "nesting depth over"
            + " maxDepth = " + limits.maxDepth() + " lists and objects; allowed: at most maxDepth"
            + " (see ReadLimits)");
      }
      if (t == JsonToken.START_OBJECT) {
        depth++;
        Map<String, Tree> fields = new LinkedHashMap<>();
        Map<String, int[]> keys = new LinkedHashMap<>();
        JsonToken k;
        while ((k = next()) == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          int[] keyLoc = location(p.currentTokenLocation());
          checkLength(name, keyLoc, at, "a field name");
          String child = FieldPath.field(at, name);
          if (fields.containsKey(name)) {
            throw new ParseException(
                source, keyLoc[0], keyLoc[1], child, "duplicate field '" + name + "'");
          }
          JsonToken v = next();
          if (v == null) {
            throw new ParseException(source, keyLoc[0], keyLoc[1], child, "unexpected end of input");
          }
          fields.put(name, value(v, child));
          keys.put(name, keyLoc);
          path = at;
        }
        expectEnd(k, JsonToken.END_OBJECT, at);
        depth--;
        return new Obj(loc[0], loc[1], fields, keys);
      }
      if (t == JsonToken.START_ARRAY) {
        depth++;
        List<Tree> items = new ArrayList<>();
        JsonToken v;
        while ((v = next()) != null && v != JsonToken.END_ARRAY) {
          items.add(value(v, FieldPath.index(at, items.size())));
          path = at;
        }
        expectEnd(v, JsonToken.END_ARRAY, at);
        depth--;
        return new Arr(loc[0], loc[1], items);
      }
      if (t.isScalarValue()) {
        if (p instanceof YAMLParser y && y.isCurrentAlias()) {
          throw new ParseException(source, loc[0], loc[1], at,
              "YAML aliases (*" + p.getText() + ") are not supported; write the value out");
        }
        Integer intValue = null;
        if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
          intValue = p.getIntValue();
        }
        String text = t == JsonToken.VALUE_NULL ? "null" : p.getText();
        checkLength(text, loc, at, "a value");
        return new Scalar(loc[0], loc[1], t, text == null ? "" : text, intValue);
      }
      throw new ParseException(source, loc[0], loc[1], at, "unexpected token " + t);
    }

    private void expectEnd(@Nullable JsonToken got, JsonToken want, String at) {
      if (got != want) {
        int[] loc = location(p.currentLocation());
        throw new ParseException(source, loc[0], loc[1], at, "unexpected end of input");
      }
    }
  }
}

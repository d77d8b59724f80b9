package io.gpualloc.topology;

import io.gpualloc.core.ParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads HAMi's {@code hami.io/node-nvidia-score} node annotation into a {@link PairScores} matrix.
 *
 * <p>HAMi's NVIDIA device plugin (with {@code ENABLE_TOPOLOGY_SCORE=true}) publishes, per node, a
 * JSON list with one entry per GPU: {@code [{"uuid": "GPU-a", "score": {"GPU-b": 1820, ...}}, ...]}.
 * A score is the plugin's pair score of the two GPUs (its go-gpuallocator point table: 100 per
 * NVLink plus 10..50 by PCIe class, so 1820 for 18 NVLinks on one NUMA node, 10 for cross-socket
 * PCIe); any integer in {@code -PairScores.MAX_ABS..PairScores.MAX_ABS} is accepted. The GPUs are
 * matched to node GPU indices by UUID.
 *
 * <p>How gaps are resolved (each listed in {@link #warnings()}): a pair given in one direction only
 * uses that value for both; a pair given with two different values uses the smaller (a pair is only
 * as good as its weaker direction); a pair given in neither direction, or a GPU without an entry,
 * scores 0; an entry's score for its own UUID is ignored. Unknown fields of an entry are ignored.
 * Malformed JSON, an unknown or repeated UUID, a non-integer or out-of-range score raise {@link
 * ParseException} with line and column.
 */
public final class HamiNodeScores {
  /** The annotation key HAMi's device plugin writes. */
  public static final String ANNOTATION = "hami.io/node-nvidia-score";

  private final PairScores scores;
  private final List<String> warnings;

  private HamiNodeScores(PairScores scores, List<String> warnings) {
    this.scores = scores;
    this.warnings = List.copyOf(warnings);
  }

  /**
   * Parses the annotation value.
   *
   * @param source a name for messages, for example the node name
   * @param json the annotation value
   * @param gpuUuids the node's GPU UUIDs, GPU {@code i} at position {@code i}; distinct, non-blank
   * @return the scores and the list of repairs
   * @throws ParseException when the value is malformed or names a UUID that is not in {@code
   *     gpuUuids} (the path of the offending field is in the message)
   */
  public static HamiNodeScores parse(String source, String json, List<String> gpuUuids) {
    String src = source == null || source.isBlank() ? ANNOTATION : source;
    if (json == null) {
      throw new ParseException(src, 0, 0, "", "no annotation value (null)");
    }
    if (gpuUuids == null) {
      throw new ParseException(src, 0, 0, "", "no GPU UUID list (null)");
    }
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < gpuUuids.size(); i++) {
      String u = gpuUuids.get(i);
      if (u == null || u.isBlank() || index.put(u, i) != null) {
        throw new ParseException(src, 0, 0, "gpuUuids[" + i + "]", "GPU UUID '" + u
            + "' is blank or repeated; the list must hold the node's distinct UUIDs in index order");
      }
    }
    int n = gpuUuids.size();
    long[][] given = new long[n][n];
    boolean[][] has = new boolean[n][n];
    boolean[] entry = new boolean[n];
    List<String> warn = new ArrayList<>();
    Json p = new Json(src, json);
    p.ws();
    p.expect('[');
    p.ws();
    if (!p.peek(']')) {
      int e = 0;
      do {
        p.ws();
        readEntry(p, "[" + e + "]", index, given, has, entry, gpuUuids, warn);
        e++;
        p.ws();
      } while (p.accept(','));
    }
    p.expect(']');
    p.ws();
    if (!p.end()) {
      throw p.error("", "unexpected text after the list");
    }
    int[][] m = new int[n][n];
    for (int i = 0; i < n; i++) {
      if (!entry[i]) {
        warn.add("GPU" + i + " (" + gpuUuids.get(i) + ") has no entry; its pairs without a score"
            + " from the other side score 0");
      }
      for (int j = i + 1; j < n; j++) {
        long v;
        if (has[i][j] && has[j][i]) {
          v = Math.min(given[i][j], given[j][i]);
          if (given[i][j] != given[j][i]) {
            warn.add("GPU" + i + "-GPU" + j + ": asymmetric scores " + given[i][j] + " / "
                + given[j][i] + ", using the smaller, " + v);
          }
        } else if (has[i][j] || has[j][i]) {
          v = has[i][j] ? given[i][j] : given[j][i];
          warn.add("GPU" + i + "-GPU" + j + ": only one direction given (" + v
              + "), using it for both");
        } else {
          v = 0;
        }
        m[i][j] = (int) v;
        m[j][i] = (int) v;
      }
    }
    return new HamiNodeScores(PairScores.of(m), warn);
  }

  private static void readEntry(Json p, String path, Map<String, Integer> index, long[][] given,
      boolean[][] has, boolean[] entry, List<String> uuids, List<String> warn) {
    p.expect('{');
    String uuid = null;
    int uuidLine = 0;
    int uuidCol = 0;
    Map<String, long[]> scores = null; // uuid -> {value, line, column}
    boolean first = true;
    p.ws();
    while (!p.peek('}')) {
      if (!first) {
        p.expect(',');
        p.ws();
      }
      first = false;
      String key = p.string(path);
      p.ws();
      p.expect(':');
      p.ws();
      if (key.equals("uuid")) {
        if (uuid != null) {
          throw p.error(path + ".uuid", "repeated field 'uuid'");
        }
        uuidLine = p.line;
        uuidCol = p.col;
        uuid = p.string(path + ".uuid");
      } else if (key.equals("score")) {
        if (scores != null) {
          throw p.error(path + ".score", "repeated field 'score'");
        }
        scores = new java.util.LinkedHashMap<>();
        p.expect('{');
        p.ws();
        boolean f = true;
        while (!p.peek('}')) {
          if (!f) {
            p.expect(',');
            p.ws();
          }
          f = false;
          int l = p.line;
          int c = p.col;
          String peer = p.string(path + ".score");
          p.ws();
          p.expect(':');
          p.ws();
          long v = p.integer(path + ".score." + peer);
          if (scores.put(peer, new long[] {v, l, c}) != null) {
            throw new ParseException(p.source, l, c, path + ".score." + peer,
                "repeated peer UUID '" + peer + "'");
          }
          p.ws();
        }
        p.expect('}');
      } else {
        p.skipValue(path + "." + key);
      }
      p.ws();
    }
    p.expect('}');
    if (uuid == null) {
      throw p.error(path, "entry without 'uuid'");
    }
    Integer i = index.get(uuid);
    if (i == null) {
      throw new ParseException(p.source, uuidLine, uuidCol, path + ".uuid", "UUID '" + uuid
          + "' is not a GPU of the node (known: " + String.join(", ", uuids) + ")");
    }
    if (entry[i]) {
      throw new ParseException(p.source, uuidLine, uuidCol, path + ".uuid", "UUID '" + uuid
          + "' has a second entry");
    }
    entry[i] = true;
    if (scores == null) {
      return;
    }
    for (Map.Entry<String, long[]> e : scores.entrySet()) {
      Integer j = index.get(e.getKey());
      long[] v = e.getValue();
      if (j == null) {
        throw new ParseException(p.source, (int) v[1], (int) v[2], path + ".score",
            "peer UUID '" + e.getKey() + "' is not a GPU of the node");
      }
      if (j.equals(i)) {
        warn.add("GPU" + i + ": a score for itself (" + v[0] + ") is ignored");
        continue;
      }
      given[i][j] = v[0];
      has[i][j] = true;
    }
  }

  /**
   * The pair-score matrix, for {@link NodeInterconnect#withPairScores(PairScores)}.
   *
   * @return the matrix
   */
  public PairScores scores() {
    return scores;
  }

  /**
   * One line per repaired pair or missing entry, see the class comment.
   *
   * @return the warnings
   */
  public List<String> warnings() {
    return warnings;
  }

  /** A minimal JSON reader for this annotation: strings, integers, and values to skip. */
  private static final class Json {
    final String source;
    final String s;
    int pos;
    int line = 1;
    int col = 1;

    Json(String source, String s) {
      this.source = source;
      this.s = s;
    }

    ParseException error(String path, String problem) {
      return new ParseException(source, line, col, path, problem);
    }

    boolean end() {
      return pos >= s.length();
    }

    private char next() {
      char c = s.charAt(pos++);
      if (c == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
      return c;
    }

    void ws() {
      while (!end() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t' || s.charAt(pos) == '\n'
          || s.charAt(pos) == '\r')) {
        next();
      }
    }

    boolean peek(char c) {
      return !end() && s.charAt(pos) == c;
    }

    boolean accept(char c) {
      if (peek(c)) {
        next();
        return true;
      }
      return false;
    }

    void expect(char c) {
      if (!accept(c)) {
        throw error("", end() ? "unexpected end, expected '" + c + "'"
            : "expected '" + c + "', found '" + s.charAt(pos) + "'");
      }
    }

    String string(String path) {
      if (!peek('"')) {
        throw error(path, "expected a string");
      }
      next();
      StringBuilder b = new StringBuilder();
      while (true) {
        if (end()) {
          throw error(path, "unterminated string");
        }
        char c = next();
        if (c == '"') {
          return b.toString();
        }
        if (c < 0x20) {
          throw error(path, "a control character inside a string");
        }
        if (c != '\\') {
          b.append(c);
          continue;
        }
        if (end()) {
          throw error(path, "unterminated escape");
        }
        char e = next();
        switch (e) {
          case '"', '\\', '/' -> b.append(e);
          case 'b' -> b.append('\b');
          case 'f' -> b.append('\f');
          case 'n' -> b.append('\n');
          case 'r' -> b.append('\r');
          case 't' -> b.append('\t');
          case 'u' -> {
            if (pos + 4 > s.length()) {
              throw error(path, "a short \\u escape");
            }
            int v = 0;
            for (int k = 0; k < 4; k++) {
              int d = Character.digit(next(), 16);
              if (d < 0) {
                throw error(path, "a \\u escape with a non-hex digit");
              }
              v = v * 16 + d;
            }
            b.append((char) v);
          }
          default -> throw error(path, "unknown escape '\\" + e + "'");
        }
      }
    }

    long integer(String path) {
      int l = line;
      int c = col;
      int start = pos;
      accept('-');
      int digits = 0;
      while (!end() && Character.isDigit(s.charAt(pos)) && digits < 19) {
        next();
        digits++;
      }
      if (digits == 0 || (!end() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.'
          || s.charAt(pos) == 'e' || s.charAt(pos) == 'E'))) {
        throw new ParseException(source, l, c, path, "expected an integer score");
      }
      long v = Long.parseLong(s.substring(start, pos));
      if (v < -PairScores.MAX_ABS || v > PairScores.MAX_ABS) {
        throw new ParseException(source, l, c, path, "score " + v + " is outside "
            + -PairScores.MAX_ABS + ".." + PairScores.MAX_ABS);
      }
      return v;
    }

    void skipValue(String path) {
      skipValue(path, 0);
    }

    private void skipValue(String path, int depth) {
      if (depth > 64) {
        throw error(path, "nesting deeper than 64");
      }
      ws();
      if (peek('"')) {
        string(path);
      } else if (accept('{')) {
        ws();
        boolean f = true;
        while (!peek('}')) {
          if (!f) {
            expect(',');
            ws();
          }
          f = false;
          string(path);
          ws();
          expect(':');
          skipValue(path, depth + 1);
          ws();
        }
        expect('}');
      } else if (accept('[')) {
        ws();
        boolean f = true;
        while (!peek(']')) {
          if (!f) {
            expect(',');
          }
          f = false;
          skipValue(path, depth + 1);
          ws();
        }
        expect(']');
      } else if (s.startsWith("true", pos) || s.startsWith("null", pos)) {
        for (int k = 0; k < 4; k++) {
          next();
        }
      } else if (s.startsWith("false", pos)) {
        for (int k = 0; k < 5; k++) {
          next();
        }
      } else if (!end() && (s.charAt(pos) == '-' || Character.isDigit(s.charAt(pos)))) {
        while (!end() && "+-0123456789.eE".indexOf(s.charAt(pos)) >= 0) {
          next();
        }
      } else {
        throw error(path, "expected a JSON value");
      }
    }
  }
}

package io.gpualloc.binpack.packing;

import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.ParseException;
import io.gpualloc.core.ReadLimits;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Readers for the two standard text formats of packing benchmarks.
 *
 * <ul>
 *   <li>BPPLIB 1-D: the number of items {@code n}, the capacity {@code c}, then {@code n} integer
 *       weights, separated by white space (one number a line in the published files, LF or CRLF).
 *   <li>VPSolver {@code .vbp}: the number of dimensions {@code d}; {@code d} capacities; the
 *       number of item types {@code m}; then {@code m} rows of {@code d} sizes followed by the
 *       demand (number of copies).
 * </ul>
 *
 * <p>Limits ({@link ReadLimits}, the defaults unless one is passed): {@code maxBytes} of text,
 * {@code maxDimensions} dimensions, {@code maxItems} items (BPPLIB {@code n}; for {@code .vbp} the
 * item types and the sum of all demands, since every copy becomes an item), each checked before
 * the memory it guards is allocated. Reading takes time linear in the text's length.
 *
 * <p>Malformed input, an exceeded limit, and for the {@code Path} readers a missing or unreadable
 * file or invalid UTF-8 throw {@link ParseException} with the source name, the 1-based line and
 * column of the offending token (where there is one) and what was expected; nothing else.
 */
public final class PackingReaders {
  private PackingReaders() {}

  /**
   * Reads a BPPLIB 1-D file under the default limits; the instance is named after the file without
   * extension.
   *
   * @param file the file
   * @return the instance
   * @throws ParseException when the file is missing, unreadable, not UTF-8, malformed or over a
   *     limit
   */
  public static PackingInstance readBpplib(Path file) {
    return readBpplib(file, ReadLimits.defaults());
  }

  /**
   * Reads a BPPLIB 1-D file under the given limits.
   *
   * @param file the file
   * @param limits the limits (see the class comment)
   * @return the instance
   * @throws ParseException when the file is missing, unreadable, not UTF-8, malformed or over a
   *     limit
   */
  public static PackingInstance readBpplib(Path file, ReadLimits limits) {
    return parseBpplib(stem(file), read(file, limits), limits);
  }

  /**
   * Reads a VPSolver {@code .vbp} file under the default limits; the instance is named after the
   * file.
   *
   * @param file the file
   * @return the instance
   * @throws ParseException when the file is missing, unreadable, not UTF-8, malformed or over a
   *     limit
   */
  public static PackingInstance readVbp(Path file) {
    return readVbp(file, ReadLimits.defaults());
  }

  /**
   * Reads a VPSolver {@code .vbp} file under the given limits.
   *
   * @param file the file
   * @param limits the limits (see the class comment)
   * @return the instance
   * @throws ParseException when the file is missing, unreadable, not UTF-8, malformed or over a
   *     limit
   */
  public static PackingInstance readVbp(Path file, ReadLimits limits) {
    return parseVbp(stem(file), read(file, limits), limits);
  }

  /**
   * Parses BPPLIB 1-D text.
   *
   * @param source the name used for the instance and in error messages
   * @param text the file's content
   * @return the instance: one unlimited bin type of cost 1
   * @throws ParseException when the text is malformed or over a default limit
   */
  public static PackingInstance parseBpplib(String source, String text) {
    return parseBpplib(source, text, ReadLimits.defaults());
  }

  /**
   * Parses BPPLIB 1-D text under the given limits.
   *
   * @param source the name used for the instance and in error messages
   * @param text the file's content
   * @param limits the limits (see the class comment)
   * @return the instance: one unlimited bin type of cost 1
   * @throws ParseException when the text is malformed or over a limit
   */
  public static PackingInstance parseBpplib(String source, String text, ReadLimits limits) {
    Tokens in = new Tokens(source, text, limits);
    int n = in.nextInt("item count n", 0, limits.maxItems(), "maxItems");
    int c = in.nextInt("capacity c", 1);
    PackingInstance.Builder b = PackingInstance.builder(source, BinType.of(c));
    for (int i = 0; i < n; i++) {
      b.item(in.nextInt("weight of item " + (i + 1) + " of " + n, 1));
    }
    in.expectEnd();
    return b.build();
  }

  /**
   * Parses VPSolver {@code .vbp} text.
   *
   * @param source the name used for the instance and in error messages
   * @param text the file's content
   * @return the instance: one unlimited bin type of cost 1, each item type expanded to its copies
   * @throws ParseException when the text is malformed or over a default limit
   */
  public static PackingInstance parseVbp(String source, String text) {
    return parseVbp(source, text, ReadLimits.defaults());
  }

  /**
   * Parses VPSolver {@code .vbp} text under the given limits.
   *
   * @param source the name used for the instance and in error messages
   * @param text the file's content
   * @param limits the limits (see the class comment)
   * @return the instance: one unlimited bin type of cost 1, each item type expanded to its copies
   * @throws ParseException when the text is malformed or over a limit
   */
  public static PackingInstance parseVbp(String source, String text, ReadLimits limits) {
    Tokens in = new Tokens(source, text, limits);
    int d = in.nextInt("dimension count d", 1, limits.maxDimensions(), "maxDimensions");
    int[] cap = new int[d];
    for (int k = 0; k < d; k++) {
      cap[k] = in.nextInt("capacity " + (k + 1) + " of " + d, 1);
    }
    int m = in.nextInt("item type count m", 0, limits.maxItems(), "maxItems");
    long total = 0;
    PackingInstance.Builder b = PackingInstance.builder(source, BinType.of(cap));
    for (int t = 0; t < m; t++) {
      int[] size = new int[d];
      int line = 0;
      int col = 0;
      for (int k = 0; k < d; k++) {
        size[k] = in.nextInt("size " + (k + 1) + " of item type " + (t + 1), 0);
        if (k == 0) {
          line = in.lastLine;
          col = in.lastColumn;
        }
      }
      int demand = in.nextInt("demand of item type " + (t + 1), 0);
      int demandLine = in.lastLine;
      int demandColumn = in.lastColumn;
      boolean positive = false;
      for (int k = 0; k < d; k++) {
        positive |= size[k] > 0;
      }
      if (!positive && demand > 0) {
        throw new ParseException(source, line, col, "",
            "item type " + (t + 1) + " has size 0 in every dimension; expected a positive size");
      }
      total += demand;
      if (total > limits.maxItems()) {
        throw new ParseException(source, demandLine, demandColumn, "", "demand " + demand
            + " of item type " + (t + 1) + " brings the items to " + total
            + "; allowed: at most maxItems = " + limits.maxItems() + " items (see ReadLimits)");
      }
      b.items(demand, size);
    }
    in.expectEnd();
    return b.build();
  }

  /**
   * Reads a benchmark set's {@code optima.csv} (a header line, then one comma-separated row per
   * instance, no quoting) into rows keyed by the trimmed column names, blank lines skipped.
   *
   * @param file the CSV file
   * @return the rows, in file order
   * @throws ParseException when the file is empty, missing, unreadable, not UTF-8 or larger than
   *     the default {@link ReadLimits#maxBytes()}
   */
  public static List<Map<String, String>> readOptimaTable(Path file) {
    List<String> lines = read(file, ReadLimits.defaults()).lines().toList();
    if (lines.isEmpty()) {
      throw new ParseException(file.toString(), 1, 1, "", "empty file; expected a header line");
    }
    String[] head = lines.get(0).split(",", -1);
    List<Map<String, String>> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",", -1);
      Map<String, String> row = new HashMap<>();
      for (int i = 0; i < head.length && i < f.length; i++) {
        row.put(head[i].trim(), f[i].trim());
      }
      rows.add(row);
    }
    return rows;
  }

  private static String read(Path file, ReadLimits limits) {
    if (limits == null) {
      throw InvalidSpecException.of("PackingReaders", "limits", null, "a ReadLimits");
    }
    return limits.readUtf8(file);
  }

  private static String stem(Path file) {
    String s = String.valueOf(file.getFileName());
    int dot = s.lastIndexOf('.');
    return dot > 0 ? s.substring(0, dot) : s;
  }

  /** A white-space tokenizer that knows where each token started. */
  private static final class Tokens {
    private final String source;
    private final String text;
    private final ReadLimits limits;
    private int pos;
    private int line = 1;
    private int column = 1;
    int lastLine;
    int lastColumn;

    Tokens(String source, String text, ReadLimits limits) {
      if (limits == null) {
        throw InvalidSpecException.of("PackingReaders", "limits", null, "a ReadLimits");
      }
      if (text == null) {
        throw new ParseException(source, 0, 0, "", "no text (null)");
      }
      limits.checkText(source, text);
      this.source = source;
      this.text = text;
      this.limits = limits;
    }

    /** As {@link #nextInt(String, int)}, with a limit from {@link ReadLimits} as the maximum. */
    int nextInt(String what, int min, int max, String limit) {
      int v = nextInt(what, min);
      if (v > max) {
        throw new ParseException(source, lastLine, lastColumn, "", what + " is " + v
            + "; allowed: " + min + ".." + max + " (" + limit + ", see ReadLimits)");
      }
      return v;
    }

    private void skipSpace() {
      while (pos < text.length()) {
        char ch = text.charAt(pos);
        if (ch == '\n') {
          line++;
          column = 1;
        } else if (Character.isWhitespace(ch)) {
          column++;
        } else {
          return;
        }
        pos++;
      }
    }

    int nextInt(String what, int min) {
      skipSpace();
      lastLine = line;
      lastColumn = column;
      if (pos >= text.length()) {
        throw new ParseException(source, line, column, "",
            "unexpected end of input; expected " + what);
      }
      int start = pos;
      while (pos < text.length() && !Character.isWhitespace(text.charAt(pos))) {
        pos++;
        column++;
        if (pos - start > limits.maxScalarLength()) {
          throw new ParseException(source, lastLine, lastColumn, "", "a token longer than"
              + " maxScalarLength = " + limits.maxScalarLength() + " chars; expected " + what);
        }
      }
      String token = text.substring(start, pos);
      long v;
      try {
        v = Long.parseLong(token);
      } catch (NumberFormatException e) {
        throw new ParseException(source, lastLine, lastColumn, "",
            "'" + token + "' is not an integer; expected " + what, e);
      }
      if (v < min || v > Integer.MAX_VALUE) {
        throw new ParseException(source, lastLine, lastColumn, "",
            what + " is " + v + "; allowed: " + min + ".." + Integer.MAX_VALUE);
      }
      return (int) v;
    }

    void expectEnd() {
      skipSpace();
      if (pos < text.length()) {
        int end = pos;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
          end++;
        }
        throw new ParseException(source, line, column, "",
            "unexpected token '" + text.substring(pos, end) + "' after the last item");
      }
    }
  }
}

package io.gpualloc.binpack.packing;

import io.gpualloc.core.ParseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * <p>Malformed input throws {@link ParseException} with the source name, the 1-based line and
 * column of the offending token and what was expected.
 */
public final class PackingReaders {
  private PackingReaders() {}

  /**
   * Reads a BPPLIB 1-D file; the instance is named after the file without extension.
   *
   * @param file the CSV file
   * @return the packing instance read
   */
  public static PackingInstance readBpplib(Path file) {
    return parseBpplib(stem(file), read(file));
  }

  /**
   * Reads a VPSolver {@code .vbp} file; the instance is named after the file.
   *
   * @param file the CSV file
   * @return the packing instance read
   */
  public static PackingInstance readVbp(Path file) {
    return parseVbp(stem(file), read(file));
  }

  /**
   * Parses BPPLIB 1-D text.
   *
   * @param source the name used for the instance and in error messages
   * @param text the file's content
   * @return the instance: one unlimited bin type of cost 1
   */
  public static PackingInstance parseBpplib(String source, String text) {
    Tokens in = new Tokens(source, text);
    int n = in.nextInt("item count n", 0);
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
   */
  public static PackingInstance parseVbp(String source, String text) {
    Tokens in = new Tokens(source, text);
    int d = in.nextInt("dimension count d", 1);
    int[] cap = new int[d];
    for (int k = 0; k < d; k++) {
      cap[k] = in.nextInt("capacity " + (k + 1) + " of " + d, 1);
    }
    int m = in.nextInt("item type count m", 0);
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
      boolean positive = false;
      for (int k = 0; k < d; k++) {
        positive |= size[k] > 0;
      }
      if (!positive && demand > 0) {
        throw new ParseException(source, line, col, "",
            "item type " + (t + 1) + " has size 0 in every dimension; expected a positive size");
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
   * @throws ParseException when the file is empty
   */
  public static List<Map<String, String>> readOptimaTable(Path file) {
    List<String> lines = read(file).lines().toList();
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

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
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
    private int pos;
    private int line = 1;
    private int column = 1;
    int lastLine;
    int lastColumn;

    Tokens(String source, String text) {
      this.source = source;
      this.text = text;
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

package io.gpualloc.benchmarks.replay;

import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.ParseException;
import io.gpualloc.core.ReadLimits;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads the openb trace's CSV files (Alibaba cluster-trace-gpu-v2023): node lists (5 columns) and
 * pod lists (11 columns, or the 5-column multigpu form; a header with {@code gpu_spec} is the
 * full form and must also have {@code creation_time} and {@code deletion_time}).
 *
 * <p>The header's names must be non-empty and distinct. Limits ({@link ReadLimits}, the defaults
 * unless one is passed): {@code maxBytes} of text, {@code maxColumns} header columns, {@code
 * maxScalarLength} chars per cell, {@code maxNodes} node rows, {@code maxItems} pod rows and
 * {@code maxGpusPerNode} for {@code gpu} and {@code num_gpu}. A malformed header or row, an
 * exceeded limit, and for the {@code Path} readers a missing or unreadable file or invalid UTF-8
 * throw {@link ParseException} with the file, line and column where known; nothing else.
 */
public final class OpenbReader {
  private static final List<String> NODE_HEADER =
      List.of("sn", "cpu_milli", "memory_mib", "gpu", "model");
  private static final List<String> POD_HEADER_SHORT =
      List.of("name", "cpu_milli", "memory_mib", "num_gpu", "gpu_milli");

  private OpenbReader() {}

  /**
   * Reads a node list file under the default limits.
   *
   * @param file the file
   * @return the nodes, in file order
   * @throws ParseException when the file is missing, unreadable, not UTF-8, malformed or over a
   *     limit
   */
  public static List<OpenbNode> readNodes(Path file) {
    return readNodes(file, ReadLimits.defaults());
  }

  /**
   * Reads a node list file under the given limits.
   *
   * @param file the file
   * @param limits the limits (see the class comment)
   * @return the nodes, in file order
   * @throws ParseException when the file is missing, unreadable, not UTF-8, malformed or over a
   *     limit
   */
  public static List<OpenbNode> readNodes(Path file, ReadLimits limits) {
    return readNodes(file.toString(), read(file, limits), limits);
  }

  /**
   * Reads node list text under the default limits.
   *
   * @param source the name of the input in errors
   * @param text the CSV text
   * @return the nodes, in input order
   * @throws ParseException when the text is malformed or over a limit
   */
  public static List<OpenbNode> readNodes(String source, String text) {
    return readNodes(source, text, ReadLimits.defaults());
  }

  /**
   * Reads node list text under the given limits.
   *
   * @param source the name of the input in errors
   * @param text the CSV text
   * @param limits the limits (see the class comment)
   * @return the nodes, in input order
   * @throws ParseException when the text is malformed or over a limit
   */
  public static List<OpenbNode> readNodes(String source, String text, ReadLimits limits) {
    List<OpenbNode> out = new ArrayList<>();
    try (CSVParser csv = parser(source, text, limits)) {
      Iterator<CSVRecord> records = csv.iterator();
      Map<String, Integer> cols = header(source, records, NODE_HEADER, limits);
      while (records.hasNext()) {
        CSVRecord r = records.next();
        Row row = new Row(source, r, cols, limits);
        if (out.size() >= limits.maxNodes()) {
          throw new ParseException(source, row.line(), 1, "", "more than maxNodes = "
              + limits.maxNodes() + " node rows; allowed: at most maxNodes (see ReadLimits)");
        }
        int gpus = row.integer("gpu", 0, limits.maxGpusPerNode());
        String model = row.text("model");
        if (gpus > 0 && model.isEmpty()) {
          throw row.error("model", "a GPU model name for a node with " + gpus + " GPUs");
        }
        out.add(new OpenbNode(row.name("sn"), row.integer("cpu_milli", 0, Integer.MAX_VALUE),
            row.integer("memory_mib", 0, Integer.MAX_VALUE), gpus, model));
      }
    } catch (IOException | UncheckedIOException e) {
      throw new ParseException(source, 0, 0, "", "unreadable CSV: " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * Reads a pod list file (either form) under the default limits.
   *
   * @param file the file
   * @return the pods, in file order
   * @throws ParseException when the file is missing, unreadable, not UTF-8, malformed or over a
   *     limit
   */
  public static List<OpenbPod> readPods(Path file) {
    return readPods(file, ReadLimits.defaults());
  }

  /**
   * Reads a pod list file (either form) under the given limits.
   *
   * @param file the file
   * @param limits the limits (see the class comment)
   * @return the pods, in file order
   * @throws ParseException when the file is missing, unreadable, not UTF-8, malformed or over a
   *     limit
   */
  public static List<OpenbPod> readPods(Path file, ReadLimits limits) {
    return readPods(file.toString(), read(file, limits), limits);
  }

  /**
   * Reads pod list text (either form) under the default limits.
   *
   * @param source the name of the input in errors
   * @param text the CSV text
   * @return the pods, in input order
   * @throws ParseException when the text is malformed or over a limit
   */
  public static List<OpenbPod> readPods(String source, String text) {
    return readPods(source, text, ReadLimits.defaults());
  }

  /**
   * Reads pod list text (either form) under the given limits.
   *
   * @param source the name of the input in errors
   * @param text the CSV text
   * @param limits the limits (see the class comment)
   * @return the pods, in input order
   * @throws ParseException when the text is malformed or over a limit
   */
  public static List<OpenbPod> readPods(String source, String text, ReadLimits limits) {
    List<OpenbPod> out = new ArrayList<>();
    try (CSVParser csv = parser(source, text, limits)) {
      Iterator<CSVRecord> records = csv.iterator();
      Map<String, Integer> cols = header(source, records, POD_HEADER_SHORT, limits);
      boolean full = cols.containsKey("gpu_spec");
      if (full) {
        for (String c : List.of("creation_time", "deletion_time")) {
          if (!cols.containsKey(c)) {
            throw new ParseException(source, 1, cols.get("gpu_spec") + 1, "", "header has"
                + " 'gpu_spec' (the full pod form) but lacks column '" + c + "'; found "
                + cols.keySet() + ". Maybe use the 5-column form " + POD_HEADER_SHORT);
          }
        }
      }
      while (records.hasNext()) {
        CSVRecord r = records.next();
        Row row = new Row(source, r, cols, limits);
        if (out.size() >= limits.maxItems()) {
          throw new ParseException(source, row.line(), 1, "", "more than maxItems = "
              + limits.maxItems() + " pod rows; allowed: at most maxItems (see ReadLimits)");
        }
        int numGpu = row.integer("num_gpu", 0, limits.maxGpusPerNode());
        int gpuMilli = row.integer("gpu_milli", 0, 1000);
        if ((numGpu == 0) != (gpuMilli == 0)) {
          throw row.error("gpu_milli", "0 exactly when num_gpu is 0 (num_gpu is " + numGpu + ")");
        }
        if (gpuMilli > 0 && gpuMilli < 1000 && numGpu != 1) {
          throw row.error("gpu_milli", "1000 when num_gpu > 1 (shares are single-GPU)");
        }
        List<String> spec = List.of();
        long created = -1;
        long deleted = -1;
        if (full) {
          String s = row.text("gpu_spec");
          spec = s.isEmpty() ? List.of() : Arrays.asList(s.split("\\|"));
          created = row.optionalLong("creation_time");
          deleted = row.optionalLong("deletion_time");
        }
        out.add(new OpenbPod(row.name("name"), row.integer("cpu_milli", 0, Integer.MAX_VALUE),
            row.integer("memory_mib", 0, Integer.MAX_VALUE), numGpu, gpuMilli, spec, created,
            deleted));
      }
    } catch (IOException | UncheckedIOException e) {
      throw new ParseException(source, 0, 0, "", "unreadable CSV: " + e.getMessage(), e);
    }
    return out;
  }

  private static String read(Path file, ReadLimits limits) {
    if (limits == null || file == null) {
      throw InvalidSpecException.of("OpenbReader", limits == null ? "limits" : "file", null,
          "a value (not null)");
    }
    return limits.readUtf8(file);
  }

  /** A parser without header handling: the header is read and checked by {@link #header}. */
  private static CSVParser parser(String source, String text, ReadLimits limits)
      throws IOException {
    if (limits == null) {
      throw InvalidSpecException.of("OpenbReader", "limits", null, "a ReadLimits");
    }
    if (text == null) {
      throw new ParseException(source, 0, 0, "", "no text (null)");
    }
    limits.checkText(source, text);
    Reader reader = new StringReader(text);
    return CSVFormat.DEFAULT.builder().setIgnoreSurroundingSpaces(true).get().parse(reader);
  }

  /**
   * Reads the first record as the header: names trimmed, non-empty, distinct, at most {@code
   * maxColumns}; the required ones present.
   */
  private static Map<String, Integer> header(
      String source, Iterator<CSVRecord> records, List<String> required, ReadLimits limits) {
    if (!records.hasNext()) {
      throw new ParseException(source, 1, 1, "", "empty input; expected a header " + required);
    }
    CSVRecord head = records.next();
    int line = (int) head.getRecordNumber();
    if (head.size() > limits.maxColumns()) {
      throw new ParseException(source, line, 0, "", "the header has " + head.size()
          + " columns; allowed: at most maxColumns = " + limits.maxColumns() + " (see ReadLimits)");
    }
    Map<String, Integer> cols = new HashMap<>();
    for (int i = 0; i < head.size(); i++) {
      String name = head.get(i).trim();
      if (name.length() > limits.maxScalarLength()) {
        throw new ParseException(source, line, i + 1, "", "header column " + (i + 1)
            + " is longer than maxScalarLength = " + limits.maxScalarLength() + " chars");
      }
      if (name.isEmpty()) {
        throw new ParseException(source, line, i + 1, "", "header column " + (i + 1)
            + " has an empty name; allowed: a column name. Maybe remove a trailing comma");
      }
      Integer before = cols.putIfAbsent(name, i);
      if (before != null) {
        throw new ParseException(source, line, i + 1, "", "header column " + (i + 1) + " '"
            + name + "' repeats column " + (before + 1) + "; allowed: distinct names");
      }
    }
    for (String c : required) {
      if (!cols.containsKey(c)) {
        throw new ParseException(source, 1, 0, "", "header lacks column '" + c + "'; found "
            + cols.keySet() + ", expected at least " + required);
      }
    }
    return cols;
  }

  /** One record with typed accessors that report file, line and column. */
  private record Row(String source, CSVRecord record, Map<String, Integer> cols,
      ReadLimits limits) {
    int line() {
      return (int) record.getRecordNumber(); // the header is record 1
    }

    String text(String col) {
      int i = cols.get(col);
      if (i >= record.size()) {
        throw new ParseException(source, line(), i + 1, col,
            "row has " + record.size() + " fields; column '" + col + "' is missing");
      }
      String v = record.get(i);
      if (v.length() > limits.maxScalarLength()) {
        throw new ParseException(source, line(), i + 1, col, "a value of " + v.length()
            + " chars; allowed: at most maxScalarLength = " + limits.maxScalarLength());
      }
      return v;
    }

    String name(String col) {
      String v = text(col);
      if (v.isEmpty()) {
        throw error(col, "a non-empty name");
      }
      return v;
    }

    int integer(String col, int min, int max) {
      String v = text(col);
      try {
        long x = Long.parseLong(v);
        if (x < min || x > max) {
          throw error(col, min + ".." + max);
        }
        return (int) x;
      } catch (NumberFormatException e) {
        throw error(col, "an integer");
      }
    }

    long optionalLong(String col) {
      String v = text(col);
      if (v.isEmpty()) {
        return -1;
      }
      try {
        long x = Long.parseLong(v);
        if (x < 0) {
          throw error(col, "a time >= 0 or empty");
        }
        return x;
      } catch (NumberFormatException e) {
        throw error(col, "an integer time in seconds or empty");
      }
    }

    ParseException error(String col, String allowed) {
      int i = cols.get(col);
      String value = i < record.size() ? record.get(i) : "";
      return new ParseException(source, line(), i + 1, col,
          "value '" + value + "' of column '" + col + "'; allowed: " + allowed);
    }
  }
}

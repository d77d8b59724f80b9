package io.gpualloc.benchmarks.replay;

import io.gpualloc.core.ParseException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads the openb trace's CSV files (Alibaba cluster-trace-gpu-v2023): node lists (5 columns) and
 * pod lists (11 columns, or the 5-column multigpu form). A malformed row throws {@link
 * ParseException} with the file, line and column.
 */
public final class OpenbReader {
  private static final List<String> NODE_HEADER =
      List.of("sn", "cpu_milli", "memory_mib", "gpu", "model");
  private static final List<String> POD_HEADER_SHORT =
      List.of("name", "cpu_milli", "memory_mib", "num_gpu", "gpu_milli");

  private OpenbReader() {}

  /** Reads a node list file. */
  public static List<OpenbNode> readNodes(Path file) {
    return readNodes(file.toString(), read(file));
  }

  /** Reads node list text; {@code source} names it in errors. */
  public static List<OpenbNode> readNodes(String source, String text) {
    List<OpenbNode> out = new ArrayList<>();
    try (CSVParser csv = parser(text)) {
      Map<String, Integer> cols = header(source, csv, NODE_HEADER);
      for (CSVRecord r : csv) {
        Row row = new Row(source, r, cols);
        int gpus = row.integer("gpu", 0, 64);
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

  /** Reads a pod list file (either form). */
  public static List<OpenbPod> readPods(Path file) {
    return readPods(file.toString(), read(file));
  }

  /** Reads pod list text (either form); {@code source} names it in errors. */
  public static List<OpenbPod> readPods(String source, String text) {
    List<OpenbPod> out = new ArrayList<>();
    try (CSVParser csv = parser(text)) {
      Map<String, Integer> cols = header(source, csv, POD_HEADER_SHORT);
      boolean full = cols.containsKey("gpu_spec");
      for (CSVRecord r : csv) {
        Row row = new Row(source, r, cols);
        int numGpu = row.integer("num_gpu", 0, 64);
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

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ParseException(file.toString(), 0, 0, "", "cannot read file: " + e, e);
    }
  }

  private static CSVParser parser(String text) throws IOException {
    Reader reader = new StringReader(text);
    return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
        .setIgnoreSurroundingSpaces(true).get().parse(reader);
  }

  private static Map<String, Integer> header(String source, CSVParser csv, List<String> required) {
    Map<String, Integer> cols = csv.getHeaderMap();
    for (String c : required) {
      if (!cols.containsKey(c)) {
        throw new ParseException(source, 1, 0, "", "header lacks column '" + c + "'; found "
            + cols.keySet() + ", expected at least " + required);
      }
    }
    return cols;
  }

  /** One record with typed accessors that report file, line and column. */
  private record Row(String source, CSVRecord record, Map<String, Integer> cols) {
    int line() {
      return (int) record.getRecordNumber() + 1; // the header is line 1
    }

    String text(String col) {
      int i = cols.get(col);
      if (!record.isSet(i)) {
        throw new ParseException(source, line(), i + 1, col,
            "row has " + record.size() + " fields; column '" + col + "' is missing");
      }
      return record.get(i);
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
      String value = record.isSet(i) ? record.get(i) : "";
      return new ParseException(source, line(), i + 1, col,
          "value '" + value + "' of column '" + col + "'; allowed: " + allowed);
    }
  }
}

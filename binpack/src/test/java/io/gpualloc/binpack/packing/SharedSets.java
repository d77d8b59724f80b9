package io.gpualloc.binpack.packing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/** Access to the benchmark sets in {@code ../shared/bench/binpack}, read in place. */
final class SharedSets {
  private SharedSets() {}

  static Path root() {
    String prop = System.getProperty("gpualloc.shared", "../../shared");
    Path p = Paths.get(prop).resolve("bench/binpack");
    Assumptions.assumeTrue(Files.isDirectory(p), "../shared absent: skipping benchmark-set test");
    return p;
  }

  /** The rows of {@code set/optima.csv} as column-name maps. */
  static List<Map<String, String>> optima(Path set) {
    try {
      List<String> lines = Files.readAllLines(set.resolve("optima.csv"));
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
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static PackingInstance read(Path set, Map<String, String> row) {
    Path f = set.resolve(row.get("file"));
    return f.toString().endsWith(".vbp") ? PackingReaders.readVbp(f) : PackingReaders.readBpplib(f);
  }
}

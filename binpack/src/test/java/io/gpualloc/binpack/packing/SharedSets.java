package io.gpualloc.binpack.packing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
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
    return PackingReaders.readOptimaTable(set.resolve("optima.csv"));
  }

  /** The known optimum of {@code file} in {@code set/optima.csv}, or -1 when it has none. */
  static int optimum(Path set, String file) {
    for (Map<String, String> row : optima(set)) {
      if (row.get("file").equals(file)) {
        return Integer.parseInt(row.get("opt"));
      }
    }
    return -1;
  }

  static PackingInstance read(Path set, Map<String, String> row) {
    Path f = set.resolve(row.get("file"));
    return f.toString().endsWith(".vbp") ? PackingReaders.readVbp(f) : PackingReaders.readBpplib(f);
  }
}

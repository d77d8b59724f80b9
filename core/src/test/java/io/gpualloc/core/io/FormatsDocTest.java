package io.gpualloc.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.ParseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keeps docs/formats.md honest: its examples are the example files, its error is the real one. */
class FormatsDocTest {
  private static final Path DOCS = Path.of("../docs");

  private static List<String> lines() throws Exception {
    return Files.readAllLines(DOCS.resolve("formats.md"));
  }

  /** The content of the fenced block that follows line {@code marker}. */
  private static String blockAfter(List<String> lines, int marker) {
    int open = marker + 1;
    assertTrue(lines.get(open).startsWith("```"), "no code block after line " + (marker + 1));
    StringBuilder sb = new StringBuilder();
    for (int i = open + 1; !lines.get(i).equals("```"); i++) {
      sb.append(lines.get(i)).append('\n');
    }
    return sb.toString();
  }

  @Test
  void examplesShownAreTheExampleFiles() throws Exception {
    List<String> lines = lines();
    int found = 0;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.startsWith("<!-- example: ")) {
        String file = l.substring("<!-- example: ".length(), l.length() - " -->".length());
        assertEquals(Files.readString(DOCS.resolve(file)), blockAfter(lines, i), file);
        found++;
      }
    }
    assertEquals(3, found);
  }

  @Test
  void theErrorShownIsTheErrorRaised() throws Exception {
    List<String> lines = lines();
    String input = blockAfter(lines, lines.indexOf("<!-- error-input -->"));
    String message = blockAfter(lines, lines.indexOf("<!-- error-message -->"));
    ParseException e = assertThrows(ParseException.class, () -> ClusterFormat.readCluster(
        input, Format.YAML, "cluster.yaml", GpuModelCatalog.builtIn()));
    assertEquals(message.strip(), e.getMessage());
  }
}

package io.gpualloc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's quick start is the example program, and the program runs. */
class QuickStartTest {

  @Test
  void readmeQuickStartIsTheExampleSource() throws IOException {
    String source = Files.readString(
        Path.of("src/main/java/io/gpualloc/examples/QuickStart.java"), StandardCharsets.UTF_8);
    int from = source.indexOf("// quick-start-begin");
    int to = source.indexOf("// quick-start-end");
    List<String> lines = source.substring(source.indexOf('\n', from) + 1, to).lines()
        .map(l -> l.length() >= 4 ? l.substring(4) : l.strip())
        .collect(Collectors.toList());
    String fromSource = String.join("\n", lines).strip();
    String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
    int start = readme.indexOf("```java\n") + "```java\n".length();
    String fromReadme = readme.substring(start, readme.indexOf("```", start)).strip();
    assertEquals(fromSource, fromReadme);
  }

  @Test
  void quickStartRunsAndPrintsTheLedgerState() {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      QuickStart.main(new String[0]);
    } finally {
      System.setOut(old);
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("free whole GPUs on dgx-0: 2"), out);
    assertTrue(out.contains("free compute of GPU 4:    700 milli-GPU"), out);
    assertTrue(out.contains("after release:            6 free"), out);
  }
}

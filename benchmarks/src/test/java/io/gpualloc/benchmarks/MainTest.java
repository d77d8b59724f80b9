package io.gpualloc.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The benchmarks jar's entry point: usage, dispatch, errors. */
class MainTest {

  record Outcome(int status, String out, String err) {}

  static Outcome run(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(status, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void noArgumentsPrintsUsageWithReplayEveryBenchmarkAndEveryExample() throws Exception {
    Outcome o = run();
    assertEquals(0, o.status());
    assertEquals("", o.err());
    assertTrue(o.out().contains("gpualloc-benchmarks.jar replay [options]"), o.out());
    Set<String> benchmarks = benchmarkClasses();
    assertTrue(benchmarks.containsAll(Set.of("LedgerBenchmark", "PolicyDecisionBenchmark",
        "Dgx1SelectionBenchmark")), benchmarks.toString());
    assertEquals(benchmarks, Main.benchmarks().keySet());
    for (String b : benchmarks) {
      assertTrue(o.out().contains("\n  " + b + " "), b + " missing from usage:\n" + o.out());
    }
    assertTrue(o.out().contains("allocateRelease"), o.out());
    assertTrue(o.out().contains("io.gpualloc.benchmarks.packing.PackingBenchmark --help"));
    assertTrue(o.out().contains("io.gpualloc.benchmarks.packing.BudgetCheck --help"));
    Set<String> examples = exampleProgramsInSource();
    assertEquals(examples, Main.EXAMPLES.keySet());
    for (String e : examples) {
      assertTrue(o.out().contains("\n  " + e + " "), e + " missing from usage:\n" + o.out());
    }
  }

  @Test
  void helpFlagsPrintTheSameUsage() throws Exception {
    String usage = run().out();
    for (String flag : List.of("--help", "-h", "help")) {
      Outcome o = run(flag);
      assertEquals(0, o.status(), flag);
      assertEquals(usage, o.out(), flag);
    }
  }

  @Test
  void anUnknownCommandIsOneLineAndExitTwo() throws Exception {
    Outcome o = run("replya", "--seeds", "1");
    assertEquals(2, o.status());
    assertEquals("", o.out());
    assertEquals(1, o.err().lines().count(), o.err());
    assertTrue(o.err().startsWith("gpualloc-benchmarks: unknown command 'replya'; allowed:"
        + " replay, gang-replay, mig-replay, defrag, jmh, help,"
        + " or a JMH benchmark (ColumnGenerationBenchmark, DefragBenchmark,"
        + " Dgx1SelectionBenchmark"), o.err());
  }

  @Test
  void defragBadOptionsAreOneLineAndExitTwo() throws Exception {
    Outcome o = run("defrag", "--budget", "ten");
    assertEquals(2, o.status());
    assertEquals(1, o.err().lines().count(), o.err());
    assertTrue(o.err().startsWith("defrag: --budget ten is not allowed"), o.err());
    Outcome u = run("defrag", "--fast", "1");
    assertEquals(2, u.status());
    assertTrue(u.err().startsWith("defrag: unknown option --fast; allowed:"), u.err());
  }

  @Test
  void replayErrorsComeThroughMainUnchanged() throws Exception {
    Outcome o = run("replay", "--seeds", "44-42");
    assertEquals(2, o.status());
    assertEquals(1, o.err().lines().count(), o.err());
    assertTrue(o.err().startsWith("replay: --seeds range '44-42'"), o.err());
  }

  /** Classes under src/main/java annotated with JMH's {@code @Benchmark}. */
  private static Set<String> benchmarkClasses() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      return files.filter(f -> f.toString().endsWith(".java"))
          .filter(f -> read(f).contains("@Benchmark\n"))
          .map(f -> f.getFileName().toString().replace(".java", ""))
          .collect(Collectors.toSet());
    }
  }

  /** Classes of the examples module with a {@code main} method. */
  private static Set<String> exampleProgramsInSource() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("../examples/src/main/java/io/gpualloc/examples"))) {
      return files.filter(Files::isRegularFile) // the extender server has its own package
          .filter(f -> read(f).contains("public static void main(String[] args)"))
          .map(f -> f.getFileName().toString().replace(".java", ""))
          .collect(Collectors.toSet());
    }
  }

  private static String read(Path f) {
    try {
      return Files.readString(f, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

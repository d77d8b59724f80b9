package io.gpualloc.binpack.packing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.binpack.Policies;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * OR-Tools is an optional dependency: in a JVM whose class path is this one's minus the OR-Tools,
 * JNA and protobuf jars, every online policy and the heuristics still work, and the exact solvers throw
 * {@code MissingDependencyException} naming the artifact instead of {@code NoClassDefFoundError}.
 */
class WithoutOrToolsTest {

  @Test
  void onlinePoliciesRunAndExactSolversNameTheArtifact() throws Exception {
    String classPath = classPathWithoutOrTools().stream().map(Path::toString)
        .collect(Collectors.joining(File.pathSeparator));
    Process process = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classPath, WithoutOrToolsProbe.class.getName())
        .redirectErrorStream(true).start();
    String all = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), all);
    assertEquals(0, process.exitValue(), all);
    List<String> lines = all.lines().toList();
    assertEquals("ortools-visible false", lines.get(0), all);
    for (String name : Policies.names()) {
      assertTrue(lines.stream().anyMatch(l -> l.startsWith("policy " + name + " placed 3 ")),
          name + ":\n" + all);
    }
    assertTrue(all.contains("heuristic bins 2 bound 2"), all);
    String artifact = "com.google.ortools:ortools-java:";
    for (String entry : List.of("CpSatPacker.solve", "GpuRepacker.repack")) {
      String line = lines.stream().filter(l -> l.startsWith(entry + " ")).findFirst().orElseThrow();
      assertTrue(line.startsWith(entry + " threw MissingDependencyException feature=" + entry
          + " artifact=" + artifact), line);
      assertTrue(line.contains("Maybe add the dependency " + artifact), line);
      assertFalse(line.contains("${"), "unfiltered version: " + line);
    }
  }

  /** The probe, run in this JVM (OR-Tools present), solves instead of throwing. */
  @Test
  void withOrToolsTheSameProbeSolves() {
    List<String> lines = WithoutOrToolsProbe.run();
    assertEquals("ortools-visible true", lines.get(0));
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("CpSatPacker.solve returned")),
        String.join("\n", lines));
  }

  /** This JVM's class path and module path, and the binpack classes, without OR-Tools. */
  static Set<Path> classPathWithoutOrTools() throws URISyntaxException {
    Set<Path> out = new LinkedHashSet<>();
    out.add(location(WithoutOrToolsTest.class));
    out.add(location(CpSatPacker.class));
    for (String property : List.of("jdk.module.path", "java.class.path")) {
      String value = System.getProperty(property, "");
      for (String entry : value.split(File.pathSeparator)) {
        if (entry.isBlank()) {
          continue;
        }
        String file = Path.of(entry).getFileName().toString();
        if (file.startsWith("ortools-") || file.startsWith("jna-")
            || file.startsWith("protobuf-")) {
          continue;
        }
        out.add(Path.of(entry));
      }
    }
    return out;
  }

  private static Path location(Class<?> c) throws URISyntaxException {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}

package io.gpualloc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@link ModulePathExample} launched as a module ({@code java --module-path ... -m
 * io.gpualloc.examples/...}) on the built core, topology and binpack modules: once with only
 * gpualloc and JSpecify on the module path (OR-Tools absent), once with OR-Tools added.
 */
class ModulePathExampleTest {
  private static final String MAIN =
      "io.gpualloc.examples/io.gpualloc.examples.ModulePathExample";

  @Test
  void runsOnTheModulePathWithoutOrTools() throws Exception {
    String out = run(List.of("--module-path", join(gpuallocModules())), 0);
    assertTrue(out.startsWith("running in module io.gpualloc.examples, policies from module"
        + " io.gpualloc.binpack"), out);
    assertTrue(out.contains("notebook -> ") && out.contains("train -> ")
        && out.contains("etl -> "), out);
    assertTrue(out.contains("exact packing unavailable: CpSatPacker.solve needs OR-Tools"
        + " (com.google.ortools.Loader), which is not on the class or module path")
        && out.contains("Maybe add the dependency com.google.ortools:ortools-java:"), out);
  }

  @Test
  void runsOnTheModulePathWithOrTools() throws Exception {
    List<Path> modules = new ArrayList<>(gpuallocModules());
    List<Path> natives = new ArrayList<>();
    for (Path p : entries()) {
      String f = p.getFileName().toString();
      if (f.startsWith("ortools-java-") || f.startsWith("jna-") || f.startsWith("protobuf-")) {
        modules.add(p);
      } else if (f.startsWith("ortools-")) {
        natives.add(p); // no valid automatic module name (x86-64): class path
      }
    }
    String out = run(List.of("--module-path", join(modules), "--add-modules", "ortools.java",
        "-cp", join(natives)), 0);
    assertTrue(out.contains("exact packing: 2 bins, OPTIMAL"), out);
  }

  private static String run(List<String> options, int expectedExit)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(options);
    cmd.add("-m");
    cmd.add(MAIN);
    Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), out);
    assertEquals(expectedExit, process.exitValue(), cmd + "\n" + out);
    return out;
  }

  /** examples, core, topology, binpack (jars in a reactor build past package) and JSpecify. */
  private static List<Path> gpuallocModules() throws URISyntaxException {
    List<Path> out = new ArrayList<>();
    out.add(Path.of(ModulePathExample.class.getProtectionDomain().getCodeSource().getLocation()
        .toURI()));
    for (Path p : entries()) {
      String s = p.toString().replace(File.separatorChar, '/');
      String f = p.getFileName().toString();
      boolean library = s.matches(".*/(core|topology|binpack)/target/classes/?")
          || f.matches("gpualloc-(core|topology|binpack)-[^-]+(-SNAPSHOT)?\\.jar")
          || f.startsWith("jspecify-");
      if (library && !out.contains(p)) {
        out.add(p);
      }
    }
    assertEquals(5, out.size(), "expected examples, core, topology, binpack, jspecify: " + out);
    return out;
  }

  /** This JVM's module path and class path entries. */
  private static Set<Path> entries() {
    Set<Path> out = new LinkedHashSet<>();
    for (String property : List.of("jdk.module.path", "java.class.path")) {
      for (String entry : System.getProperty(property, "").split(File.pathSeparator)) {
        if (!entry.isBlank()) {
          out.add(Path.of(entry));
        }
      }
    }
    return out;
  }

  private static String join(List<Path> paths) {
    return paths.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
  }
}

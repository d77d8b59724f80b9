package io.gpualloc.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.Cluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Jackson is an optional dependency: only this package may refer to it, so hosts that never use
 * JSON/YAML files need not ship it. Also: inputs beyond SnakeYAML's default 3 MB limit read fine.
 */
class JacksonIsolationTest {

  @Test
  void noOtherCorePackageRefersToJacksonOrSnakeYaml() throws Exception {
    Path classes = Path.of("target/classes/io/gpualloc/core");
    assertTrue(Files.isDirectory(classes), "run from the core module after compiling");
    List<String> offenders = new ArrayList<>();
    int checked = 0;
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (!f.toString().endsWith(".class") || f.startsWith(classes.resolve("io"))) {
          continue;
        }
        checked++;
        // class files name referenced types in their constant pool as UTF-8 "com/fasterxml/..."
        String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        if (bytes.contains("com/fasterxml/") || bytes.contains("org/yaml/")) {
          offenders.add(classes.relativize(f).toString());
        }
      }
    }
    assertTrue(checked > 20, "found only " + checked + " core classes");
    assertEquals(List.of(), offenders);
  }

  @Test
  void theIoPackageDoesReferToJackson() throws Exception {
    // the check above must be able to fail: the same scan finds Jackson in this package
    byte[] b = Files.readAllBytes(Path.of("target/classes/io/gpualloc/core/io/Tree.class"));
    assertTrue(new String(b, StandardCharsets.ISO_8859_1).contains("com/fasterxml/"));
  }

  @Test
  void yamlFilesLargerThanSnakeYamlsDefaultLimitAreRead() {
    String filler = "x".repeat(4000);
    StringBuilder yaml = new StringBuilder("nodes:\n");
    for (int i = 0; i < 850; i++) {
      yaml.append("  - {name: node-").append(i).append(", cpuMilli: 1000, memoryMib: 1024,")
          .append(" labels: {note: ").append(filler).append("}}\n");
    }
    assertTrue(yaml.length() > 3 * 1024 * 1024, "only " + yaml.length() + " chars");
    Cluster c = ClusterFormat.readCluster(yaml.toString(), Format.YAML);
    assertEquals(850, c.nodeCount());
    assertEquals(filler, c.node(849).labels().get("note"));
  }
}

package io.gpualloc.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.ParseException;
import io.gpualloc.core.ReadLimits;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Regression tests of issue 10 for the cluster/requests/placements readers. */
class ClusterFormatLimitsTest {

  private static ParseException fails(String text, Format format) {
    return assertThrows(ParseException.class, () -> ClusterFormat.readCluster(text, format));
  }

  @Test
  void aHundredMillionGpusInJsonAreRejectedBeforeAnyGpuIsMade() {
    ParseException e = fails("{\"nodes\": [{\"name\": \"n\", \"cpuMilli\": 1, \"memoryMib\": 1,"
        + " \"gpus\": {\"model\": \"T4\", \"count\": 100000000}}]}", Format.JSON);
    assertEquals("nodes[0].gpus.count", e.path());
    assertEquals(1, e.line());
    assertTrue(e.getMessage().contains("count is 100000000; allowed: 0..128"), e.getMessage());
  }

  @Test
  void aHundredMillionGpusInYamlAreRejectedBeforeAnyGpuIsMade() {
    ParseException e = fails("nodes:\n  - name: n\n    cpuMilli: 1\n    memoryMib: 1\n"
        + "    gpus: {model: T4, count: 100000000}\n", Format.YAML);
    assertEquals("nodes[0].gpus.count", e.path());
    assertEquals(5, e.line());
    assertTrue(e.getMessage().contains("maxGpusPerNode"), e.getMessage());
  }

  @Test
  void tenMillionGpusOnOneNodeAreRejected() {
    ParseException e = fails("nodes:\n  - {name: n, cpuMilli: 1, memoryMib: 1,"
        + " gpus: {model: T4, count: 10000000}}\n", Format.YAML);
    assertTrue(e.getMessage().contains("count is 10000000"), e.getMessage());
  }

  @Test
  void theGpuLimitIsConfigurable() {
    String yaml = "nodes:\n  - {name: n, cpuMilli: 1, memoryMib: 1,"
        + " gpus: {model: T4, count: 200}}\n";
    assertThrows(ParseException.class, () -> ClusterFormat.readCluster(yaml, Format.YAML));
    Cluster c = ClusterFormat.readCluster(yaml, Format.YAML, "x", GpuModelCatalog.builtIn(),
        ReadLimits.defaults().withMaxGpusPerNode(256));
    assertEquals(200, c.node(0).gpus().size());
    String list = "nodes:\n  - {name: n, cpuMilli: 1, memoryMib: 1,"
        + " gpus: [{model: T4}, {model: T4}, {model: T4}]}\n";
    ParseException e = assertThrows(ParseException.class, () -> ClusterFormat.readCluster(list,
        Format.YAML, "x", GpuModelCatalog.builtIn(), ReadLimits.defaults().withMaxGpusPerNode(2)));
    assertEquals("nodes[0].gpus[2]", e.path());
  }

  @Test
  void tooManyNodesAreRejectedAtTheFirstSurplusNode() {
    String yaml = "nodes:\n  - {name: a, cpuMilli: 1, memoryMib: 1}\n"
        + "  - {name: b, cpuMilli: 1, memoryMib: 1}\n";
    ParseException e = assertThrows(ParseException.class, () -> ClusterFormat.readCluster(yaml,
        Format.YAML, "x", GpuModelCatalog.builtIn(), ReadLimits.defaults().withMaxNodes(1)));
    assertEquals("nodes[1]", e.path());
    assertEquals(3, e.line());
  }

  @Test
  void anEightMegabyteYamlScalarIsRejectedQuickly() {
    // Formerly 16 s inside SnakeYAML (quadratic in the length of a run without white space).
    String yaml = "nodes:\n  - name: " + "a".repeat(8 * 1024 * 1024) + "\n";
    ParseException e = fails(yaml, Format.YAML);
    assertEquals(2, e.line());
    assertEquals(11, e.column());
    assertTrue(e.getMessage().contains("maxScalarLength = 65536"), e.getMessage());
  }

  @Test
  void longYamlScalarsWithSpacesAndLongJsonStringsAreRejectedAfterALinearScan() {
    String yaml = "nodes:\n  - name: \"" + "aaaaaaa ".repeat(1024 * 1024) + "\"\n";
    ParseException y = fails(yaml, Format.YAML);
    assertTrue(y.getMessage().contains("maxScalarLength"), y.getMessage());
    String json = "{\"nodes\": [{\"name\": \"" + "a".repeat(8 * 1024 * 1024) + "\"}]}";
    ParseException j = fails(json, Format.JSON);
    assertTrue(j.getMessage().contains("65536") || j.getMessage().contains("maxScalarLength"),
        j.getMessage());
  }

  @Test
  void theWholeInputIsBounded() {
    ParseException e = assertThrows(ParseException.class, () -> ClusterFormat.readCluster(
        "nodes: []\n", Format.YAML, "x", GpuModelCatalog.builtIn(),
        ReadLimits.defaults().withMaxBytes(5)));
    assertTrue(e.getMessage().contains("maxBytes = 5"), e.getMessage());
  }

  @Test
  void requestAndPlacementListsAreBounded() {
    String requests = "requests:\n  - {name: a}\n  - {name: b}\n";
    ParseException e = assertThrows(ParseException.class, () -> ClusterFormat.readRequests(
        requests, Format.YAML, "r", ReadLimits.defaults().withMaxItems(1)));
    assertEquals("requests[1]", e.path());
    assertEquals(2, ClusterFormat.readRequests(requests, Format.YAML).size());
  }

  /**
   * Loads core's classes without Jackson on the class path (a loader over core's classes alone)
   * and reads a cluster: the answer is a MissingDependencyException naming the artifact, not a
   * NoClassDefFoundError.
   */
  @Test
  void withoutJacksonTheErrorIsTypedAndNamesTheArtifact() throws Exception {
    URL classes = ClusterFormat.class.getProtectionDomain().getCodeSource().getLocation();
    // Parent: the boot loader. (The platform loader would delegate core's own packages back to
    // the application loader when the tests run on the module path.)
    try (URLClassLoader bare = new URLClassLoader(new URL[] {classes}, null)) {
      Class<?> format = bare.loadClass(Format.class.getName());
      Class<?> cf = bare.loadClass(ClusterFormat.class.getName());
      assertEquals(bare, cf.getClassLoader());
      Method read = cf.getMethod("readCluster", String.class, format);
      Object yaml = format.getField("YAML").get(null);
      InvocationTargetException e = assertThrows(InvocationTargetException.class,
          () -> read.invoke(null, "nodes: []\n", yaml));
      Throwable t = e.getCause();
      assertEquals("io.gpualloc.core.MissingDependencyException", t.getClass().getName(),
          String.valueOf(t));
      assertTrue(t.getMessage().contains("com.fasterxml.jackson.core:jackson-core"),
          t.getMessage());
      Method readFile = cf.getMethod("readCluster", Path.class);
      InvocationTargetException f = assertThrows(InvocationTargetException.class,
          () -> readFile.invoke(null, Path.of("c.yaml")));
      assertEquals("io.gpualloc.core.MissingDependencyException",
          f.getCause().getClass().getName());
    }
  }
}

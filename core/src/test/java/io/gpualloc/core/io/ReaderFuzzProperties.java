package io.gpualloc.core.io;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.testing.Fuzz;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Fuzz targets of the cluster, requests and placements readers, JSON and YAML (see {@link Fuzz}):
 * every mutant of the documented example files reads to a value or fails with ParseException,
 * within the hang and allocation detectors' bounds.
 */
class ReaderFuzzProperties {
  private static final Path DOCS = Path.of("../docs/examples");

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final Cluster DOC_CLUSTER =
      ClusterFormat.readCluster(DOCS.resolve("cluster.yaml"));

  static List<String> clusterYaml() {
    return List.of(read(DOCS.resolve("cluster.yaml")),
        read(Path.of("src/test/resources/formats/small-cluster.yaml")));
  }

  static List<String> clusterJson() {
    return List.of(read(DOCS.resolve("cluster.json")), ClusterFormat.writeCluster(
        ClusterFormat.readCluster(Path.of("src/test/resources/formats/small-cluster.yaml")),
        Format.JSON));
  }

  static Object cluster(byte[] b, Format f) {
    return ClusterFormat.readCluster(Fuzz.text(b), f);
  }

  static Object requests(byte[] b, Format f) {
    return ClusterFormat.readRequests(Fuzz.text(b), f);
  }

  static Object placements(byte[] b) {
    return ClusterFormat.readPlacements(Fuzz.text(b), Format.YAML, DOC_CLUSTER);
  }

  @Provide
  Arbitrary<byte[]> yamlClusters() {
    return Fuzz.mutants(clusterYaml());
  }

  @Provide
  Arbitrary<byte[]> jsonClusters() {
    return Fuzz.mutants(clusterJson());
  }

  @Provide
  Arbitrary<byte[]> yamlRequests() {
    return Fuzz.mutants(List.of(read(DOCS.resolve("requests.yaml"))));
  }

  @Provide
  Arbitrary<byte[]> jsonRequests() {
    return Fuzz.mutants(List.of(read(DOCS.resolve("requests.json"))));
  }

  @Provide
  Arbitrary<byte[]> yamlPlacements() {
    return Fuzz.mutants(List.of(read(DOCS.resolve("placements.yaml"))));
  }

  @Property(tries = 3000)
  void yamlClusterMutants(@ForAll("yamlClusters") byte[] input) {
    Fuzz.check("cluster-yaml", input, b -> cluster(b, Format.YAML));
  }

  @Property(tries = 3000)
  void jsonClusterMutants(@ForAll("jsonClusters") byte[] input) {
    Fuzz.check("cluster-json", input, b -> cluster(b, Format.JSON));
  }

  @Property(tries = 1500)
  void yamlRequestMutants(@ForAll("yamlRequests") byte[] input) {
    Fuzz.check("requests-yaml", input, b -> requests(b, Format.YAML));
  }

  @Property(tries = 1500)
  void jsonRequestMutants(@ForAll("jsonRequests") byte[] input) {
    Fuzz.check("requests-json", input, b -> requests(b, Format.JSON));
  }

  @Property(tries = 1500)
  void placementMutants(@ForAll("yamlPlacements") byte[] input) {
    Fuzz.check("placements-yaml", input, ReaderFuzzProperties::placements);
  }

  /** The long run: {@code -Dgpualloc.fuzz.long=true}, see {@link Fuzz}. */
  @Test
  void longRun() {
    Assumptions.assumeTrue(Fuzz.longRunEnabled(), "long fuzz run: -Dgpualloc.fuzz.long=true");
    Fuzz.longRun("cluster-yaml", clusterYaml(), b -> cluster(b, Format.YAML));
    Fuzz.longRun("cluster-json", clusterJson(), b -> cluster(b, Format.JSON));
    Fuzz.longRun("requests-yaml", List.of(read(DOCS.resolve("requests.yaml"))),
        b -> requests(b, Format.YAML));
    Fuzz.longRun("requests-json", List.of(read(DOCS.resolve("requests.json"))),
        b -> requests(b, Format.JSON));
    Fuzz.longRun("placements-yaml", List.of(read(DOCS.resolve("placements.yaml"))),
        ReaderFuzzProperties::placements);
  }
}

package io.gpualloc.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.Gpu;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.IntraNodeTopology;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.Node;
import io.gpualloc.core.ParseException;
import io.gpualloc.core.Placement;
import io.gpualloc.core.Request;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-written files with pinned expectations; includes the examples that docs/formats.md shows. */
class ClusterFormatExamplesTest {
  private static final GpuModelCatalog BUILT_IN = GpuModelCatalog.builtIn();
  private static final Path SMALL = Path.of("src/test/resources/formats/small-cluster.yaml");
  private static final Path DOCS = Path.of("../docs/examples");

  @Test
  void smallClusterFileReadsAsPinned() {
    Cluster c = ClusterFormat.readCluster(SMALL);
    assertEquals(3, c.nodeCount());
    assertEquals(10, c.gpuCount());

    Node n0 = c.node(0);
    assertEquals("n0", n0.name());
    assertEquals(
        Map.of("rack", "r1", "tier", "2", "topology.kubernetes.io/zone", "eu-1a"), n0.labels());
    assertEquals(96000, n0.cpuMilli());
    assertEquals(786432, n0.memoryMib());
    GpuModel h100 = BUILT_IN.get("H100-80GB-SXM");
    for (int i = 0; i < 8; i++) {
      assertEquals(new Gpu(i, "GPU-n0-" + i, h100, i < 4 ? 0 : 1), n0.gpu(i));
    }

    Node n1 = c.node(1);
    assertEquals(Map.of(), n1.labels());
    assertEquals(new Gpu(0, "GPU-aaaa", GpuModel.of("G3", 12288, "7.5"), 0), n1.gpu(0));
    // "v100m16" is an alias of the built-in V100-16GB
    assertEquals(new Gpu(1, "GPU-n1-1", BUILT_IN.get("V100-16GB"), 1), n1.gpu(1));
    assertEquals("V100-16GB", n1.gpu(1).model().name());

    assertEquals(0, c.node(2).gpuCount());
    assertEquals(16384, c.node(2).memoryMib());
    assertTrue(c.hasNode("n2"));
  }

  @Test
  void smallClusterEqualsTheBuilderVersionAndSurvivesBothFormats() {
    GpuModel g3 = GpuModel.of("G3", 12288, "7.5");
    Cluster expected = Cluster.of(
        Node.builder("n0").cpuMilli(96000).memoryMib(786432).label("rack", "r1")
            .label("topology.kubernetes.io/zone", "eu-1a").label("tier", "2")
            .gpus(8, BUILT_IN.get("H100-80GB-SXM"), 2).build(),
        Node.builder("n1").cpuMilli(8000).memoryMib(65536)
            .gpu("GPU-aaaa", g3, 0).gpu(BUILT_IN.get("V100-16GB"), 1).build(),
        Node.builder("n2").cpuMilli(4000).memoryMib(16384).build());
    Cluster read = ClusterFormat.readCluster(SMALL);
    assertEquals(expected, read);
    for (Format f : Format.values()) {
      assertEquals(expected, ClusterFormat.readCluster(ClusterFormat.writeCluster(read, f), f));
    }
  }

  @Test
  void writerUsesCompactFormWhenItReproducesTheGpus() {
    Cluster c = ClusterFormat.readCluster(SMALL);
    String yaml = ClusterFormat.writeCluster(c, Format.YAML);
    assertTrue(
        yaml.contains("    gpus:\n      model: H100-80GB-SXM\n      count: 8\n      numaNodes: 2\n"),
        yaml);
    // n1 has a custom UUID and two models: explicit list, and its model G3 is written under models
    assertTrue(
        yaml.contains("- index: 0\n        uuid: GPU-aaaa\n        model: G3\n        numa: 0\n"),
        yaml);
    assertTrue(yaml.startsWith("models:\n  - name: G3\n    memoryMib: 12288\n"), yaml);
    // the label value "2" stays a string
    assertTrue(yaml.contains("tier: \"2\""), yaml);
  }

  @Test
  void docsExamplesParseAndAreConsistentWithEachOther() {
    Cluster cluster = ClusterFormat.readCluster(DOCS.resolve("cluster.yaml"));
    assertEquals(List.of("dgx-a", "mixed-b", "cpu-c"),
        cluster.nodes().stream().map(Node::name).toList());
    assertEquals(11, cluster.gpuCount());
    Node mixed = cluster.node(1);
    assertEquals("G2", mixed.gpu(1).model().name());
    assertEquals(15360, mixed.gpu(1).model().memoryMib());
    assertEquals(new Gpu(2, "GPU-6f3c2a10-0003", mixed.gpu(2).model(), 0), mixed.gpu(2));
    assertTrue(mixed.gpu(2).model().supportsMig());
    assertEquals(List.of(0, 4), mixed.gpu(2).model().migProfile("3g.40gb").startSlots());

    List<Request> requests = ClusterFormat.readRequests(DOCS.resolve("requests.yaml"));
    assertEquals(5, requests.size());
    Request train = requests.get(0);
    assertEquals(GpuDemand.whole(4), train.gpu());
    assertEquals(Set.of("A100-80GB"), train.modelInclude());
    assertEquals(IntraNodeTopology.REQUIRED, train.topology());
    assertEquals(10, train.priority());
    assertEquals(GpuDemand.shared(1, 500, 8192), requests.get(1).gpu());
    assertEquals(Set.of("T4"), requests.get(1).modelExclude());
    assertEquals(GpuDemand.mig("1g.10gb", 2), requests.get(2).gpu());
    assertSame(GpuDemand.none(), requests.get(3).gpu());
    assertEquals(Set.of("GPU-6f3c2a10-0001"), requests.get(4).uuidInclude());

    List<Placement> placements =
        ClusterFormat.readPlacements(DOCS.resolve("placements.yaml"), cluster);
    assertEquals(4, placements.size());
    assertEquals(List.of(GpuGrant.mig(4, "1g.10gb", 0), GpuGrant.mig(4, "1g.10gb", 1)),
        placements.get(2).grants());
    assertEquals(cluster.nodeId("cpu-c"), placements.get(3).nodeId());
    // each placement is what its request asks for, and the ledger accepts all of them together
    for (int i = 0; i < placements.size(); i++) {
      assertEquals(requests.get(i).name(), placements.get(i).allocationId());
      assertEquals(requests.get(i).cpuMilli(), placements.get(i).cpuMilli());
      assertEquals(requests.get(i).memoryMib(), placements.get(i).memoryMib());
    }
    ClusterState state = new ClusterState(cluster);
    state.allocateAll(placements);
    assertEquals(3, state.freeWholeGpus(0), "dgx-a: GPUs 0-3 whole, GPU 4 MIG, 5-7 free");
  }

  @Test
  void docsJsonExamplesAreExactlyWhatTheWriterProduces() throws Exception {
    Cluster cluster = ClusterFormat.readCluster(DOCS.resolve("cluster.yaml"));
    assertEquals(Files.readString(DOCS.resolve("cluster.json")),
        ClusterFormat.writeCluster(cluster, Format.JSON));
    assertEquals(cluster, ClusterFormat.readCluster(DOCS.resolve("cluster.json")));
    List<Request> requests = ClusterFormat.readRequests(DOCS.resolve("requests.yaml"));
    assertEquals(Files.readString(DOCS.resolve("requests.json")),
        ClusterFormat.writeRequests(requests, Format.JSON));
    assertEquals(requests, ClusterFormat.readRequests(DOCS.resolve("requests.json")));
  }

  @Test
  void filesAreWrittenInTheFormatOfTheirExtension(@TempDir Path dir) throws Exception {
    Cluster c = ClusterFormat.readCluster(SMALL);
    Path json = dir.resolve("c.JSON");
    Path yml = dir.resolve("c.yml");
    ClusterFormat.writeCluster(c, json);
    ClusterFormat.writeCluster(c, yml);
    assertTrue(Files.readString(json).startsWith("{"));
    assertTrue(Files.readString(yml).startsWith("models:"));
    assertEquals(c, ClusterFormat.readCluster(json));
    assertEquals(c, ClusterFormat.readCluster(yml));
    assertThrows(InvalidSpecException.class, () -> ClusterFormat.writeCluster(c, dir.resolve("c")));

    List<Request> requests = List.of(Request.builder("r").gpu(GpuDemand.whole(1)).build());
    GpuModelCatalog withG3 = BUILT_IN.with(GpuModel.of("G3", 12288, "7.5"));
    Path noModels = dir.resolve("c2.yaml");
    ClusterFormat.writeCluster(c, noModels, withG3);
    assertTrue(!Files.readString(noModels).contains("models:"));
    assertEquals(c, ClusterFormat.readCluster(noModels, withG3));
    assertThrows(ParseException.class, () -> ClusterFormat.readCluster(noModels));

    ClusterFormat.writeRequests(requests, dir.resolve("r.yaml"));
    assertEquals(requests, ClusterFormat.readRequests(dir.resolve("r.yaml")));
    List<Placement> placements = List.of(Placement.builder("p", 1).whole(0).build());
    ClusterFormat.writePlacements(placements, c, dir.resolve("p.json"));
    assertEquals(placements, ClusterFormat.readPlacements(dir.resolve("p.json"), c));
  }
}

package io.gpualloc.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.Gpu;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.IntraNodeTopology;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.MigProfile;
import io.gpualloc.core.Node;
import io.gpualloc.core.ParseException;
import io.gpualloc.core.Placement;
import io.gpualloc.core.Request;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/**
 * The format's specification: whatever a writer produces, the reader turns back into an equal
 * value, in both formats; writing is a fixed point; and mangled input only ever fails with a
 * {@link ParseException}.
 */
class ClusterFormatPropertiesTest {
  private static final GpuModelCatalog CATALOG = GpuModelCatalog.builtIn();
  private static final List<GpuModel> BUILT_IN = List.copyOf(CATALOG.models());

  // --- round trips ------------------------------------------------------------------------------

  @Property(tries = 60)
  void clustersRoundTrip(@ForAll("clusters") Cluster cluster, @ForAll Format format) {
    String text = ClusterFormat.writeCluster(cluster, format);
    Cluster back = ClusterFormat.readCluster(text, format);
    assertEquals(cluster.nodes(), back.nodes(), () -> escape(text));
    assertEquals(text, ClusterFormat.writeCluster(back, format), "writing is a fixed point");
  }

  @Property(tries = 80)
  void requestsRoundTrip(@ForAll("requestLists") List<Request> requests, @ForAll Format format) {
    String text = ClusterFormat.writeRequests(requests, format);
    List<Request> back = ClusterFormat.readRequests(text, format);
    assertEquals(requests, back, () -> escape(text));
    assertEquals(text, ClusterFormat.writeRequests(back, format), "writing is a fixed point");
  }

  @Property(tries = 50)
  void placementsRoundTrip(
      @ForAll("placementsOnClusters") Tuple2<Cluster, List<Placement>> input,
      @ForAll Format format) {
    Cluster cluster = input.get1();
    List<Placement> placements = input.get2();
    String text = ClusterFormat.writePlacements(placements, cluster, format);
    assertEquals(
        placements, ClusterFormat.readPlacements(text, format, cluster), () -> escape(text));
  }

  // --- robustness -------------------------------------------------------------------------------

  /** Deletes, duplicates or replaces a stretch of valid text: the reader succeeds or says why. */
  @Property(tries = 120)
  void mangledInputOnlyEverFailsWithParseException(
      @ForAll("clusters") Cluster cluster,
      @ForAll("requestLists") List<Request> requests,
      @ForAll Format format,
      @ForAll("mangles") Tuple2<Double, Integer> where,
      @ForAll("junk") String junk) {
    String c = mangle(ClusterFormat.writeCluster(cluster, format), where, junk);
    String r = mangle(ClusterFormat.writeRequests(requests, format), where, junk);
    try {
      ClusterFormat.readCluster(c, format);
    } catch (ParseException expected) {
      // a documented outcome
    }
    try {
      ClusterFormat.readRequests(r, format);
    } catch (ParseException expected) {
      // a documented outcome
    }
  }

  /** The text with non-ASCII and control characters as {@code \\uXXXX}, for failure messages. */
  static String escape(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '\n' || c >= ' ' && c <= '~') {
        sb.append(c);
      } else {
        sb.append(String.format("\\u%04x", (int) c));
      }
    }
    return sb.toString();
  }

  private static String mangle(String text, Tuple2<Double, Integer> where, String junk) {
    int at = (int) (where.get1() * text.length());
    int len = Math.min(where.get2(), text.length() - at);
    return text.substring(0, at) + junk + text.substring(at + len);
  }

  @Provide
  Arbitrary<Tuple2<Double, Integer>> mangles() {
    return Combinators.combine(Arbitraries.doubles().between(0, 1), Arbitraries.integers()
        .between(0, 12)).as(Tuple::of);
  }

  @Provide
  Arbitrary<String> junk() {
    return Arbitraries.oneOf(
        Arbitraries.of("", ":", "- ", "{", "}", "[", "]", "\"", "'", ",", "\n", "\t", "-1", "x",
            "null", "1.5", "&a", "*a", "!!int", "? ", "|", "---\n", "\n  ", "9999999999"),
        Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(6));
  }

  // --- generators -------------------------------------------------------------------------------

  private static final List<String> TRICKY = List.of(
      "true", "false", "yes", "No", "on", "OFF", "y", "n", "null", "Null", "~", "1", "-1", "0x10",
      "0o7", "1e3", "1.5", ".inf", "-.nan", "1_000", "007", "+1", "a: b", "#c", "x #c", "[x]",
      "{y}", "- z", " sp ", "ü€λ", "multi\nline", "\"q\"", "'s'", "@x", "*a", "&b", "!t", "%p",
      "`b`", "|", ">", "? q", "tab\there", "2024-01-01", "12:30", "a,b", "k=v", "=", "<<", "😀",
      "bell\u0007", "nul\u0000x", "\u00a0nbsp", "line\u2028sep", "---", "...", "- ", " ");

  /**
   * Strings of every kind that YAML might mistake for something else, and plain ones; all of them
   * Unicode text (no unpaired surrogates, which YAML cannot hold: see the example test).
   */
  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.<String>frequencyOf(
        Tuple.of(3, Arbitraries.of(TRICKY)),
        Tuple.of(4, Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(10)),
        Tuple.of(1, Arbitraries.strings().all().ofMinLength(1).ofMaxLength(6)),
        Tuple.of(4, Arbitraries.strings().alpha().numeric().withChars("-_./").ofMinLength(1)
            .ofMaxLength(12)))
        .filter(s -> s.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF));
  }

  private Arbitrary<String> names() {
    return texts().filter(s -> !s.isBlank());
  }

  private Arbitrary<GpuModel> customModels() {
    GpuModel a100 = CATALOG.get("A100-40GB");
    Arbitrary<String> name = names().filter(n -> !CATALOG.contains(n));
    Arbitrary<Integer> mem = Arbitraries.integers().between(1, Integer.MAX_VALUE)
        .edgeCases(c -> c.includeOnly(1, Integer.MAX_VALUE));
    Arbitrary<String> cc = Arbitraries.oneOf(Arbitraries.of("", "7.5", "8.0", "10.0"), texts());
    Arbitrary<List<MigProfile>> profiles = Arbitraries.subsetOf(a100.migProfiles())
        .map(s -> a100.migProfiles().stream().filter(s::contains).toList());
    return Combinators.combine(name, mem, cc, profiles).as((n, m, c, ps) -> ps.isEmpty()
        ? GpuModel.of(n, m, c)
        : new GpuModel(n, m, c, a100.migComputeSlices(), a100.migMemorySlices(), ps));
  }

  /** A node shape: name, labels, CPU, memory and a function from the model pool to its GPUs. */
  private record NodeShape(
      String name, Map<String, String> labels, int cpu, int mem, int kind, List<int[]> gpus,
      List<String> uuids) {}

  private Arbitrary<NodeShape> nodeShapes() {
    Arbitrary<Map<String, String>> labels =
        Arbitraries.maps(names(), texts().injectNull(0.0)).ofMaxSize(3);
    Arbitrary<Integer> amount = Arbitraries.integers().between(0, Integer.MAX_VALUE);
    // kind 0: no GPUs; 1: compact (gpus[0] = {model, count, numaNodes}); 2: explicit list of
    // {model, numa}
    Arbitrary<Integer> kind = Arbitraries.integers().between(0, 2);
    Arbitrary<List<int[]>> gpus = Combinators.combine(
            Arbitraries.integers().between(0, 1000), Arbitraries.integers().between(1, 8),
            Arbitraries.integers().between(0, 3))
        .as((m, c, n) -> new int[] {m, c, n}).list().ofMinSize(1).ofMaxSize(4);
    Arbitrary<List<String>> uuids = names().list().ofSize(4);
    return Combinators.combine(names(), labels, amount, amount, kind, gpus, uuids)
        .as(NodeShape::new);
  }

  @Provide
  Arbitrary<Cluster> clusters() {
    Arbitrary<List<GpuModel>> customs = customModels().list().ofMaxSize(3)
        .uniqueElements(m -> m.name().toLowerCase(Locale.ROOT));
    Arbitrary<List<NodeShape>> shapes =
        nodeShapes().list().ofMaxSize(6).uniqueElements(NodeShape::name);
    Arbitrary<Boolean> defaultUuids = Arbitraries.of(true, false);
    return Combinators.combine(customs, shapes, defaultUuids)
        .as(ClusterFormatPropertiesTest::build)
        .filter(c -> c != null);
  }

  private static Cluster build(List<GpuModel> customs, List<NodeShape> shapes, boolean defaults) {
    List<GpuModel> pool = new ArrayList<>(BUILT_IN);
    pool.addAll(customs);
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < shapes.size(); i++) {
      NodeShape s = shapes.get(i);
      Node.Builder b = Node.builder(s.name()).cpuMilli(s.cpu()).memoryMib(s.mem());
      s.labels().forEach(b::label);
      if (s.kind() == 1) {
        int[] g = s.gpus().get(0);
        b.gpus(g[1], pool.get(g[0] % pool.size()), 1 + g[2]);
      } else if (s.kind() == 2) {
        for (int k = 0; k < s.gpus().size(); k++) {
          int[] g = s.gpus().get(k);
          GpuModel m = pool.get(g[0] % pool.size());
          if (defaults) {
            b.gpu(m, g[2]);
          } else {
            b.gpu(s.uuids().get(k) + "/" + i + "/" + k, m, g[2]);
          }
        }
      }
      nodes.add(withShareCaps(b.build(), s));
    }
    try {
      return Cluster.of(nodes);
    } catch (InvalidSpecException duplicateUuid) {
      return null;
    }
  }

  /**
   * Share caps (HAMi's split count) drawn from the shape's numbers: none on about a third of the
   * nodes, one cap for all GPUs on another third (the compact form keeps it), per-GPU caps on the
   * rest.
   */
  private static Node withShareCaps(Node node, NodeShape s) {
    int pick = Math.floorMod(s.cpu() + s.mem(), 3);
    if (node.gpuCount() == 0 || pick == 0) {
      return node;
    }
    List<io.gpualloc.core.Gpu> gpus = new ArrayList<>();
    for (io.gpualloc.core.Gpu g : node.gpus()) {
      int cap = pick == 1 ? 1 + Math.floorMod(s.cpu(), 16)
          : g.index() % 2 == 0 ? 1 + Math.floorMod(s.mem() + g.index(), 64)
          : io.gpualloc.core.Gpu.UNLIMITED_SHARES;
      gpus.add(g.withMaxShares(cap));
    }
    return new Node(node.name(), node.labels(), node.cpuMilli(), node.memoryMib(), gpus);
  }

  @Provide
  Arbitrary<List<Request>> requestLists() {
    return requests().list().ofMaxSize(5);
  }

  private Arbitrary<Request> requests() {
    Arbitrary<Integer> amount = Arbitraries.integers().between(0, Integer.MAX_VALUE);
    Arbitrary<GpuDemand> demand = Arbitraries.oneOf(
        Arbitraries.just(GpuDemand.none()),
        Arbitraries.integers().between(1, 16).map(GpuDemand::whole),
        Combinators.combine(Arbitraries.integers().between(1, 8),
                Arbitraries.integers().between(0, 1000),
                Arbitraries.integers().between(0, Integer.MAX_VALUE))
            .as((c, m, mem) -> m == 0 && mem == 0 ? GpuDemand.whole(c)
                : GpuDemand.shared(c, m, mem)),
        Combinators.combine(names(), Arbitraries.integers().between(1, 7)).as(GpuDemand::mig));
    Arbitrary<Set<String>> set = names().set().ofMaxSize(3);
    Arbitrary<Tuple2<Set<String>, Set<String>>> pair = Combinators.combine(set, set).as(Tuple::of);
    Arbitrary<Tuple2<IntraNodeTopology, Integer>> topoPrio = Combinators.combine(
        Arbitraries.of(IntraNodeTopology.class), Arbitraries.integers()).as(Tuple::of);
    return Combinators.combine(names(), amount, amount, demand, pair, pair, topoPrio)
        .as((name, cpu, mem, gpu, models, uuids, tp) -> {
          Set<String> exclude = new HashSet<>(models.get2());
          exclude.removeAll(models.get1());
          return new Request(name, cpu, mem, gpu, models.get1(), exclude, uuids.get1(),
              uuids.get2(), tp.get1(), tp.get2());
        });
  }

  @Provide
  Arbitrary<Tuple2<Cluster, List<Placement>>> placementsOnClusters() {
    return clusters().filter(c -> c.nodeCount() > 0).flatMap(c -> {
      Arbitrary<Placement> one = Combinators.combine(
              names(), Arbitraries.integers().between(0, c.nodeCount() - 1),
              Arbitraries.integers().between(0, Integer.MAX_VALUE),
              Arbitraries.integers().between(0, Integer.MAX_VALUE),
              Arbitraries.longs().list().ofSize(8))
          .as((id, nodeId, cpu, mem, seeds) -> placement(c, id, nodeId, cpu, mem, seeds));
      return one.list().ofMaxSize(4).uniqueElements(Placement::allocationId)
          .map(ps -> Tuple.of(c, ps));
    });
  }

  /** A placement on {@code nodeId} whose grants {@code seeds} choose among the node's GPUs. */
  private static Placement placement(
      Cluster c, String id, int nodeId, int cpu, int mem, List<Long> seeds) {
    Node node = c.node(nodeId);
    List<GpuGrant> grants = new ArrayList<>();
    for (int k = 0; k < node.gpuCount(); k++) {
      long s = Math.abs(seeds.get(k % seeds.size()) >> (k % 7));
      Gpu gpu = node.gpu(k);
      switch ((int) (s % 4)) {
        case 1 -> grants.add(GpuGrant.whole(k));
        case 2 -> grants.add(GpuGrant.share(k, (int) (s % 1001), 1 + (int) (s % 100000)));
        case 3 -> {
          if (gpu.model().supportsMig()) {
            List<MigProfile> ps = gpu.model().migProfiles();
            for (int j = 0; j <= (int) (s % 2); j++) {
              MigProfile p = ps.get((int) ((s >> j) % ps.size()));
              grants.add(GpuGrant.mig(k, p.name(), p.startSlots().get(
                  (int) ((s >> (j + 3)) % p.startSlots().size()))));
            }
          }
        }
        default -> { }
      }
    }
    return new Placement(id, nodeId, cpu, mem, grants);
  }
}

package io.gpualloc.core.io;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.Gpu;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.IntraNodeTopology;
import io.gpualloc.core.MigConfigs;
import io.gpualloc.core.MigLayout;
import io.gpualloc.core.MigProfile;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import io.gpualloc.core.ReadLimits;
import io.gpualloc.core.Request;
import io.gpualloc.core.UnknownGpuModelException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Maps a parsed {@link Tree} into core records; every problem becomes a ParseException. */
final class Decoder {
  static final List<String> CLUSTER_FIELDS = List.of("models", "nodes");
  static final List<String> MODEL_FIELDS = List.of("name", "memoryMib", "computeCapability", "mig");
  static final List<String> MIG_FIELDS = List.of("computeSlices", "memorySlices", "profiles");
  static final List<String> PROFILE_FIELDS = List.of(
      "name", "profileId", "computeSlices", "memorySlices", "memoryMib", "maxCount", "startSlots",
      "placementSize", "mediaExtension", "aliases");
  static final List<String> NODE_FIELDS =
      List.of("name", "labels", "cpuMilli", "memoryMib", "gpus");
  static final List<String> COMPACT_GPU_FIELDS =
      List.of("model", "count", "numaNodes", "migLayout", "maxShares");
  static final List<String> GPU_FIELDS = List.of("index", "uuid", "model", "numa", "migLayout", "maxShares");
  static final List<String> REQUESTS_FIELDS = List.of("requests");
  static final List<String> REQUEST_FIELDS = List.of(
      "name", "cpuMilli", "memoryMib", "gpu", "modelInclude", "modelExclude", "uuidInclude",
      "uuidExclude", "topology", "priority");
  static final List<String> DEMAND_TYPES = List.of("none", "whole", "shared", "mig");
  static final Map<String, List<String>> DEMAND_FIELDS = Map.of(
      "none", List.of("type"),
      "whole", List.of("type", "count"),
      "shared", List.of("type", "count", "computeMilli", "memoryMib"),
      "mig", List.of("type", "profile", "count"));
  static final List<String> TOPOLOGIES = List.of("any", "preferred", "required");
  static final List<String> PLACEMENTS_FIELDS = List.of("placements");
  static final List<String> PLACEMENT_FIELDS =
      List.of("allocationId", "node", "cpuMilli", "memoryMib", "grants");
  static final List<String> GRANT_TYPES = List.of("whole", "share", "mig");
  static final Map<String, List<String>> GRANT_FIELDS = Map.of(
      "whole", List.of("type", "gpuIndex"),
      "share", List.of("type", "gpuIndex", "computeMilli", "memoryMib"),
      "mig", List.of("type", "gpuIndex", "profile", "startSlot"));

  private static final Map<String, String> MODEL_ALIASES = Map.of(
      "model name", "name",
      "migComputeSlices", "mig.computeSlices",
      "migMemorySlices", "mig.memorySlices",
      "migComputeSlices/migMemorySlices", "mig",
      "migProfiles", "mig.profiles");
  private static final Map<String, String> NODE_ALIASES = Map.of("label key", "labels");
  private static final Map<String, String> GPU_ALIASES = Map.of("numaNode", "numa");

  private final Source src;
  private final ReadLimits limits;

  Decoder(String sourceName, ReadLimits limits) {
    this.src = new Source(sourceName);
    this.limits = limits;
  }

  /** Rejects a list longer than {@code max} at its first surplus element, before mapping it. */
  private void checkSize(Fields f, String key, List<Tree> items, int max, String limit) {
    if (items.size() > max) {
      Tree first = items.get(max);
      throw src.error(first, FieldPath.index(f.pathOf(key), max), key + " has " + items.size()
          + " entries; allowed: at most " + limit + " = " + max + " (see ReadLimits)");
    }
  }

  // --- cluster ---------------------------------------------------------------------------------

  Cluster cluster(Tree root, GpuModelCatalog base) {
    Fields f = Fields.of(src, root, "", "a cluster", CLUSTER_FIELDS);
    GpuModelCatalog catalog = base;
    List<Tree> models = f.list("models");
    checkSize(f, "models", models, limits.maxItems(), "maxItems");
    for (int i = 0; i < models.size(); i++) {
      String path = FieldPath.index("models", i);
      Fields mf = Fields.of(src, models.get(i), path, "a GPU model", MODEL_FIELDS);
      GpuModel model = model(mf);
      GpuModelCatalog before = catalog;
      catalog = src.build(mf.obj, path, MODEL_ALIASES, () -> before.with(model));
    }
    List<Tree> nodeTrees = f.requiredList("nodes");
    checkSize(f, "nodes", nodeTrees, limits.maxNodes(), "maxNodes");
    List<Node> nodes = new ArrayList<>(nodeTrees.size());
    for (int i = 0; i < nodeTrees.size(); i++) {
      nodes.add(node(nodeTrees.get(i), FieldPath.index("nodes", i), catalog));
    }
    return src.build(f.obj, "", Map.of(), () -> Cluster.of(nodes));
  }

  private GpuModel model(Fields f) {
    String name = f.string("name");
    int memoryMib = f.integer("memoryMib");
    String cc = f.string("computeCapability", "");
    int computeSlices = 0;
    int memorySlices = 0;
    List<MigProfile> profiles = new ArrayList<>();
    if (f.has("mig")) {
      Fields mig = Fields.of(src, f.get("mig"), f.pathOf("mig"), "a MIG geometry", MIG_FIELDS);
      computeSlices = mig.integer("computeSlices");
      memorySlices = mig.integer("memorySlices");
      List<Tree> ps = mig.requiredList("profiles");
      if (ps.isEmpty()) {
        throw src.error(mig.get("profiles"), mig.pathOf("profiles"),
            "profiles is empty; allowed: at least one profile. Maybe leave out 'mig' for a model"
                + " without MIG");
      }
      for (int i = 0; i < ps.size(); i++) {
        String path = FieldPath.index(mig.pathOf("profiles"), i);
        Fields pf = Fields.of(src, ps.get(i), path, "a MIG profile", PROFILE_FIELDS);
        String pname = pf.string("name");
        int id = pf.integer("profileId", -1);
        int cs = pf.integer("computeSlices");
        int ms = pf.integer("memorySlices");
        int mem = pf.integer("memoryMib");
        int max = pf.integer("maxCount");
        List<Integer> starts = pf.integers("startSlots");
        int size = pf.integer("placementSize");
        boolean me = pf.bool("mediaExtension", false);
        List<String> aliases = pf.strings("aliases");
        profiles.add(src.build(pf.obj, path, Map.of(),
            () -> new MigProfile(pname, id, cs, ms, mem, max, starts, size, me, aliases)));
      }
    }
    int cs = computeSlices;
    int ms = memorySlices;
    return src.build(f.obj, f.path, MODEL_ALIASES,
        () -> new GpuModel(name, memoryMib, cc, cs, ms, profiles));
  }

  private Node node(Tree t, String path, GpuModelCatalog catalog) {
    Fields f = Fields.of(src, t, path, "a node", NODE_FIELDS);
    String name = f.string("name");
    Map<String, String> labels = f.stringMap("labels");
    int cpu = f.integer("cpuMilli");
    int mem = f.integer("memoryMib");
    Tree g = f.get("gpus");
    List<Gpu> gpus = new ArrayList<>();
    if (g instanceof Tree.Obj) {
      Fields c = Fields.of(src, g, f.pathOf("gpus"), "a GPU group", COMPACT_GPU_FIELDS);
      GpuModel model = lookup(c, catalog);
      int count = c.integer("count");
      if (count < 0 || count > limits.maxGpusPerNode()) {
        throw src.error(c.get("count"), c.pathOf("count"), "count is " + count
            + "; allowed: 0.." + limits.maxGpusPerNode() + " (maxGpusPerNode, see ReadLimits)");
      }
      int numa = c.integer("numaNodes", 1);
      if (numa < 1) {
        throw src.error(c.get("numaNodes"), c.pathOf("numaNodes"),
            "numaNodes is " + numa + "; allowed: >= 1");
      }
      Node shape = src.build(f.obj, path, NODE_ALIASES,
          () -> Node.builder(name).gpus(count, model, numa).build());
      MigLayout fixed = fixedLayout(c, model);
      int maxShares = c.integer("maxShares", Gpu.UNLIMITED_SHARES);
      for (Gpu gpu : shape.gpus()) {
        gpus.add(src.build(c.obj, c.path, Map.of(),
            () -> gpu.withFixedMigLayout(fixed).withMaxShares(maxShares)));
      }
    } else if (g instanceof Tree.Arr) {
      List<Tree> items = f.list("gpus");
      checkSize(f, "gpus", items, limits.maxGpusPerNode(), "maxGpusPerNode");
      for (int k = 0; k < items.size(); k++) {
        String gp = FieldPath.index(f.pathOf("gpus"), k);
        Fields gf = Fields.of(src, items.get(k), gp, "a GPU", GPU_FIELDS);
        int index = gf.integer("index", k);
        String uuid = gf.string("uuid", "GPU-" + name + "-" + index);
        GpuModel model = lookup(gf, catalog);
        int numa = gf.integer("numa", 0);
        MigLayout fixed = fixedLayout(gf, model);
        int maxShares = gf.integer("maxShares", Gpu.UNLIMITED_SHARES);
        gpus.add(src.build(gf.obj, gp, GPU_ALIASES,
            () -> new Gpu(index, uuid, model, numa, fixed, maxShares)));
      }
    } else if (g != null) {
      throw src.error(g, f.pathOf("gpus"),
          "expected a GPU group ({model, count, numaNodes}) or a list of GPUs, got "
              + g.describe());
    }
    return src.build(f.obj, path, NODE_ALIASES, () -> new Node(name, labels, cpu, mem, gpus));
  }

  /**
   * The fixed MIG layout at {@code migLayout}: a GPU Operator config name ({@code all-balanced})
   * or instances ({@code "3g.40gb@0, 3g.40gb@4"}); null when absent.
   */
  private @Nullable MigLayout fixedLayout(Fields f, GpuModel model) {
    if (!f.has("migLayout")) {
      return null;
    }
    String text = f.string("migLayout");
    return src.build(f.obj, f.pathOf("migLayout"), Map.of(),
        () -> text.trim().startsWith("all-") ? MigConfigs.named(model, text.trim())
            : MigLayout.parse(model, text));
  }

  private GpuModel lookup(Fields f, GpuModelCatalog catalog) {
    String name = f.string("model");
    if (!catalog.contains(name)) {
      throw src.error(f.get("model"), f.pathOf("model"),
          "unknown GPU model '" + name + "'; known: " + String.join(", ", catalog.names()) + "."
              + FieldPath.maybe(name, catalog.names())
              + " Maybe define it in the top-level 'models' list.");
    }
    return catalog.get(name);
  }

  // --- requests --------------------------------------------------------------------------------

  List<Request> requests(Tree root) {
    Fields f = Fields.of(src, root, "", "a request list", REQUESTS_FIELDS);
    List<Tree> items = f.requiredList("requests");
    checkSize(f, "requests", items, limits.maxItems(), "maxItems");
    List<Request> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      out.add(request(items.get(i), FieldPath.index("requests", i)));
    }
    return out;
  }

  Request request(Tree t, String path) {
    Fields f = Fields.of(src, t, path, "a request", REQUEST_FIELDS);
    String name = f.string("name");
    int cpu = f.integer("cpuMilli", 0);
    int mem = f.integer("memoryMib", 0);
    GpuDemand gpu = f.has("gpu") ? demand(f.get("gpu"), f.pathOf("gpu")) : GpuDemand.none();
    Set<String> mi = set(f, "modelInclude");
    Set<String> me = set(f, "modelExclude");
    Set<String> ui = set(f, "uuidInclude");
    Set<String> ue = set(f, "uuidExclude");
    IntraNodeTopology topo = IntraNodeTopology.valueOf(
        f.choice("topology", TOPOLOGIES, "any").toUpperCase(Locale.ROOT));
    int priority = f.integer("priority", 0);
    return src.build(f.obj, path, Map.of(),
        () -> new Request(name, cpu, mem, gpu, mi, me, ui, ue, topo, priority));
  }

  private Set<String> set(Fields f, String key) {
    List<String> values = f.strings(key);
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i < values.size(); i++) {
      if (!out.add(values.get(i))) {
        throw src.error(((Tree.Arr) f.get(key)).items.get(i), FieldPath.index(f.pathOf(key), i),
            "duplicate entry '" + values.get(i) + "' in " + key);
      }
    }
    return out;
  }

  private GpuDemand demand(Tree t, String path) {
    String type = typeOf(t, path, "a GPU demand", DEMAND_TYPES, DEMAND_FIELDS);
    Fields f = Fields.of(src, t, path, "a GPU demand of type " + type, DEMAND_FIELDS.get(type));
    switch (type) {
      case "whole": {
        int count = f.integer("count");
        return src.build(f.obj, path, Map.of(), () -> GpuDemand.whole(count));
      }
      case "shared": {
        int count = f.integer("count");
        int compute = f.integer("computeMilli", 0);
        int mem = f.integer("memoryMib", 0);
        return src.build(f.obj, path, Map.of(), () -> GpuDemand.shared(count, compute, mem));
      }
      case "mig": {
        String profile = f.string("profile");
        int count = f.integer("count");
        return src.build(f.obj, path, Map.of(), () -> GpuDemand.mig(profile, count));
      }
      default:
        return GpuDemand.none();
    }
  }

  /** Reads the {@code type} discriminator, checking only it and the union of allowed fields. */
  private String typeOf(
      Tree t, String path, String what, List<String> types, Map<String, List<String>> fields) {
    Set<String> all = new LinkedHashSet<>();
    for (String type : types) {
      all.addAll(fields.get(type));
    }
    Fields f = Fields.of(src, t, path, what, List.copyOf(all));
    return f.choice("type", types, null);
  }

  // --- placements ------------------------------------------------------------------------------

  List<Placement> placements(Tree root, Cluster cluster) {
    Fields f = Fields.of(src, root, "", "a placement list", PLACEMENTS_FIELDS);
    List<Tree> items = f.requiredList("placements");
    checkSize(f, "placements", items, limits.maxItems(), "maxItems");
    List<Placement> out = new ArrayList<>(items.size());
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      String path = FieldPath.index("placements", i);
      Placement p = placement(items.get(i), path, cluster);
      Integer other = seen.putIfAbsent(p.allocationId(), i);
      if (other != null) {
        Fields pf = Fields.of(src, items.get(i), path, "a placement", PLACEMENT_FIELDS);
        throw src.error(pf.get("allocationId"), pf.pathOf("allocationId"),
            "allocationId '" + p.allocationId() + "' is already used by placements[" + other
                + "]; allowed: ids unique in the file");
      }
      out.add(p);
    }
    return out;
  }

  private Placement placement(Tree t, String path, Cluster cluster) {
    Fields f = Fields.of(src, t, path, "a placement", PLACEMENT_FIELDS);
    String id = f.string("allocationId");
    String nodeName = f.string("node");
    if (!cluster.hasNode(nodeName)) {
      List<String> names = new ArrayList<>();
      for (Node n : cluster.nodes()) {
        names.add(n.name());
      }
      throw src.error(f.get("node"), f.pathOf("node"),
          "node '" + nodeName + "' is not in the cluster (" + names.size() + " nodes)."
              + FieldPath.maybe(nodeName, names));
    }
    int nodeId = cluster.nodeId(nodeName);
    Node node = cluster.node(nodeId);
    int cpu = f.integer("cpuMilli", 0);
    int mem = f.integer("memoryMib", 0);
    List<Tree> items = f.list("grants");
    List<GpuGrant> grants = new ArrayList<>(items.size());
    for (int k = 0; k < items.size(); k++) {
      grants.add(grant(items.get(k), FieldPath.index(f.pathOf("grants"), k), node));
    }
    return src.build(f.obj, path, Map.of(), () -> new Placement(id, nodeId, cpu, mem, grants));
  }

  private GpuGrant grant(Tree t, String path, Node node) {
    String type = typeOf(t, path, "a GPU grant", GRANT_TYPES, GRANT_FIELDS);
    Fields f = Fields.of(src, t, path, "a GPU grant of type " + type, GRANT_FIELDS.get(type));
    int index = f.integer("gpuIndex");
    if (index < 0 || index >= node.gpuCount()) {
      throw src.error(f.get("gpuIndex"), f.pathOf("gpuIndex"),
          "gpuIndex is " + index + "; allowed: "
              + (node.gpuCount() == 0 ? "none (node " + node.name() + " has no GPUs)"
                  : "0.." + (node.gpuCount() - 1) + " (the GPUs of node " + node.name() + ")"));
    }
    switch (type) {
      case "share": {
        int compute = f.integer("computeMilli", 0);
        int mem = f.integer("memoryMib", 0);
        return src.build(f.obj, path, Map.of(), () -> GpuGrant.share(index, compute, mem));
      }
      case "mig": {
        String profile = f.string("profile");
        int start = f.integer("startSlot");
        GpuModel model = node.gpu(index).model();
        MigProfile p;
        try {
          p = model.migProfile(profile);
        } catch (UnknownGpuModelException e) {
          throw src.error(f.get("profile"), f.pathOf("profile"), e.getMessage());
        }
        if (!p.isValidStart(start)) {
          throw src.error(f.get("startSlot"), f.pathOf("startSlot"),
              "startSlot is " + start + "; allowed for profile " + profile + " on " + model.name()
                  + ": " + p.startSlots());
        }
        return src.build(f.obj, path, Map.of(), () -> GpuGrant.mig(index, profile, start));
      }
      default:
        return GpuGrant.whole(index);
    }
  }
}

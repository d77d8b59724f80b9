package io.gpualloc.core.io;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.Gpu;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.IntraNodeTopology;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.MigLayout;
import io.gpualloc.core.MigProfile;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import io.gpualloc.core.Request;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps core records into Jackson trees in the documented format, leaving out fields that hold
 * their default value, so that written files stay short and read back equal.
 */
final class Encoder {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private Encoder() {}

  static ObjectNode cluster(Cluster cluster, GpuModelCatalog base) {
    ObjectNode root = F.objectNode();
    List<GpuModel> extra = new ArrayList<>();
    Map<GpuModel, Boolean> seen = new IdentityHashMap<>();
    GpuModelCatalog catalog = base;
    for (Node n : cluster.nodes()) {
      for (Gpu g : n.gpus()) {
        GpuModel m = g.model();
        if (seen.put(m, Boolean.TRUE) != null) {
          continue;
        }
        if (catalog.contains(m.name()) && catalog.get(m.name()).equals(m)) {
          continue;
        }
        if (catalog.contains(m.name())) {
          throw InvalidSpecException.of(
              "cluster node " + n.name() + " GPU " + g.index(), "model", m.name(),
              "a model equal to the catalog's model of that name (" + catalog.get(m.name()).name()
                  + ") or with a name not in the catalog; a file cannot hold two models of one"
                  + " name");
        }
        catalog = catalog.with(m);
        extra.add(m);
      }
    }
    if (!extra.isEmpty()) {
      ArrayNode models = root.putArray("models");
      for (GpuModel m : extra) {
        models.add(model(m));
      }
    }
    ArrayNode nodes = root.putArray("nodes");
    for (Node n : cluster.nodes()) {
      nodes.add(node(n));
    }
    return root;
  }

  private static ObjectNode model(GpuModel m) {
    ObjectNode o = F.objectNode();
    o.put("name", m.name());
    o.put("memoryMib", m.memoryMib());
    if (!m.computeCapability().isEmpty()) {
      o.put("computeCapability", m.computeCapability());
    }
    if (m.supportsMig()) {
      ObjectNode mig = o.putObject("mig");
      mig.put("computeSlices", m.migComputeSlices());
      mig.put("memorySlices", m.migMemorySlices());
      ArrayNode ps = mig.putArray("profiles");
      for (MigProfile p : m.migProfiles()) {
        ObjectNode po = ps.addObject();
        po.put("name", p.name());
        if (p.profileId() != -1) {
          po.put("profileId", p.profileId());
        }
        po.put("computeSlices", p.computeSlices());
        po.put("memorySlices", p.memorySlices());
        po.put("memoryMib", p.memoryMib());
        po.put("maxCount", p.maxCount());
        ArrayNode starts = po.putArray("startSlots");
        for (int s : p.startSlots()) {
          starts.add(s);
        }
        po.put("placementSize", p.placementSize());
        if (p.mediaExtension()) {
          po.put("mediaExtension", true);
        }
        if (!p.aliases().isEmpty()) {
          ArrayNode aliases = po.putArray("aliases");
          for (String a : p.aliases()) {
            aliases.add(a);
          }
        }
      }
    }
    return o;
  }

  private static ObjectNode node(Node n) {
    ObjectNode o = F.objectNode();
    o.put("name", n.name());
    if (!n.labels().isEmpty()) {
      ObjectNode labels = o.putObject("labels");
      n.labels().forEach(labels::put);
    }
    o.put("cpuMilli", n.cpuMilli());
    o.put("memoryMib", n.memoryMib());
    if (n.gpus().isEmpty()) {
      return o;
    }
    int numaNodes = compactNumaNodes(n);
    if (numaNodes > 0) {
      ObjectNode g = o.putObject("gpus");
      g.put("model", n.gpus().get(0).model().name());
      g.put("count", n.gpuCount());
      if (numaNodes > 1) {
        g.put("numaNodes", numaNodes);
      }
      MigLayout fixed = n.gpus().get(0).fixedMigLayout();
      if (fixed != null) {
        g.put("migLayout", layoutText(fixed));
      }
      if (n.gpus().get(0).hasShareCap()) {
        g.put("maxShares", n.gpus().get(0).maxShares());
      }
      return o;
    }
    ArrayNode list = o.putArray("gpus");
    for (Gpu g : n.gpus()) {
      ObjectNode go = list.addObject();
      go.put("index", g.index());
      go.put("uuid", g.uuid());
      go.put("model", g.model().name());
      go.put("numa", g.numaNode());
      if (g.fixedMigLayout() != null) {
        go.put("migLayout", layoutText(g.fixedMigLayout()));
      }
      if (g.hasShareCap()) {
        go.put("maxShares", g.maxShares());
      }
    }
    return o;
  }

  /** A layout as {@link MigLayout#parse} reads it; "-" for the empty layout. */
  private static String layoutText(MigLayout l) {
    if (l.isEmpty()) {
      return "-";
    }
    String s = l.toString();
    return s.substring(1, s.length() - 1);
  }

  /**
   * The NUMA-node count with which the compact form reproduces the node's GPUs exactly (same
   * model, default UUIDs, the builder's NUMA split), or 0 when only the explicit list can.
   */
  private static int compactNumaNodes(Node n) {
    GpuModel model = n.gpus().get(0).model();
    MigLayout fixed = n.gpus().get(0).fixedMigLayout();
    int maxNuma = 0;
    for (Gpu g : n.gpus()) {
      if (g.model() != model && !g.model().equals(model)
          || !java.util.Objects.equals(g.fixedMigLayout(), fixed)) {
        return 0;
      }
      maxNuma = Math.max(maxNuma, g.numaNode());
    }
    int numaNodes = maxNuma + 1;
    List<Gpu> expected =
        Node.builder(n.name()).gpus(n.gpuCount(), model, numaNodes).build().gpus();
    for (int k = 0; k < expected.size(); k++) {
      if (!expected.get(k).withFixedMigLayout(fixed).withMaxShares(n.gpus().get(0).maxShares())
          .equals(n.gpus().get(k))) {
        return 0;
      }
    }
    return numaNodes;
  }

  static ObjectNode requests(Collection<Request> requests) {
    ObjectNode root = F.objectNode();
    ArrayNode list = root.putArray("requests");
    for (Request r : requests) {
      list.add(request(r));
    }
    return root;
  }

  static ObjectNode request(Request r) {
    ObjectNode o = F.objectNode();
    o.put("name", r.name());
    o.put("cpuMilli", r.cpuMilli());
    o.put("memoryMib", r.memoryMib());
    GpuDemand d = r.gpu();
    if (d instanceof GpuDemand.Whole w) {
      ObjectNode g = o.putObject("gpu");
      g.put("type", "whole");
      g.put("count", w.count());
    } else if (d instanceof GpuDemand.Shared s) {
      ObjectNode g = o.putObject("gpu");
      g.put("type", "shared");
      g.put("count", s.count());
      g.put("computeMilli", s.computeMilli());
      g.put("memoryMib", s.memoryMib());
    } else if (d instanceof GpuDemand.Mig m) {
      ObjectNode g = o.putObject("gpu");
      g.put("type", "mig");
      g.put("profile", m.profile());
      g.put("count", m.count());
    }
    strings(o, "modelInclude", r.modelInclude());
    strings(o, "modelExclude", r.modelExclude());
    strings(o, "uuidInclude", r.uuidInclude());
    strings(o, "uuidExclude", r.uuidExclude());
    if (r.topology() != IntraNodeTopology.ANY) {
      o.put("topology", r.topology().name().toLowerCase(Locale.ROOT));
    }
    if (r.priority() != 0) {
      o.put("priority", r.priority());
    }
    return o;
  }

  private static void strings(ObjectNode o, String key, Collection<String> values) {
    if (!values.isEmpty()) {
      ArrayNode a = o.putArray(key);
      values.forEach(a::add);
    }
  }

  static ObjectNode placements(Collection<Placement> placements, Cluster cluster) {
    ObjectNode root = F.objectNode();
    ArrayNode list = root.putArray("placements");
    for (Placement p : placements) {
      ObjectNode o = list.addObject();
      o.put("allocationId", p.allocationId());
      o.put("node", cluster.node(p.nodeId()).name());
      o.put("cpuMilli", p.cpuMilli());
      o.put("memoryMib", p.memoryMib());
      if (p.grants().isEmpty()) {
        continue;
      }
      ArrayNode grants = o.putArray("grants");
      for (GpuGrant g : p.grants()) {
        ObjectNode go = grants.addObject();
        if (g instanceof GpuGrant.Share s) {
          go.put("type", "share");
          go.put("gpuIndex", s.gpuIndex());
          go.put("computeMilli", s.computeMilli());
          go.put("memoryMib", s.memoryMib());
        } else if (g instanceof GpuGrant.Mig m) {
          go.put("type", "mig");
          go.put("gpuIndex", m.gpuIndex());
          go.put("profile", m.profile());
          go.put("startSlot", m.startSlot());
        } else {
          go.put("type", "whole");
          go.put("gpuIndex", g.gpuIndex());
        }
      }
    }
    return root;
  }

  /** {@link #cluster} written as text; keeps Jackson types out of ClusterFormat's bytecode. */
  static String clusterText(Cluster cluster, GpuModelCatalog base, Format format) {
    return Jackson.write(cluster(cluster, base), format);
  }

  /** {@link #requests} written as text. */
  static String requestsText(Collection<Request> requests, Format format) {
    return Jackson.write(requests(requests), format);
  }

  /** {@link #placements} written as text. */
  static String placementsText(Collection<Placement> placements, Cluster cluster, Format format) {
    return Jackson.write(placements(placements, cluster), format);
  }
}

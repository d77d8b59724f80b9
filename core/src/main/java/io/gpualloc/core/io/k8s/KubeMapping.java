package io.gpualloc.core.io.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpualloc.core.Gpu;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.GpuallocException;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.Node;
import io.gpualloc.core.ParseException;
import io.gpualloc.core.ReadLimits;
import io.gpualloc.core.Request;
import io.gpualloc.core.io.hami.HamiCodec;
import io.gpualloc.core.io.hami.HamiDevice;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Maps Kubernetes {@code v1.Pod} and {@code v1.Node} JSON, as the API server and kube-scheduler
 * serialise them, to gpualloc's {@link Request} and {@link Node}. Immutable and thread-safe; the
 * {@code with...} methods return changed copies.
 *
 * <p>Pods: a pod's effective request for each resource is computed as Kubernetes does: the larger
 * of the sum over its app containers (plus restartable init containers, "sidecars") and the
 * largest init container (plus the sidecars started before it), plus {@code spec.overhead}. A
 * container's amount is its {@code requests} entry, else its {@code limits} entry. CPU is rounded
 * up to millicores and memory up to MiB. GPUs follow {@link GpuSemantics}; see {@code
 * docs/kubernetes.md} for the tables.
 *
 * <p>Nodes: {@code status.allocatable} CPU and memory rounded down, every label kept unchanged
 * (topology levels name label keys directly), GPUs from the GPU feature discovery labels (model
 * from the product label, count from the count label or, under {@link GpuSemantics#WHOLE}, from
 * the allocatable GPU resource). Under {@link GpuSemantics#HAMI} a node with HAMi's {@code
 * hami.io/node-nvidia-register} annotation takes its GPUs from it instead (UUIDs, indexes, NUMA
 * nodes, models from the device type, health and split counts in {@link KubeNode}); each
 * device's split count ({@code count}) becomes its GPU's share cap ({@link Gpu#maxShares()}), which
 * the ledger and every policy enforce. {@code spec.unschedulable} and the configured taints become
 * {@link KubeNode#cordonReasons()}.
 *
 * <p>Every reader takes {@link ReadLimits}; malformed input is a {@link ParseException} naming the
 * pod or node, the field path and what was allowed, and nothing is returned.
 */
public final class KubeMapping {

  /** How the GPU resources of a container are read. */
  public enum GpuSemantics {
    /**
     * NVIDIA's device plugin: {@code nvidia.com/gpu} counts whole, exclusive GPUs; the HAMi
     * resources are an error.
     */
    WHOLE,
    /**
     * HAMi: {@code nvidia.com/gpu} counts the GPUs one container shares, at {@code gpumem} MiB (or
     * {@code gpumem-percentage} percent) and {@code gpucores} percent each; {@code gpucores: 100}
     * or no memory amount (HAMi's default of 100 %) is a whole GPU.
     */
    HAMI
  }

  private static final String UNSCHEDULABLE_TAINT = "node.kubernetes.io/unschedulable";

  private final ResourceNames names;
  private final GpuSemantics semantics;
  private final GpuModelCatalog catalog;
  private final ReadLimits limits;
  private final int memoryPercentBasisMib;
  private final Set<String> cordonTaints;

  private KubeMapping(ResourceNames names, GpuSemantics semantics, GpuModelCatalog catalog,
      ReadLimits limits, int memoryPercentBasisMib, Set<String> cordonTaints) {
    this.names = names;
    this.semantics = semantics;
    this.catalog = catalog;
    this.limits = limits;
    this.memoryPercentBasisMib = memoryPercentBasisMib;
    this.cordonTaints = cordonTaints;
  }

  /**
   * The default mapping: default resource names, the given semantics, the built-in GPU catalog,
   * default read limits, no memory-percentage basis, and the taint {@code
   * node.kubernetes.io/unschedulable} as the only cordon taint.
   *
   * @param semantics how GPU resources are read
   * @return the mapping
   * @throws InvalidSpecException when {@code semantics} is null
   */
  public static KubeMapping of(GpuSemantics semantics) {
    if (semantics == null) {
      throw InvalidSpecException.of("kubernetes mapping", "semantics", null, "WHOLE or HAMI");
    }
    return new KubeMapping(ResourceNames.defaults(), semantics, GpuModelCatalog.builtIn(),
        ReadLimits.defaults(), 0, Set.of(UNSCHEDULABLE_TAINT));
  }

  /**
   * A copy reading these resource names.
   *
   * @param value the resource names
   * @return the changed copy
   * @throws InvalidSpecException when {@code value} is null
   */
  public KubeMapping withNames(ResourceNames value) {
    if (value == null) {
      throw InvalidSpecException.of("kubernetes mapping", "names", null, "resource names");
    }
    return new KubeMapping(value, semantics, catalog, limits, memoryPercentBasisMib, cordonTaints);
  }

  /**
   * A copy resolving GPU models in this catalog.
   *
   * @param value the catalog
   * @return the changed copy
   * @throws InvalidSpecException when {@code value} is null
   */
  public KubeMapping withCatalog(GpuModelCatalog value) {
    if (value == null) {
      throw InvalidSpecException.of("kubernetes mapping", "catalog", null, "a catalog");
    }
    return new KubeMapping(names, semantics, value, limits, memoryPercentBasisMib, cordonTaints);
  }

  /**
   * A copy bounded by these read limits.
   *
   * @param value the limits
   * @return the changed copy
   * @throws InvalidSpecException when {@code value} is null
   */
  public KubeMapping withLimits(ReadLimits value) {
    if (value == null) {
      throw InvalidSpecException.of("kubernetes mapping", "limits", null, "read limits");
    }
    return new KubeMapping(names, semantics, catalog, value, memoryPercentBasisMib, cordonTaints);
  }

  /**
   * A copy that converts HAMi's {@code gpumem-percentage} below 100 into MiB of a GPU of {@code
   * mib} MiB (rounded up). A {@code Request} names no GPU model, so without a basis such a pod is
   * a {@link ParseException}; a cluster of one GPU model sets its memory here.
   *
   * @param mib the GPU memory a percentage refers to, at least 1
   * @return the changed copy
   * @throws InvalidSpecException when {@code mib} is below 1
   */
  public KubeMapping withMemoryPercentBasisMib(int mib) {
    if (mib < 1) {
      throw InvalidSpecException.of("kubernetes mapping", "memoryPercentBasisMib", mib, ">= 1");
    }
    return new KubeMapping(names, semantics, catalog, limits, mib, cordonTaints);
  }

  /**
   * A copy that cordons nodes carrying a {@code NoSchedule} or {@code NoExecute} taint with one of
   * these keys (besides {@code spec.unschedulable}). Other taints are kube-scheduler's business: it
   * filters them per pod before it calls an extender.
   *
   * @param keys taint keys, non-blank
   * @return the changed copy
   * @throws InvalidSpecException when a key is null or blank
   */
  public KubeMapping withCordonTaints(Set<String> keys) {
    if (keys == null) {
      throw InvalidSpecException.of("kubernetes mapping", "cordonTaints", null, "a set of keys");
    }
    for (String k : keys) {
      if (k == null || k.isBlank()) {
        throw InvalidSpecException.of("kubernetes mapping", "cordonTaints", k, "non-blank keys");
      }
    }
    return new KubeMapping(names, semantics, catalog, limits, memoryPercentBasisMib,
        Set.copyOf(new TreeSet<>(keys)));
  }

  /**
   * The resource names this mapping reads.
   *
   * @return the resource names
   */
  public ResourceNames names() {
    return names;
  }

  /**
   * The GPU semantics.
   *
   * @return the GPU semantics
   */
  public GpuSemantics semantics() {
    return semantics;
  }

  /**
   * The read limits.
   *
   * @return the read limits
   */
  public ReadLimits limits() {
    return limits;
  }

  // ---------------------------------------------------------------------------------------------
  // Pods

  /**
   * Reads one {@code v1.Pod} from JSON.
   *
   * @param json the pod as the API server writes it
   * @return the pod and its effective request
   * @throws ParseException when the text is not a pod, a quantity is malformed, or the GPU
   *     resources do not form one demand; the message names the pod, the field and what was allowed
   */
  public KubePod readPod(String json) {
    JsonNode root = Json.parse("pod", json, limits);
    return pod(root, "pod", "");
  }

  /** Maps a pod already parsed (for example inside {@code ExtenderArgs}). */
  KubePod pod(JsonNode root, String source, String prefix) {
    if (!root.isObject()) {
      throw Json.error(source, prefix, "expected a Pod object, found " + Json.describe(root));
    }
    JsonNode meta = Json.object(source, prefix + "metadata", root.get("metadata"));
    if (meta == null) {
      throw Json.error(source, prefix + "metadata", "missing; a Pod needs metadata.name");
    }
    String name = Json.string(source, prefix + "metadata.name", meta.get("name"), "");
    if (name.isBlank()) {
      throw Json.error(source, prefix + "metadata.name", "missing or blank; a Pod needs a name");
    }
    String namespace =
        Json.string(source, prefix + "metadata.namespace", meta.get("namespace"), "");
    if (namespace.isBlank()) {
      namespace = "default";
    }
    String owner = "pod " + namespace + "/" + name;
    String uid = Json.string(owner, prefix + "metadata.uid", meta.get("uid"), "");
    Map<String, String> annotations =
        Json.stringMap(owner, prefix + "metadata.annotations", meta.get("annotations"));
    JsonNode spec = Json.object(owner, prefix + "spec", root.get("spec"));
    if (spec == null) {
      throw Json.error(owner, prefix + "spec", "missing; a Pod needs spec.containers");
    }
    String nodeName = Json.string(owner, prefix + "spec.nodeName", spec.get("nodeName"), "");
    List<JsonNode> containers =
        Json.array(owner, prefix + "spec.containers", spec.get("containers"));
    if (containers.isEmpty()) {
      throw Json.error(owner, prefix + "spec.containers", "missing or empty; a Pod needs a container");
    }
    List<JsonNode> inits =
        Json.array(owner, prefix + "spec.initContainers", spec.get("initContainers"));
    int priority = 0;
    JsonNode pr = spec.get("priority");
    if (pr != null && !pr.isNull()) {
      if (!pr.isInt()) {
        throw Json.error(owner, prefix + "spec.priority",
            "expected a 32-bit integer, found " + Json.describe(pr));
      }
      priority = pr.intValue();
    }

    List<Container> app = new ArrayList<>();
    for (int i = 0; i < containers.size(); i++) {
      app.add(container(owner, prefix + "spec.containers[" + i + "]", containers.get(i), false));
    }
    List<Container> init = new ArrayList<>();
    for (int i = 0; i < inits.size(); i++) {
      init.add(container(owner, prefix + "spec.initContainers[" + i + "]", inits.get(i), true));
    }
    Map<String, BigDecimal> overhead =
        quantities(owner, prefix + "spec.overhead", spec.get("overhead"));
    Map<String, BigDecimal> effective = effective(init, app, overhead);

    try {
      int cpu = new Quantity(effective.getOrDefault("cpu", BigDecimal.ZERO))
          .milliCeil(owner, "effective cpu request");
      int mem = new Quantity(effective.getOrDefault("memory", BigDecimal.ZERO))
          .mibCeil(owner, "effective memory request");
      GpuDemand gpu = demand(owner, prefix, init, app, effective);
      Request.Builder b = Request.builder(namespace + "/" + name)
          .cpuMilli(cpu).memoryMib(mem).gpu(gpu).priority(priority);
      Request request = b.build();
      return new KubePod(namespace, name, uid, nodeName, annotations, request);
    } catch (ParseException e) {
      throw e;
    } catch (GpuallocException e) {
      throw new ParseException(owner, 0, 0, prefix + "spec", e.getMessage(), e);
    }
  }

  /** One container's resources: requests, else limits, per resource name. */
  private record Container(String name, String path, Map<String, BigDecimal> amounts,
      boolean sidecar) {}

  private Container container(String owner, String path, JsonNode c, boolean init) {
    if (!c.isObject()) {
      throw Json.error(owner, path, "expected a container object, found " + Json.describe(c));
    }
    String name = Json.string(owner, path + ".name", c.get("name"), "");
    boolean sidecar = init
        && "Always".equals(Json.string(owner, path + ".restartPolicy", c.get("restartPolicy"), ""));
    JsonNode res = Json.object(owner, path + ".resources", c.get("resources"));
    Map<String, BigDecimal> amounts = new TreeMap<>();
    if (res != null) {
      Map<String, BigDecimal> limitsMap =
          quantities(owner, path + ".resources.limits", res.get("limits"));
      Map<String, BigDecimal> requests =
          quantities(owner, path + ".resources.requests", res.get("requests"));
      amounts.putAll(limitsMap);
      amounts.putAll(requests);
    }
    return new Container(name.isEmpty() ? path : name, path, amounts, sidecar);
  }

  private static Map<String, BigDecimal> quantities(String owner, String path, JsonNode n) {
    JsonNode obj = Json.object(owner, path, n);
    Map<String, BigDecimal> out = new TreeMap<>();
    if (obj == null) {
      return out;
    }
    for (Map.Entry<String, JsonNode> e : obj.properties()) {
      String p = path + "[\"" + e.getKey() + "\"]";
      JsonNode v = e.getValue();
      String text;
      if (v.isTextual()) {
        text = v.asText();
      } else if (v.isNumber()) {
        text = v.asText();
      } else {
        throw Json.error(owner, p, "expected a quantity string such as \"500m\", found "
            + Json.describe(v));
      }
      BigDecimal q;
      try {
        q = Quantity.parse(text).value();
      } catch (InvalidSpecException ex) {
        throw new ParseException(owner, 0, 0, p, ex.getMessage(), ex);
      }
      if (q.signum() < 0) {
        throw Json.error(owner, p, "the quantity '" + text + "' is negative; allowed: >= 0");
      }
      out.put(e.getKey(), q);
    }
    return out;
  }

  /** Kubernetes' effective pod request, per resource name. */
  private static Map<String, BigDecimal> effective(
      List<Container> init, List<Container> app, Map<String, BigDecimal> overhead) {
    Set<String> keys = new TreeSet<>(overhead.keySet());
    init.forEach(c -> keys.addAll(c.amounts().keySet()));
    app.forEach(c -> keys.addAll(c.amounts().keySet()));
    Map<String, BigDecimal> out = new LinkedHashMap<>();
    for (String k : keys) {
      BigDecimal sidecars = BigDecimal.ZERO;
      BigDecimal initMax = BigDecimal.ZERO;
      for (Container c : init) {
        BigDecimal v = c.amounts().getOrDefault(k, BigDecimal.ZERO);
        initMax = initMax.max(sidecars.add(v));
        if (c.sidecar()) {
          sidecars = sidecars.add(v);
        }
      }
      BigDecimal sum = sidecars;
      for (Container c : app) {
        sum = sum.add(c.amounts().getOrDefault(k, BigDecimal.ZERO));
      }
      out.put(k, sum.max(initMax).add(overhead.getOrDefault(k, BigDecimal.ZERO)));
    }
    return out;
  }

  private GpuDemand demand(String owner, String prefix, List<Container> init, List<Container> app,
      Map<String, BigDecimal> effective) {
    // MIG: one profile per pod, counted with the effective-request rule.
    String migProfile = null;
    int migCount = 0;
    for (Map.Entry<String, BigDecimal> e : effective.entrySet()) {
      if (e.getKey().startsWith(names.migPrefix()) && e.getValue().signum() > 0) {
        String profile = e.getKey().substring(names.migPrefix().length());
        if (migProfile != null) {
          throw Json.error(owner, prefix + "spec",
              "requests MIG profiles '" + migProfile + "' and '" + profile
                  + "'; allowed: one MIG profile per pod. Maybe split it into two pods");
        }
        migProfile = profile;
        migCount = new Quantity(e.getValue()).wholeNumber(owner, e.getKey());
      }
    }
    List<Container> all = new ArrayList<>(init);
    all.addAll(app);
    List<Container> gpuUsers = new ArrayList<>();
    boolean hamiFields = false;
    for (Container c : all) {
      boolean uses = false;
      for (Map.Entry<String, BigDecimal> e : c.amounts().entrySet()) {
        String k = e.getKey();
        if (k.equals(names.gpu()) && e.getValue().signum() > 0) {
          uses = true;
        }
        if (k.equals(names.gpuMemory()) || k.equals(names.gpuMemoryPercentage())
            || k.equals(names.gpuCores())) {
          hamiFields = true;
          if (!c.amounts().containsKey(names.gpu())) {
            throw Json.error(owner, c.path() + ".resources",
                "'" + k + "' without '" + names.gpu() + "'; allowed: HAMi's per-GPU amounts"
                    + " together with a GPU count");
          }
        }
      }
      if (uses) {
        gpuUsers.add(c);
      }
    }
    if (migProfile != null) {
      if (!gpuUsers.isEmpty()) {
        throw Json.error(owner, prefix + "spec", "requests both '" + names.gpu()
            + "' and MIG profile '" + migProfile + "'; allowed: one kind of GPU per pod");
      }
      return GpuDemand.mig(migProfile, migCount);
    }
    if (gpuUsers.isEmpty()) {
      return GpuDemand.none();
    }
    if (semantics == GpuSemantics.WHOLE) {
      if (hamiFields) {
        throw Json.error(owner, prefix + "spec", "uses HAMi resources ('" + names.gpuMemory()
            + "', '" + names.gpuMemoryPercentage() + "', '" + names.gpuCores()
            + "') under WHOLE semantics; allowed: '" + names.gpu()
            + "' only. Maybe map with GpuSemantics.HAMI");
      }
      int count = new Quantity(effective.get(names.gpu())).wholeNumber(owner, names.gpu());
      return GpuDemand.whole(count);
    }
    if (gpuUsers.size() > 1) {
      List<String> who = new ArrayList<>();
      gpuUsers.forEach(c -> who.add(c.name()));
      throw Json.error(owner, prefix + "spec", "containers " + who + " each request '"
          + names.gpu() + "'; allowed under HAMi semantics: one GPU container per pod"
          + " (a Request holds one per-GPU share)");
    }
    Container c = gpuUsers.get(0);
    Map<String, BigDecimal> a = c.amounts();
    String at = c.path() + ".resources";
    int count = new Quantity(a.get(names.gpu())).wholeNumber(owner, at + " " + names.gpu());
    int cores = -1;
    if (a.containsKey(names.gpuCores())) {
      cores = new Quantity(a.get(names.gpuCores())).wholeNumber(owner, at + " " + names.gpuCores());
      if (cores > 100) {
        throw Json.error(owner, at + "[\"" + names.gpuCores() + "\"]",
            "is " + cores + "; allowed: 0..100 percent of a GPU's cores");
      }
    }
    int mem = -1;
    if (a.containsKey(names.gpuMemory())) {
      mem = new Quantity(a.get(names.gpuMemory())).wholeNumber(owner, at + " " + names.gpuMemory());
    } else if (a.containsKey(names.gpuMemoryPercentage())) {
      String f = names.gpuMemoryPercentage();
      int pct = new Quantity(a.get(f)).wholeNumber(owner, at + " " + f);
      if (pct < 1 || pct > 100) {
        throw Json.error(owner, at + "[\"" + f + "\"]",
            "is " + pct + "; allowed: 1..100 percent of a GPU's memory");
      }
      if (pct < 100) {
        if (memoryPercentBasisMib == 0) {
          throw Json.error(owner, at + "[\"" + f + "\"]", "is " + pct
              + "; a percentage below 100 needs the GPU's memory, which a Request does not name."
              + " Maybe set KubeMapping.withMemoryPercentBasisMib or request '"
              + names.gpuMemory() + "' in MiB");
        }
        mem = (int) (((long) pct * memoryPercentBasisMib + 99) / 100);
      }
    }
    if (cores == 100 || mem < 0) {
      // Exclusive cores, or no memory amount: HAMi's default is 100 % of the GPU's memory.
      return GpuDemand.whole(count);
    }
    return GpuDemand.shared(count, Math.max(cores, 0) * 10, mem);
  }

  // ---------------------------------------------------------------------------------------------
  // Nodes

  /**
   * Reads one {@code v1.Node} from JSON.
   *
   * @param json the node as the API server writes it
   * @return the node, its cordon reasons and annotations
   * @throws ParseException when the text is not a node, a quantity or label is malformed, or the
   *     GPU model is not in the catalog; the message names the node, the field and what was allowed
   */
  public KubeNode readNode(String json) {
    JsonNode root = Json.parse("node", json, limits);
    return node(root, "node", "");
  }

  /** Maps a node already parsed (for example inside {@code ExtenderArgs.Nodes.items}). */
  KubeNode node(JsonNode root, String source, String prefix) {
    if (!root.isObject()) {
      throw Json.error(source, prefix, "expected a Node object, found " + Json.describe(root));
    }
    JsonNode meta = Json.object(source, prefix + "metadata", root.get("metadata"));
    if (meta == null) {
      throw Json.error(source, prefix + "metadata", "missing; a Node needs metadata.name");
    }
    String name = Json.string(source, prefix + "metadata.name", meta.get("name"), "");
    if (name.isBlank()) {
      throw Json.error(source, prefix + "metadata.name", "missing or blank; a Node needs a name");
    }
    String owner = "node " + name;
    Map<String, String> labels = Json.stringMap(owner, prefix + "metadata.labels", meta.get("labels"));
    Map<String, String> annotations =
        Json.stringMap(owner, prefix + "metadata.annotations", meta.get("annotations"));
    JsonNode spec = Json.object(owner, prefix + "spec", root.get("spec"));
    List<String> cordon = new ArrayList<>();
    if (spec != null) {
      if (Json.bool(owner, prefix + "spec.unschedulable", spec.get("unschedulable"))) {
        cordon.add("spec.unschedulable");
      }
      List<JsonNode> taints = Json.array(owner, prefix + "spec.taints", spec.get("taints"));
      for (int i = 0; i < taints.size(); i++) {
        String p = prefix + "spec.taints[" + i + "]";
        JsonNode t = Json.object(owner, p, taints.get(i));
        if (t == null) {
          throw Json.error(owner, p, "expected a taint object, found null");
        }
        String key = Json.string(owner, p + ".key", t.get("key"), "");
        String effect = Json.string(owner, p + ".effect", t.get("effect"), "");
        if (!effect.equals("NoSchedule") && !effect.equals("NoExecute")
            && !effect.equals("PreferNoSchedule")) {
          throw Json.error(owner, p + ".effect", "is '" + effect
              + "'; allowed: NoSchedule, PreferNoSchedule or NoExecute");
        }
        if (cordonTaints.contains(key) && !effect.equals("PreferNoSchedule")
            && !cordon.contains(key)) {
          cordon.add(key);
        }
      }
    }
    JsonNode status = Json.object(owner, prefix + "status", root.get("status"));
    Map<String, BigDecimal> alloc = status == null ? Map.of()
        : quantities(owner, prefix + "status.allocatable", status.get("allocatable"));
    try {
      int cpu = new Quantity(alloc.getOrDefault("cpu", BigDecimal.ZERO))
          .milliFloor(owner, "status.allocatable.cpu");
      int mem = new Quantity(alloc.getOrDefault("memory", BigDecimal.ZERO))
          .mibFloor(owner, "status.allocatable.memory");
      Node.Builder b = Node.builder(name).cpuMilli(cpu).memoryMib(mem);
      labels.forEach(b::label);
      String register = annotations.get(HamiCodec.NODE_REGISTER);
      if (semantics == GpuSemantics.HAMI && register != null) {
        return hamiNode(owner, prefix, b, register, cordon, annotations);
      }
      int count = gpuCount(owner, prefix, labels, alloc);
      if (count > limits.maxGpusPerNode()) {
        throw Json.error(owner, prefix, count + " GPUs; allowed: at most maxGpusPerNode = "
            + limits.maxGpusPerNode() + " (see ReadLimits)");
      }
      if (count > 0) {
        b.gpus(count, model(owner, prefix, labels));
      }
      return new KubeNode(b.build(), cordon, annotations, List.of(), List.of());
    } catch (ParseException e) {
      throw e;
    } catch (GpuallocException e) {
      throw new ParseException(owner, 0, 0, prefix, e.getMessage(), e);
    }
  }

  /** GPUs from HAMi's register annotation: UUIDs, indexes, NUMA, health and split counts. */
  private KubeNode hamiNode(String owner, String prefix, Node.Builder b, String register,
      List<String> cordon, Map<String, String> annotations) {
    String path = prefix + "metadata.annotations[\"" + HamiCodec.NODE_REGISTER + "\"]";
    List<HamiDevice> devices = new ArrayList<>(HamiCodec.readRegister(owner, register, limits));
    devices.sort(java.util.Comparator.comparingInt(HamiDevice::index));
    List<Integer> unhealthy = new ArrayList<>();
    List<Integer> splits = new ArrayList<>();
    for (int i = 0; i < devices.size(); i++) {
      HamiDevice d = devices.get(i);
      if (d.index() != i) {
        throw Json.error(owner, path, "GPU indexes " + devices.stream().map(HamiDevice::index)
            .toList() + "; allowed: 0.." + (devices.size() - 1) + ", each once");
      }
      GpuModel model = null;
      for (String c : candidates(d.type())) {
        if (catalog.contains(c)) {
          model = catalog.get(c);
          break;
        }
      }
      if (model == null) {
        throw Json.error(owner, path, "device " + d.id() + " has type '" + d.type()
            + "', not a GPU model of the catalog (tried " + candidates(d.type()) + "); known: "
            + String.join(", ", catalog.names()) + ". Maybe add it with GpuModelCatalog.with");
      }
      if (d.count() < 1) {
        throw Json.error(owner, path, "device " + d.id() + " has count " + d.count()
            + "; allowed: >= 1 (HAMi's split count: the containers that may share the GPU at"
            + " once; with 0 HAMi never places on it)");
      }
      // HAMi's split count is the GPU's share cap: the ledger and every policy enforce it
      b.gpu(new Gpu(i, d.id(), model, Math.max(0, d.numa()), null, d.count()));
      if (!d.health()) {
        unhealthy.add(i);
      }
      splits.add(d.count());
    }
    return new KubeNode(b.build(), cordon, annotations, unhealthy, splits);
  }

  private int gpuCount(String owner, String prefix, Map<String, String> labels,
      Map<String, BigDecimal> alloc) {
    String c = labels.get(names.countLabel());
    if (c != null) {
      try {
        return Quantity.parse(c).wholeNumber(owner, "label " + names.countLabel());
      } catch (InvalidSpecException e) {
        throw new ParseException(owner, 0, 0,
            prefix + "metadata.labels[\"" + names.countLabel() + "\"]", e.getMessage(), e);
      }
    }
    BigDecimal a = alloc.get(names.gpu());
    if (a == null || a.signum() == 0) {
      return 0;
    }
    if (semantics == GpuSemantics.HAMI) {
      throw Json.error(owner, prefix + "metadata.labels", "no '" + names.countLabel()
          + "' label: under HAMi semantics the allocatable '" + names.gpu()
          + "' counts vGPU slots, not GPUs; allowed: a node with the GPU count label");
    }
    return new Quantity(a).wholeNumber(owner, "status.allocatable " + names.gpu());
  }

  private GpuModel model(String owner, String prefix, Map<String, String> labels) {
    String product = labels.get(names.productLabel());
    String path = prefix + "metadata.labels[\"" + names.productLabel() + "\"]";
    if (product == null) {
      throw Json.error(owner, path, "missing; a node with GPUs needs its GPU model label");
    }
    for (String candidate : candidates(product)) {
      if (catalog.contains(candidate)) {
        return catalog.get(candidate);
      }
    }
    throw Json.error(owner, path, "'" + product + "' is not a GPU model of the catalog (tried "
        + candidates(product) + "); known: " + String.join(", ", catalog.names())
        + ". Maybe add it with GpuModelCatalog.with");
  }

  /** GPU feature discovery writes {@code NVIDIA-A100-SXM4-80GB}, with {@code -MIG-...} in MIG mode. */
  static List<String> candidates(String product) {
    List<String> out = new ArrayList<>();
    String p = product.trim().replace(' ', '-');
    int mig = p.indexOf("-MIG-");
    if (mig > 0) {
      p = p.substring(0, mig);
    }
    out.add(p);
    // HAMi writes "NVIDIA-" + the NVML name, which may itself start with "NVIDIA " or "Tesla ".
    boolean stripped = true;
    while (stripped) {
      stripped = false;
      for (String pre : List.of("NVIDIA-", "Tesla-")) {
        if (p.startsWith(pre) && p.length() > pre.length()) {
          p = p.substring(pre.length());
          out.add(p);
          stripped = true;
        }
      }
    }
    return out;
  }
}

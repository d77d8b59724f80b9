package io.gpualloc.binpack;

import io.gpualloc.binpack.internal.Baselines;
import io.gpualloc.binpack.internal.CapacityAwareFragmentationDescent;
import io.gpualloc.binpack.internal.Fit;
import io.gpualloc.binpack.internal.FragmentationGradientDescent;
import io.gpualloc.binpack.internal.FrameworkPolicy;
import io.gpualloc.binpack.internal.FrameworkPolicy.Ties;
import io.gpualloc.binpack.internal.TopologyTerm;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.PlacementPolicy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The registry of online placement policies, by name. Every policy filters nodes with {@link
 * Filters#standard()}, prefers nodes by its own rule and picks GPUs inside the chosen node; see
 * {@code docs/policies.md} for each definition and when to use it.
 *
 * <p>Start with {@link #named(String, PolicyConfig)}; {@link #names()} lists what exists.
 */
public final class Policies {
  private static final Map<String, Function<PolicyConfig, PlacementPolicy>> REGISTRY =
      new LinkedHashMap<>();

  static {
    REGISTRY.put("first-fit", c -> framework("first-fit", List.of(), List.of(),
        Baselines.picker("first", Fit.ShareOrder.FIRST), Ties.NODE_ID, c));
    REGISTRY.put("random", c -> framework("random", List.of(), List.of(),
        Baselines.randomPicker(c.seed()), Ties.PER_DECISION, c));
    REGISTRY.put("worst-fit", c -> framework("worst-fit",
        List.of(Baselines.scorer("worst-fit", false, (r, v, n) -> -Baselines.bestFit(r, v, n))),
        List.of(1.0), Baselines.picker("loosest", Fit.ShareOrder.LOOSEST), Ties.NODE_ID, c));
    REGISTRY.put("best-fit", c -> framework("best-fit",
        List.of(Baselines.scorer("best-fit", true, Baselines::bestFit)),
        List.of(1000.0), tightest(), Ties.NODE_PRIORITY, c));
    REGISTRY.put("dot-product", c -> framework("dot-product",
        List.of(Baselines.scorer("dot-product", false, Baselines::dotProduct)),
        List.of(1000.0), tightest(), Ties.NODE_PRIORITY, c));
    REGISTRY.put("gpu-packing", c -> framework("gpu-packing",
        List.of(Baselines.scorer("gpu-packing", false, Baselines::gpuPacking)),
        List.of(1000.0), tightest(), Ties.NODE_PRIORITY, c));
    REGISTRY.put("gpu-clustering", c -> framework("gpu-clustering",
        List.of(Baselines.scorer("gpu-clustering", false, Baselines::gpuClustering)),
        List.of(1000.0), tightest(), Ties.NODE_PRIORITY, c));
    for (String node : List.of("binpack", "spread")) {
      for (String gpu : List.of("binpack", "spread")) {
        String name = "hami-" + node + "-" + gpu;
        boolean nodePack = node.equals("binpack");
        Fit.ShareOrder order = gpu.equals("binpack") ? Fit.ShareOrder.TIGHTEST
            : Fit.ShareOrder.LOOSEST;
        REGISTRY.put(name, c -> framework(name,
            List.of(Baselines.scorer("hami-node-" + node, false, nodePack
                ? Baselines::hamiUtilisation
                : (r, v, n) -> 100 - Baselines.hamiUtilisation(r, v, n))),
            List.of(1.0), Baselines.picker("hami-gpu-" + gpu, order), Ties.NODE_ID, c));
      }
    }
    REGISTRY.put("mig-fragmentation", c -> framework("mig-fragmentation",
        List.of(Scorers.migFragmentation(java.util.Map.of())), List.of(1.0), tightest(),
        Ties.NODE_ID, c));
    REGISTRY.put("fgd", c -> fgd("fgd", FragmentationGradientDescent.Mode.SIMULATOR, c));
    REGISTRY.put("fgd-exact", c -> fgd("fgd-exact", FragmentationGradientDescent.Mode.EXACT, c));
    REGISTRY.put("fgd-bucketed",
        c -> fgd("fgd-bucketed", FragmentationGradientDescent.Mode.BUCKETED, c));
    REGISTRY.put("fgd-capacity", c -> {
      CapacityAwareFragmentationDescent p =
          new CapacityAwareFragmentationDescent("fgd-capacity", c.workload(), c.seed());
      p.topology(topology(c));
      return p;
    });
  }

  /**
   * Old names that still resolve, to their canonical name. {@code fgd-sim} was the name of the
   * paper's FGD (the reference simulator's quantised score) until that policy became {@code fgd};
   * the exact-argmin variant that used to be called {@code fgd} is now {@code fgd-exact}, so the
   * name {@code fgd} itself changed meaning and is not an alias.
   */
  private static final Map<String, String> ALIASES = Map.of("fgd-sim", "fgd");

  private Policies() {}

  /**
   * All canonical names, in a stable order (baselines first, then HAMi, then FGD variants with the
   * paper's {@code fgd} first). Aliases ({@link #aliases()}) are not listed.
   *
   * @return the canonical policy names
   */
  public static List<String> names() {
    return List.copyOf(REGISTRY.keySet());
  }

  /**
   * The documented aliases: old names that {@link #named(String, PolicyConfig)} still accepts, each
   * mapped to the canonical name it creates. Currently {@code fgd-sim -> fgd}.
   *
   * @return alias to canonical name, immutable
   */
  public static Map<String, String> aliases() {
    return ALIASES;
  }

  /**
   * The canonical name of {@code name}: itself for a registered name, the target for an alias.
   *
   * @param name a policy name or alias
   * @return the canonical name
   * @throws InvalidSpecException when {@code name} is neither (listing the known names)
   */
  public static String canonicalName(String name) {
    String canonical = name == null ? null : ALIASES.getOrDefault(name, name);
    if (canonical == null || !REGISTRY.containsKey(canonical)) {
      throw InvalidSpecException.of("policy registry", "name", name, String.join(", ", names())
          + " (aliases: " + aliasList() + ")");
    }
    return canonical;
  }

  private static String aliasList() {
    StringBuilder b = new StringBuilder();
    ALIASES.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(" = ")
        .append(v));
    return b.toString();
  }

  /**
   * Whether a policy needs a non-empty target workload in its config.
   *
   * @param name a policy name or alias
   * @return whether a policy needs a non-empty target workload in its config
   */
  public static boolean needsWorkload(String name) {
    return name.startsWith("fgd");
  }

  /**
   * A new instance of the named policy. An alias ({@link #aliases()}) creates the policy of its
   * canonical name, and the policy's {@code name()} is the canonical one.
   *
   * @param name a name of {@link #names()} or an alias
   * @param config the seed and, for the {@code fgd*} policies, the target workload
   * @return a new policy instance
   * @throws InvalidSpecException for an unknown name (listing the known ones), or when an FGD
   *     policy gets an empty target workload
   */
  public static PlacementPolicy named(String name, PolicyConfig config) {
    Function<PolicyConfig, PlacementPolicy> f = REGISTRY.get(canonicalName(name));
    if (config == null) {
      throw InvalidSpecException.of("policy " + name, "config", null, "a PolicyConfig");
    }
    return f.apply(config);
  }

  private static GpuPicker tightest() {
    return Baselines.picker("tightest", Fit.ShareOrder.TIGHTEST);
  }

  private static PlacementPolicy framework(String name, List<NodeScorer> scorers,
      List<Double> weights, GpuPicker picker, Ties ties, PolicyConfig c) {
    double[] w = new double[weights.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = weights.get(i);
    }
    return new FrameworkPolicy(name, Filters.standard(), scorers, w, picker, ties, c.seed(),
        topology(c));
  }

  private static PlacementPolicy fgd(
      String name, FragmentationGradientDescent.Mode mode, PolicyConfig c) {
    if (c.workload().isEmpty()) {
      throw InvalidSpecException.of("policy " + name, "workload", c.workload(),
          "a non-empty target workload. Maybe PolicyConfig.of(seed).withWorkload("
              + "TargetWorkload.fromRequests(pods, 0.95))");
    }
    return new FragmentationGradientDescent(name, c.workload(), mode, c.seed(), topology(c));
  }

  private static TopologyTerm topology(PolicyConfig c) {
    return TopologyTerm.of(c.interconnects(), c.topologyWeight());
  }
}

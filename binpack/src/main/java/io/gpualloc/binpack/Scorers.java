package io.gpualloc.binpack;

import io.gpualloc.binpack.internal.Baselines;
import io.gpualloc.binpack.internal.FragEngine;
import io.gpualloc.binpack.internal.ScorerFunctions;
import io.gpualloc.core.InvalidSpecException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The built-in node scorers, by name, for composing a custom policy with {@link
 * PolicyComposer}. Each is the scorer a named policy uses (see {@code docs/policies.md} for the
 * formulas): higher is better; a policy multiplies it by its weight. The scorers read only the
 * request and the node's state, so a composed policy memoises them like the named ones.
 */
public final class Scorers {
  private static final Map<String, Supplier<NodeScorer>> BY_NAME = new LinkedHashMap<>();

  static {
    BY_NAME.put("best-fit", () -> Baselines.scorer("best-fit", true, Baselines::bestFit));
    BY_NAME.put("worst-fit",
        () -> Baselines.scorer("worst-fit", false, (r, v, n) -> -Baselines.bestFit(r, v, n)));
    BY_NAME.put("dot-product",
        () -> Baselines.scorer("dot-product", false, Baselines::dotProduct));
    BY_NAME.put("gpu-packing",
        () -> Baselines.scorer("gpu-packing", false, Baselines::gpuPacking));
    BY_NAME.put("gpu-clustering",
        () -> Baselines.scorer("gpu-clustering", false, Baselines::gpuClustering));
    BY_NAME.put("hami-node-binpack",
        () -> Baselines.scorer("hami-node-binpack", false, Baselines::hamiUtilisation));
    BY_NAME.put("hami-node-spread", () -> Baselines.scorer("hami-node-spread", false,
        (r, v, n) -> 100 - Baselines.hamiUtilisation(r, v, n)));
    BY_NAME.put("mig-fragmentation", () -> migFragmentation(Map.of()));
  }

  private Scorers() {}

  /**
   * The names {@link #named} knows, in a stable order.
   *
   * @return {@code best-fit}, {@code worst-fit}, {@code dot-product}, {@code gpu-packing},
   *     {@code gpu-clustering}, {@code hami-node-binpack}, {@code hami-node-spread}, {@code
   *     mig-fragmentation} (with the uniform profile mix)
   */
  public static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }

  /**
   * A new instance of the named scorer.
   *
   * @param name one of {@link #names()}
   * @return the scorer, whose {@link NodeScorer#name()} is {@code name}
   * @throws InvalidSpecException for an unknown name (the message lists the known ones; the
   *     fragmentation scorer needs a workload: {@link #fragmentation})
   */
  public static NodeScorer named(String name) {
    Supplier<NodeScorer> s = name == null ? null : BY_NAME.get(name);
    if (s == null) {
      throw InvalidSpecException.of("scorer registry", "name", name, String.join(", ", names())
          + (("fgd".equals(name) || "fragmentation".equals(name))
              ? ". Maybe Scorers.fragmentation(workload)" : ""));
    }
    return s.get();
  }

  /**
   * The MIG fragmentation term as a scorer, named {@code mig-fragmentation}: for a MIG request,
   * minus the MIG capacity its instances cost on the node's best GPUs and start slots (how much of
   * the profile mix could no longer be placed there, in weighted compute slices; see {@code
   * docs/mig.md}); 0 for other requests. Larger is better, so nodes where the instances fill a
   * hole rank before nodes where they break up free space.
   *
   * @param mix weight per MIG profile name (names of any model; a profile not named weighs 0);
   *     empty for the uniform mix (every profile weighs 1)
   * @return the scorer
   * @throws InvalidSpecException for a null mix or a negative or non-finite weight
   */
  public static NodeScorer migFragmentation(Map<String, Double> mix) {
    if (mix == null) {
      throw InvalidSpecException.of("MIG fragmentation scorer", "mix", null,
          "a map of profile name to weight (empty: uniform)");
    }
    for (Map.Entry<String, Double> e : mix.entrySet()) {
      if (e.getValue() == null || !(e.getValue() >= 0) || e.getValue().isInfinite()) {
        throw InvalidSpecException.of("MIG fragmentation scorer", "mix[" + e.getKey() + "]",
            e.getValue(), "a finite weight >= 0");
      }
    }
    Map<String, Double> copy = Map.copyOf(mix);
    return Baselines.scorer("mig-fragmentation", false, (r, v, n) -> {
      if (!(r.gpu() instanceof io.gpualloc.core.GpuDemand.Mig)) {
        return 0;
      }
      double loss = io.gpualloc.binpack.internal.MigSlots.loss(r, v, n, copy);
      return Double.isNaN(loss) ? -1e9 : -loss;
    });
  }

  /**
   * FGD's term as a scorer, named {@code fragmentation}: minus the growth of the node's
   * fragmentation against the target workload M if the request goes there (milli-GPU), with FGD's
   * GPU choice (whole GPUs at the lowest free indexes, each share where the fragmentation grows
   * least). Larger is better, so a weight of 1 ranks nodes as the {@code fgd-exact} policy does
   * (ties aside).
   *
   * @param workload the target workload M, not empty
   * @return the scorer
   * @throws InvalidSpecException for a null or empty workload
   */
  public static NodeScorer fragmentation(TargetWorkload workload) {
    if (workload == null || workload.isEmpty()) {
      throw InvalidSpecException.of("fragmentation scorer", "workload", workload,
          "a non-empty target workload. Maybe TargetWorkload.fromRequests(pods, 0.95)");
    }
    FragEngine engine = new FragEngine(workload);
    return Baselines.scorer("fragmentation", false,
        (r, v, n) -> ScorerFunctions.negativeFragmentationDelta(engine, r, v, n));
  }
}

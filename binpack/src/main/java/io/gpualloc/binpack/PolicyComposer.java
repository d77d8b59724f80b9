package io.gpualloc.binpack;

import io.gpualloc.binpack.internal.FrameworkPolicy;
import io.gpualloc.binpack.internal.FrameworkPolicy.Ties;
import io.gpualloc.binpack.internal.TopologyTerm;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.PlacementPolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Composes a custom policy in the Kubernetes framework's shape: filters (all must pass), then the
 * weighted sum of scorers over the nodes that pass (larger wins; ties to the lowest node id), then
 * a GPU picker on the winner. The result is a full {@link PlacementPolicy}: {@code place}, {@code
 * scoreAll} with one breakdown term per scorer, the intra-node topology constraint of its {@link
 * PolicyConfig}, and the same memoisation as the named policies when every part is a built-in one.
 *
 * <pre>{@code
 * PlacementPolicy p = PolicyComposer.compose("packed-fgd",
 *     Map.of("best-fit", 1.0), "tightest", PolicyConfig.of(7));
 * }</pre>
 */
public final class PolicyComposer {
  private PolicyComposer() {}

  /**
   * A policy of the standard filters, the named built-in scorers with their weights (in the map's
   * iteration order; use a {@link java.util.LinkedHashMap} to fix the breakdown's order) and the
   * named picker.
   *
   * @param name the policy's name
   * @param weightsByScorer scorer name ({@link Scorers#names()}) to weight (finite, {@code >= 0})
   * @param picker a picker name ({@link GpuPickers#names()})
   * @param config seed and topology settings
   * @return the policy
   * @throws InvalidSpecException for a blank name, an unknown scorer or picker name, a negative,
   *     NaN or infinite weight, or null arguments
   */
  public static PlacementPolicy compose(String name, Map<String, Double> weightsByScorer,
      String picker, PolicyConfig config) {
    if (weightsByScorer == null) {
      throw InvalidSpecException.of("policy " + name, "weightsByScorer", null,
          "a map from scorer name to weight (Map.of() for none)");
    }
    List<WeightedScorer> scorers = new ArrayList<>();
    for (Map.Entry<String, Double> e : weightsByScorer.entrySet()) {
      Double w = e.getValue();
      if (w == null) {
        throw InvalidSpecException.of("policy " + name, "weight of " + e.getKey(), null,
            "a finite number >= 0");
      }
      scorers.add(new WeightedScorer(Scorers.named(e.getKey()), w));
    }
    return compose(name, Filters.standard(), scorers, GpuPickers.named(picker), config);
  }

  /**
   * A policy of these parts.
   *
   * @param name the policy's name, not blank
   * @param filters the filters, in order (for example {@link Filters#standard()}); a custom filter
   *     should start from the standard ones, or placements may not fit the ledger
   * @param scorers the weighted scorers; their names must be distinct (they name the breakdown's
   *     terms)
   * @param picker the GPU picker
   * @param config seed and topology settings
   * @return the policy
   * @throws InvalidSpecException for a blank name, null lists or elements, duplicate scorer
   *     names, or a null picker or config
   */
  public static PlacementPolicy compose(String name, List<NodeFilter> filters,
      List<WeightedScorer> scorers, GpuPicker picker, PolicyConfig config) {
    if (name == null || name.isBlank()) {
      throw InvalidSpecException.of("composed policy", "name", name, "a non-blank string");
    }
    String owner = "policy " + name;
    if (filters == null || hasNull(filters)) {
      throw InvalidSpecException.of(owner, "filters", filters, "a list of filters (no nulls)");
    }
    if (scorers == null || hasNull(scorers)) {
      throw InvalidSpecException.of(owner, "scorers", scorers, "a list of weighted scorers");
    }
    if (picker == null) {
      throw InvalidSpecException.of(owner, "picker", null, "a GpuPicker. Maybe GpuPickers.named(\""
          + "tightest\")");
    }
    if (config == null) {
      throw InvalidSpecException.of(owner, "config", null, "a PolicyConfig");
    }
    Set<String> seen = new HashSet<>();
    List<NodeScorer> list = new ArrayList<>();
    double[] w = new double[scorers.size()];
    for (int i = 0; i < w.length; i++) {
      WeightedScorer s = scorers.get(i);
      if (!seen.add(s.scorer().name())) {
        throw InvalidSpecException.of(owner, "scorers[" + i + "].name", s.scorer().name(),
            "a name not used by another scorer of the policy");
      }
      list.add(s.scorer());
      w[i] = s.weight();
    }
    return new FrameworkPolicy(name, filters, list, w, picker, Ties.NODE_ID, config.seed(),
        TopologyTerm.of(config.interconnects(), config.topologyWeight()));
  }

  private static boolean hasNull(List<?> list) {
    for (Object o : list) {
      if (o == null) {
        return true;
      }
    }
    return false;
  }

  /**
   * A scorer with its weight.
   *
   * @param scorer the scorer
   * @param weight its weight: finite and {@code >= 0}
   */
  public record WeightedScorer(NodeScorer scorer, double weight) {
    /**
     * Validates.
     *
     * @param scorer the scorer
     * @param weight its weight: finite and {@code >= 0}
     * @throws InvalidSpecException for a null scorer or a negative, NaN or infinite weight
     */
    public WeightedScorer {
      if (scorer == null) {
        throw InvalidSpecException.of("weighted scorer", "scorer", null, "a NodeScorer");
      }
      if (!(weight >= 0) || Double.isInfinite(weight)) {
        throw InvalidSpecException.of("weighted scorer " + scorer.name(), "weight", weight,
            "a finite number >= 0");
      }
    }
  }
}

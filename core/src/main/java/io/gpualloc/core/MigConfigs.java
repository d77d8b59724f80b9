package io.gpualloc.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The GPU Operator's named MIG configurations ({@code nvidia.com/mig.config} label values of its
 * default {@code mig-parted} config) as layouts of a model, for describing pre-partitioned GPUs.
 *
 * <ul>
 *   <li>{@code all-<profile>}: as many instances of one profile as fit ({@link
 *       MigProfile#maxCount()}), for every profile of the model; a {@code +me} profile is written
 *       {@code .me} ({@code all-1g.10gb.me}, one instance). Names are the model's own, so {@code
 *       all-1g.10gb} is seven 1-slice instances on an A100-80GB but four double-memory ones on an
 *       A100-40GB, as in the operator's config.
 *   <li>{@code all-balanced}: 2 x 1g + 1 x 2g + 1 x 3g (profile ids 19, 14, 9) on the 7x8 models
 *       the operator's config lists (A100, H100, H200, GH200, B200, GB200), 2 x 1g.6gb + 1 x
 *       2g.12gb on an A30. Not offered for other models (B300 and user-defined ones).
 * </ul>
 *
 * <p>The operator lets the driver choose start slots; these layouts use {@link
 * MigLayouts#arrange}'s canonical arrangement. {@code all-disabled} and {@code all-enabled} are
 * not layouts: a GPU without MIG, or one with MIG on and no instances yet, is a dynamic GPU here.
 */
public final class MigConfigs {
  private static final Set<String> BALANCED_7X8 = Set.of(
      "A100-40GB", "A100-80GB", "H100-80GB-SXM", "H100-80GB-PCIe", "H100-94GB-NVL", "H200-141GB",
      "GH200-96GB", "GH200-144GB", "B200-180GB", "GB200-186GB");

  private MigConfigs() {}

  /**
   * The configuration names offered for {@code model}: {@code all-<profile>} in table order, then
   * {@code all-balanced} where defined.
   *
   * @param model a MIG-capable model
   * @return the names
   * @throws InvalidSpecException when the model does not support MIG
   */
  public static List<String> names(GpuModel model) {
    return List.copyOf(configs(model).keySet());
  }

  /**
   * The layout of a named configuration on {@code model}.
   *
   * @param model a MIG-capable model
   * @param name a name from {@link #names(GpuModel)}
   * @return the layout
   * @throws InvalidSpecException when the model does not support MIG or has no configuration of
   *     this name (the message lists the names and the closest ones)
   */
  public static MigLayout named(GpuModel model, String name) {
    Checks.notNull("MIG config", "name", name);
    Map<String, Map<MigProfile, Integer>> configs = configs(model);
    Map<MigProfile, Integer> counts = configs.get(name);
    if (counts == null) {
      List<String> close = Names.closeMatches(name, configs.keySet(), false);
      throw InvalidSpecException.of("MIG config on " + model.name(), "name", name,
          "one of " + configs.keySet() + "." + Names.maybe(close));
    }
    return MigLayouts.arrange(model, counts);
  }

  private static Map<String, Map<MigProfile, Integer>> configs(GpuModel model) {
    MigLayout.empty(model); // validates
    LinkedHashMap<String, Map<MigProfile, Integer>> out = new LinkedHashMap<>();
    for (MigProfile p : model.migProfiles()) {
      out.put("all-" + p.name().replace("+", "."), Map.of(p, p.maxCount()));
    }
    List<MigProfile> balanced = new ArrayList<>();
    boolean builtIn = GpuModelCatalog.builtIn().names().contains(model.name())
        && GpuModelCatalog.builtIn().get(model.name()).equals(model);
    if (builtIn && BALANCED_7X8.contains(model.name())) {
      balanced.add(model.migProfileById(19));
      balanced.add(model.migProfileById(19));
      balanced.add(model.migProfileById(14));
      balanced.add(model.migProfileById(9));
    } else if (builtIn && model.name().equals("A30")) {
      balanced.add(model.migProfileById(14));
      balanced.add(model.migProfileById(14));
      balanced.add(model.migProfileById(5));
    }
    if (!balanced.isEmpty()) {
      LinkedHashMap<MigProfile, Integer> counts = new LinkedHashMap<>();
      for (MigProfile p : balanced) {
        counts.merge(p, 1, Integer::sum);
      }
      out.put("all-balanced", counts);
    }
    return out;
  }
}

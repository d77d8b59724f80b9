package io.gpualloc.core;

import org.jspecify.annotations.Nullable;

/**
 * One physical GPU of a node.
 *
 * <p>A MIG-capable GPU is either <em>dynamic</em> ({@code fixedMigLayout} null, the default): the
 * ledger may grant it whole, share it, or create any valid MIG instance on it on demand; or
 * <em>pre-partitioned</em> (static, as the GPU Operator's MIG Manager leaves it): its fixed layout's
 * instances exist whether used or not, a MIG grant must name one of them (profile and start slot),
 * and the GPU is never granted whole or shared. The ledger never creates or destroys instances on
 * a static GPU.
 *
 * @param index index within its node, 0-based, as the device plugin and {@code nvidia-smi} number
 *     it
 * @param uuid the device UUID, unique within a cluster
 * @param model the GPU model
 * @param numaNode the NUMA node the GPU hangs off, 0-based
 * @param fixedMigLayout the instances of a pre-partitioned GPU (of this GPU's model), or null for
 *     a dynamic or non-MIG GPU
 */
public record Gpu(
    int index, String uuid, GpuModel model, int numaNode, @Nullable MigLayout fixedMigLayout) {

  /**
   * Validates every field.
   *
   * @param index index within its node, 0-based, as the device plugin and {@code nvidia-smi} number
   *     it
   * @param uuid the device UUID, unique within a cluster
   * @param model the GPU model
   * @param numaNode the NUMA node the GPU hangs off, 0-based
   * @param fixedMigLayout the instances of a pre-partitioned GPU, or null for a dynamic one
   * @throws InvalidSpecException when a field is out of range, or the fixed layout is of another
   *     model
   */
  public Gpu {
    Checks.atLeast("GPU", "index", index, 0);
    String owner = "GPU " + index;
    Checks.name(owner, "uuid", uuid);
    Checks.notNull(owner, "model", model);
    Checks.atLeast(owner, "numaNode", numaNode, 0);
    if (fixedMigLayout != null && !fixedMigLayout.model().equals(model)) {
      throw InvalidSpecException.of(owner, "fixedMigLayout", fixedMigLayout.toString(),
          "a layout of the GPU's model " + model.name() + " (it is one of "
              + fixedMigLayout.model().name() + ")");
    }
  }

  /**
   * A dynamic (or non-MIG) GPU.
   *
   * @param index index within its node
   * @param uuid the device UUID
   * @param model the GPU model
   * @param numaNode the NUMA node
   * @throws InvalidSpecException when a field is out of range
   */
  public Gpu(int index, String uuid, GpuModel model, int numaNode) {
    this(index, uuid, model, numaNode, null);
  }

  /**
   * Whether the GPU is pre-partitioned: it has a fixed MIG layout.
   *
   * @return true when {@link #fixedMigLayout()} is set
   */
  public boolean isStaticMig() {
    return fixedMigLayout != null;
  }

  /**
   * This GPU with a fixed MIG layout (pre-partitioned), or without one when {@code layout} is
   * null.
   *
   * @param layout a layout of this GPU's model, or null
   * @return the new GPU
   * @throws InvalidSpecException when the layout is of another model
   */
  public Gpu withFixedMigLayout(@Nullable MigLayout layout) {
    return new Gpu(index, uuid, model, numaNode, layout);
  }
}

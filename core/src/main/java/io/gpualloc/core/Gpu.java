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
 * <p>A GPU may carry a <em>share cap</em> ({@code maxShares}, HAMi's split count): at most that
 * many shared grants ({@link GpuGrant.Share}) on it at once, whatever compute and memory remain.
 * {@link #UNLIMITED_SHARES} (the default) means no cap: only compute and memory bound the shares.
 * A whole grant takes the GPU exclusively, so it is one holder under any cap (a cap is at least
 * 1); MIG instances are not counted against the cap, because the profile table already bounds
 * them (HAMi applies its split count to time-shared devices; a MIG device's count is its largest
 * instance count, which the table enforces anyway).
 *
 * @param index index within its node, 0-based, as the device plugin and {@code nvidia-smi} number
 *     it
 * @param uuid the device UUID, unique within a cluster
 * @param model the GPU model
 * @param numaNode the NUMA node the GPU hangs off, 0-based
 * @param fixedMigLayout the instances of a pre-partitioned GPU (of this GPU's model), or null for
 *     a dynamic or non-MIG GPU
 * @param maxShares the most shared grants the GPU holds at once (HAMi's split count), at least 1;
 *     {@link #UNLIMITED_SHARES} for no cap
 */
public record Gpu(
    int index, String uuid, GpuModel model, int numaNode, @Nullable MigLayout fixedMigLayout,
    int maxShares) {

  /** The {@code maxShares} of a GPU without a share cap: only compute and memory bound shares. */
  public static final int UNLIMITED_SHARES = Integer.MAX_VALUE;

  /**
   * Validates every field.
   *
   * @param index index within its node, 0-based, as the device plugin and {@code nvidia-smi} number
   *     it
   * @param uuid the device UUID, unique within a cluster
   * @param model the GPU model
   * @param numaNode the NUMA node the GPU hangs off, 0-based
   * @param fixedMigLayout the instances of a pre-partitioned GPU, or null for a dynamic one
   * @param maxShares the most shared grants at once, at least 1; {@link #UNLIMITED_SHARES} for no
   *     cap
   * @throws InvalidSpecException when a field is out of range, or the fixed layout is of another
   *     model
   */
  public Gpu {
    Checks.atLeast("GPU", "index", index, 0);
    String owner = "GPU " + index;
    Checks.name(owner, "uuid", uuid);
    Checks.notNull(owner, "model", model);
    Checks.atLeast(owner, "numaNode", numaNode, 0);
    if (maxShares < 1) {
      throw InvalidSpecException.of(owner, "maxShares", maxShares,
          ">= 1 (shared grants at once); omit it for no cap");
    }
    if (fixedMigLayout != null && !fixedMigLayout.model().equals(model)) {
      throw InvalidSpecException.of(owner, "fixedMigLayout", fixedMigLayout.toString(),
          "a layout of the GPU's model " + model.name() + " (it is one of "
              + fixedMigLayout.model().name() + ")");
    }
  }

  /**
   * A GPU without a share cap.
   *
   * @param index index within its node
   * @param uuid the device UUID
   * @param model the GPU model
   * @param numaNode the NUMA node
   * @param fixedMigLayout the instances of a pre-partitioned GPU, or null for a dynamic one
   * @throws InvalidSpecException when a field is out of range, or the fixed layout is of another
   *     model
   */
  public Gpu(
      int index, String uuid, GpuModel model, int numaNode, @Nullable MigLayout fixedMigLayout) {
    this(index, uuid, model, numaNode, fixedMigLayout, UNLIMITED_SHARES);
  }

  /**
   * A dynamic (or non-MIG) GPU without a share cap.
   *
   * @param index index within its node
   * @param uuid the device UUID
   * @param model the GPU model
   * @param numaNode the NUMA node
   * @throws InvalidSpecException when a field is out of range
   */
  public Gpu(int index, String uuid, GpuModel model, int numaNode) {
    this(index, uuid, model, numaNode, null, UNLIMITED_SHARES);
  }

  /**
   * Whether the GPU has a share cap.
   *
   * @return true when {@link #maxShares()} is not {@link #UNLIMITED_SHARES}
   */
  public boolean hasShareCap() {
    return maxShares != UNLIMITED_SHARES;
  }

  /**
   * This GPU with another share cap.
   *
   * @param maxShares the most shared grants at once, at least 1; {@link #UNLIMITED_SHARES} for no
   *     cap
   * @return the new GPU
   * @throws InvalidSpecException when {@code maxShares} is below 1
   */
  public Gpu withMaxShares(int maxShares) {
    return new Gpu(index, uuid, model, numaNode, fixedMigLayout, maxShares);
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
    return new Gpu(index, uuid, model, numaNode, layout, maxShares);
  }
}

package io.gpualloc.binpack;

import io.gpualloc.binpack.internal.Baselines;
import io.gpualloc.binpack.internal.Fit;
import io.gpualloc.core.InvalidSpecException;
import java.util.List;

/**
 * The built-in GPU pickers, by name: which GPUs (or MIG slots) of the chosen node a request gets.
 * Whole GPUs always go to the lowest free (healthy, allowed) indexes and MIG instances to the GPU
 * and start slot that lower the GPU's MIG capacity least (the MIG fragmentation measure of {@code
 * docs/mig.md}; this is the MIG step of every named policy); the pickers differ for shares.
 * {@code first-slot} is the old MIG step, kept as a baseline: MIG instances at the lowest free
 * start slots of the lowest GPUs, shares as {@code first}.
 */
public final class GpuPickers {
  private GpuPickers() {}

  /**
   * The names {@link #named} knows.
   *
   * @return {@code first} (lowest index), {@code tightest} (least free compute, then memory, then
   *     index: best fit), {@code loosest} (most free compute: worst fit), {@code first-slot}
   *     ({@code first}, with MIG instances at the lowest free start slots)
   */
  public static List<String> names() {
    return List.of("first", "tightest", "loosest", "first-slot");
  }

  /**
   * The named picker.
   *
   * @param name one of {@link #names()}
   * @return the picker
   * @throws InvalidSpecException for an unknown name (use {@link #random(long)} for the seeded
   *     random picker)
   */
  public static GpuPicker named(String name) {
    if ("first".equals(name)) {
      return Baselines.picker("first", Fit.ShareOrder.FIRST);
    }
    if ("tightest".equals(name)) {
      return Baselines.picker("tightest", Fit.ShareOrder.TIGHTEST);
    }
    if ("loosest".equals(name)) {
      return Baselines.picker("loosest", Fit.ShareOrder.LOOSEST);
    }
    if ("first-slot".equals(name)) {
      return Baselines.firstSlotPicker();
    }
    throw InvalidSpecException.of("GPU picker registry", "name", name,
        String.join(", ", names()) + ("random".equals(name) ? ". Maybe GpuPickers.random(seed)"
            : ""));
  }

  /**
   * Shares on uniformly random GPUs among those that fit, drawn from {@code seed}, the request's
   * name and the view's version (so equal inputs give equal picks); other demands as {@code
   * first}.
   *
   * @param seed the seed
   * @return the picker, named {@code random}
   */
  public static GpuPicker random(long seed) {
    return Baselines.randomPicker(seed);
  }
}

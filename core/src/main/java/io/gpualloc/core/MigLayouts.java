package io.gpualloc.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Enumerations over the MIG layouts of a model: every valid layout, and the maximal ones (to
 * which no instance of any profile can be added).
 *
 * <p>Both lists are in one canonical order: a depth-first walk over memory slices from 0 upward
 * that at each slot first leaves the slot without a new instance, then starts an instance of each
 * profile there in the model's table order. A 7x8 GPU with the full vendor table (1g, 1g+me,
 * double-memory 1g, 2g, 3g, 4g, 7g) has 2,319 valid layouts (the empty one included), 239 of them
 * maximal; an A30 has 76 and 17. Nothing is cached: each call enumerates afresh.
 */
public final class MigLayouts {
  private MigLayouts() {}

  /**
   * Every valid layout of the model, the empty one first.
   *
   * @param model a MIG-capable model
   * @return the layouts in canonical order
   * @throws InvalidSpecException when the model does not support MIG
   */
  public static List<MigLayout> all(GpuModel model) {
    return enumerate(model, false);
  }

  /**
   * The maximal valid layouts of the model: no instance of any profile can be added.
   *
   * @param model a MIG-capable model
   * @return the layouts in canonical order
   * @throws InvalidSpecException when the model does not support MIG
   */
  public static List<MigLayout> maximal(GpuModel model) {
    return enumerate(model, true);
  }

  private static List<MigLayout> enumerate(GpuModel model, boolean maximalOnly) {
    MigLayout.empty(model); // validates
    List<MigLayout> out = new ArrayList<>();
    walk(model, 0, 0, 0, 0, new ArrayList<>(), maximalOnly, out);
    return List.copyOf(out);
  }

  private static void walk(GpuModel model, int slot, int occupancy, int compute, int me,
      List<MigInstance> chosen, boolean maximalOnly, List<MigLayout> out) {
    if (slot >= model.migMemorySlices()) {
      MigLayout l = MigLayout.of(model, chosen);
      if (!maximalOnly || l.isMaximal()) {
        out.add(l);
      }
      return;
    }
    walk(model, slot + 1, occupancy, compute, me, chosen, maximalOnly, out);
    for (MigProfile p : model.migProfiles()) {
      if (MigLayout.fits(model, p, slot, occupancy, compute, me)) {
        chosen.add(new MigInstance(p, slot));
        walk(model, slot + 1, occupancy | p.mask(slot), compute + p.computeSlices(),
            me + (p.mediaExtension() ? 1 : 0), chosen, maximalOnly, out);
        chosen.remove(chosen.size() - 1);
      }
    }
  }
}

package io.gpualloc.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

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

  /**
   * A layout with exactly these instance counts, arranged canonically: instances are placed
   * largest placement first (then in the model's table order), each at the lowest start slot from
   * which the rest can still be placed. For 2 x 1g + 2g + 3g on a 7x8 GPU this gives {@code
   * [2g@0, 1g@2, 1g@3, 3g@4]}. The canonical arrangement stands in for the driver's own when the
   * real start slots are unknown (read them with {@code nvidia-smi mig -lgi} and give the layout
   * instead when they differ).
   *
   * @param model a MIG-capable model
   * @param counts instances per profile of the model (counts of 0 are ignored)
   * @return the layout
   * @throws InvalidSpecException when a count is negative, a profile is not the model's, or no
   *     valid layout holds these instances
   */
  public static MigLayout arrange(GpuModel model, Map<MigProfile, Integer> counts) {
    MigLayout.empty(model);
    Checks.notNull("MIG arrangement on " + model.name(), "counts", counts);
    List<MigProfile> todo = new ArrayList<>();
    for (Map.Entry<MigProfile, Integer> e : counts.entrySet()) {
      MigProfile p = e.getKey();
      if (!model.migProfiles().contains(p)) {
        throw InvalidSpecException.of("MIG arrangement on " + model.name(), "profile",
            p.name(), "a profile of the model's table");
      }
      Checks.atLeast("MIG arrangement on " + model.name(), p.name() + " count", e.getValue(), 0);
      for (int i = 0; i < e.getValue(); i++) {
        todo.add(p);
      }
    }
    List<MigProfile> table = model.migProfiles();
    todo.sort(Comparator.comparingInt((MigProfile p) -> -p.placementSize())
        .thenComparingInt(table::indexOf));
    List<MigInstance> chosen = new ArrayList<>();
    if (!place(model, todo, 0, 0, 0, 0, chosen)) {
      throw InvalidSpecException.of("MIG arrangement on " + model.name(), "counts",
          countsText(counts), "instances that fit one GPU together (see MigLayouts.all)");
    }
    return MigLayout.of(model, chosen);
  }

  private static String countsText(Map<MigProfile, Integer> counts) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<MigProfile, Integer> e : counts.entrySet()) {
      sb.append(sb.length() == 0 ? "" : " + ").append(e.getValue()).append(" x ")
          .append(e.getKey().name());
    }
    return sb.toString();
  }

  private static boolean place(GpuModel model, List<MigProfile> todo, int i, int occupancy,
      int compute, int me, List<MigInstance> chosen) {
    if (i == todo.size()) {
      return true;
    }
    MigProfile p = todo.get(i);
    // identical profiles in a row take ascending slots (no permutations of equal instances)
    int from = i > 0 && todo.get(i - 1).equals(p) ? chosen.get(chosen.size() - 1).start() + 1 : 0;
    for (int s : p.startSlots()) {
      if (s >= from && MigLayout.fits(model, p, s, occupancy, compute, me)) {
        chosen.add(new MigInstance(p, s));
        if (place(model, todo, i + 1, occupancy | p.mask(s), compute + p.computeSlices(),
            me + (p.mediaExtension() ? 1 : 0), chosen)) {
          return true;
        }
        chosen.remove(chosen.size() - 1);
      }
    }
    return false;
  }
}

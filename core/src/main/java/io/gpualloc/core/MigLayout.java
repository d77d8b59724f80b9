package io.gpualloc.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A set of MIG instances on one GPU of a given model: an immutable value that is always valid for
 * its model.
 *
 * <p>Validity (the vendor's rule, see {@code docs/mig.md}): every instance's profile belongs to
 * the model's table and sits at one of its start slots; instances' memory-slice intervals {@code
 * [start, start + placementSize)} do not overlap; their compute slices add up to at most the
 * model's; at most one media-extension ({@code +me}) instance exists. So on a 7x8 GPU {@code
 * 3g+3g+1g} is invalid although its compute adds up to 7: two 3g instances take all eight memory
 * slices.
 *
 * <p>Instances are kept sorted by start slot (no two can share one). Equality is by model and
 * instances.
 */
public final class MigLayout {
  private static final Comparator<MigInstance> BY_START = Comparator.comparingInt(MigInstance::start);

  private final GpuModel model;
  private final List<MigInstance> instances;
  private final int occupancy;
  private final int computeSlices;
  private final int mediaExtensions;

  private MigLayout(GpuModel model, List<MigInstance> sorted, int occupancy, int compute, int me) {
    this.model = model;
    this.instances = sorted;
    this.occupancy = occupancy;
    this.computeSlices = compute;
    this.mediaExtensions = me;
  }

  /**
   * The layout without instances.
   *
   * @param model a MIG-capable model
   * @return the empty layout
   * @throws InvalidSpecException when the model is null or does not support MIG
   */
  public static MigLayout empty(GpuModel model) {
    requireMig(model);
    return new MigLayout(model, List.of(), 0, 0, 0);
  }

  /**
   * A layout of these instances.
   *
   * @param model a MIG-capable model
   * @param instances the instances, in any order
   * @return the layout, instances sorted by start slot
   * @throws InvalidSpecException when the model does not support MIG, or the instances are not a
   *     valid layout of it (the message names the first rule broken)
   */
  public static MigLayout of(GpuModel model, Collection<MigInstance> instances) {
    requireMig(model);
    Checks.notNull("MIG layout on " + model.name(), "instances", instances);
    List<MigInstance> sorted = new ArrayList<>(instances);
    for (MigInstance i : sorted) {
      Checks.notNull("MIG layout on " + model.name(), "instance", i);
    }
    sorted.sort(BY_START);
    int mask = 0;
    int compute = 0;
    int me = 0;
    for (MigInstance i : sorted) {
      String owner = "MIG layout " + sorted + " on " + model.name();
      if (!model.migProfiles().contains(i.profile())) {
        throw InvalidSpecException.of(owner, "profile", i.profile().name(),
            "a profile of " + model.name() + "'s table " + profileNames(model));
      }
      if ((mask & i.mask()) != 0) {
        throw InvalidSpecException.of(owner, "instance", i,
            "an instance whose memory slices " + i.start() + ".." + (i.end() - 1)
                + " are not already taken (taken: " + slices(mask) + ")");
      }
      if (compute + i.profile().computeSlices() > model.migComputeSlices()) {
        throw InvalidSpecException.of(owner, "instance", i,
            "instances with at most " + model.migComputeSlices() + " compute slices in total");
      }
      if (i.profile().mediaExtension() && me > 0) {
        throw InvalidSpecException.of(owner, "instance", i, "at most one +me instance per GPU");
      }
      mask |= i.mask();
      compute += i.profile().computeSlices();
      me += i.profile().mediaExtension() ? 1 : 0;
    }
    return new MigLayout(model, List.copyOf(sorted), mask, compute, me);
  }

  /**
   * Whether these instances form a valid layout of {@code model} (see the class comment).
   *
   * @param model a GPU model
   * @param instances the instances
   * @return true when {@link #of} would accept them
   */
  public static boolean isValid(GpuModel model, Collection<MigInstance> instances) {
    try {
      of(model, instances);
      return true;
    } catch (InvalidSpecException e) {
      return false;
    }
  }

  /**
   * Parses a layout written as instances {@code profile@start} separated by commas,
   * for example {@code "4g.40gb@0, 3g.40gb@4"}; the empty string (or {@code "-"}) is the empty
   * layout. Profiles are looked up as {@link GpuModel#migProfile(String)} does.
   *
   * @param model a MIG-capable model
   * @param text the layout
   * @return the layout
   * @throws InvalidSpecException when an instance is not written {@code profile@start} or the
   *     layout is invalid
   * @throws UnknownGpuModelException when a profile is not in the model's table
   */
  public static MigLayout parse(GpuModel model, String text) {
    requireMig(model);
    Checks.notNull("MIG layout on " + model.name(), "text", text);
    String t = text.trim();
    if (t.isEmpty() || t.equals("-")) {
      return empty(model);
    }
    List<MigInstance> out = new ArrayList<>();
    for (String part : t.split(",")) {
      String p = part.trim();
      int at = p.indexOf('@');
      int start;
      try {
        start = at < 0 ? -1 : Integer.parseInt(p.substring(at + 1).trim());
      } catch (NumberFormatException e) {
        start = -1;
      }
      if (at <= 0 || start < 0) {
        throw InvalidSpecException.of("MIG layout '" + text + "' on " + model.name(), "instance",
            p, "profile@start, for example 3g.40gb@4");
      }
      out.add(new MigInstance(model.migProfile(p.substring(0, at).trim()), start));
    }
    return of(model, out);
  }

  private static void requireMig(GpuModel model) {
    Checks.notNull("MIG layout", "model", model);
    if (!model.supportsMig()) {
      throw InvalidSpecException.of("MIG layout", "model", model.name(),
          "a model with a MIG profile table");
    }
  }

  private static String profileNames(GpuModel model) {
    List<String> names = new ArrayList<>();
    for (MigProfile p : model.migProfiles()) {
      names.add(p.name());
    }
    return names.toString();
  }

  private static String slices(int mask) {
    List<Integer> s = new ArrayList<>();
    for (int i = 0; i < 31; i++) {
      if ((mask >>> i & 1) != 0) {
        s.add(i);
      }
    }
    return s.toString();
  }

  /**
   * The GPU model.
   *
   * @return the model
   */
  public GpuModel model() {
    return model;
  }

  /**
   * The instances, sorted by start slot.
   *
   * @return an unmodifiable list
   */
  public List<MigInstance> instances() {
    return instances;
  }

  /**
   * The number of instances.
   *
   * @return the count
   */
  public int size() {
    return instances.size();
  }

  /**
   * Whether the layout has no instance.
   *
   * @return true when empty
   */
  public boolean isEmpty() {
    return instances.isEmpty();
  }

  /**
   * The memory slices taken (bit {@code i} = slice {@code i}).
   *
   * @return the mask
   */
  public int occupancy() {
    return occupancy;
  }

  /**
   * The compute slices the instances use together.
   *
   * @return the sum
   */
  public int computeSlices() {
    return computeSlices;
  }

  /**
   * The number of {@code +me} instances (0 or 1).
   *
   * @return the count
   */
  public int mediaExtensions() {
    return mediaExtensions;
  }

  /**
   * Whether an instance of {@code profile} at {@code start} can be added.
   *
   * @param profile a profile (of any model; false when not of this one)
   * @param start a memory slice
   * @return whether {@link #with} would accept it
   */
  public boolean canAdd(MigProfile profile, int start) {
    return profile != null && model.migProfiles().contains(profile)
        && fits(model, profile, start, occupancy, computeSlices, mediaExtensions);
  }

  /**
   * The start slots at which an instance of {@code profile} can be added, ascending.
   *
   * @param profile a profile of this layout's model
   * @return the free start slots (empty when none)
   * @throws InvalidSpecException when the profile is not in the model's table
   */
  public List<Integer> freeStarts(MigProfile profile) {
    Checks.notNull("MIG layout on " + model.name(), "profile", profile);
    if (!model.migProfiles().contains(profile)) {
      throw InvalidSpecException.of("MIG layout on " + model.name(), "profile", profile.name(),
          "a profile of " + model.name() + "'s table " + profileNames(model));
    }
    List<Integer> out = new ArrayList<>();
    for (int s : profile.startSlots()) {
      if (fits(model, profile, s, occupancy, computeSlices, mediaExtensions)) {
        out.add(s);
      }
    }
    return List.copyOf(out);
  }

  /**
   * Whether no instance of any profile can be added.
   *
   * @return true when maximal
   */
  public boolean isMaximal() {
    for (MigProfile p : model.migProfiles()) {
      for (int s : p.startSlots()) {
        if (fits(model, p, s, occupancy, computeSlices, mediaExtensions)) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * This layout plus one instance.
   *
   * @param instance the instance to add
   * @return the new layout
   * @throws InvalidSpecException when the result would be invalid
   */
  public MigLayout with(MigInstance instance) {
    List<MigInstance> more = new ArrayList<>(instances);
    more.add(Checks.notNull("MIG layout on " + model.name(), "instance", instance));
    return of(model, more);
  }

  /**
   * This layout without one of its instances.
   *
   * @param instance an instance of this layout
   * @return the new layout
   * @throws InvalidSpecException when the instance is not in the layout
   */
  public MigLayout without(MigInstance instance) {
    List<MigInstance> fewer = new ArrayList<>(instances);
    if (!fewer.remove(instance)) {
      throw InvalidSpecException.of("MIG layout " + this, "instance", instance,
          "one of the layout's instances " + instances);
    }
    return of(model, fewer);
  }

  /**
   * How many instances of each profile the layout holds, in the model's table order, profiles
   * without instances left out.
   *
   * @return profile name to count
   */
  public Map<String, Integer> profileCounts() {
    LinkedHashMap<String, Integer> out = new LinkedHashMap<>();
    for (MigProfile p : model.migProfiles()) {
      int n = 0;
      for (MigInstance i : instances) {
        if (i.profile().equals(p)) {
          n++;
        }
      }
      if (n > 0) {
        out.put(p.name(), n);
      }
    }
    return java.util.Collections.unmodifiableMap(out);
  }

  /**
   * Whether an instance of {@code profile} at {@code start} fits next to instances taking {@code
   * occupancy}, {@code compute} compute slices and {@code mediaExtensions} {@code +me} instances.
   * The profile must be of {@code model}.
   */
  static boolean fits(GpuModel model, MigProfile profile, int start, int occupancy, int compute,
      int mediaExtensions) {
    return profile.isValidStart(start)
        && (occupancy & profile.mask(start)) == 0
        && compute + profile.computeSlices() <= model.migComputeSlices()
        && !(profile.mediaExtension() && mediaExtensions > 0);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MigLayout l && l.model.equals(model) && l.instances.equals(instances);
  }

  @Override
  public int hashCode() {
    return model.name().hashCode() * 31 + instances.hashCode();
  }

  /**
   * The instances as {@code [name@start, ...]}.
   *
   * @return the text
   */
  @Override
  public String toString() {
    return instances.toString();
  }
}

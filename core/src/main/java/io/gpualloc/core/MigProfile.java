package io.gpualloc.core;

import java.util.List;

/**
 * One MIG GPU-instance profile of a GPU model, as the vendor's table gives it.
 *
 * <p>Placement rule: an instance occupies memory slices {@code [start, start + placementSize)};
 * instances on one GPU never overlap, {@code start} is one of {@link #startSlots()}, and at most one
 * media-extension ({@code +me}) instance exists per GPU.
 *
 * @param name profile name, for example {@code 3g.40gb}
 * @param profileId GPU-instance profile id as {@code nvidia-smi mig -lgip} prints it, or -1 when the
 *     vendor publishes none
 * @param computeSlices compute slices (the {@code Ng} prefix)
 * @param memorySlices memory slices the profile is sized by
 * @param memoryMib usable memory in MiB
 * @param maxCount instances available when the profile is used alone on an empty GPU
 * @param startSlots valid start slots, in memory-slice units, ascending
 * @param placementSize memory slices one instance occupies
 * @param mediaExtension whether this is a {@code +me} profile
 * @param aliases other names boards report for the same profile id and slices (GB200 boards
 *     print {@code 1g.24gb} or {@code 1g.23gb} for profile 19, depending on SKU and firmware); they
 *     find the profile in {@link GpuModel#migProfile(String)}, {@link #name()} stays canonical
 */
public record MigProfile(
    String name,
    int profileId,
    int computeSlices,
    int memorySlices,
    int memoryMib,
    int maxCount,
    List<Integer> startSlots,
    int placementSize,
    boolean mediaExtension,
    List<String> aliases) {

  /**
   * A profile without aliases.
   *
   * @param name profile name
   * @param profileId profile id or -1
   * @param computeSlices compute slices
   * @param memorySlices memory slices
   * @param memoryMib usable memory in MiB
   * @param maxCount instances available when used alone
   * @param startSlots valid start slots, ascending
   * @param placementSize memory slices one instance occupies
   * @param mediaExtension whether this is a {@code +me} profile
   * @throws InvalidSpecException when a field is out of range
   */
  public MigProfile(String name, int profileId, int computeSlices, int memorySlices,
      int memoryMib, int maxCount, List<Integer> startSlots, int placementSize,
      boolean mediaExtension) {
    this(name, profileId, computeSlices, memorySlices, memoryMib, maxCount, startSlots,
        placementSize, mediaExtension, List.of());
  }

  /**
   * Validates every field and copies the start slots and aliases.
   *
   * @param name profile name, for example {@code 3g.40gb}
   * @param profileId GPU-instance profile id as {@code nvidia-smi mig -lgip} prints it, or -1 when
   *     the vendor publishes none
   * @param computeSlices compute slices (the {@code Ng} prefix)
   * @param memorySlices memory slices the profile is sized by
   * @param memoryMib usable memory in MiB
   * @param maxCount instances available when the profile is used alone on an empty GPU
   * @param startSlots valid start slots, in memory-slice units, ascending
   * @param placementSize memory slices one instance occupies
   * @param mediaExtension whether this is a {@code +me} profile
   * @param aliases other names boards report for the same profile
   * @throws InvalidSpecException when a field is out of range, the start slots are not ascending
   *     within 31 memory slices, or an alias is blank or repeats the name
   */
  public MigProfile {
    String owner = "MIG profile " + name;
    Checks.name("MIG profile", "name", name);
    Checks.atLeast(owner, "profileId", profileId, -1);
    Checks.atLeast(owner, "computeSlices", computeSlices, 1);
    Checks.atLeast(owner, "memorySlices", memorySlices, 1);
    Checks.atLeast(owner, "memoryMib", memoryMib, 1);
    Checks.atLeast(owner, "maxCount", maxCount, 1);
    Checks.between(owner, "placementSize", placementSize, 1, 31);
    startSlots = Checks.list(owner, "startSlots", startSlots);
    if (startSlots.isEmpty()) {
      throw InvalidSpecException.of(owner, "startSlots", startSlots, "at least one slot");
    }
    int prev = -1;
    for (int s : startSlots) {
      if (s <= prev || s + placementSize > 31) {
        throw InvalidSpecException.of(
            owner, "startSlots", startSlots, "ascending slots with start + placementSize <= 31");
      }
      prev = s;
    }
    aliases = Checks.list(owner, "aliases", aliases);
    java.util.HashSet<String> seen = new java.util.HashSet<>();
    seen.add(name);
    for (String a : aliases) {
      Checks.name(owner, "aliases", a);
      if (!seen.add(a)) {
        throw InvalidSpecException.of(owner, "aliases", a, "names other than " + seen);
      }
    }
  }

  /**
   * A copy of this profile with these aliases.
   *
   * @param more the aliases, replacing any the profile has
   * @return the new profile
   * @throws InvalidSpecException when an alias is blank or repeats a name
   */
  public MigProfile withAliases(List<String> more) {
    return new MigProfile(name, profileId, computeSlices, memorySlices, memoryMib, maxCount,
        startSlots, placementSize, mediaExtension, more);
  }

  /**
   * Whether {@code slot} is a valid start slot of this profile.
   *
   * @param slot a start slot
   * @return whether {@code slot} is a valid start slot of this profile
   */
  public boolean isValidStart(int slot) {
    return startSlots.contains(slot);
  }

  /**
   * The memory-slice occupancy mask of an instance at {@code start}.
   *
   * @param start the start slot
   * @return the memory-slice occupancy mask of an instance at {@code start}
   */
  public int mask(int start) {
    return ((1 << placementSize) - 1) << start;
  }
}

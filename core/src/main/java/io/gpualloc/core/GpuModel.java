package io.gpualloc.core;

import java.util.List;

/**
 * A GPU model: its name, memory, compute capability and, when it supports MIG, the MIG geometry and
 * profile table.
 *
 * @param name catalog name, for example {@code A100-80GB}; also what request model filters match
 * @param memoryMib device memory in MiB
 * @param computeCapability CUDA compute capability such as {@code 8.0}, or empty when unknown
 * @param migComputeSlices compute slices of the GPU in MIG mode, 0 when MIG is unsupported
 * @param migMemorySlices memory slices of the GPU in MIG mode, 0 when MIG is unsupported
 * @param migProfiles the MIG profile table, empty when MIG is unsupported
 */
public record GpuModel(
    String name,
    int memoryMib,
    String computeCapability,
    int migComputeSlices,
    int migMemorySlices,
    List<MigProfile> migProfiles) {

  /**
   * Validates the model and its MIG table.
   *
   * @param name catalog name, for example {@code A100-80GB}; also what request model filters match
   * @param memoryMib device memory in MiB
   * @param computeCapability CUDA compute capability such as {@code 8.0}, or empty when unknown
   * @param migComputeSlices compute slices of the GPU in MIG mode, 0 when MIG is unsupported
   * @param migMemorySlices memory slices of the GPU in MIG mode, 0 when MIG is unsupported
   * @param migProfiles the MIG profile table, empty when MIG is unsupported
   */
  public GpuModel {
    Checks.name("GPU model", "name", name);
    String owner = "GPU model " + name;
    Checks.atLeast(owner, "memoryMib", memoryMib, 1);
    Checks.notNull(owner, "computeCapability", computeCapability);
    migProfiles = Checks.list(owner, "migProfiles", migProfiles);
    if (migProfiles.isEmpty()) {
      if (migComputeSlices != 0 || migMemorySlices != 0) {
        throw InvalidSpecException.of(
            owner, "migComputeSlices/migMemorySlices", migComputeSlices + "/" + migMemorySlices,
            "0/0 for a model without MIG profiles");
      }
    } else {
      Checks.between(owner, "migComputeSlices", migComputeSlices, 1, 31);
      Checks.between(owner, "migMemorySlices", migMemorySlices, 1, 31);
      java.util.HashSet<String> seen = new java.util.HashSet<>();
      java.util.HashSet<Integer> ids = new java.util.HashSet<>();
      for (MigProfile p : migProfiles) {
        if (!seen.add(p.name())) {
          throw InvalidSpecException.of(owner, "migProfiles", p.name(), "unique profile names");
        }
        for (String a : p.aliases()) {
          if (!seen.add(a)) {
            throw InvalidSpecException.of(owner + " profile " + p.name(), "aliases", a,
                "a name no other profile of the model has or is aliased as");
          }
        }
        if (p.profileId() >= 0 && !ids.add(p.profileId())) {
          throw InvalidSpecException.of(owner + " profile " + p.name(), "profileId",
              p.profileId(), "an id no other profile of the model has (or -1 when unknown)");
        }
        if (p.computeSlices() > migComputeSlices) {
          throw InvalidSpecException.of(
              owner + " profile " + p.name(), "computeSlices", p.computeSlices(),
              "<= " + migComputeSlices + " (the model's compute slices)");
        }
        int lastStart = p.startSlots().get(p.startSlots().size() - 1);
        if (lastStart + p.placementSize() > migMemorySlices) {
          throw InvalidSpecException.of(
              owner + " profile " + p.name(), "startSlots", p.startSlots(),
              "start + placementSize <= " + migMemorySlices + " (the model's memory slices)");
        }
      }
    }
  }

  /**
   * A model without MIG, for user-defined or anonymised models such as the openb trace's G2.
   *
   * @param name catalog name, for example {@code A100-80GB}; also what request model filters match
   * @param memoryMib device memory in MiB
   * @return a model without MIG, for user-defined or anonymised models such as the openb trace's G2
   */
  public static GpuModel of(String name, int memoryMib) {
    return new GpuModel(name, memoryMib, "", 0, 0, List.of());
  }

  /**
   * A model without MIG with a known compute capability.
   *
   * @param name catalog name, for example {@code A100-80GB}; also what request model filters match
   * @param memoryMib device memory in MiB
   * @param computeCapability CUDA compute capability such as {@code 8.0}, or empty when unknown
   * @return a model without MIG with a known compute capability
   */
  public static GpuModel of(String name, int memoryMib, String computeCapability) {
    return new GpuModel(name, memoryMib, computeCapability, 0, 0, List.of());
  }

  /**
   * Whether the model can be partitioned with MIG.
   *
   * @return whether the model can be partitioned with MIG
   */
  public boolean supportsMig() {
    return !migProfiles.isEmpty();
  }

  /**
   * The MIG profile with this name or one of its aliases. Spellings devices and tools report are
   * accepted: any case, the {@code MIG } prefix of {@code nvidia-smi -L}, the {@code
   * nvidia.com/mig-} resource prefix, and {@code .me} for {@code +me} (as the GPU Operator's config
   * names write it); on GB200 {@code 1g.24gb} finds {@code 1g.23gb} (profile id 19).
   *
   * @param profileName a profile name
   * @return the profile
   * @throws UnknownGpuModelException when the model has no such profile; the message lists the
   *     profiles and the closest names ({@link UnknownGpuModelException#closeMatches()})
   */
  public MigProfile migProfile(String profileName) {
    Checks.notNull("GPU model " + name, "profileName", profileName);
    for (MigProfile p : migProfiles) {
      if (p.name().equals(profileName)) {
        return p;
      }
    }
    String key = Names.profileKey(profileName);
    for (MigProfile p : migProfiles) {
      if (Names.profileKey(p.name()).equals(key)) {
        return p;
      }
      for (String a : p.aliases()) {
        if (Names.profileKey(a).equals(key)) {
          return p;
        }
      }
    }
    if (!supportsMig()) {
      throw new UnknownGpuModelException(
          "MIG profile '" + profileName + "' requested on GPU model " + name
              + ", which does not support MIG");
    }
    List<String> known = new java.util.ArrayList<>();
    for (MigProfile p : migProfiles) {
      known.add(p.name());
      known.addAll(p.aliases());
    }
    List<String> close = Names.closeMatches(profileName, known, false);
    StringBuilder names = new StringBuilder();
    for (MigProfile p : migProfiles) {
      names.append(names.length() == 0 ? "" : ", ").append(p.name());
    }
    throw new UnknownGpuModelException(
        "MIG profile '" + profileName + "' is not in the table of GPU model " + name
            + "; allowed: " + names + "." + Names.maybe(close), close);
  }

  /**
   * The MIG profile with this GPU-instance profile id, as {@code nvidia-smi mig -lgip} prints it.
   * Ids are stable across driver versions where names are not (GB200 boards report {@code 1g.23gb}
   * or {@code 1g.24gb} for id 19), so a host that reads ids from NVML should look profiles up here.
   *
   * @param profileId a profile id, 0 or more
   * @return the profile
   * @throws UnknownGpuModelException when the model has no profile with this id, naming the ids it
   *     has
   */
  public MigProfile migProfileById(int profileId) {
    StringBuilder ids = new StringBuilder();
    for (MigProfile p : migProfiles) {
      if (p.profileId() == profileId && profileId >= 0) {
        return p;
      }
      if (p.profileId() >= 0) {
        ids.append(ids.length() == 0 ? "" : ", ").append(p.profileId()).append(" (")
            .append(p.name()).append(')');
      }
    }
    throw new UnknownGpuModelException(
        "MIG profile id " + profileId + " is not in the table of GPU model " + name
            + "; allowed: " + (ids.length() == 0 ? "none (the model has no MIG profile ids)" : ids));
  }

  /**
   * The memory, in MiB, that the ledger charges for a MIG instance of {@code profile}: the
   * profile's memory, but never more than its memory slices' share of the GPU ({@code memoryMib *
   * placementSize / migMemorySlices}), so that no valid layout charges more than the GPU has. (The
   * vendor's nominal sizes can add up to more: four H100 NVL {@code 1g.24gb} instances are 96 GiB
   * on a 94 GiB GPU.)
   *
   * @param profile a MIG profile of this model
   * @return the memory, in MiB, that the ledger charges for a MIG instance of {@code profile}: the
   *     profile's memory, but never more than its memory slices' share of the GPU ({@code memoryMib
   *     * placementSize / migMemorySlices}), so that no valid layout charges more than the GPU has
   */
  public int migMemoryMib(MigProfile profile) {
    return (int) Math.min(profile.memoryMib(),
        (long) memoryMib * profile.placementSize() / migMemorySlices);
  }

  /**
   * The compute share, in milli-GPU, that a MIG instance of {@code profile} stands for.
   *
   * @param profile a MIG profile of this model
   * @return the compute share, in milli-GPU, that a MIG instance of {@code profile} stands for
   */
  public int migComputeMilli(MigProfile profile) {
    return profile.computeSlices() * 1000 / migComputeSlices;
  }
}

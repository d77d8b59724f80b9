package io.gpualloc.core.io.hami;

import io.gpualloc.core.InvalidSpecException;
import java.util.List;

/**
 * One GPU as HAMi's device plugin registers it in the node annotation {@code
 * hami.io/node-nvidia-register}.
 *
 * @param id the GPU UUID ({@code GPU-...})
 * @param index the GPU's index on the node
 * @param count HAMi's split count: how many containers may share this GPU at once (mapped to a
 *     {@code Node}, it becomes the GPU's share cap, {@link io.gpualloc.core.Gpu#maxShares()})
 * @param devmem device memory in MiB
 * @param devcore compute in percent (100 = the whole GPU)
 * @param type the device type, {@code NVIDIA-<NVML name>}
 * @param numa the NUMA node (-1 when the kernel reports none)
 * @param mode {@code hami-core}, {@code mig} or {@code mps}
 * @param health whether the GPU is healthy
 * @param migProfiles the MIG profiles the GPU offers (JSON form only; empty otherwise)
 */
public record HamiDevice(
    String id,
    int index,
    int count,
    int devmem,
    int devcore,
    String type,
    int numa,
    String mode,
    boolean health,
    List<MigProfile> migProfiles) {

  /**
   * Validates every field: text without the separators {@code , : ;}, amounts not negative.
   *
   * @param id the GPU UUID
   * @param index the GPU's index on the node
   * @param count HAMi's split count
   * @param devmem device memory in MiB
   * @param devcore compute in percent
   * @param type the device type
   * @param numa the NUMA node, at least -1
   * @param mode the device mode
   * @param health whether the GPU is healthy
   * @param migProfiles the MIG profiles
   */
  public HamiDevice {
    text("id", id, false);
    text("type", type, true);
    text("mode", mode, true);
    String owner = "HAMi device " + id;
    atLeast(owner, "index", index, 0);
    atLeast(owner, "count", count, 0);
    atLeast(owner, "devmem", devmem, 0);
    atLeast(owner, "devcore", devcore, 0);
    atLeast(owner, "numa", numa, -1);
    if (migProfiles == null) {
      throw InvalidSpecException.of(owner, "migProfiles", null, "a list (empty for none)");
    }
    migProfiles = List.copyOf(migProfiles);
  }

  static void text(String field, String value, boolean mayBeEmpty) {
    if (value == null || (!mayBeEmpty && value.isEmpty())) {
      throw InvalidSpecException.of("HAMi device", field, value, "a non-empty string");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == ',' || c == ':' || c == ';' || c < ' ') {
        throw InvalidSpecException.of("HAMi device", field, value,
            "text without ',', ':', ';' or control characters (HAMi's separators)");
      }
    }
  }

  static void atLeast(String owner, String field, long value, long min) {
    if (value < min) {
      throw InvalidSpecException.of(owner, field, value, ">= " + min);
    }
  }

  /**
   * One MIG profile a GPU offers, with the GPU-instance placements NVML reports.
   *
   * @param name the profile, for example {@code 1g.10gb}
   * @param memoryMb its memory in MB
   * @param core its compute share in percent of the GPU
   * @param sliceCount its memory slices
   * @param placements where a GPU instance of it may start
   */
  public record MigProfile(
      String name, int memoryMb, int core, int sliceCount, List<Placement> placements) {
    /**
     * Validates every field.
     *
     * @param name the profile name
     * @param memoryMb its memory in MB
     * @param core its compute share in percent
     * @param sliceCount its memory slices
     * @param placements where a GPU instance of it may start
     */
    public MigProfile {
      if (name == null) {
        throw InvalidSpecException.of("HAMi MIG profile", "name", null, "a string");
      }
      atLeast("HAMi MIG profile " + name, "memoryMB", memoryMb, 0);
      atLeast("HAMi MIG profile " + name, "core", core, 0);
      atLeast("HAMi MIG profile " + name, "sliceCount", sliceCount, 0);
      if (placements == null) {
        throw InvalidSpecException.of("HAMi MIG profile " + name, "placements", null, "a list");
      }
      placements = List.copyOf(placements);
    }
  }

  /**
   * A GPU-instance placement: the first memory slice and the number of slices.
   *
   * @param start first slice
   * @param size number of slices
   */
  public record Placement(int start, int size) {
    /**
     * Validates both fields.
     *
     * @param start first slice, at least 0
     * @param size number of slices, at least 0
     */
    public Placement {
      atLeast("HAMi MIG placement", "start", start, 0);
      atLeast("HAMi MIG placement", "size", size, 0);
    }
  }
}

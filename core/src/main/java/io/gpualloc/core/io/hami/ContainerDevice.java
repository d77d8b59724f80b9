package io.gpualloc.core.io.hami;

/**
 * One GPU granted to one container in HAMi's allocation annotations ({@code
 * hami.io/vgpu-devices-to-allocate} and {@code -allocated}): {@code uuid,type,usedmem,usedcores:}.
 *
 * @param uuid the GPU UUID
 * @param type the device vendor type ({@code NVIDIA})
 * @param usedMem memory granted in MiB
 * @param usedCores compute granted in percent
 */
public record ContainerDevice(String uuid, String type, int usedMem, int usedCores) {
  /**
   * Validates every field.
   *
   * @param uuid the GPU UUID, non-empty, without HAMi's separators
   * @param type the device type, without HAMi's separators
   * @param usedMem memory granted in MiB, at least 0
   * @param usedCores compute granted in percent, at least 0
   */
  public ContainerDevice {
    HamiDevice.text("uuid", uuid, false);
    HamiDevice.text("type", type, true);
    HamiDevice.atLeast("HAMi container device " + uuid, "usedmem", usedMem, 0);
    HamiDevice.atLeast("HAMi container device " + uuid, "usedcores", usedCores, 0);
  }
}

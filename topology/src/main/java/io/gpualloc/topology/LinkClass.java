package io.gpualloc.topology;

/**
 * How two devices of one node are connected, in the vocabulary of {@code nvidia-smi topo -m}, best
 * first. NVLink carries a bond count separately ({@code NV4} is {@link #NVLINK} with 4 bonds, see
 * {@link Link}).
 */
public enum LinkClass {
  /** Both GPUs sit on one NVSwitch fabric: every pair gets the GPU's full NVLink count. */
  NVSWITCH("NV"),
  /** Direct NVLink bonds ({@code NV#}). */
  NVLINK("NV"),
  /** At most a single PCIe bridge between them ({@code PIX}). */
  PIX("PIX"),
  /** Several PCIe bridges, without crossing a host bridge ({@code PXB}). */
  PXB("PXB"),
  /** Through a PCIe host bridge, typically the CPU ({@code PHB}). */
  PHB("PHB"),
  /** Across host bridges inside one NUMA node ({@code NODE}). */
  NODE("NODE"),
  /** Across the inter-socket link between NUMA nodes ({@code SYS}, older {@code SOC}). */
  SYS("SYS"),
  /** Nothing is known about the pair (missing or contradictory data). */
  UNKNOWN("N/A");

  private final String token;

  LinkClass(String token) {
    this.token = token;
  }

  /**
   * Whether this class carries NVLink bonds ({@link #NVLINK} or {@link #NVSWITCH}).
   *
   * @return whether this class carries NVLink bonds ({@link #NVLINK} or {@link #NVSWITCH})
   */
  public boolean isNvLink() {
    return this == NVLINK || this == NVSWITCH;
  }

  /**
   * The {@code topo -m} token for a PCIe class ({@code PIX}, ..., {@code SYS}, {@code N/A}); for
   * the NVLink classes the prefix {@code NV} to which the bond count is appended.
   *
   * @return the {@code topo -m} token for a PCIe class ({@code PIX}, ..., {@code SYS}, {@code
   *     N/A}); for the NVLink classes the prefix {@code NV} to which the bond count is appended
   */
  public String token() {
    return token;
  }
}

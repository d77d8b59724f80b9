package io.gpualloc.topology;

/**
 * How two GPUs of one node are connected, in the vocabulary of {@code nvidia-smi topo -m}, best
 * first. NVLink carries a bond count separately ({@code NV4} is {@link #NVLINK} with 4 bonds).
 */
public enum LinkClass {
  /** Both GPUs sit on one NVSwitch fabric: full NVLink bandwidth between any pair. */
  NVSWITCH,
  /** Direct NVLink bonds ({@code NV#}). */
  NVLINK,
  /** At most a single PCIe bridge between them ({@code PIX}). */
  PIX,
  /** Several PCIe bridges, without crossing a host bridge ({@code PXB}). */
  PXB,
  /** Through a PCIe host bridge, typically the CPU ({@code PHB}). */
  PHB,
  /** Across host bridges inside one NUMA node ({@code NODE}). */
  NODE,
  /** Across the inter-socket link between NUMA nodes ({@code SYS}, older {@code SOC}). */
  SYS,
  /** Nothing is known about the pair. */
  UNKNOWN
}

package io.gpualloc.topology;

import io.gpualloc.core.InvalidSpecException;
import java.util.List;

/**
 * A network adapter of a node and its PCIe position relative to the node's GPUs, as the NIC
 * columns of {@code nvidia-smi topo -m} show it. Used for GPU+NIC co-location.
 *
 * @param name the adapter's name, for example {@code mlx5_0}
 * @param numaNode the NUMA node, or -1 when unknown
 * @param toGpu the PCIe class between this NIC and GPU {@code i} at position {@code i} (never an
 *     NVLink class)
 */
public record Nic(String name, int numaNode, List<LinkClass> toGpu) {

  /**
   * Validates and copies.
   *
   * @param name the adapter's name, for example {@code mlx5_0}
   * @param numaNode the NUMA node, or -1 when unknown
   * @param toGpu the PCIe class between this NIC and GPU {@code i} at position {@code i} (never an
   *     NVLink class)
   */
  public Nic {
    if (name == null || name.isBlank()) {
      throw InvalidSpecException.of("NIC", "name", name, "a non-blank name");
    }
    if (numaNode < -1) {
      throw InvalidSpecException.of("NIC " + name, "numaNode", numaNode, ">= -1 (-1 = unknown)");
    }
    if (toGpu == null) {
      throw InvalidSpecException.of("NIC " + name, "toGpu", null, "a list of link classes");
    }
    toGpu = List.copyOf(toGpu);
    for (int i = 0; i < toGpu.size(); i++) {
      if (toGpu.get(i).isNvLink()) {
        throw InvalidSpecException.of(
            "NIC " + name, "toGpu[" + i + "]", toGpu.get(i).name(), "a PCIe class");
      }
    }
  }
}

package io.gpualloc.topology;

import io.gpualloc.core.InvalidSpecException;
import java.util.List;

/**
 * Where a GPU sits in its node: its PCIe switch path, root complex, NUMA node and socket, and its
 * NVLink domain. Every part is optional ({@code -1} or an empty path = unknown).
 *
 * <p>The PCIe class of two GPUs follows from their locations as {@code nvidia-smi topo -mp} defines
 * it, checked in this order: the same last switch of the path: {@code PIX}; a switch in common:
 * {@code PXB}; the same root complex: {@code PHB}; the same NUMA node: {@code NODE}; different NUMA
 * nodes or different sockets: {@code SYS}; otherwise unknown. See {@link #pcieClassTo(GpuLocation)}.
 *
 * @param numaNode the NUMA node, or -1
 * @param socket the CPU socket, or -1 (several NUMA nodes may share a socket)
 * @param rootComplex the PCIe root complex (host bridge) id, unique within the node, or -1
 * @param switchPath the ids of the PCIe switches from the root complex down to the GPU (the last is
 *     the switch the GPU hangs off); ids are unique within the node; empty when unknown or when the
 *     GPU sits directly on a root port
 * @param nvlinkDomain the NVLink domain (for GB200-class systems the NVLink clique/partition), or -1;
 *     GPUs of different known domains cannot have NVLink between them
 */
public record GpuLocation(
    int numaNode, int socket, int rootComplex, List<Integer> switchPath, int nvlinkDomain) {

  /** Nothing known. */
  public static final GpuLocation UNKNOWN = new GpuLocation(-1, -1, -1, List.of(), -1);

  /**
   * Validates and copies.
   *
   * @param numaNode the NUMA node, or -1
   * @param socket the CPU socket, or -1
   * @param rootComplex the root complex id, or -1
   * @param switchPath the switch ids from the root complex down (empty = unknown)
   * @param nvlinkDomain the NVLink domain, or -1
   * @throws InvalidSpecException for an id below -1, a null path, or a negative or repeated switch
   *     id in the path
   */
  public GpuLocation {
    check("numaNode", numaNode);
    check("socket", socket);
    check("rootComplex", rootComplex);
    check("nvlinkDomain", nvlinkDomain);
    if (switchPath == null) {
      throw InvalidSpecException.of("GPU location", "switchPath", null, "a list (empty = unknown)");
    }
    switchPath = List.copyOf(switchPath);
    for (int i = 0; i < switchPath.size(); i++) {
      int s = switchPath.get(i);
      if (s < 0 || switchPath.subList(0, i).contains(s)) {
        throw InvalidSpecException.of("GPU location", "switchPath", switchPath.toString(),
            "distinct switch ids >= 0");
      }
    }
  }

  private static void check(String field, int v) {
    if (v < -1) {
      throw InvalidSpecException.of("GPU location", field, v, ">= -1 (-1 = unknown)");
    }
  }

  /**
   * A location with only a NUMA node and one switch, the form of {@link
   * NodeInterconnect.Builder#placement(int, int, int)}.
   *
   * @param numaNode the NUMA node, or -1
   * @param pcieSwitch the switch id, or -1
   * @return the location
   * @throws InvalidSpecException for ids below -1
   */
  public static GpuLocation of(int numaNode, int pcieSwitch) {
    if (pcieSwitch < -1) {
      throw InvalidSpecException.of("GPU location", "pcieSwitch", pcieSwitch, ">= -1");
    }
    return new GpuLocation(numaNode, -1, -1, pcieSwitch < 0 ? List.of() : List.of(pcieSwitch), -1);
  }

  /**
   * The switch the GPU hangs off (the last of the path), or -1.
   *
   * @return the switch id or -1
   */
  public int leafSwitch() {
    return switchPath.isEmpty() ? -1 : switchPath.get(switchPath.size() - 1);
  }

  /**
   * The PCIe class between this GPU (or NIC) and {@code other}, derived from the two locations; see
   * the class comment.
   *
   * @param other the other location
   * @return {@code PIX}, {@code PXB}, {@code PHB}, {@code NODE}, {@code SYS} or {@code UNKNOWN}
   */
  public LinkClass pcieClassTo(GpuLocation other) {
    if (!switchPath.isEmpty() && !other.switchPath.isEmpty()) {
      if (leafSwitch() == other.leafSwitch()) {
        return LinkClass.PIX;
      }
      for (int s : switchPath) {
        if (other.switchPath.contains(s)) {
          return LinkClass.PXB;
        }
      }
    }
    if (rootComplex >= 0 && rootComplex == other.rootComplex) {
      return LinkClass.PHB;
    }
    if (numaNode >= 0 && other.numaNode >= 0) {
      return numaNode == other.numaNode ? LinkClass.NODE : LinkClass.SYS;
    }
    if (socket >= 0 && other.socket >= 0 && socket != other.socket) {
      return LinkClass.SYS;
    }
    return LinkClass.UNKNOWN;
  }
}

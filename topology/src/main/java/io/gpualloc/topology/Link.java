package io.gpualloc.topology;

import io.gpualloc.core.InvalidSpecException;

/**
 * The connection between two devices: a {@link LinkClass} and, for the NVLink classes, the number of
 * bonded NVLinks (1..18, as {@code nvidia-smi topo -m} prints {@code NV1}..{@code NV18}).
 *
 * @param linkClass the class
 * @param bonds the NVLink count: 1..18 for {@link LinkClass#NVLINK} and {@link
 *     LinkClass#NVSWITCH}, 0 for every other class
 */
public record Link(LinkClass linkClass, int bonds) implements Comparable<Link> {

  /** The largest NVLink count a GPU has (Hopper and Blackwell: 18). */
  public static final int MAX_BONDS = 18;

  /** The link of a pair nothing is known about. */
  public static final Link UNKNOWN = new Link(LinkClass.UNKNOWN, 0);

  /**
   * Validates the bond count against the class.
   *
   * @param linkClass the class
   * @param bonds the NVLink count: 1..18 for {@link LinkClass#NVLINK} and {@link
   *     LinkClass#NVSWITCH}, 0 for every other class
   */
  public Link {
    if (linkClass == null) {
      throw InvalidSpecException.of("link", "linkClass", null, "a LinkClass");
    }
    if (linkClass.isNvLink()) {
      if (bonds < 1 || bonds > MAX_BONDS) {
        throw InvalidSpecException.of(
            "link " + linkClass, "bonds", bonds, "1.." + MAX_BONDS + " for an NVLink class");
      }
    } else if (bonds != 0) {
      throw InvalidSpecException.of("link " + linkClass, "bonds", bonds, "0 for a PCIe class");
    }
  }

  /**
   * A direct NVLink bond of {@code bonds} links ({@code NV<bonds>}).
   *
   * @param bonds the NVLink count: 1..18 for {@link LinkClass#NVLINK} and {@link
   *     LinkClass#NVSWITCH}, 0 for every other class
   * @return a direct NVLink bond of {@code bonds} links ({@code NV<bonds>})
   */
  public static Link nvlink(int bonds) {
    return new Link(LinkClass.NVLINK, bonds);
  }

  /**
   * An NVSwitch connection with {@code bonds} links per GPU.
   *
   * @param bonds the NVLink count: 1..18 for {@link LinkClass#NVLINK} and {@link
   *     LinkClass#NVSWITCH}, 0 for every other class
   * @return an NVSwitch connection with {@code bonds} links per GPU
   */
  public static Link nvswitch(int bonds) {
    return new Link(LinkClass.NVSWITCH, bonds);
  }

  /**
   * A PCIe-only link of this class.
   *
   * @param linkClass the class
   * @return a PCIe-only link of this class
   */
  public static Link pcie(LinkClass linkClass) {
    if (linkClass.isNvLink()) {
      throw InvalidSpecException.of("link", "linkClass", linkClass.name(), "a PCIe class");
    }
    return new Link(linkClass, 0);
  }

  /**
   * The {@code topo -m} token: {@code NV12}, {@code PIX}, {@code SYS}, {@code N/A}.
   *
   * @return the {@code topo -m} token: {@code NV12}, {@code PIX}, {@code SYS}, {@code N/A}
   */
  public String token() {
    return linkClass.isNvLink() ? "NV" + bonds : linkClass.token();
  }

  /** Orders best first: more bonds first, then by class order. */
  @Override
  public int compareTo(Link o) {
    if (bonds != o.bonds) {
      return Integer.compare(o.bonds, bonds);
    }
    return linkClass.compareTo(o.linkClass);
  }

  @Override
  public String toString() {
    return linkClass == LinkClass.NVSWITCH ? "NVSwitch(NV" + bonds + ")" : token();
  }
}

package io.gpualloc.topology;

import io.gpualloc.core.InvalidSpecException;

/**
 * The connection between two GPUs of one node: the NVLink part ({@link LinkClass#NVLINK} or {@link
 * LinkClass#NVSWITCH} with its bond count, as {@code nvidia-smi topo -m} prints {@code NV1}..{@code
 * NV18}) and the PCIe path class of the pair ({@code PIX}, {@code PXB}, {@code PHB}, {@code NODE},
 * {@code SYS}, as {@code nvidia-smi topo -mp} prints it). Every NVLinked pair also has a PCIe path;
 * {@code topo -m} hides it behind {@code NV#}, so it may be {@link LinkClass#UNKNOWN} here, and
 * {@link NodeInterconnect} then derives it from the GPUs' PCIe placement when it can.
 *
 * <p>A pair without NVLink has {@code linkClass == pcie} and {@code bonds == 0}.
 *
 * @param linkClass {@link LinkClass#NVLINK} or {@link LinkClass#NVSWITCH} for an NVLinked pair,
 *     otherwise the PCIe class (equal to {@code pcie})
 * @param bonds the NVLink count: 1..18 for the NVLink classes, 0 for every other class
 * @param pcie the PCIe path class of the pair (never an NVLink class; {@link LinkClass#UNKNOWN} when
 *     not known)
 */
public record Link(LinkClass linkClass, int bonds, LinkClass pcie) implements Comparable<Link> {

  /** The largest NVLink count a GPU has (Hopper and Blackwell: 18). */
  public static final int MAX_BONDS = 18;

  /** The link of a pair nothing is known about. */
  public static final Link UNKNOWN = new Link(LinkClass.UNKNOWN, 0, LinkClass.UNKNOWN);

  /**
   * Validates the bond count against the class and the PCIe class.
   *
   * @param linkClass {@link LinkClass#NVLINK} or {@link LinkClass#NVSWITCH} for an NVLinked pair,
   *     otherwise the PCIe class (equal to {@code pcie})
   * @param bonds the NVLink count: 1..18 for the NVLink classes, 0 for every other class
   * @param pcie the PCIe path class of the pair (never an NVLink class; {@link LinkClass#UNKNOWN}
   *     when not known)
   * @throws InvalidSpecException for a bond count outside the class's range, an NVLink class as
   *     {@code pcie}, or a PCIe pair whose {@code pcie} differs from its class
   */
  public Link {
    if (linkClass == null) {
      throw InvalidSpecException.of("link", "linkClass", null, "a LinkClass");
    }
    if (pcie == null || pcie.isNvLink()) {
      throw InvalidSpecException.of("link " + linkClass, "pcie", pcie == null ? null : pcie.name(),
          "a PCIe class (PIX, PXB, PHB, NODE, SYS or UNKNOWN)");
    }
    if (linkClass.isNvLink()) {
      if (bonds < 1 || bonds > MAX_BONDS) {
        throw InvalidSpecException.of(
            "link " + linkClass, "bonds", bonds, "1.." + MAX_BONDS + " for an NVLink class");
      }
    } else {
      if (bonds != 0) {
        throw InvalidSpecException.of("link " + linkClass, "bonds", bonds, "0 for a PCIe class");
      }
      if (pcie != linkClass) {
        throw InvalidSpecException.of("link " + linkClass, "pcie", pcie.name(),
            linkClass.name() + " (a pair without NVLink has one PCIe class)");
      }
    }
  }

  /**
   * The link of the two-component form used before PCIe classes of NVLinked pairs were modelled:
   * an NVLink link gets an unknown PCIe class, a PCIe link its own class.
   *
   * @param linkClass the class
   * @param bonds the NVLink count (1..18 for NVLink classes, else 0)
   * @throws InvalidSpecException as the canonical constructor
   */
  public Link(LinkClass linkClass, int bonds) {
    this(linkClass, bonds, linkClass == null || linkClass.isNvLink() ? LinkClass.UNKNOWN : linkClass);
  }

  /**
   * A direct NVLink bond of {@code bonds} links ({@code NV<bonds>}), PCIe class unknown.
   *
   * @param bonds 1..18
   * @return the link
   * @throws InvalidSpecException for a bond count outside 1..18
   */
  public static Link nvlink(int bonds) {
    return new Link(LinkClass.NVLINK, bonds, LinkClass.UNKNOWN);
  }

  /**
   * A direct NVLink bond of {@code bonds} links on a pair whose PCIe path is {@code pcie}.
   *
   * @param bonds 1..18
   * @param pcie the PCIe class of the pair
   * @return the link
   * @throws InvalidSpecException for a bond count outside 1..18 or an NVLink class as {@code pcie}
   */
  public static Link nvlink(int bonds, LinkClass pcie) {
    return new Link(LinkClass.NVLINK, bonds, pcie);
  }

  /**
   * An NVSwitch connection with {@code bonds} links per GPU, PCIe class unknown.
   *
   * @param bonds 1..18
   * @return the link
   * @throws InvalidSpecException for a bond count outside 1..18
   */
  public static Link nvswitch(int bonds) {
    return new Link(LinkClass.NVSWITCH, bonds, LinkClass.UNKNOWN);
  }

  /**
   * An NVSwitch connection with {@code bonds} links per GPU on a pair whose PCIe path is {@code
   * pcie}.
   *
   * @param bonds 1..18
   * @param pcie the PCIe class of the pair
   * @return the link
   * @throws InvalidSpecException for a bond count outside 1..18 or an NVLink class as {@code pcie}
   */
  public static Link nvswitch(int bonds, LinkClass pcie) {
    return new Link(LinkClass.NVSWITCH, bonds, pcie);
  }

  /**
   * A PCIe-only link of this class.
   *
   * @param linkClass a PCIe class
   * @return the link
   * @throws InvalidSpecException for an NVLink class
   */
  public static Link pcie(LinkClass linkClass) {
    if (linkClass == null || linkClass.isNvLink()) {
      throw InvalidSpecException.of("link", "linkClass",
          linkClass == null ? null : linkClass.name(), "a PCIe class");
    }
    return new Link(linkClass, 0, linkClass);
  }

  /**
   * Whether the pair has NVLink.
   *
   * @return true for the NVLink classes
   */
  public boolean isNvLink() {
    return linkClass.isNvLink();
  }

  /**
   * This link with another PCIe class; for a PCIe-only pair that is {@link #pcie(LinkClass)}.
   *
   * @param pcieClass the PCIe class
   * @return the link
   * @throws InvalidSpecException for an NVLink class
   */
  public Link withPcie(LinkClass pcieClass) {
    return linkClass.isNvLink() ? new Link(linkClass, bonds, pcieClass) : pcie(pcieClass);
  }

  /**
   * The {@code topo -m} token: {@code NV12}, {@code PIX}, {@code SYS}, {@code N/A}.
   *
   * @return the token
   */
  public String token() {
    return linkClass.isNvLink() ? "NV" + bonds : linkClass.token();
  }

  /**
   * The {@code topo -mp} token: the PCIe class ({@code PIX}, ..., {@code SYS}, {@code N/A}).
   *
   * @return the token
   */
  public String pcieToken() {
    return pcie.token();
  }

  /** Orders best first: more bonds first, then by class order, then by PCIe class order. */
  @Override
  public int compareTo(Link o) {
    if (bonds != o.bonds) {
      return Integer.compare(o.bonds, bonds);
    }
    int c = linkClass.compareTo(o.linkClass);
    return c != 0 ? c : pcie.compareTo(o.pcie);
  }

  @Override
  public String toString() {
    if (!linkClass.isNvLink()) {
      return token();
    }
    String nv = linkClass == LinkClass.NVSWITCH ? "NVSwitch(NV" + bonds + ")" : token();
    return pcie == LinkClass.UNKNOWN ? nv : nv + "+" + pcie.token();
  }
}

package io.gpualloc.topology;

import io.gpualloc.core.InvalidSpecException;

/**
 * The numeric bandwidth/affinity score of a GPU pair, by link class. The score of a pair is:
 *
 * <ul>
 *   <li>NVLink or NVSwitch: {@code perBond * bonds}, plus the points of the pair's PCIe class
 *       ({@link Link#pcie()}: {@code PIX}, {@code PXB}, {@code PHB}, {@code NODE} or {@code SYS};
 *       nothing when unknown). The PCIe part only separates NVLink pairs of equal bond count, as
 *       on NVSwitch systems where every pair shows the same {@code NV#}.
 *   <li>any PCIe class: its own value.
 *   <li>{@link LinkClass#UNKNOWN}: {@link #unknown}.
 * </ul>
 *
 * <p>The selector's objective splits this score in two: the <em>quality</em> of a pair ({@link
 * #quality(Link)}: the NVLink points of an NVLinked pair, the PCIe points of any other pair: the
 * path its traffic takes) and its <em>locality</em> ({@link #locality(Link)}: the PCIe points of
 * every pair, NVLinked or not).
 *
 * <p>The defaults ({@link #DEFAULT}) follow the point table that NVIDIA's go-gpuallocator documents
 * (100 per NVLink, PIX 50, PXB 40, PHB 30, NODE 20, SYS 10), so one NVLink outweighs any PCIe
 * relation. Every value must lie in {@code 0..}{@link #MAX_VALUE}, which keeps set scores of
 * 128-GPU domains far inside a {@code long}.
 *
 * @param perBond points per bonded NVLink
 * @param pix points for a {@code PIX} pair
 * @param pxb points for a {@code PXB} pair
 * @param phb points for a {@code PHB} pair
 * @param node points for a {@code NODE} pair
 * @param sys points for a {@code SYS} pair
 * @param unknown points for a pair nothing is known about
 */
public record LinkScores(int perBond, int pix, int pxb, int phb, int node, int sys, int unknown) {

  /** The largest allowed value of a field. */
  public static final int MAX_VALUE = 10_000;

  /** The default table: 100 per NVLink, PIX 50, PXB 40, PHB 30, NODE 20, SYS 10, unknown 0. */
  public static final LinkScores DEFAULT = new LinkScores(100, 50, 40, 30, 20, 10, 0);

  /**
   * Validates every value against {@code 0..MAX_VALUE}.
   *
   * @param perBond points per bonded NVLink
   * @param pix points for a {@code PIX} pair
   * @param pxb points for a {@code PXB} pair
   * @param phb points for a {@code PHB} pair
   * @param node points for a {@code NODE} pair
   * @param sys points for a {@code SYS} pair
   * @param unknown points for a pair nothing is known about
   */
  public LinkScores {
    check("perBond", perBond);
    check("pix", pix);
    check("pxb", pxb);
    check("phb", phb);
    check("node", node);
    check("sys", sys);
    check("unknown", unknown);
  }

  private static void check(String field, int v) {
    if (v < 0 || v > MAX_VALUE) {
      throw InvalidSpecException.of("link scores", field, v, "0.." + MAX_VALUE);
    }
  }

  /**
   * The points of a PCIe class (for an NVLink class: 0).
   *
   * @param c the link class
   * @return the points of a PCIe class (for an NVLink class: 0)
   */
  public int of(LinkClass c) {
    switch (c) {
      case PIX:
        return pix;
      case PXB:
        return pxb;
      case PHB:
        return phb;
      case NODE:
        return node;
      case SYS:
        return sys;
      case UNKNOWN:
        return unknown;
      default:
        return 0;
    }
  }

  /**
   * The score of a link whose two GPUs have the given PCIe locality (the form used before links
   * carried their own PCIe class).
   *
   * @param link the link
   * @param locality for NVLink links, the PCIe relation of the two GPUs, or {@code UNKNOWN} (no
   *     points); ignored for PCIe links
   * @return the score
   */
  public int score(Link link, LinkClass locality) {
    if (link.linkClass().isNvLink()) {
      return perBond * link.bonds() + (locality == LinkClass.UNKNOWN ? 0 : of(locality));
    }
    return of(link.linkClass());
  }

  /**
   * The score of a link: NVLink points plus the points of its PCIe class, or the PCIe points alone.
   *
   * @param link the link
   * @return the score
   */
  public int score(Link link) {
    return score(link, link.pcie());
  }

  /**
   * The quality part of a link's score: {@code perBond * bonds} for an NVLinked pair, the PCIe
   * points otherwise.
   *
   * @param link the link
   * @return the quality points
   */
  public int quality(Link link) {
    return link.linkClass().isNvLink() ? perBond * link.bonds() : of(link.linkClass());
  }

  /**
   * The locality part: the points of the link's PCIe class (0 when unknown and {@link #unknown} is
   * 0), for NVLinked and PCIe-only pairs alike.
   *
   * @param link the link
   * @return the locality points
   */
  public int locality(Link link) {
    return of(link.pcie());
  }
}

package io.gpualloc.topology;

import io.gpualloc.core.InvalidSpecException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The GPU interconnect of one node (or of one NVLink domain such as a GB200 NVL72 rack): the
 * {@link Link} of every GPU pair (NVLink bonds and PCIe class), each GPU's {@link GpuLocation} (PCIe
 * switch path, root complex, NUMA node, socket, NVLink domain) and CPU affinity, the node's NICs,
 * and optionally a custom pair-score matrix. Immutable and thread-safe; GPUs are numbered {@code 0..gpuCount()-1} as {@code
 * nvidia-smi} numbers them.
 *
 * <h2>Incomplete or contradictory data</h2>
 *
 * Real link tables are sometimes asymmetric (a driver reports different links for the two
 * directions) or partial (a GPU fell off the bus). Neither is an error here. {@link Builder#build()}
 * resolves every pair as follows and records a line in {@link #warnings()} for each pair it had to
 * repair:
 *
 * <ol>
 *   <li>both directions given and equal: that link;
 *   <li>both given and different: the <em>worse</em> of the two (fewer NVLink bonds, then the later
 *       {@link LinkClass}), because a pair is only as good as its weaker direction;
 *   <li>one direction given: that one;
 *   <li>none given: derived from the GPUs' {@link GpuLocation}s ({@code PIX} on the same last
 *       switch, {@code PXB} under a common switch, {@code PHB} on the same root complex, {@code
 *       NODE} on the same NUMA node, {@code SYS} across NUMA nodes or sockets), otherwise {@link
 *       Link#UNKNOWN} (scored {@link LinkScores#unknown()}, 0 by default). A pair derived from
 *       placement is not reported as a warning, so presets may give only their NVLink pairs.
 * </ol>
 *
 * <p>An NVLinked pair whose PCIe class is not given gets it derived from the locations the same way
 * ({@code topo -m} prints {@code NV#} and hides it; {@code topo -mp} prints it). NVLink between two
 * GPUs of different known NVLink domains is a caller mistake ({@link InvalidSpecException}), and so
 * is a switch id that sits under different parents on different GPUs.
 *
 * <p>A node may carry a custom {@link PairScores} matrix ({@link #withPairScores}); selectors then
 * use it instead of their {@link LinkScores} table for the pair scores of this node.
 */
public final class NodeInterconnect {
  private final String name;
  private final int n;
  private final Link[] links; // n*n, symmetric, diagonal null
  private final GpuLocation[] loc;
  private final String[] cpuAffinity;
  private final List<Nic> nics;
  private final List<String> warnings;
  private final @Nullable PairScores custom;
  private volatile @Nullable ScoreCache cache;

  /**
   * Per score table: the pair score (combined), quality and locality matrices, interchangeable GPUs
   * and the sorted top sums of the quality and locality rows.
   */
  private record ScoreCache(LinkScores scores, int[] matrix, int[] quality, int[] locality,
      int[] twin, long[][] top, long[][] topLocality, long[][] topMatrix) {}

  private NodeInterconnect(Builder b) {
    this.name = b.name;
    this.n = b.n;
    this.loc = b.loc.clone();
    this.cpuAffinity = b.cpuAffinity.clone();
    this.custom = b.custom;
    this.links = new Link[n * n];
    checkSwitchTree();
    List<String> warn = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        Link a = b.directed[i * n + j];
        Link c = b.directed[j * n + i];
        Link r;
        if (a != null && c != null) {
          if (a.equals(c)) {
            r = a;
          } else {
            r = a.compareTo(c) >= 0 ? a : c;
            warn.add("GPU" + i + "-GPU" + j + ": asymmetric links " + a.token() + " / " + c.token()
                + ", using the worse, " + r.token());
          }
        } else if (a != null || c != null) {
          r = a != null ? a : c;
          warn.add("GPU" + i + "-GPU" + j + ": only one direction given (" + r.token()
              + "), using it for both");
        } else {
          r = derived(i, j);
        }
        if (r.isNvLink()) {
          int di = loc[i].nvlinkDomain();
          int dj = loc[j].nvlinkDomain();
          if (di >= 0 && dj >= 0 && di != dj) {
            throw InvalidSpecException.of("interconnect " + name, "link GPU" + i + "-GPU" + j,
                r.token(), "no NVLink between NVLink domains " + di + " and " + dj);
          }
          if (r.pcie() == LinkClass.UNKNOWN) {
            r = r.withPcie(loc[i].pcieClassTo(loc[j]));
          }
        }
        links[i * n + j] = r;
        links[j * n + i] = r;
      }
    }
    for (Nic nic : b.nics) {
      if (nic.toGpu().size() != n) {
        throw InvalidSpecException.of("NIC " + nic.name() + " of " + name, "toGpu size",
            nic.toGpu().size(), String.valueOf(n) + " (one class per GPU)");
      }
    }
    if (custom != null && custom.gpuCount() != n) {
      throw InvalidSpecException.of("interconnect " + name, "pairScores size", custom.gpuCount(),
          String.valueOf(n) + " (one row per GPU)");
    }
    this.nics = List.copyOf(b.nics);
    this.warnings = List.copyOf(warn);
  }

  private Link derived(int i, int j) {
    LinkClass c = loc[i].pcieClassTo(loc[j]);
    return c == LinkClass.UNKNOWN ? Link.UNKNOWN : Link.pcie(c);
  }

  /** Every switch id has one path from the root complex (the switches form a tree). */
  private void checkSwitchTree() {
    java.util.Map<Integer, List<Integer>> prefix = new java.util.HashMap<>();
    java.util.Map<Integer, Integer> root = new java.util.HashMap<>();
    for (int g = 0; g < n; g++) {
      List<Integer> path = loc[g].switchPath();
      for (int d = 0; d < path.size(); d++) {
        int s = path.get(d);
        List<Integer> pre = path.subList(0, d);
        List<Integer> known = prefix.putIfAbsent(s, pre);
        Integer rc = root.putIfAbsent(s, loc[g].rootComplex());
        if ((known != null && !known.equals(pre)) || (rc != null && rc != loc[g].rootComplex())) {
          throw InvalidSpecException.of("GPU " + g + " of " + name, "switchPath", path.toString(),
              "switch " + s + " under one parent and root complex on every GPU (the switches form"
                  + " a tree; another GPU has it under " + known + " and root complex " + rc
                  + ")");
        }
      }
    }
  }

  /**
   * Starts a builder for a node of {@code gpuCount} GPUs.
   *
   * @param name the name
   * @param gpuCount the number of GPUs
   * @return a new builder
   */
  public static Builder builder(String name, int gpuCount) {
    return new Builder(name, gpuCount);
  }

  /**
   * A descriptive name, for example {@code DGX-1 (8x V100-SXM2)}.
   *
   * @return a descriptive name, for example {@code DGX-1 (8x V100-SXM2)}
   */
  public String name() {
    return name;
  }

  /**
   * The number of GPUs.
   *
   * @return the number of GPUs
   */
  public int gpuCount() {
    return n;
  }

  /**
   * The link between GPUs {@code i} and {@code j} ({@code i != j}); symmetric.
   *
   * @param i the GPU
   * @param j another GPU
   * @return the link between GPUs {@code i} and {@code j} ({@code i != j}); symmetric
   */
  public Link link(int i, int j) {
    checkGpu(i);
    checkGpu(j);
    if (i == j) {
      throw InvalidSpecException.of("interconnect " + name, "gpu pair", i + "-" + j,
          "two different GPUs");
    }
    return links[i * n + j];
  }

  /**
   * The NUMA node of GPU {@code i}, or -1 when unknown.
   *
   * @param i the GPU
   * @return the NUMA node of GPU {@code i}, or -1 when unknown
   */
  public int numaNode(int i) {
    checkGpu(i);
    return loc[i].numaNode();
  }

  /**
   * The PCIe switch GPU {@code i} hangs off (the last of its switch path), or -1 when unknown.
   *
   * @param i the GPU
   * @return the PCIe switch GPU {@code i} hangs off (the last of its switch path), or -1 when
   *     unknown
   */
  public int pcieSwitch(int i) {
    checkGpu(i);
    return loc[i].leafSwitch();
  }

  /**
   * Where GPU {@code i} sits: PCIe switch path, root complex, NUMA node, socket, NVLink domain.
   *
   * @param i the GPU
   * @return its location
   * @throws InvalidSpecException for an index outside the node
   */
  public GpuLocation location(int i) {
    checkGpu(i);
    return loc[i];
  }

  /**
   * The node's custom pair-score matrix, or null when pair scores come from a {@link LinkScores}
   * table.
   *
   * @return the matrix or null
   */
  public @Nullable PairScores pairScores() {
    return custom;
  }

  /**
   * A copy whose pair scores are {@code scores} instead of any {@link LinkScores} table (see {@link
   * PairScores}); {@code null} removes a custom matrix.
   *
   * @param scores the matrix, with one row per GPU, or null
   * @return the copy
   * @throws InvalidSpecException when the matrix size differs from the GPU count
   */
  public NodeInterconnect withPairScores(@Nullable PairScores scores) {
    Builder b = toBuilder();
    b.custom = scores;
    return b.build();
  }

  /**
   * The CPU affinity of GPU {@code i} as {@code topo -m} prints it ({@code 0-19,40-59}), or "".
   *
   * @param i the GPU
   * @return the CPU affinity of GPU {@code i} as {@code topo -m} prints it ({@code 0-19,40-59}), or
   *     ""
   */
  public String cpuAffinity(int i) {
    checkGpu(i);
    return cpuAffinity[i];
  }

  /**
   * The node's NICs, in column order.
   *
   * @return the node's NICs, in column order
   */
  public List<Nic> nics() {
    return nics;
  }

  /**
   * One line per pair whose link had to be repaired while building, see the class comment.
   *
   * @return one line per pair whose link had to be repaired while building, see the class comment
   */
  public List<String> warnings() {
    return warnings;
  }

  /**
   * The PCIe class of GPUs {@code i} and {@code j} ({@link Link#pcie()} of their link): given, or
   * for NVLinked pairs without one derived from the GPUs' locations ({@link
   * GpuLocation#pcieClassTo(GpuLocation)}); {@code UNKNOWN} when neither says.
   *
   * @param i a GPU
   * @param j another GPU
   * @return the PCIe class
   * @throws InvalidSpecException for indices outside the node or {@code i == j}
   */
  public LinkClass locality(int i, int j) {
    return link(i, j).pcie();
  }

  /**
   * The score of the pair {@code i}, {@code j}: the custom {@link #pairScores()} when set, else
   * {@link LinkScores#score(Link)}.
   *
   * @param scores the table (ignored with custom scores)
   * @param i a GPU
   * @param j another GPU
   * @return the pair score
   * @throws InvalidSpecException for indices outside the node or {@code i == j}
   */
  public int pairScore(LinkScores scores, int i, int j) {
    Link l = link(i, j);
    return custom != null ? custom.score(i, j) : scores.score(l);
  }

  /**
   * The pair scores as a row-major {@code gpuCount x gpuCount} array (diagonal 0). The array is
   * cached for the most recent table and shared: callers must not modify it.
   */
  int[] scoreMatrix(LinkScores scores) {
    return scoreCache(scores).matrix;
  }

  /** Row-major quality matrix (custom scores when set, else {@link LinkScores#quality}). */
  int[] qualityMatrix(LinkScores scores) {
    return scoreCache(scores).quality;
  }

  /** Row-major locality matrix ({@link LinkScores#locality}). */
  int[] localityMatrix(LinkScores scores) {
    return scoreCache(scores).locality;
  }

  /** Top sums of the pair-score rows, as {@link #topScores} for quality. */
  long[][] topPairScores(LinkScores scores) {
    return scoreCache(scores).topMatrix;
  }

  /** Top sums of the locality rows, as {@link #topScores} for quality. */
  long[][] topLocality(LinkScores scores) {
    return scoreCache(scores).topLocality;
  }

  /**
   * For each GPU, the nearest lower-indexed GPU whose pair scores, qualities and localities to every
   * third GPU are the same (the two are interchangeable: swapping them is a symmetry of the scored
   * node), or -1.
   */
  int[] twins(LinkScores scores) {
    return scoreCache(scores).twin;
  }

  /**
   * For each GPU {@code i}, {@code top[i][t]} = the sum of its {@code t} largest quality scores to
   * other GPUs ({@code t = 0..gpuCount-1}). Shared: callers must not modify it.
   */
  long[][] topScores(LinkScores scores) {
    return scoreCache(scores).top;
  }

  private ScoreCache scoreCache(LinkScores scores) {
    ScoreCache c = cache;
    if (c != null && c.scores.equals(scores)) {
      return c;
    }
    int[] m = new int[n * n];
    int[] q = new int[n * n];
    int[] l = new int[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (i != j) {
          Link link = links[i * n + j];
          m[i * n + j] = custom != null ? custom.raw()[i * n + j] : scores.score(link);
          q[i * n + j] = custom != null ? custom.raw()[i * n + j] : scores.quality(link);
          l[i * n + j] = scores.locality(link);
        }
      }
    }
    int[] twin = new int[n];
    for (int i = 0; i < n; i++) {
      twin[i] = -1;
      for (int j = i - 1; j >= 0 && twin[i] < 0; j--) {
        boolean same = true;
        for (int x = 0; x < n && same; x++) {
          same = x == i || x == j || (m[i * n + x] == m[j * n + x] && q[i * n + x] == q[j * n + x]
              && l[i * n + x] == l[j * n + x]);
        }
        if (same) {
          twin[i] = j;
        }
      }
    }
    c = new ScoreCache(scores, m, q, l, twin, tops(q), tops(l), tops(m));
    cache = c;
    return c;
  }

  private long[][] tops(int[] m) {
    long[][] top = new long[n][];
    for (int i = 0; i < n; i++) {
      int[] row = new int[Math.max(n - 1, 0)];
      int q = 0;
      for (int j = 0; j < n; j++) {
        if (j != i) {
          row[q++] = m[i * n + j];
        }
      }
      Arrays.sort(row);
      long[] t = new long[Math.max(n, 1)];
      for (int x = 1; x < n; x++) {
        t[x] = t[x - 1] + row[row.length - x];
      }
      top[i] = t;
    }
    return top;
  }

  /**
   * The NICs with the best PCIe class to GPU {@code i}, in column order (empty without NICs).
   *
   * @param i the GPU
   * @return the NICs with the best PCIe class to GPU {@code i}, in column order (empty without
   *     NICs)
   */
  public List<Nic> closestNics(int i) {
    checkGpu(i);
    LinkClass best = null;
    for (Nic nic : nics) {
      LinkClass c = nic.toGpu().get(i);
      if (best == null || c.compareTo(best) < 0) {
        best = c;
      }
    }
    List<Nic> out = new ArrayList<>();
    for (Nic nic : nics) {
      if (nic.toGpu().get(i) == best) {
        out.add(nic);
      }
    }
    return List.copyOf(out);
  }

  /**
   * A copy in which every {@link LinkClass#NVSWITCH} link is shown as a direct {@link
   * LinkClass#NVLINK} link of the same bond count: what {@code nvidia-smi topo -m} can show, since
   * it prints {@code NV#} for both.
   *
   * @return a copy in which every {@link LinkClass#NVSWITCH} link is shown as a direct {@link
   *     LinkClass#NVLINK} link of the same bond count: what {@code nvidia-smi topo -m} can show,
   *     since it prints {@code NV#} for both
   */
  public NodeInterconnect asSeenByTopoMatrix() {
    Builder b = toBuilder();
    for (int i = 0; i < b.directed.length; i++) {
      Link l = b.directed[i];
      if (l != null && l.linkClass() == LinkClass.NVSWITCH) {
        b.directed[i] = Link.nvlink(l.bonds(), l.pcie());
      }
    }
    return b.build();
  }

  /**
   * A builder holding this interconnect's data.
   *
   * @return this builder
   */
  public Builder toBuilder() {
    Builder b = new Builder(name, n);
    for (int i = 0; i < n * n; i++) {
      b.directed[i] = links[i];
    }
    System.arraycopy(loc, 0, b.loc, 0, n);
    System.arraycopy(cpuAffinity, 0, b.cpuAffinity, 0, n);
    for (Nic nic : nics) {
      b.nic(nic);
    }
    b.custom = custom;
    return b;
  }

  private void checkGpu(int i) {
    if (i < 0 || i >= n) {
      throw InvalidSpecException.of("interconnect " + name, "gpu index", i,
          n == 0 ? "none (no GPUs)" : "0.." + (n - 1));
    }
  }

  /**
   * Equal when links, locations, affinities, NICs and custom scores are equal (name and warnings
   * ignored).
   */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof NodeInterconnect x && x.n == n && Arrays.equals(x.links, links)
        && Arrays.equals(x.loc, loc) && Arrays.equals(x.cpuAffinity, cpuAffinity)
        && x.nics.equals(nics) && Objects.equals(x.custom, custom);
  }

  @Override
  public int hashCode() {
    return Objects.hash(n, Arrays.hashCode(links), Arrays.hashCode(loc), nics);
  }

  @Override
  public String toString() {
    return "NodeInterconnect[" + name + ", " + n + " GPUs, " + nics.size() + " NICs]";
  }

  /** Collects links and placement; see the class comment for how gaps are filled. */
  public static final class Builder {
    private final String name;
    private final int n;
    private final Link[] directed;
    private final GpuLocation[] loc;
    private final String[] cpuAffinity;
    private final List<Nic> nics = new ArrayList<>();
    private @Nullable PairScores custom;
    private final java.util.Set<String> nicNames = new java.util.HashSet<>();

    private Builder(String name, int n) {
      if (name == null || name.isBlank()) {
        throw InvalidSpecException.of("interconnect", "name", name, "a non-blank name");
      }
      if (n < 0 || n > 1024) {
        throw InvalidSpecException.of("interconnect " + name, "gpuCount", n, "0..1024");
      }
      this.name = name;
      this.n = n;
      this.directed = new Link[n * n];
      this.loc = new GpuLocation[n];
      this.cpuAffinity = new String[n];
      Arrays.fill(loc, GpuLocation.UNKNOWN);
      Arrays.fill(cpuAffinity, "");
    }

    private void check(String field, int i) {
      if (i < 0 || i >= n) {
        throw InvalidSpecException.of("interconnect " + name, field, i,
            n == 0 ? "none (no GPUs)" : "0.." + (n - 1));
      }
    }

    /**
     * Sets the link of the pair {@code i}, {@code j} in both directions.
     *
     * @param i the GPU
     * @param j another GPU
     * @param link the link
     * @return this builder
     */
    public Builder link(int i, int j, Link link) {
      directed(i, j, link);
      return directed(j, i, link);
    }

    /**
     * Sets the link as seen from GPU {@code from} only (for asymmetric source data).
     *
     * @param from the GPU index the link starts at
     * @param to the GPU index the link ends at
     * @param link the link
     * @return this builder
     */
    public Builder directed(int from, int to, Link link) {
      check("gpu index", from);
      check("gpu index", to);
      if (from == to) {
        throw InvalidSpecException.of("interconnect " + name, "gpu pair", from + "-" + to,
            "two different GPUs");
      }
      if (link == null) {
        throw InvalidSpecException.of("interconnect " + name, "link", null, "a Link");
      }
      directed[from * n + to] = link;
      return this;
    }

    /**
     * Sets GPU {@code i}'s NUMA node and PCIe switch id (-1 = unknown).
     *
     * @param i the GPU
     * @param numaNode the GPU's NUMA node, -1 when unknown
     * @param pcieSwitchId the id of the PCIe switch the GPU hangs off
     * @return this builder
     */
    public Builder placement(int i, int numaNode, int pcieSwitchId) {
      check("gpu index", i);
      if (numaNode < -1) {
        throw InvalidSpecException.of("GPU " + i + " of " + name, "numaNode", numaNode, ">= -1");
      }
      if (pcieSwitchId < -1) {
        throw InvalidSpecException.of(
            "GPU " + i + " of " + name, "pcieSwitch", pcieSwitchId, ">= -1");
      }
      loc[i] = GpuLocation.of(numaNode, pcieSwitchId);
      return this;
    }

    /**
     * Sets GPU {@code i}'s location (PCIe switch path, root complex, NUMA node, socket, NVLink
     * domain).
     *
     * @param i the GPU
     * @param location the location
     * @return this builder
     * @throws InvalidSpecException for an index outside the node or a null location
     */
    public Builder location(int i, GpuLocation location) {
      check("gpu index", i);
      if (location == null) {
        throw InvalidSpecException.of("GPU " + i + " of " + name, "location", null,
            "a GpuLocation (GpuLocation.UNKNOWN when nothing is known)");
      }
      loc[i] = location;
      return this;
    }

    /**
     * Sets a custom pair-score matrix (see {@link PairScores}); null removes it.
     *
     * @param scores the matrix or null
     * @return this builder
     */
    public Builder pairScores(@Nullable PairScores scores) {
      custom = scores;
      return this;
    }

    /**
     * Sets GPU {@code i}'s CPU affinity text ({@code 0-19,40-59}; "" = unknown).
     *
     * @param i the GPU
     * @param affinity the CPU affinity as {@code nvidia-smi topo -m} prints it
     * @return this builder
     */
    public Builder cpuAffinity(int i, String affinity) {
      check("gpu index", i);
      if (affinity == null || affinity.chars().anyMatch(Character::isWhitespace)) {
        throw InvalidSpecException.of("GPU " + i + " of " + name, "cpuAffinity", affinity,
            "a CPU list without whitespace, or \"\"");
      }
      cpuAffinity[i] = affinity;
      return this;
    }

    /**
     * Adds a NIC (its {@code toGpu} list must have one entry per GPU).
     *
     * @param nic the NIC to add
     * @return this builder
     */
    public Builder nic(Nic nic) {
      if (nic == null) {
        throw InvalidSpecException.of("interconnect " + name, "nic", null, "a Nic");
      }
      if (!nicNames.add(nic.name())) {
        throw InvalidSpecException.of("interconnect " + name, "nic name", nic.name(),
            "names unique within the node");
      }
      nics.add(nic);
      return this;
    }

    /**
     * Builds, resolving missing and contradictory links (see {@link NodeInterconnect}).
     *
     * @return the interconnect
     */
    public NodeInterconnect build() {
      return new NodeInterconnect(this);
    }
  }
}

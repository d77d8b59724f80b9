package io.gpualloc.topology;

import io.gpualloc.core.InvalidSpecException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The GPU interconnect of one node (or of one NVLink domain such as a GB200 NVL72 rack): the
 * {@link Link} of every GPU pair, each GPU's NUMA node, PCIe switch and CPU affinity, and the
 * node's NICs. Immutable and thread-safe; GPUs are numbered {@code 0..gpuCount()-1} as {@code
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
 *   <li>none given: derived from placement: {@code PIX} when both GPUs sit on the same known PCIe
 *       switch, {@code NODE} on the same known NUMA node, {@code SYS} on different known NUMA nodes,
 *       otherwise {@link Link#UNKNOWN} (scored {@link LinkScores#unknown()}, 0 by default). A pair
 *       derived from placement is not reported as a warning, so presets may give only their NVLink
 *       pairs.
 * </ol>
 */
public final class NodeInterconnect {
  private final String name;
  private final int n;
  private final Link[] links; // n*n, symmetric, diagonal null
  private final int[] numa;
  private final int[] pcieSwitch;
  private final String[] cpuAffinity;
  private final List<Nic> nics;
  private final List<String> warnings;
  private volatile ScoreCache cache;

  private record ScoreCache(LinkScores scores, int[] matrix, int[] twin, long[][] top) {}

  private NodeInterconnect(Builder b) {
    this.name = b.name;
    this.n = b.n;
    this.numa = b.numa.clone();
    this.pcieSwitch = b.pcieSwitch.clone();
    this.cpuAffinity = b.cpuAffinity.clone();
    this.links = new Link[n * n];
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
    this.nics = List.copyOf(b.nics);
    this.warnings = List.copyOf(warn);
  }

  private Link derived(int i, int j) {
    if (pcieSwitch[i] >= 0 && pcieSwitch[i] == pcieSwitch[j]) {
      return Link.pcie(LinkClass.PIX);
    }
    if (numa[i] >= 0 && numa[j] >= 0) {
      return Link.pcie(numa[i] == numa[j] ? LinkClass.NODE : LinkClass.SYS);
    }
    return Link.UNKNOWN;
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
   * @param i a GPU index within the node
   * @param j another GPU index within the node
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
   * @param i a GPU index within the node
   * @return the NUMA node of GPU {@code i}, or -1 when unknown
   */
  public int numaNode(int i) {
    checkGpu(i);
    return numa[i];
  }

  /**
   * The PCIe switch id of GPU {@code i}, or -1 when unknown.
   *
   * @param i a GPU index within the node
   * @return the PCIe switch id of GPU {@code i}, or -1 when unknown
   */
  public int pcieSwitch(int i) {
    checkGpu(i);
    return pcieSwitch[i];
  }

  /**
   * The CPU affinity of GPU {@code i} as {@code topo -m} prints it ({@code 0-19,40-59}), or "".
   *
   * @param i a GPU index within the node
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
   * The PCIe locality of GPUs {@code i} and {@code j} from their placement: {@code PIX} on one known
   * switch, {@code NODE} on one known NUMA node, {@code SYS} on different known NUMA nodes, else
   * {@code UNKNOWN}. Scores NVLink pairs, see {@link LinkScores}.
   *
   * @param i a GPU index within the node
   * @param j another GPU index within the node
   * @return the PCIe locality of GPUs {@code i} and {@code j} from their placement: {@code PIX} on
   *     one known switch, {@code NODE} on one known NUMA node, {@code SYS} on different known NUMA
   *     nodes, else {@code UNKNOWN}
   */
  public LinkClass locality(int i, int j) {
    checkGpu(i);
    checkGpu(j);
    if (pcieSwitch[i] >= 0 && pcieSwitch[i] == pcieSwitch[j]) {
      return LinkClass.PIX;
    }
    if (numa[i] >= 0 && numa[j] >= 0) {
      return numa[i] == numa[j] ? LinkClass.NODE : LinkClass.SYS;
    }
    return LinkClass.UNKNOWN;
  }

  /**
   * The score of the pair {@code i}, {@code j} under {@code scores}.
   *
   * @param scores the score of each link class
   * @param i a GPU index within the node
   * @param j another GPU index within the node
   * @return the score of the pair {@code i}, {@code j} under {@code scores}
   */
  public int pairScore(LinkScores scores, int i, int j) {
    return scores.score(link(i, j), locality(i, j));
  }

  /**
   * The pair scores as a row-major {@code gpuCount x gpuCount} array (diagonal 0). The array is
   * cached for the most recent table and shared: callers must not modify it.
   */
  int[] scoreMatrix(LinkScores scores) {
    return scoreCache(scores).matrix;
  }

  /**
   * For each GPU, the nearest lower-indexed GPU whose scores to every third GPU are the same (the
   * two are interchangeable: swapping them is a symmetry of the scored node), or -1.
   */
  int[] twins(LinkScores scores) {
    return scoreCache(scores).twin;
  }

  /**
   * For each GPU {@code i}, {@code top[i][t]} = the sum of its {@code t} largest scores to other
   * GPUs ({@code t = 0..gpuCount-1}). Shared: callers must not modify it.
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
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (i != j) {
          m[i * n + j] = scores.score(links[i * n + j], locality(i, j));
        }
      }
    }
    int[] twin = new int[n];
    for (int i = 0; i < n; i++) {
      twin[i] = -1;
      for (int j = i - 1; j >= 0 && twin[i] < 0; j--) {
        boolean same = true;
        for (int x = 0; x < n && same; x++) {
          same = x == i || x == j || m[i * n + x] == m[j * n + x];
        }
        if (same) {
          twin[i] = j;
        }
      }
    }
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
    c = new ScoreCache(scores, m, twin, top);
    cache = c;
    return c;
  }

  /**
   * The NICs with the best PCIe class to GPU {@code i}, in column order (empty without NICs).
   *
   * @param i a GPU index within the node
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
        b.directed[i] = Link.nvlink(l.bonds());
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
    System.arraycopy(numa, 0, b.numa, 0, n);
    System.arraycopy(pcieSwitch, 0, b.pcieSwitch, 0, n);
    System.arraycopy(cpuAffinity, 0, b.cpuAffinity, 0, n);
    b.nics.addAll(nics);
    return b;
  }

  private void checkGpu(int i) {
    if (i < 0 || i >= n) {
      throw InvalidSpecException.of("interconnect " + name, "gpu index", i,
          n == 0 ? "none (no GPUs)" : "0.." + (n - 1));
    }
  }

  /** Equal when links, placement, affinities and NICs are equal (name and warnings ignored). */
  @Override
  public boolean equals(Object o) {
    return o instanceof NodeInterconnect x && x.n == n && Arrays.equals(x.links, links)
        && Arrays.equals(x.numa, numa) && Arrays.equals(x.pcieSwitch, pcieSwitch)
        && Arrays.equals(x.cpuAffinity, cpuAffinity) && x.nics.equals(nics);
  }

  @Override
  public int hashCode() {
    return Objects.hash(n, Arrays.hashCode(links), Arrays.hashCode(numa), nics);
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
    private final int[] numa;
    private final int[] pcieSwitch;
    private final String[] cpuAffinity;
    private final List<Nic> nics = new ArrayList<>();

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
      this.numa = new int[n];
      this.pcieSwitch = new int[n];
      this.cpuAffinity = new String[n];
      Arrays.fill(numa, -1);
      Arrays.fill(pcieSwitch, -1);
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
     * @param i a GPU index within the node
     * @param j another GPU index within the node
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
     * @param i a GPU index within the node
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
      numa[i] = numaNode;
      pcieSwitch[i] = pcieSwitchId;
      return this;
    }

    /**
     * Sets GPU {@code i}'s CPU affinity text ({@code 0-19,40-59}; "" = unknown).
     *
     * @param i a GPU index within the node
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
      for (Nic other : nics) {
        if (other.name().equals(nic.name())) {
          throw InvalidSpecException.of("interconnect " + name, "nic name", nic.name(),
              "names unique within the node");
        }
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

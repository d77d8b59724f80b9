package io.gpualloc.topology;

import io.gpualloc.core.GpuallocException;
import io.gpualloc.core.ParseException;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.ReadLimits;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads and writes the text of {@code nvidia-smi topo -m} and {@code nvidia-smi topo -mp}.
 *
 * <h2>What the parser accepts</h2>
 *
 * <ul>
 *   <li>A header line naming the device columns ({@code GPU0}, {@code GPU1}, ..., NIC columns as
 *       {@code NIC0} or as adapter names such as {@code mlx5_0}) followed by any of the affinity
 *       columns {@code CPU Affinity}, {@code NUMA Affinity}, {@code GPU NUMA ID}. Blank lines before
 *       it are skipped.
 *   <li>One row per device: its label, one cell per device column ({@code X} on the diagonal;
 *       {@code NV1}..{@code NV18}, {@code PIX}, {@code PXB}, {@code PHB}, {@code NODE}, {@code SYS},
 *       older {@code SOC} (= SYS), {@code N/A}), then for GPU rows the affinity values ({@code
 *       0-19,40-59}, a NUMA id, or {@code N/A}; trailing values may be missing). Rows may be
 *       missing or asymmetric: {@link NodeInterconnect} explains how such pairs are resolved.
 *   <li>Cells separated by tabs or spaces; ANSI colour codes anywhere are ignored.
 *   <li>The matrix ends at a blank line or at {@code Legend:}; the legend is skipped, and a {@code
 *       NIC Legend:} section ({@code NIC0: mlx5_0}) names the NIC columns.
 * </ul>
 *
 * <p>GPUs are joined by index: {@code GPU<i>} is GPU {@code i}, and the indices must be {@code
 * 0..n-1}. The NUMA node comes from {@code NUMA Affinity}. The same reader takes {@code nvidia-smi
 * topo -mp} (every cell a PCIe class). GPU locations are inferred from the cells between all
 * devices, GPUs and NICs: devices joined by {@code PIX} share a leaf switch, by {@code PXB} a switch
 * tree, by {@code PHB} a root complex. {@code topo -m} prints {@code NV#} instead of the PCIe class
 * of an NVLinked pair, so from it alone that class is derived from the inferred locations (see
 * {@link NodeInterconnect}); {@link #parse(String, String, String)} merges both texts. NVSwitch
 * systems print {@code NV#} like direct NVLink, so every NVLink pair is read as {@link
 * LinkClass#NVLINK}. NIC-to-NIC cells are checked and then dropped.
 *
 * <h2>Limits</h2>
 *
 * The parser applies these {@link ReadLimits} (the defaults unless a {@code ReadLimits} is passed):
 * {@link ReadLimits#maxBytes() maxBytes} for the whole text, {@link ReadLimits#maxGpusPerNode()
 * maxGpusPerNode} GPU columns, {@link ReadLimits#maxNicsPerNode() maxNicsPerNode} NIC columns and
 * {@link ReadLimits#maxScalarLength() maxScalarLength} chars per cell, each checked while the
 * header is read, before any matrix is allocated. Parsing takes time linear in the text's length.
 *
 * <p>Any malformed input or exceeded limit raises {@link ParseException} with the line and column;
 * nothing else.
 */
public final class TopoMatrix {
  private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[ -/]*[@-~]");
  private static final Pattern GPU = Pattern.compile("GPU(\\d{1,4})");
  private static final Pattern NIC_LABEL = Pattern.compile("[A-Za-z][A-Za-z0-9_.:-]{0,63}");
  private static final Pattern CPU_LIST = Pattern.compile("\\d{1,6}(-\\d{1,6})?(,\\d{1,6}(-\\d{1,6})?)*");
  private static final Pattern NUMA_ID = Pattern.compile("\\d{1,4}");
  private static final Pattern NIC_LEGEND = Pattern.compile("\\s*(NIC\\d{1,4})\\s*:\\s*(\\S+)\\s*");

  private TopoMatrix() {}

  private enum Affinity { CPU, NUMA, GPU_NUMA }

  /** A token of a line and its 1-based column in the raw line. */
  private record Token(String text, int column) {}

  /**
   * Parses the text of {@code nvidia-smi topo -m}.
   *
   * @param source a name for messages, for example the file name
   * @param text the text
   * @return the interconnect, named after {@code source}
   * @throws ParseException when the text is malformed or exceeds the default {@link ReadLimits}
   */
  public static NodeInterconnect parse(String source, String text) {
    return parse(source, text, ReadLimits.defaults());
  }

  /**
   * Parses the text of {@code nvidia-smi topo -m} under the given limits.
   *
   * @param source a name for messages, for example the file name
   * @param text the text
   * @param limits the limits to enforce (see the class comment)
   * @return the interconnect, named after {@code source}
   * @throws ParseException when the text is malformed or exceeds {@code limits}
   * @throws InvalidSpecException when {@code limits} is null
   */
  public static NodeInterconnect parse(String source, String text, ReadLimits limits) {
    if (limits == null) {
      throw InvalidSpecException.of("TopoMatrix.parse", "limits", null, "a ReadLimits");
    }
    String src = source == null || source.isBlank() ? "topo -m" : source;
    if (text == null) {
      throw new ParseException(src, 0, 0, "", "no text (null)");
    }
    limits.checkText(src, text);
    return new Reader(src, text, limits).read();
  }

  /**
   * Parses a file holding {@code nvidia-smi topo -m} output (UTF-8), under the default limits.
   *
   * @param file the file
   * @return the interconnect, named after the file name
   * @throws ParseException when the file is missing, unreadable, not UTF-8, malformed or exceeds
   *     the default {@link ReadLimits}
   * @throws InvalidSpecException when {@code file} is null
   */
  public static NodeInterconnect parse(Path file) {
    return parse(file, ReadLimits.defaults());
  }

  /**
   * Parses a file holding {@code nvidia-smi topo -m} output (UTF-8) under the given limits; the
   * file is read by {@link ReadLimits#readUtf8(Path)}.
   *
   * @param file the file
   * @param limits the limits to enforce (see the class comment)
   * @return the interconnect, named after the file name
   * @throws ParseException when the file is missing, unreadable, not UTF-8, malformed or exceeds
   *     {@code limits}
   * @throws InvalidSpecException when {@code file} or {@code limits} is null
   */
  public static NodeInterconnect parse(Path file, ReadLimits limits) {
    if (limits == null) {
      throw InvalidSpecException.of("TopoMatrix.parse", "limits", null, "a ReadLimits");
    }
    String text = limits.readUtf8(file);
    Path name = file.getFileName();
    return parse(name == null ? file.toString() : name.toString(), text, limits);
  }

  /**
   * Parses {@code nvidia-smi topo -m} and {@code nvidia-smi topo -mp} of one machine and merges
   * them: NVLinked pairs get their PCIe class from {@code -mp}, which {@code -m} hides behind {@code
   * NV#}; GPU locations (switch tree, root complex) are inferred from {@code -mp}, NUMA nodes and
   * CPU affinity from whichever text has them, NICs from {@code -m} (else {@code -mp}).
   *
   * @param source a name for messages
   * @param topoM the text of {@code topo -m}
   * @param topoMp the text of {@code topo -mp}
   * @return the merged interconnect
   * @throws ParseException when either text is malformed, {@code -mp} holds an NVLink cell, the GPU
   *     counts differ, or the two disagree on a PCIe-only pair or a NUMA node
   */
  public static NodeInterconnect parse(String source, String topoM, String topoMp) {
    return parse(source, topoM, topoMp, ReadLimits.defaults());
  }

  /**
   * As {@link #parse(String, String, String)}, with {@code limits} applied to each text.
   *
   * @param source a name for messages
   * @param topoM the text of {@code topo -m}
   * @param topoMp the text of {@code topo -mp}
   * @param limits the limits to enforce on each text (see the class comment)
   * @return the merged interconnect
   * @throws ParseException as {@link #parse(String, String, String)} does, and when a text
   *     exceeds {@code limits}
   * @throws InvalidSpecException when {@code limits} is null
   */
  public static NodeInterconnect parse(
      String source, String topoM, String topoMp, ReadLimits limits) {
    String src = source == null || source.isBlank() ? "topo" : source;
    NodeInterconnect m = parse(src + " (topo -m)", topoM, limits);
    NodeInterconnect mp = parse(src + " (topo -mp)", topoMp, limits);
    return merge(src, m, mp, topoM, topoMp);
  }

  private static NodeInterconnect merge(String src, NodeInterconnect m, NodeInterconnect mp,
      String topoM, String topoMp) {
    int n = m.gpuCount();
    if (mp.gpuCount() != n) {
      throw new ParseException(src + " (topo -mp)", 1, 1, "", "it has " + mp.gpuCount()
          + " GPU columns but topo -m has " + n + "; both must describe the same machine");
    }
    NodeInterconnect.Builder b = NodeInterconnect.builder(src, n);
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        Link lm = m.link(i, j);
        Link lp = mp.link(i, j);
        if (lp.isNvLink()) {
          throw new ParseException(src + " (topo -mp)", rowLine(topoMp, i), 1, "", "GPU" + i
              + "-GPU" + j + " is '" + lp.token() + "', but topo -mp prints PCIe classes only."
              + " Maybe the two texts are swapped");
        }
        Link merged;
        if (lm.isNvLink()) {
          merged = lm.withPcie(lp.pcie());
        } else if (lm.pcie() == lp.pcie() || lp.pcie() == LinkClass.UNKNOWN) {
          merged = lm;
        } else if (lm.pcie() == LinkClass.UNKNOWN) {
          merged = lp;
        } else {
          throw new ParseException(src + " (topo -mp)", rowLine(topoMp, i), 1, "", "GPU" + i
              + "-GPU" + j + " is " + lp.token() + " in topo -mp but " + lm.token()
              + " in topo -m; a pair without NVLink has one PCIe class");
        }
        b.link(i, j, merged);
      }
    }
    for (int i = 0; i < n; i++) {
      GpuLocation a = mp.location(i);
      int numaM = m.numaNode(i);
      int numaP = a.numaNode();
      if (numaM >= 0 && numaP >= 0 && numaM != numaP) {
        throw new ParseException(src + " (topo -mp)", rowLine(topoMp, i), 1, "", "GPU" + i
            + " is on NUMA node " + numaP + " in topo -mp but " + numaM + " in topo -m");
      }
      GpuLocation l = new GpuLocation(numaP >= 0 ? numaP : numaM, a.socket(), a.rootComplex(),
          a.switchPath(), a.nvlinkDomain());
      String aff = m.cpuAffinity(i).isEmpty() ? mp.cpuAffinity(i) : m.cpuAffinity(i);
      b.location(i, l).cpuAffinity(i, aff);
    }
    for (Nic nic : m.nics().isEmpty() ? mp.nics() : m.nics()) {
      b.nic(nic);
    }
    try {
      return b.build();
    } catch (io.gpualloc.core.GpuallocException e) {
      throw new ParseException(src, 0, 0, "", e.getMessage(), e);
    }
  }

  /** The 1-based line of the row of GPU {@code i}, or 0. */
  private static int rowLine(String text, int i) {
    String[] lines = ANSI.matcher(text).replaceAll("").split("\r?\n", -1);
    for (int x = 0; x < lines.length; x++) {
      String t = lines[x].trim();
      if (t.startsWith("GPU" + i + " ") || t.startsWith("GPU" + i + "\t")) {
        return x + 1;
      }
    }
    return 0;
  }

  private static final class Reader {
    private final String source;
    private final String[] lines;
    private final ReadLimits limits;
    private int lineNo;

    Reader(String source, String text, ReadLimits limits) {
      this.source = source;
      this.lines = text.split("\r?\n", -1);
      this.limits = limits;
    }

    private ParseException error(int line, int column, String problem) {
      return new ParseException(source, line, column, "", problem);
    }

    /** Splits on whitespace, skipping ANSI escape sequences, keeping raw columns. */
    private List<Token> tokens(String raw) {
      List<Token> out = new ArrayList<>();
      StringBuilder cur = new StringBuilder();
      int start = -1;
      int i = 0;
      while (i < raw.length()) {
        char ch = raw.charAt(i);
        if (ch == '\u001B') {
          java.util.regex.Matcher m = ANSI.matcher(raw);
          if (m.find(i) && m.start() == i) {
            i = m.end();
            continue;
          }
          throw error(lineNo, i + 1, "a stray escape character (expected an ANSI colour code)");
        }
        if (ch == ' ' || ch == '\t') {
          if (start >= 0) {
            out.add(new Token(cur.toString(), start + 1));
            cur.setLength(0);
            start = -1;
          }
        } else if (Character.isISOControl(ch) || Character.isWhitespace(ch)) {
          throw error(lineNo, i + 1, "an unexpected control character (code " + (int) ch + ")");
        } else {
          if (start < 0) {
            start = i;
          }
          cur.append(ch);
          checkLength(cur, start);
        }
        i++;
      }
      if (start >= 0) {
        out.add(new Token(cur.toString(), start + 1));
      }
      return out;
    }

    private void checkLength(StringBuilder cur, int start) {
      if (cur.length() > limits.maxScalarLength()) {
        throw error(lineNo, start + 1, "a cell longer than maxScalarLength = "
            + limits.maxScalarLength() + " chars (see ReadLimits)");
      }
    }

    NodeInterconnect read() {
      // header
      List<Token> header = null;
      int headerLine = 0;
      for (lineNo = 1; lineNo <= lines.length; lineNo++) {
        List<Token> t = tokens(lines[lineNo - 1]);
        if (!t.isEmpty()) {
          header = t;
          headerLine = lineNo;
          break;
        }
      }
      if (header == null) {
        throw error(0, 0, "no header line (expected a line like 'GPU0 GPU1 ... CPU Affinity')");
      }
      List<Token> devices = new ArrayList<>();
      List<Affinity> affinities = new ArrayList<>();
      Map<String, Integer> column = new HashMap<>();
      int gpuColumns = 0;
      int x = 0;
      while (x < header.size()) {
        Token t = header.get(x);
        String next = x + 1 < header.size() ? header.get(x + 1).text() : "";
        String next2 = x + 2 < header.size() ? header.get(x + 2).text() : "";
        if (t.text().equals("CPU") && next.equals("Affinity")) {
          affinities.add(Affinity.CPU);
          x += 2;
        } else if (t.text().equals("NUMA") && next.equals("Affinity")) {
          affinities.add(Affinity.NUMA);
          x += 2;
        } else if (t.text().equals("GPU") && next.equals("NUMA") && next2.equals("ID")) {
          affinities.add(Affinity.GPU_NUMA);
          x += 3;
        } else if (!affinities.isEmpty()) {
          throw error(headerLine, t.column(), "unexpected header '" + t.text()
              + "' after the affinity columns");
        } else {
          if (!GPU.matcher(t.text()).matches() && !NIC_LABEL.matcher(t.text()).matches()) {
            throw error(headerLine, t.column(), "'" + t.text() + "' is not a device label"
                + " (expected GPU<n>, NIC<n> or an adapter name such as mlx5_0)");
          }
          if (column.putIfAbsent(t.text(), devices.size()) != null) {
            throw error(headerLine, t.column(), "duplicate column '" + t.text() + "'");
          }
          if (GPU.matcher(t.text()).matches()) {
            if (++gpuColumns > limits.maxGpusPerNode()) {
              throw error(headerLine, t.column(), "column '" + t.text() + "' is GPU column "
                  + gpuColumns + "; allowed: at most maxGpusPerNode = " + limits.maxGpusPerNode()
                  + " (see ReadLimits)");
            }
          } else if (devices.size() - gpuColumns + 1 > limits.maxNicsPerNode()) {
            throw error(headerLine, t.column(), "column '" + t.text() + "' is NIC column "
                + (devices.size() - gpuColumns + 1) + "; allowed: at most maxNicsPerNode = "
                + limits.maxNicsPerNode() + " (see ReadLimits)");
          }
          devices.add(t);
          x++;
        }
      }
      int d = devices.size();
      int[] gpuIndex = new int[d];
      int gpus = 0;
      for (int c = 0; c < d; c++) {
        java.util.regex.Matcher m = GPU.matcher(devices.get(c).text());
        gpuIndex[c] = m.matches() ? Integer.parseInt(m.group(1)) : -1;
        if (gpuIndex[c] >= 0) {
          gpus++;
        }
      }
      if (gpus == 0) {
        throw error(headerLine, header.get(0).column(), "no GPU column in the header");
      }
      boolean[] seenIdx = new boolean[gpus];
      for (int c = 0; c < d; c++) {
        if (gpuIndex[c] >= gpus) {
          throw error(headerLine, devices.get(c).column(), "GPU index " + gpuIndex[c]
              + " out of range: with " + gpus + " GPU columns the indices must be 0.."
              + (gpus - 1));
        }
        if (gpuIndex[c] >= 0) {
          if (seenIdx[gpuIndex[c]]) {
            throw error(headerLine, devices.get(c).column(), "GPU index " + gpuIndex[c]
                + " appears twice");
          }
          seenIdx[gpuIndex[c]] = true;
        }
      }
      // rows
      LinkClass[][] cells = new LinkClass[d][];
      int[][] bonds = new int[d][];
      String[] cpuAff = new String[gpus];
      int[] numa = new int[gpus];
      java.util.Arrays.fill(cpuAff, "");
      java.util.Arrays.fill(numa, -1);
      Map<String, String> nicNames = new HashMap<>();
      for (lineNo = headerLine + 1; lineNo <= lines.length; lineNo++) {
        List<Token> t = tokens(lines[lineNo - 1]);
        if (t.isEmpty() || t.get(0).text().equals("Legend:")) {
          break;
        }
        Token label = t.get(0);
        Integer r = column.get(label.text());
        if (r == null) {
          throw error(lineNo, label.column(), "row '" + label.text()
              + "' is not a column of the header");
        }
        if (cells[r] != null) {
          throw error(lineNo, label.column(), "duplicate row '" + label.text() + "'");
        }
        if (t.size() < d + 1) {
          Token last = t.get(t.size() - 1);
          throw error(lineNo, last.column() + last.text().length(), "row '" + label.text()
              + "' has " + (t.size() - 1) + " cells; expected " + d);
        }
        cells[r] = new LinkClass[d];
        bonds[r] = new int[d];
        for (int c = 0; c < d; c++) {
          Token cell = t.get(c + 1);
          String s = cell.text();
          if (s.equals("X")) {
            if (c != r) {
              throw error(lineNo, cell.column(), "'X' (self) off the diagonal");
            }
            continue;
          }
          if (c == r) {
            throw error(lineNo, cell.column(), "expected 'X' on the diagonal, found '" + s + "'");
          }
          cells[r][c] = cellClass(s, lineNo, cell.column());
          if (cells[r][c].isNvLink()) {
            bonds[r][c] = Integer.parseInt(s.substring(2));
            if (gpuIndex[r] < 0 || gpuIndex[c] < 0) {
              throw error(lineNo, cell.column(), "NVLink '" + s + "' between a NIC and a device");
            }
          }
        }
        int extra = t.size() - 1 - d;
        if (gpuIndex[r] < 0) {
          if (extra > 0) {
            // NIC rows carry no affinity in recent versions; accept N/A placeholders only
            for (int e = d + 1; e < t.size(); e++) {
              if (!t.get(e).text().equals("N/A")) {
                throw error(lineNo, t.get(e).column(), "unexpected value '" + t.get(e).text()
                    + "' after the cells of NIC row '" + label.text() + "'");
              }
            }
          }
          continue;
        }
        if (extra > affinities.size()) {
          Token e = t.get(d + 1 + affinities.size());
          throw error(lineNo, e.column(), "unexpected value '" + e.text() + "' after the "
              + affinities.size() + " affinity column(s)");
        }
        int g = gpuIndex[r];
        for (int e = 0; e < extra; e++) {
          Token v = t.get(d + 1 + e);
          String s = v.text();
          switch (affinities.get(e)) {
            case CPU:
              if (!s.equals("N/A") && !CPU_LIST.matcher(s).matches()) {
                throw error(lineNo, v.column(), "CPU affinity '" + s
                    + "' is not a CPU list such as 0-19,40-59 or N/A");
              }
              cpuAff[g] = s.equals("N/A") ? "" : s;
              break;
            case NUMA:
              if (s.equals("N/A")) {
                break;
              }
              if (!NUMA_ID.matcher(s).matches()) {
                throw error(lineNo, v.column(), "NUMA affinity '" + s
                    + "' is not a NUMA node number or N/A");
              }
              numa[g] = Integer.parseInt(s);
              break;
            default:
              if (!s.equals("N/A") && !NUMA_ID.matcher(s).matches()) {
                throw error(lineNo, v.column(), "GPU NUMA ID '" + s + "' is not a number or N/A");
              }
              break;
          }
        }
      }
      // legend
      boolean nicLegend = false;
      for (; lineNo <= lines.length; lineNo++) {
        String raw = ANSI.matcher(lines[lineNo - 1]).replaceAll("");
        if (raw.trim().equals("NIC Legend:")) {
          nicLegend = true;
          continue;
        }
        if (nicLegend && !raw.isBlank()) {
          java.util.regex.Matcher m = NIC_LEGEND.matcher(raw);
          if (!m.matches()) {
            throw error(lineNo, 1, "expected 'NICn: name' in the NIC legend");
          }
          if (!column.containsKey(m.group(1))) {
            throw error(lineNo, raw.indexOf(m.group(1)) + 1, "legend names '" + m.group(1)
                + "', which is not a column");
          }
          nicNames.put(m.group(1), m.group(2));
        }
      }
      return build(devices, gpuIndex, gpus, cells, bonds, cpuAff, numa, nicNames, headerLine);
    }

    private LinkClass cellClass(String s, int line, int col) {
      switch (s) {
        case "PIX":
          return LinkClass.PIX;
        case "PXB":
          return LinkClass.PXB;
        case "PHB":
          return LinkClass.PHB;
        case "NODE":
          return LinkClass.NODE;
        case "SYS":
        case "SOC":
          return LinkClass.SYS;
        case "N/A":
          return LinkClass.UNKNOWN;
        default:
          if (s.matches("NV\\d{1,2}")) {
            int b = Integer.parseInt(s.substring(2));
            if (b >= 1 && b <= Link.MAX_BONDS) {
              return LinkClass.NVLINK;
            }
          }
          throw error(line, col, "unknown link '" + s + "'; allowed: X, NV1..NV18, PIX, PXB,"
              + " PHB, NODE, SYS, SOC, N/A");
      }
    }

    private NodeInterconnect build(List<Token> devices, int[] gpuIndex, int gpus,
        LinkClass[][] cells, int[][] bonds, String[] cpuAff, int[] numa,
        Map<String, String> nicNames, int headerLine) {
      int d = devices.size();
      // PCIe tree: devices joined by PIX share a leaf switch, by PIX or PXB a switch tree, by PIX,
      // PXB or PHB a root complex (cells in either direction)
      int[] leaf = components(cells, d, LinkClass.PIX);
      int[] tree = components(cells, d, LinkClass.PXB);
      int[] rc = components(cells, d, LinkClass.PHB);
      int[] colOfGpu = new int[gpus];
      for (int c = 0; c < d; c++) {
        if (gpuIndex[c] >= 0) {
          colOfGpu[gpuIndex[c]] = c;
        }
      }
      GpuLocation[] at = new GpuLocation[d];
      for (int c = 0; c < d; c++) {
        // GPU columns only (the only ones used): locationOf costs O(d), so this is O(gpus * d)
        if (gpuIndex[c] >= 0) {
          at[c] = locationOf(c, leaf, tree, rc, d, numa[gpuIndex[c]]);
        }
      }
      try {
        NodeInterconnect.Builder b = NodeInterconnect.builder(source, gpus);
        for (int g = 0; g < gpus; g++) {
          b.location(g, at[colOfGpu[g]]).cpuAffinity(g, cpuAff[g]);
        }
        for (int r = 0; r < d; r++) {
          if (cells[r] == null || gpuIndex[r] < 0) {
            continue;
          }
          for (int c = 0; c < d; c++) {
            if (c == r || gpuIndex[c] < 0) {
              continue;
            }
            LinkClass lc = cells[r][c];
            Link link = lc.isNvLink() ? Link.nvlink(bonds[r][c]) : Link.pcie(lc);
            b.directed(gpuIndex[r], gpuIndex[c], link);
          }
        }
        for (int c = 0; c < d; c++) {
          if (gpuIndex[c] >= 0) {
            continue;
          }
          String label = devices.get(c).text();
          List<LinkClass> toGpu = new ArrayList<>();
          int nicNuma = -1;
          for (int g = 0; g < gpus; g++) {
            LinkClass lc = cells[c] != null ? cells[c][colOfGpu[g]]
                : cells[colOfGpu[g]] != null ? cells[colOfGpu[g]][c] : LinkClass.UNKNOWN;
            toGpu.add(lc);
            if (nicNuma < 0 && numa[g] >= 0 && (lc == LinkClass.PIX || lc == LinkClass.PXB
                || lc == LinkClass.PHB || lc == LinkClass.NODE)) {
              nicNuma = numa[g];
            }
          }
          b.nic(new Nic(nicNames.getOrDefault(label, label), nicNuma, toGpu));
        }
        return b.build();
      } catch (GpuallocException e) {
        throw new ParseException(source, headerLine, 0, "", e.getMessage(), e);
      }
    }

    /**
     * Component ids ({@code -1} for a device alone) of the devices joined by cells of class {@code
     * upTo} or better (PCIe classes only).
     */
    private static int[] components(LinkClass[][] cells, int d, LinkClass upTo) {
      int[] parent = new int[d];
      for (int i = 0; i < d; i++) {
        parent[i] = i;
      }
      for (int r = 0; r < d; r++) {
        if (cells[r] == null) {
          continue; // rows not in the text: skipping them keeps the parse linear in its length
        }
        for (int c = 0; c < d; c++) {
          LinkClass x = cells[r][c];
          if (x != null && !x.isNvLink() && x != LinkClass.UNKNOWN && x.compareTo(upTo) <= 0) {
            parent[find(parent, r)] = find(parent, c);
          }
        }
      }
      int[] size = new int[d];
      for (int c = 0; c < d; c++) {
        size[find(parent, c)]++;
      }
      int[] id = new int[d];
      for (int c = 0; c < d; c++) {
        int root = find(parent, c);
        id[c] = size[root] > 1 ? root : -1;
      }
      return id;
    }

    /**
     * The location of device column {@code c}: switch ids are column numbers (trees offset by
     * {@code d}), so they are unique; a device alone on its leaf inside a larger tree gets its own
     * leaf id.
     */
    private static GpuLocation locationOf(int c, int[] leaf, int[] tree, int[] rc, int d,
        int numaNode) {
      List<Integer> path = new ArrayList<>();
      if (tree[c] >= 0) {
        path.add(d + tree[c]);
        path.add(leaf[c] >= 0 ? leaf[c] : c);
        if (leaf[c] >= 0 && sameMembers(leaf, tree, leaf[c])) {
          path.remove(0); // the tree is just this leaf switch
        }
      } else if (leaf[c] >= 0) {
        path.add(leaf[c]);
      }
      return new GpuLocation(numaNode, -1, rc[c], path, -1);
    }

    /** Whether the leaf component {@code id} holds every member of its tree component. */
    private static boolean sameMembers(int[] leaf, int[] tree, int id) {
      int t = -1;
      for (int i = 0; i < leaf.length; i++) {
        if (leaf[i] == id) {
          t = tree[i];
        }
      }
      for (int i = 0; i < leaf.length; i++) {
        if (tree[i] == t && t >= 0 && leaf[i] != id) {
          return false;
        }
      }
      return true;
    }

    private static int find(int[] parent, int x) {
      while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
      }
      return x;
    }
  }

  /**
   * Renders {@code node} as {@code nvidia-smi topo -m} prints it: header, GPU rows with CPU and NUMA
   * affinity, NIC rows (NIC-to-NIC cells as NODE on one known NUMA node, else SYS), the legend and
   * the NIC legend. {@link #parse} reads it back to {@link NodeInterconnect#asSeenByTopoMatrix()}
   * except for PCIe switch ids that the text does not reveal.
   *
   * @param node the interconnect
   * @return the matrix text
   */
  public static String render(NodeInterconnect node) {
    return render(node, false);
  }

  /**
   * Renders {@code node} as {@code nvidia-smi topo -mp} prints it: as {@link #render} but every
   * GPU pair shows its PCIe class ({@link Link#pcie()}), NVLinked or not.
   *
   * @param node the interconnect
   * @return the text
   */
  public static String renderPcie(NodeInterconnect node) {
    return render(node, true);
  }

  private static String render(NodeInterconnect node, boolean pcieOnly) {
    int n = node.gpuCount();
    List<Nic> nics = node.nics();
    StringBuilder sb = new StringBuilder();
    for (int g = 0; g < n; g++) {
      sb.append('\t').append("GPU").append(g);
    }
    for (int i = 0; i < nics.size(); i++) {
      sb.append('\t').append("NIC").append(i);
    }
    sb.append("\tCPU Affinity\tNUMA Affinity\tGPU NUMA ID\n");
    for (int g = 0; g < n; g++) {
      sb.append("GPU").append(g);
      for (int j = 0; j < n; j++) {
        sb.append('\t').append(j == g ? " X "
            : pcieOnly ? node.link(g, j).pcieToken() : node.link(g, j).token());
      }
      for (Nic nic : nics) {
        sb.append('\t').append(nic.toGpu().get(g).token());
      }
      String aff = node.cpuAffinity(g);
      int numa = node.numaNode(g);
      sb.append('\t').append(aff.isEmpty() ? "N/A" : aff)
          .append('\t').append(numa < 0 ? "N/A" : String.valueOf(numa))
          .append("\t\tN/A\n");
    }
    for (int i = 0; i < nics.size(); i++) {
      Nic nic = nics.get(i);
      sb.append("NIC").append(i);
      for (int g = 0; g < n; g++) {
        sb.append('\t').append(nic.toGpu().get(g).token());
      }
      for (int j = 0; j < nics.size(); j++) {
        Nic other = nics.get(j);
        String cell = j == i ? " X " : nic.numaNode() >= 0 && nic.numaNode() == other.numaNode()
            ? "NODE" : "SYS";
        sb.append('\t').append(cell);
      }
      sb.append('\n');
    }
    sb.append("\nLegend:\n\n")
        .append("  X    = Self\n")
        .append("  SYS  = PCIe plus the SMP interconnect between NUMA nodes (QPI/UPI)\n")
        .append("  NODE = PCIe plus the interconnect between PCIe host bridges in a NUMA node\n")
        .append("  PHB  = PCIe plus a PCIe host bridge (typically the CPU)\n")
        .append("  PXB  = several PCIe bridges, without a PCIe host bridge\n")
        .append("  PIX  = at most a single PCIe bridge\n");
    if (!pcieOnly) {
      sb.append("  NV#  = a bonded set of # NVLinks\n");
    }
    if (!nics.isEmpty()) {
      sb.append("\nNIC Legend:\n\n");
      for (int i = 0; i < nics.size(); i++) {
        sb.append("  NIC").append(i).append(": ").append(nics.get(i).name()).append('\n');
      }
    }
    return sb.toString();
  }
}

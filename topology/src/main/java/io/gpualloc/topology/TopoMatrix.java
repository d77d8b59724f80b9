package io.gpualloc.topology;

import io.gpualloc.core.GpuallocException;
import io.gpualloc.core.ParseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads and writes the text of {@code nvidia-smi topo -m}.
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
 * 0..n-1}. The NUMA node comes from {@code NUMA Affinity}; the PCIe switch of a GPU is inferred: GPUs
 * and NICs joined by {@code PIX} cells share a switch (the matrix shows {@code NV#} instead of the
 * PCIe relation of NVLink pairs, so this is all the text reveals). NVSwitch systems print {@code NV#}
 * like direct NVLink, so every NVLink pair is read as {@link LinkClass#NVLINK}. NIC-to-NIC cells
 * are checked and then dropped.
 *
 * <p>Any malformed input raises {@link ParseException} with the line and column; nothing else.
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
   * @throws ParseException when the text is malformed
   */
  public static NodeInterconnect parse(String source, String text) {
    String src = source == null || source.isBlank() ? "topo -m" : source;
    if (text == null) {
      throw new ParseException(src, 0, 0, "", "no text (null)");
    }
    return new Reader(src, text).read();
  }

  /**
   * Parses a file holding {@code nvidia-smi topo -m} output (UTF-8).
   *
   *
   * @param file the file
   * @return the node interconnect parsed
   * @throws ParseException when the text is malformed
   * @throws UncheckedIOException when the file cannot be read
   */
  public static NodeInterconnect parse(Path file) {
    try {
      return parse(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class Reader {
    private final String source;
    private final String[] lines;
    private int lineNo;

    Reader(String source, String text) {
      this.source = source;
      this.lines = text.split("\r?\n", -1);
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
        }
        i++;
      }
      if (start >= 0) {
        out.add(new Token(cur.toString(), start + 1));
      }
      return out;
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
          for (Token d : devices) {
            if (d.text().equals(t.text())) {
              throw error(headerLine, t.column(), "duplicate column '" + t.text() + "'");
            }
          }
          devices.add(t);
          x++;
        }
      }
      int d = devices.size();
      int[] gpuIndex = new int[d];
      int gpus = 0;
      Map<String, Integer> column = new HashMap<>();
      for (int c = 0; c < d; c++) {
        java.util.regex.Matcher m = GPU.matcher(devices.get(c).text());
        gpuIndex[c] = m.matches() ? Integer.parseInt(m.group(1)) : -1;
        if (gpuIndex[c] >= 0) {
          gpus++;
        }
        column.put(devices.get(c).text(), c);
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
      // PCIe switches: union of devices joined by PIX in either direction
      int[] parent = new int[d];
      for (int i = 0; i < d; i++) {
        parent[i] = i;
      }
      for (int r = 0; r < d; r++) {
        for (int c = 0; c < d; c++) {
          if (cells[r] != null && cells[r][c] == LinkClass.PIX) {
            parent[find(parent, r)] = find(parent, c);
          }
        }
      }
      int[] colOfGpu = new int[gpus];
      for (int c = 0; c < d; c++) {
        if (gpuIndex[c] >= 0) {
          colOfGpu[gpuIndex[c]] = c;
        }
      }
      int[] switchOfRoot = new int[d];
      java.util.Arrays.fill(switchOfRoot, -1);
      int[] size = new int[d];
      for (int c = 0; c < d; c++) {
        size[find(parent, c)]++;
      }
      int nextSwitch = 0;
      try {
        NodeInterconnect.Builder b = NodeInterconnect.builder(source, gpus);
        for (int g = 0; g < gpus; g++) {
          int root = find(parent, colOfGpu[g]);
          int sw = -1;
          if (size[root] > 1) {
            if (switchOfRoot[root] < 0) {
              switchOfRoot[root] = nextSwitch++;
            }
            sw = switchOfRoot[root];
          }
          b.placement(g, numa[g], sw).cpuAffinity(g, cpuAff[g]);
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
   * @param node the GPU interconnect of the node
   * @return the string rendered
   */
  public static String render(NodeInterconnect node) {
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
        sb.append('\t').append(j == g ? " X " : node.link(g, j).token());
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
        .append("  PIX  = at most a single PCIe bridge\n")
        .append("  NV#  = a bonded set of # NVLinks\n");
    if (!nics.isEmpty()) {
      sb.append("\nNIC Legend:\n\n");
      for (int i = 0; i < nics.size(); i++) {
        sb.append("  NIC").append(i).append(": ").append(nics.get(i).name()).append('\n');
      }
    }
    return sb.toString();
  }
}

package io.gpualloc.topology;

import io.gpualloc.core.ParseException;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The parser specification: round trips, and only ParseException for broken text. */
class TopoMatrixProperties {
  private static final Preset[] SMALL = {Preset.DGX1_V100, Preset.DGX2, Preset.DGX_A100,
      Preset.DGX_H100, Preset.HGX_B200, Preset.PCIE_8GPU_2SOCKET, Preset.PCIE_4GPU_NVLINK_PAIRS};
  private static final String[] PIECES = {"X", "NV", "NV0", "NV99", "PIX", "SOC", "N/A", "GPU",
      "GPU9", "NIC0", "\t", " ", "\n", "\u001B[1m", "\u001B", "Legend:", "NIC Legend:", "CPU",
      "Affinity", "-", ",", "0", "99999999999", ":", "\r\n", "\u00A0"};

  @Property(tries = 60)
  void randomTopologiesRoundTrip(@ForAll long seed) {
    NodeInterconnect ic = RandomTopologies.interconnect(seed, 12);
    NodeInterconnect back = TopoMatrix.parse("random", TopoMatrix.render(ic));
    // the parser sees the repaired symmetric table: compare with it
    TopoMatrixTest.assertSameAsTopoShowsIt(stripNics(ic), stripNics(back));
    NodeInterconnect merged =
        TopoMatrix.parse("random", TopoMatrix.render(ic), TopoMatrix.renderPcie(ic));
    TopoMatrixTest.assertSameAsTopoMAndMpShowIt(stripNics(ic), stripNics(merged), false);
  }

  private static NodeInterconnect stripNics(NodeInterconnect ic) {
    NodeInterconnect.Builder b = NodeInterconnect.builder(ic.name(), ic.gpuCount());
    for (int i = 0; i < ic.gpuCount(); i++) {
      b.placement(i, ic.numaNode(i), -1).cpuAffinity(i, ic.cpuAffinity(i));
      for (int j = i + 1; j < ic.gpuCount(); j++) {
        b.link(i, j, ic.link(i, j)); // links keep their PCIe classes
      }
    }
    return b.build();
  }

  @Property(tries = 400)
  void mutatedTextGivesOnlyParseExceptions(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int mutations) {
    Random rnd = new Random(seed);
    StringBuilder text = new StringBuilder(
        rnd.nextInt(3) == 0 ? TopoMatrixTest.DGX1
            : TopoMatrix.render(SMALL[rnd.nextInt(SMALL.length)].interconnect()));
    for (int m = 0; m < mutations; m++) {
      int pos = rnd.nextInt(text.length() + 1);
      switch (rnd.nextInt(5)) {
        case 0:
          if (pos < text.length()) {
            text.deleteCharAt(pos);
          }
          break;
        case 1:
          text.insert(pos, PIECES[rnd.nextInt(PIECES.length)]);
          break;
        case 2:
          text.insert(pos, (char) rnd.nextInt(128));
          break;
        case 3:
          int end = Math.min(text.length(), pos + rnd.nextInt(40));
          text.delete(pos, end);
          break;
        default:
          int from = rnd.nextInt(text.length() + 1);
          int to = Math.min(text.length(), from + rnd.nextInt(30));
          text.insert(pos, text.substring(from, to));
          break;
      }
    }
    try {
      TopoMatrix.parse("mutated", text.toString());
    } catch (ParseException expected) {
      // the only allowed failure
    }
  }
}

package io.gpualloc.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** HAMi's node-nvidia-score annotation mapped onto a custom pair-score matrix. */
class HamiNodeScoresTest {
  private static final List<String> UUIDS = List.of("GPU-a", "GPU-b", "GPU-c", "GPU-d");

  /** A 4-GPU annotation written in HAMi's format: a-b and c-d NV18 on one NUMA node (1820). */
  static final String FOUR = String.join("\n",
      "[{\"uuid\":\"GPU-a\",\"score\":{\"GPU-b\":1820,\"GPU-c\":10,\"GPU-d\":10}},",
      " {\"uuid\":\"GPU-b\",\"score\":{\"GPU-a\":1820,\"GPU-c\":10,\"GPU-d\":-5}},",
      " {\"uuid\":\"GPU-c\",\"score\":{\"GPU-a\":10,\"GPU-b\":10,\"GPU-d\":1820}},",
      " {\"uuid\":\"GPU-d\",\"score\":{\"GPU-a\":10,\"GPU-b\":-5,\"GPU-c\":1820}}]");

  @Test
  void readsTheMatrixByUuid() {
    HamiNodeScores h = HamiNodeScores.parse("node-1", FOUR, UUIDS);
    PairScores s = h.scores();
    assertEquals(1820, s.score(0, 1));
    assertEquals(1820, s.score(3, 2));
    assertEquals(-5, s.score(1, 3));
    assertEquals(10, s.score(0, 2));
    assertTrue(h.warnings().isEmpty(), h.warnings()::toString);
  }

  @Test
  void gapsAndAsymmetryAreRepairedAndListed() {
    String json = "[{\"uuid\":\"GPU-b\",\"extra\":[1,{\"x\":null}],\"score\":{\"GPU-a\":300,"
        + "\"GPU-c\":40,\"GPU-b\":7}},{\"uuid\":\"GPU-a\",\"score\":{\"GPU-b\":200}}]";
    HamiNodeScores h = HamiNodeScores.parse("n", json, UUIDS);
    assertEquals(200, h.scores().score(0, 1)); // the smaller of 300 / 200
    assertEquals(40, h.scores().score(2, 1)); // one direction only
    assertEquals(0, h.scores().score(0, 3)); // none
    // asymmetric, one direction, self, no entry for c, no entry for d
    assertEquals(5, h.warnings().size(), h.warnings()::toString);
    assertTrue(h.warnings().stream().anyMatch(w -> w.contains("asymmetric")));
  }

  @Test
  void badValuesAreParseExceptionsWithPosition() {
    ParseException e = assertThrows(ParseException.class,
        () -> HamiNodeScores.parse("n", "[\n {\"uuid\":\"GPU-z\"}]", UUIDS));
    assertTrue(e.getMessage().contains("GPU-z"), e.getMessage());
    assertTrue(e.getMessage().contains("2"), e.getMessage());
    assertThrows(ParseException.class, () -> HamiNodeScores.parse("n",
        "[{\"uuid\":\"GPU-a\",\"score\":{\"GPU-b\":1.5}}]", UUIDS));
    assertThrows(ParseException.class, () -> HamiNodeScores.parse("n",
        "[{\"uuid\":\"GPU-a\",\"score\":{\"GPU-b\":1000001}}]", UUIDS));
    assertThrows(ParseException.class, () -> HamiNodeScores.parse("n",
        "[{\"uuid\":\"GPU-a\"},{\"uuid\":\"GPU-a\"}]", UUIDS));
    assertThrows(ParseException.class, () -> HamiNodeScores.parse("n", "[] x", UUIDS));
    assertThrows(ParseException.class, () -> HamiNodeScores.parse("n", "[]", List.of("a", "a")));
  }

  @Test
  void theSelectorUsesTheNodesOwnScores() {
    // an H100 board whose plugin reports GPU 2 and 5 as the best pair (say, measured): the custom
    // matrix decides over the table, where every pair is NV18
    NodeInterconnect h100 = Preset.DGX_H100.interconnect();
    List<String> uuids = new ArrayList<>();
    int[][] m = new int[8][8];
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < 8; i++) {
      uuids.add("GPU-" + i);
      json.append(i == 0 ? "" : ",").append("{\"uuid\":\"GPU-").append(i).append("\",\"score\":{");
      for (int j = 0, c = 0; j < 8; j++) {
        if (j != i) {
          int v = (i == 2 && j == 5) || (i == 5 && j == 2) ? 1900 : 1800;
          json.append(c++ == 0 ? "" : ",").append("\"GPU-").append(j).append("\":").append(v);
          m[i][j] = v;
        }
      }
      json.append("}}");
    }
    json.append(']');
    PairScores s = HamiNodeScores.parse("h100", json.toString(), uuids).scores();
    assertEquals(PairScores.of(m), s);
    GpuSetChoice.Chosen c = (GpuSetChoice.Chosen) GpuSetSelectors.branchAndBound()
        .select(h100.withPairScores(s), GpuSet.range(8), GpuSet.empty(), 2);
    assertEquals(GpuSet.of(2, 5), c.gpus());
    assertEquals(1900, c.score());
    GpuSetChoice.Chosen plain = (GpuSetChoice.Chosen) GpuSetSelectors.branchAndBound()
        .select(h100, GpuSet.range(8), GpuSet.empty(), 2);
    assertEquals(GpuSet.of(0, 1), plain.gpus());
  }

  @Property(tries = 300)
  void mutatedAnnotationsGiveOnlyParseExceptions(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int mutations) {
    Random rnd = new Random(seed);
    String[] pieces = {"{", "}", "[", "]", ",", ":", "\"", "\\", "-", "1e5", "99999999999999999999",
        "GPU-a", "\"uuid\"", "\"score\"", "null", "true", " ", "\n", "\\u12"};
    StringBuilder t = new StringBuilder(FOUR);
    for (int m = 0; m < mutations; m++) {
      int pos = rnd.nextInt(t.length() + 1);
      if (rnd.nextBoolean() && pos < t.length()) {
        t.deleteCharAt(pos);
      } else {
        t.insert(pos, pieces[rnd.nextInt(pieces.length)]);
      }
    }
    try {
      HamiNodeScores h = HamiNodeScores.parse("mutated", t.toString(), UUIDS);
      assertEquals(4, h.scores().gpuCount());
    } catch (ParseException expected) {
      assertTrue(expected.getMessage().contains("mutated"));
    }
  }
}

package io.gpualloc.benchmarks.gang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The gang replay runs end to end on a short stream and refuses bad options. */
class GangReplayCommandTest {

  @Test
  void shortRunWritesTheTableAndCsv(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int status = new CommandLine(new GangReplayCommand(new PrintStream(buf, true,
        StandardCharsets.UTF_8))).execute("--clusters", "nvl72", "--loads", "0.7",
        "--placers", "greedy,kueue-best-fit", "--jobs", "60", "--no-progress", "--no-chart",
        "--threads", "1", "--out", dir.toString());
    assertEquals(0, status);
    String out = buf.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("gb200-nvl72 at 70% offered load"), out);
    assertTrue(out.contains("greedy"), out);
    List<String> csv = Files.readAllLines(dir.resolve("gang-summary.csv"));
    assertEquals(3, csv.size());
    assertTrue(csv.get(1).startsWith("gb200-nvl72,greedy,0.70,1,"), csv.get(1));
  }

  @Test
  void batchModeWithReservationRuns() {
    GangReplay.Result r = GangReplay.run(GangReplay.nvl72(), "greedy", 0.9, 3, 60, 2);
    assertTrue(r.decisions() > 0 && r.utilisation() > 0, r.toString());
    assertEquals(r.utilisation(), GangReplay.run(GangReplay.nvl72(), "greedy", 0.9, 3, 60, 2)
        .utilisation());
  }

  @Test
  void sameSeedSameJobs() {
    GangReplay.ClusterSpec c = GangReplay.h100();
    assertEquals(GangReplay.jobs(c, 0.9, 5, 100), GangReplay.jobs(c, 0.9, 5, 100));
  }

  @Test
  void badOptionsExitWithStatusTwo(@TempDir Path dir) {
    assertEquals(2, new CommandLine(new GangReplayCommand()).execute("--placers", "nope",
        "--out", dir.toString()));
    assertEquals(2, new CommandLine(new GangReplayCommand()).execute("--clusters", "x",
        "--out", dir.toString()));
    assertEquals(2, new CommandLine(new GangReplayCommand()).execute("--loads", "0",
        "--out", dir.toString()));
  }
}

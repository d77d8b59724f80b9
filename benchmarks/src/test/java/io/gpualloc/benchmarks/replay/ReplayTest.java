package io.gpualloc.benchmarks.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.Cluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayTest {

  private static OpenbPod share(String name, int milli) {
    return new OpenbPod(name, 1000, 100, 1, milli, List.of(), -1, -1);
  }

  @Test
  void metricsOnATinyTraceMatchAHandComputation() {
    // one node with one GPU; three 500-milli shares arrive: 50%, 100%, then one fails at 150%
    Cluster cluster = OpenbModels.cluster(List.of(new OpenbNode("n0", 8000, 8192, 1, "T4")));
    Replay.Trace trace = Replay.Trace.of("tiny", cluster,
        List.of(share("a", 500), share("b", 500), share("c", 500)));
    RunResult r = Replay.run(trace, "first-fit", 1, 1.5, Inflation.Mode.EXACT);
    assertEquals(3, r.pods());
    assertEquals(50.0, r.allocationPct()[50], 1e-9);
    assertEquals(100.0, r.allocationPct()[100], 1e-9);
    assertEquals(100.0, r.allocationPct()[150], 1e-9);
    assertEquals(0.0, r.unallocatedAt(100), 1e-9);
    assertTrue(Double.isNaN(r.allocationPct()[75]));
    // the target workload is one class (500 milli); a 500-milli hole is not a fragment
    assertEquals(0.0, r.fragRatePct()[50], 1e-9);
    assertEquals(1, r.failed().get(OpenbPod.PodType.SHARED));
    assertEquals(1, r.failedTotal());
    assertEquals(3, r.latencyNanos().length);
  }

  @Test
  void aFragmentIsCountedWhenAHoleIsTooSmallForTheWorkload() {
    // one GPU; the workload is 600-milli shares; after one arrives, the free 400 is a fragment
    Cluster cluster = OpenbModels.cluster(List.of(new OpenbNode("n0", 8000, 8192, 1, "T4")));
    Replay.Trace trace = Replay.Trace.of("tiny", cluster, List.of(share("a", 600)));
    RunResult r = Replay.run(trace, "first-fit", 1, 0.6, Inflation.Mode.EXACT);
    assertEquals(60.0, r.allocationPct()[60], 1e-9);
    assertEquals(100.0, r.fragRatePct()[60], 1e-9);  // all 400 free milli are a fragment
    assertEquals(40.0, r.fragSharePct()[60], 1e-9);
  }

  @Test
  void sameSeedGivesIdenticalCsvBytes(@TempDir Path tmp) throws IOException {
    List<OpenbNode> nodes = SyntheticOpenb.nodes().subList(0, 60);
    Cluster cluster = OpenbModels.cluster(nodes);
    Replay.Trace trace = Replay.Trace.of("small", cluster, SyntheticOpenb.pods(3).subList(0, 400));
    List<RunResult> a = new ArrayList<>();
    List<RunResult> b = new ArrayList<>();
    for (String policy : List.of("random", "best-fit", "fgd-exact")) {
      a.add(Replay.run(trace, policy, 42, 1.3, Inflation.Mode.REFERENCE));
      b.add(Replay.run(trace, policy, 42, 1.3, Inflation.Mode.REFERENCE));
    }
    new ReplayReport(a).writeCsv(tmp.resolve("a"));
    new ReplayReport(b).writeCsv(tmp.resolve("b"));
    for (String f : List.of("summary.csv", "curves.csv")) {
      assertArrayEquals(Files.readAllBytes(tmp.resolve("a").resolve(f)),
          Files.readAllBytes(tmp.resolve("b").resolve(f)), f);
    }
    RunResult other = Replay.run(trace, "random", 43, 1.3, Inflation.Mode.REFERENCE);
    assertTrue(!java.util.Arrays.equals(other.allocationPct(), a.get(0).allocationPct()),
        "another seed should give another arrival order");
  }

  @Test
  void reportTableAndChartAreWritten(@TempDir Path tmp) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Cluster cluster = OpenbModels.cluster(SyntheticOpenb.nodes().subList(0, 30));
    Replay.Trace trace = Replay.Trace.of("default", cluster, SyntheticOpenb.pods(5).subList(0, 200));
    List<RunResult> runs = List.of(
        Replay.run(trace, "best-fit", 1, 1.3, Inflation.Mode.REFERENCE),
        Replay.run(trace, "best-fit", 2, 1.3, Inflation.Mode.REFERENCE));
    ReplayReport report = new ReplayReport(runs);
    String table = report.table();
    assertTrue(table.contains("best-fit"), table);
    assertTrue(table.contains("7.14"), table); // the paper's value beside ours on "default"
    List<Path> charts = report.writeCharts(tmp);
    assertTrue(Files.size(charts.get(0)) > 1000);
  }

  @Test
  void seedsParse() {
    assertEquals(List.of(42L, 43L, 44L), ReplayCommand.parseSeeds("42-44"));
    assertEquals(List.of(1L, 5L), ReplayCommand.parseSeeds("5,1"));
  }
}

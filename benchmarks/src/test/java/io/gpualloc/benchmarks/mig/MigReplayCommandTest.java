package io.gpualloc.benchmarks.mig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.binpack.packing.CpSatPacker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The MIG replay runs end to end on a tiny stream and refuses bad options. */
class MigReplayCommandTest {

  record Outcome(int status, String out, String err) {}

  static Outcome run(List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = MigReplayCommand.run(args.toArray(String[]::new),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(status, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void tinyRunOfEveryStrategyWritesTheTableCsvAndChart(@TempDir Path dir) throws Exception {
    Outcome o = run(List.of("--loads", "1.2", "--seeds", "1", "--arrivals", "90",
        "--no-progress", "--threads", "1", "--window", "8", "--out", dir.toString()));
    assertEquals(0, o.status(), o.err());
    assertTrue(o.out().contains("128 H100s at 120% offered load, 1 seeds, 60 measured arrivals"),
        o.out());
    for (String s : MigReplay.STRATEGIES) {
      assertTrue(o.out().lines().anyMatch(l -> l.startsWith(s + " ")), s + "\n" + o.out());
    }
    List<String> csv = Files.readAllLines(dir.resolve("mig-replay.csv"));
    assertEquals(1 + MigReplay.STRATEGIES.size(), csv.size());
    assertTrue(csv.get(1).startsWith("first-slot,1.20,1,60,"), csv.get(1));
    assertTrue(Files.size(dir.resolve("mig-acceptance.png")) > 0);
  }

  /**
   * Same seed, same stream, same admissions; a departure frees what the arrival took. {@code
   * cp-sat-plan} too: its deterministic-time limit, not the wall clock, stops CP-SAT, so a run
   * with a five times larger wall-clock cap plans the same.
   */
  @Test
  void runsAreDeterministicAndTheStreamFollowsTheMix() {
    CpSatPacker.preload(); // else cp-sat-plan's short budget would leave every plan to greedy
    assertEquals(MigReplay.stream(1.0, 4, 200), MigReplay.stream(1.0, 4, 200));
    int[] count = new int[MigReplay.PROFILES.size()];
    for (MigReplay.Service s : MigReplay.stream(1.0, 9, 20_000)) {
      count[s.profile()]++;
    }
    for (int p = 0; p < count.length; p++) {
      double share = count[p] / 200.0;
      assertTrue(Math.abs(share - MigReplay.MIX.get(p)) < 1.5, p + ": " + share + "%");
    }
    for (String s : List.of("first-slot", "greedy-plan", "cp-sat-plan", "static-balanced")) {
      MigReplay.Setup setup = new MigReplay.Setup(s, 8, 2000);
      MigReplay.Result a = MigReplay.run(setup, 1.3, 3, 150);
      MigReplay.Result b = MigReplay.run(setup, 1.3, 3, 150);
      assertSameRun(a, b);
      assertTrue(a.admitted() > 0 && a.peakGpusUsed() <= 128, a.toString());
    }
    MigReplay.Result a = MigReplay.run(new MigReplay.Setup("cp-sat-plan", 8, 2000), 1.3, 3, 150);
    MigReplay.Result b = MigReplay.run(new MigReplay.Setup("cp-sat-plan", 8, 10_000), 1.3, 3,
        150);
    assertSameRun(a, b);
    assertTrue(a.plans() > 0 && a.optimalPlans() > 0, a.toString());
  }

  /** Every figure but the times. */
  static void assertSameRun(MigReplay.Result a, MigReplay.Result b) {
    String s = a + "\n" + b;
    assertEquals(a.arrived(), b.arrived(), s);
    assertEquals(a.admitted(), b.admitted(), s);
    assertEquals(a.meanGpusUsed(), b.meanGpusUsed(), s);
    assertEquals(a.peakGpusUsed(), b.peakGpusUsed(), s);
    assertEquals(a.reconfiguredGpus(), b.reconfiguredGpus(), s);
    assertEquals(a.plans(), b.plans(), s);
    assertEquals(a.optimalPlans(), b.optimalPlans(), s);
  }

  @Test
  void theStaticPartitionNeverAdmitsFourGOrSevenG() {
    MigReplay.Result r = MigReplay.run(new MigReplay.Setup("static-balanced", 0, 1), 0.2, 5, 300);
    int big = 0;
    for (MigReplay.Service s : MigReplay.stream(0.2, 5, 300).subList(100, 300)) {
      big += s.profile() >= 3 ? 1 : 0;
    }
    assertEquals(r.arrived() - big, r.admitted(), r.toString());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--strategies,best|--strategies has unknown strategy 'best'; allowed: first-slot,",
      "--strategies,on-demand,on-demand|--strategies names 'on-demand' twice",
      "--loads,0|--loads has 0.0; allowed: > 0 and <= 2",
      "--seeds,0|--seeds is 0; allowed: 1 to 1000",
      "--arrivals,5|--arrivals is 5; allowed: 30 to 1000000",
      "--window,-1|--window is -1; allowed: 0 to 10000",
      "--solver-ms,0|--solver-ms is 0; allowed: 1 to 60000",
      "--threads,0|--threads is 0; allowed: >= 1"})
  void badOptionsAreOneLineAndExitTwo(String args, String message, @TempDir Path dir) {
    List<String> a = new java.util.ArrayList<>(List.of(args.split(",", 2)[0]));
    a.add(args.split(",", 2)[1]);
    a.addAll(List.of("--out", dir.resolve("x").toString()));
    Outcome o = run(a);
    assertEquals(2, o.status(), o.err());
    assertEquals("", o.out());
    assertEquals(1, o.err().lines().count(), o.err());
    assertTrue(o.err().startsWith("mig-replay: " + message), o.err());
    assertFalse(Files.exists(dir.resolve("x")));
  }
}

package io.gpualloc.benchmarks.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code replay} command line: every bad option value ends in one line on stderr and exit
 * code 2 before any work (nothing on stdout, no progress bar, no output directory).
 */
class ReplayCommandTest {

  /** What a run printed. */
  record Outcome(int status, String out, String err) {}

  static Outcome run(List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = ReplayCommand.run(args.toArray(new String[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(status, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      --seeds 5-a                          | --seeds is '5-a'; allowed: A-B or A,B,C
      --seeds 44-42                        | --seeds range '44-42'; allowed: A-B with A <= B
      --seeds 1,,2                         | --seeds is '1,,2'
      --seeds 3,3                          | (3 is there twice)
      --seeds 0-20000                      | at most 10000 seeds
      --tune -1                            | --tune is -1.0; allowed: 1.0 to 10.0
      --tune 0.5                           | --tune is 0.5; allowed: 1.0 to 10.0
      --tune NaN                           | --tune is NaN
      --tune 11                            | --tune is 11.0
      --tune abc                           | Invalid value for option '--tune': 'abc'
      --traces nosuch                      | --traces nosuch needs --data DIR
      --policies tetris                    | --policies has unknown policy 'tetris'; allowed: 'all' or first-fit
      --policies fgd,best-fit,fgd-sim      | --policies names 'fgd' twice
      --threads 0                          | --threads is 0; allowed: >= 1
      --threads x                          | Invalid value for option '--threads'
      --mode bogus                         | Invalid value for option '--mode'
      --inflation nope                     | Invalid value for option '--inflation'
      --load 0.5                           | --load applies to --mode EVENTS only
      --arrivals 10                        | --arrivals applies to --mode EVENTS only
      --mode events --tune 2               | --tune applies to --mode PAPER only
      --mode events --inflation EXACT      | --inflation applies to --mode PAPER only
      --mode events --load 0               | --load is 0.0; allowed: > 0 and <= 10.0
      --mode events --load -1              | --load is -1.0
      --mode events --arrivals 0           | --arrivals is 0; allowed: 1 to 10000000
      --chart-from 150                     | --chart-from is 150; allowed: 0 to 149
      --chart-from -1                      | --chart-from is -1
      --data /nonexistent/openb            | --data /nonexistent/openb has no openb_node_list_gpu_node.csv
      --bogus                              | Unknown option: '--bogus'
      --seeds                              | Missing required parameter for option '--seeds'
      extra                                | Unmatched argument at index 2: 'extra'
      """)
  void aBadValueIsOneLineAndExitTwoBeforeAnyWork(String args, String expected,
      @TempDir Path tmp) {
    Path out = tmp.resolve("out");
    List<String> argv = new ArrayList<>(List.of("--out", out.toString()));
    argv.addAll(List.of(args.split(" ")));
    Outcome o = run(argv);
    assertBadUsage(o, expected);
    assertFalse(Files.exists(out), "output directory created before validation failed");
  }

  @Test
  void aTraceMissingFromDataListsTheAvailableOnes(@TempDir Path tmp) throws IOException {
    Path data = Files.createDirectory(tmp.resolve("openb"));
    Files.writeString(data.resolve("openb_node_list_gpu_node.csv"), "");
    Files.writeString(data.resolve("openb_pod_list_default.csv"), "");
    Files.writeString(data.resolve("openb_pod_list_cpu050.csv"), "");
    Outcome o = run(List.of("--data", data.toString(), "--traces", "default,nosuch", "--out",
        tmp.resolve("out").toString()));
    assertBadUsage(o, "--traces has 'nosuch', but " + data
        + " has no openb_pod_list_nosuch.csv; allowed: cpu050, default or 'paper'");
  }

  @Test
  void anOutputPathThatIsAFileIsRejected(@TempDir Path tmp) throws IOException {
    Path file = Files.writeString(tmp.resolve("f"), "x");
    assertBadUsage(run(List.of("--out", file.toString())), "--out " + file + " is a file");
  }

  @Test
  void helpIsExitZeroAndListsTheOptionsWithTheirRanges() {
    Outcome o = run(List.of("--help"));
    assertEquals(0, o.status(), o.err());
    assertTrue(o.out().contains("--seeds") && o.out().contains("1 to 10")
        && o.out().contains("needs --data"), o.out());
    assertEquals("", o.err());
  }

  @Test
  void anAliasRunsUnderItsCanonicalName(@TempDir Path tmp) throws IOException {
    // a tiny trace in the openb format: two 2-GPU nodes, six pods
    Path data = Files.createDirectory(tmp.resolve("openb"));
    Files.writeString(data.resolve("openb_node_list_gpu_node.csv"), """
        sn,cpu_milli,memory_mib,gpu,model
        n0,32000,131072,2,T4
        n1,32000,131072,2,T4
        """);
    StringBuilder pods = new StringBuilder("name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,"
        + "qos,pod_phase,creation_time,deletion_time,scheduled_time\n");
    int[] milli = {500, 1000, 300, 700, 1000, 0};
    for (int i = 0; i < milli.length; i++) {
      pods.append("p").append(i).append(",2000,4096,").append(milli[i] == 0 ? 0 : 1).append(',')
          .append(milli[i]).append(",,LS,Running,").append(i).append(",1000,").append(i)
          .append('\n');
    }
    Files.writeString(data.resolve("openb_pod_list_default.csv"), pods);
    Outcome o = run(List.of("--data", data.toString(), "--policies", "fgd-sim,best-fit",
        "--seeds", "1-2", "--threads", "1", "--no-progress", "--no-chart", "--out",
        tmp.resolve("out").toString()));
    assertEquals(0, o.status(), o.err());
    assertTrue(o.out().lines().anyMatch(l -> l.startsWith("fgd ")), o.out());
    assertTrue(o.out().contains("FGD variants:\n  fgd            the FGD paper's policy"), o.out());
    assertFalse(o.out().lines().anyMatch(l -> l.startsWith("fgd-sim")), o.out());
    assertTrue(Files.readString(tmp.resolve("out").resolve("summary.csv")).contains(",fgd,"));
  }

  static void assertBadUsage(Outcome o, String expected) {
    assertEquals(ReplayCommand.EXIT_USAGE, o.status(), o.out() + o.err());
    assertEquals("", o.out(), "nothing on stdout");
    List<String> lines = o.err().lines().toList();
    assertEquals(1, lines.size(), "one line on stderr: " + o.err());
    String line = lines.get(0);
    assertTrue(line.startsWith("replay: ") && line.contains(expected), line);
    assertFalse(line.contains("Exception") || line.contains("\tat "), line);
  }
}

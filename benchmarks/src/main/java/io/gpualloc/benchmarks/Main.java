package io.gpualloc.benchmarks;

import io.gpualloc.benchmarks.gang.GangReplayCommand;
import io.gpualloc.benchmarks.replay.ReplayCommand;
import java.util.Arrays;

/**
 * Entry point of the benchmarks jar: {@code replay ...} runs the trace-replay simulator, {@code
 * gang-replay ...} the gang replay ({@link GangReplayCommand}); anything
 * else goes to JMH ({@code java -jar gpualloc-benchmarks.jar LedgerBenchmark -f 1}).
 */
public final class Main {
  private Main() {}

  /** Dispatches on the first argument. */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("replay")) {
      ReplayCommand.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("gang-replay")) {
      GangReplayCommand.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    org.openjdk.jmh.Main.main(args);
  }
}

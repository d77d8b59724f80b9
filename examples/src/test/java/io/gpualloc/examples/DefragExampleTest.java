package io.gpualloc.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The defrag example runs and prints the three plans with the hand-computed costs. */
class DefragExampleTest {

  @Test
  void printsTheBaselineTheGreedyAndTheChainOfTwoMoves() {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      DefragExample.main(new String[] {"5"});
    } finally {
      System.setOut(old);
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    // baseline: evict job-w (10); greedy: move job-x and svc-y off node-a (1 + 4)
    assertTrue(out.contains("evict-lowest-priority: evict-baseline FEASIBLE: cost 10"), out);
    assertTrue(out.contains("greedy: greedy FEASIBLE: cost 5, bound 1"), out);
    // CP-SAT: job-x to node-b, then job-w to node-a, train-0 on node-c
    assertTrue(out.contains("cp-sat: cp-sat OPTIMAL: cost 2"), out);
    assertTrue(out.contains("1. move job-x from node-a to node-b"), out);
    assertTrue(out.contains("2. move job-w from node-c to node-a"), out);
    assertTrue(out.contains("then place train-0 on node-c"), out);
    assertTrue(out.contains("dry run: all 1 pending pods placed after 2 steps"), out);
  }
}

package io.gpualloc.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The repack example's answers, proven optimal: on its default seed first fit decreasing is
 * already optimal (the GPU-count bound proves 43 nodes); on seed 5 the share-group decomposition
 * needs 41 nodes where first fit decreasing needs 45.
 */
class RepackExampleTest {

  private static String run(String... args) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      RepackExample.main(args);
    } finally {
      System.setOut(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Test
  void defaultSeedFirstFitDecreasingIsProvenOptimal() {
    String out = run("42", "10");
    assertTrue(out.contains("repacked: 43 nodes needed (status OPTIMAL, lower bound 43, gap 0,"
        + " by ledger-ffd,"), out);
    assertTrue(out.contains("(the baseline): 43 nodes; saved 0"), out);
  }

  @Test
  void seedFiveTheShareGroupsSaveFourNodes() {
    String out = run("5", "10");
    assertTrue(out.contains("repacked: 41 nodes needed (status OPTIMAL, lower bound 41, gap 0,"
        + " by share-groups+ledger"), out);
    assertTrue(out.contains("(the baseline): 45 nodes; saved 4"), out);
  }
}

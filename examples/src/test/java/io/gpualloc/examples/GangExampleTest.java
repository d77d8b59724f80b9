package io.gpualloc.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The gang example runs: the first job lands in one rack, the second is explained. */
class GangExampleTest {

  @Test
  void placesTheFirstJobRackLocalAndExplainsTheSecond() {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      GangExample.main(new String[0]);
    } finally {
      System.setOut(old);
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("gang train-a: 64 pods placed (workers 64)"), out);
    assertTrue(out.contains("level achieved for workers: rack"), out);
    assertTrue(out.contains("domains spanned: 1 block, 1 rack, 64 hostname"), out);
    assertTrue(out.contains("gang train-b not placed (NO_DOMAIN_LARGE_ENOUGH)"), out);
    assertTrue(out.contains("workers at rack: closest"), out);
    assertTrue(out.contains("of 64 pods"), out);
  }
}

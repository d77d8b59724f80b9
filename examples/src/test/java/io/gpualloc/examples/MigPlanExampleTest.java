package io.gpualloc.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The MIG planning example runs and prints both plans and the steps. */
class MigPlanExampleTest {

  @Test
  void printsPlannedLayoutsAndSteps() {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      MigPlanExample.main(new String[] {"5"});
    } finally {
      System.setOut(old);
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("greedy: greedy"), out);
    assertTrue(out.contains("cp-sat: "), out);
    assertTrue(out.contains("served 18/18 instances"), out);
    assertTrue(out.contains("h100-0  [2g.20gb@0, 1g.10gb@2, 1g.10gb@3, 3g.40gb@4]")
        || out.contains("h100-0 "), out);
    assertTrue(out.contains("steps:"), out);
    assertTrue(out.contains("destroy"), out);
    assertTrue(out.contains("one more 4g.40gb now:"), out);
  }
}

package io.gpualloc.core.testing;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.ParseException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fuzz harness's own checks can fail: each detector on an input made to trip it. */
class FuzzTest {
  private static final byte[] INPUT = "a: 1\n".getBytes(StandardCharsets.UTF_8);

  @Test
  void aValueAndAParseExceptionPass() {
    Fuzz.check("ok", INPUT, b -> "value");
    Fuzz.check("parse", INPUT, b -> {
      throw new ParseException("s", 1, 1, "", "bad");
    });
  }

  @Test
  void anyOtherExceptionFails() {
    AssertionError e = assertThrows(AssertionError.class, () -> Fuzz.check("iae", INPUT, b -> {
      throw new IllegalArgumentException("raw");
    }));
    assertTrue(e.getMessage().contains("threw java.lang.IllegalArgumentException"),
        e.getMessage());
    assertThrows(AssertionError.class, () -> Fuzz.check("null", INPUT, b -> null));
  }

  @Test
  void theAllocationDetectorSeesAnAmplification() {
    AssertionError e = assertThrows(AssertionError.class, () -> Fuzz.check("alloc", INPUT, b -> {
      long sum = 0;
      for (int i = 0; i < 400; i++) {
        byte[] chunk = new byte[1 << 20]; // 400 MiB in total, garbage at once
        sum += chunk.length;
      }
      return sum;
    }));
    assertTrue(e.getMessage().contains("allocated"), e.getMessage());
  }

  @Test
  void mutationsChangeTheInputAndInvalidUtf8IsAParseException() {
    byte[] seed = "nodes:\n  - {name: n, cpuMilli: 1}\n".getBytes(StandardCharsets.UTF_8);
    Random r = new Random(7);
    int changed = 0;
    for (int i = 0; i < 100; i++) {
      if (!Arrays.equals(seed, Fuzz.mutate(seed, r))) {
        changed++;
      }
    }
    assertTrue(changed > 80, "changed " + changed);
    assertThrows(ParseException.class, () -> Fuzz.text(new byte[] {'a', (byte) 0xFF}));
    assertNotEquals(0, Fuzz.text(seed).length());
  }
}

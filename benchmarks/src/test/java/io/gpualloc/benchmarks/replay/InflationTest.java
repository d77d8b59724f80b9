package io.gpualloc.benchmarks.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class InflationTest {

  private static List<OpenbPod> pods(int... gpuMilli) {
    List<OpenbPod> out = new ArrayList<>();
    for (int i = 0; i < gpuMilli.length; i++) {
      int m = gpuMilli[i];
      out.add(new OpenbPod("p" + (char) ('a' + i), 1000, 1, m == 0 ? 0 : (m > 1000 ? m / 1000 : 1),
          m > 1000 ? 1000 : m, List.of(), -1, -1));
    }
    return out;
  }

  @Test
  void appendsCopiesUntilTheNextWouldOvershoot() {
    // 2 GPUs of capacity, tune 1.5 -> target 3000 milli; trace requests 1000 + 500
    List<OpenbPod> in = pods(1000, 500);
    List<OpenbPod> out = Inflation.inflate(in, 1, 2000, 1.5, Inflation.Mode.EXACT);
    long total = out.stream().mapToLong(OpenbPod::gpuRequestMilli).sum();
    assertTrue(total <= 3000 && total >= 2500, "total " + total);
    assertTrue(out.containsAll(in));
    assertEquals(out.size(), new HashSet<>(out.stream().map(OpenbPod::name).toList()).size());
  }

  @Test
  void referenceRuleComparesThePerGpuShareOnly() {
    // one 8-GPU pod: its per-GPU share (1000) passes a test its full request (8000) would fail
    List<OpenbPod> in = pods(8000);
    List<OpenbPod> ref = Inflation.inflate(in, 3, 8000, 1.2, Inflation.Mode.REFERENCE);
    List<OpenbPod> exact = Inflation.inflate(in, 3, 8000, 1.2, Inflation.Mode.EXACT);
    assertEquals(2, ref.size()); // 8000 + 1000 <= 9600: a copy is appended, overshooting to 16000
    assertEquals(1, exact.size());
  }

  @Test
  void removesRandomPodsWhenTheTraceExceedsTheTarget() {
    List<OpenbPod> out = Inflation.inflate(pods(1000, 1000, 1000, 1000), 5, 2000, 1.0,
        Inflation.Mode.EXACT);
    assertEquals(2, out.size());
  }

  @Property(tries = 100)
  void deterministicAndBoundedBySeed(@ForAll @LongRange(min = 0, max = 1000) long seed,
      @ForAll @IntRange(min = 1, max = 40) int gpus) {
    List<OpenbPod> in = pods(1000, 500, 0, 250, 2000, 810);
    List<OpenbPod> a = Inflation.inflate(in, seed, gpus * 1000L, 1.3, Inflation.Mode.EXACT);
    assertEquals(a, Inflation.inflate(in, seed, gpus * 1000L, 1.3, Inflation.Mode.EXACT));
    long total = a.stream().mapToLong(OpenbPod::gpuRequestMilli).sum();
    assertTrue(total <= 1300L * gpus, "total " + total);
  }
}

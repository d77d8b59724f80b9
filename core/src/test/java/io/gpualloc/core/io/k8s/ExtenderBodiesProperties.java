package io.gpualloc.core.io.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.ParseException;
import io.gpualloc.core.io.k8s.KubeMapping.GpuSemantics;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The streamed {@code ExtenderArgs} reader and the preemption bodies: any text is a value or a
 * {@link ParseException}; keys are matched case-insensitively with an exact match winning.
 */
class ExtenderBodiesProperties {
  static final KubeMapping HAMI = KubeMapping.of(GpuSemantics.HAMI);
  static final String POD = "{\"metadata\":{\"name\":\"p\",\"namespace\":\"ml\",\"uid\":\"u\"},"
      + "\"spec\":{\"containers\":[{\"name\":\"c\",\"resources\":{\"limits\":"
      + "{\"nvidia.com/gpu\":\"1\"}}}]}}";
  static final String ARGS = "{\"Pod\":" + POD + ",\"Nodes\":null,\"NodeNames\":[\"a\",\"b\"]}";
  static final String PREEMPT = "{\"Pod\":" + POD + ",\"NodeNameToVictims\":null,"
      + "\"NodeNameToMetaVictims\":{\"a\":{\"Pods\":[{\"UID\":\"v1\"}],\"NumPDBViolations\":2}}}";

  /** A valid body cut at any point, or with one character replaced, reads or fails typed. */
  @Property(tries = 300)
  void anyMutationReadsOrFailsTyped(@ForAll @IntRange(min = 0, max = 400) int at,
      @ForAll char c, @ForAll boolean cut, @ForAll boolean preempt) {
    String body = preempt ? PREEMPT : ARGS;
    int i = Math.min(at, body.length() - 1);
    String text = cut ? body.substring(0, i) : body.substring(0, i) + c + body.substring(i + 1);
    try {
      if (preempt) {
        ExtenderJson.readPreemptionArgs(text, HAMI);
      } else {
        ExtenderJson.readArgs(text, HAMI);
      }
    } catch (ParseException expected) {
      assertTrue(expected.getMessage().contains(preempt ? "ExtenderPreemptionArgs"
          : "ExtenderArgs") || expected.getMessage().contains("pod "), expected.getMessage());
    }
  }

  @Property(tries = 100)
  void anyStringReadsOrFailsTyped(@ForAll String text) {
    try {
      ExtenderJson.readArgs(text, HAMI);
    } catch (ParseException expected) {
      // typed
    }
  }

  @Test
  void keysMatchCaseInsensitivelyAndAnExactMatchWins() {
    ExtenderArgs a = ExtenderJson.readArgs("{\"nodenames\":[\"x\"],\"pod\":" + POD
        + ",\"NodeNames\":[\"a\",\"b\"]}", HAMI);
    assertEquals(List.of("a", "b"), a.nodeNames());
    assertNull(a.nodes());
    ExtenderArgs lower = ExtenderJson.readArgs("{\"pod\":" + POD + ",\"nodenames\":[\"x\"]}", HAMI);
    assertEquals(List.of("x"), lower.nodeNames());
  }

  @Test
  void preemptionBodiesReadAsKubeSchedulerWritesThem() {
    PreemptionArgs p = ExtenderJson.readPreemptionArgs(PREEMPT, HAMI);
    assertTrue(p.meta());
    assertEquals(Map.of("a", new Victims(List.of(VictimPod.ofUid("v1")), 2)), p.victims());
    assertEquals("{\"NodeNameToMetaVictims\":{\"a\":{\"Pods\":[{\"UID\":\"v1\"}],"
        + "\"NumPDBViolations\":2}}}", ExtenderJson.writePreemptionResult(
            new PreemptionResult(p.victims(), "")));
    // kube-scheduler's own test body, lower-cased, reads the same
    PreemptionArgs q = ExtenderJson.readPreemptionArgs(PREEMPT.toLowerCase(java.util.Locale.ROOT)
        .replace("\"v1\"", "\"v1\""), HAMI);
    assertEquals(p.victims(), q.victims());
  }

  @Test
  void badNamesAreTypedErrors() {
    String nonString = "{\"Pod\":" + POD + ",\"NodeNames\":[\"a\",3]}";
    ParseException e = org.junit.jupiter.api.Assertions.assertThrows(ParseException.class,
        () -> ExtenderJson.readArgs(nonString, HAMI));
    assertTrue(e.getMessage().contains("NodeNames[1]"), e.getMessage());
    String both = "{\"Pod\":" + POD + ",\"NodeNames\":[\"a\"],\"Nodes\":{\"items\":[]}}";
    assertTrue(org.junit.jupiter.api.Assertions.assertThrows(ParseException.class,
        () -> ExtenderJson.readArgs(both, HAMI)).getMessage().contains("both"));
  }
}

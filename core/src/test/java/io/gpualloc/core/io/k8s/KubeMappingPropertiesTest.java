package io.gpualloc.core.io.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.ParseException;
import io.gpualloc.core.io.k8s.KubeMapping.GpuSemantics;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The mapping's specification: any byte string is a pod (or node) or a {@link ParseException};
 * the effective request follows Kubernetes' rule for any mix of containers.
 */
class KubeMappingPropertiesTest {

  @Property(tries = 400)
  void anyBytesArePodsOrTypedErrors(@ForAll("bytes") byte[] b) {
    String s = new String(b, StandardCharsets.UTF_8);
    for (GpuSemantics sem : GpuSemantics.values()) {
      try {
        KubeMapping.of(sem).readPod(s);
      } catch (ParseException expected) {
        // typed
      }
      try {
        KubeMapping.of(sem).readNode(s);
      } catch (ParseException expected) {
        // typed
      }
    }
  }

  @Property(tries = 300)
  void mangledPodsAreTypedErrors(@ForAll @IntRange(min = 0, max = 400) int at,
      @ForAll("junk") String junk) {
    String good = KubeMappingTest.pod(KubeMappingTest.container("a",
        "\"cpu\":\"250m\",\"memory\":\"1Gi\"", "\"nvidia.com/gpu\":\"1\","
            + "\"nvidia.com/gpumem\":\"1000\""), KubeMappingTest.container("i", "\"cpu\":\"1\"", ""),
        "");
    int cut = Math.min(at, good.length());
    String bad = good.substring(0, cut) + junk + good.substring(cut);
    for (GpuSemantics sem : GpuSemantics.values()) {
      try {
        KubeMapping.of(sem).readPod(bad);
      } catch (ParseException expected) {
        // typed
      }
    }
  }

  @Property(tries = 300)
  void effectiveRequestIsMaxOfInitAndSum(
      @ForAll @IntRange(min = 0, max = 5000) int a, @ForAll @IntRange(min = 0, max = 5000) int b,
      @ForAll @IntRange(min = 0, max = 5000) int i1, @ForAll @IntRange(min = 0, max = 5000) int i2,
      @ForAll @IntRange(min = 0, max = 4) int g1, @ForAll @IntRange(min = 0, max = 4) int g2,
      @ForAll @IntRange(min = 0, max = 8) int gi) {
    String apps = KubeMappingTest.container("a", "\"cpu\":\"" + a + "m\"",
        "\"nvidia.com/gpu\":\"" + g1 + "\"") + ","
        + KubeMappingTest.container("b", "\"cpu\":\"" + b + "m\"", "\"nvidia.com/gpu\":\"" + g2
        + "\"");
    String inits = KubeMappingTest.container("i1", "\"cpu\":\"" + i1 + "m\"",
        "\"nvidia.com/gpu\":\"" + gi + "\"") + ","
        + KubeMappingTest.container("i2", "\"cpu\":\"" + i2 + "m\"", "");
    var r = KubeMapping.of(GpuSemantics.WHOLE)
        .readPod(KubeMappingTest.pod(apps, inits, "")).request();
    assertEquals(Math.max(a + b, Math.max(i1, i2)), r.cpuMilli());
    int gpus = Math.max(g1 + g2, gi);
    assertEquals(gpus == 0 ? GpuDemand.none() : GpuDemand.whole(gpus), r.gpu());
  }

  @Provide
  Arbitrary<byte[]> bytes() {
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
    Arbitrary<byte[]> jsonish = Arbitraries.strings()
        .withChars("{}[]:,\"0123456789.-metadaspcon tirl\\")
        .ofMaxLength(120).map(s -> s.getBytes(StandardCharsets.UTF_8));
    return Arbitraries.oneOf(random, jsonish);
  }

  @Provide
  Arbitrary<String> junk() {
    return Arbitraries.strings().withChars("{}[]:,\"0-9.xmGi ").ofMinLength(1).ofMaxLength(4);
  }
}

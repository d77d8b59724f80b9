package io.gpualloc.core.io.hami;

import io.gpualloc.core.ReadLimits;
import io.gpualloc.core.io.k8s.KubeMapping;
import io.gpualloc.core.io.k8s.KubeMapping.GpuSemantics;
import io.gpualloc.core.testing.Fuzz;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Fuzz targets of the Kubernetes and HAMi readers (see {@link Fuzz}): every mutant of a full Pod,
 * a full Node with HAMi's register annotation (both forms), a register value and an allocation
 * value reads to a value or fails with ParseException, within the detectors' bounds.
 */
class KubeHamiFuzzProperties {
  private static final ReadLimits L = ReadLimits.defaults();
  private static final KubeMapping HAMI = KubeMapping.of(GpuSemantics.HAMI);
  private static final KubeMapping WHOLE = KubeMapping.of(GpuSemantics.WHOLE);
  private static final String CSV = "GPU-a,10,32768,100,NVIDIA-Tesla V100-PCIE-32GB,0,true:"
      + "GPU-b,10,32768,100,NVIDIA-Tesla V100-PCIE-32GB,1,false,1,hami-core:";
  private static final String JSON = "[{\"id\":\"GPU-a\",\"count\":10,\"devmem\":81920,"
      + "\"devcore\":100,\"type\":\"NVIDIA-A100-SXM4-80GB\",\"mode\":\"hami-core\",\"health\":true},"
      + "{\"id\":\"GPU-b\",\"index\":1,\"count\":7,\"devmem\":81920,\"devcore\":100,"
      + "\"type\":\"NVIDIA-A100-SXM4-80GB\",\"numa\":1,\"mode\":\"mig\",\"migProfiles\":"
      + "[{\"name\":\"1g.10gb\",\"memoryMB\":9856,\"core\":15,\"sliceCount\":1,\"placements\":"
      + "[{\"start\":0,\"size\":1}]}],\"health\":true}]";
  private static final String ALLOCATION = ";GPU-a,NVIDIA,20000,30:GPU-b,NVIDIA,20000,30:;;";

  static List<String> pods() {
    return List.of(HamiLedgerTest.runningPod("p", "gpu-a", "GPU-a,NVIDIA,1000,30:;"),
        io.gpualloc.core.io.k8s.KubeMappingTestSeeds.pod());
  }

  static List<String> nodes() {
    return List.of(HamiLedgerTest.hamiNode("gpu-a", CSV), HamiLedgerTest.hamiNode("gpu-b", JSON));
  }

  @Provide
  Arbitrary<byte[]> podMutants() {
    return Fuzz.mutants(pods());
  }

  @Provide
  Arbitrary<byte[]> nodeMutants() {
    return Fuzz.mutants(nodes());
  }

  @Provide
  Arbitrary<byte[]> registerMutants() {
    return Fuzz.mutants(List.of(CSV, JSON));
  }

  @Provide
  Arbitrary<byte[]> allocationMutants() {
    return Fuzz.mutants(List.of(ALLOCATION));
  }

  @Property(tries = 1000)
  void podMutantsReadOrFailTyped(@ForAll("podMutants") byte[] input) {
    Fuzz.check("k8s-pod-hami", input, b -> HAMI.readPod(Fuzz.text(b)));
    Fuzz.check("k8s-pod-whole", input, b -> WHOLE.readPod(Fuzz.text(b)));
  }

  @Property(tries = 1000)
  void nodeMutantsReadOrFailTyped(@ForAll("nodeMutants") byte[] input) {
    Fuzz.check("k8s-node-hami", input, b -> HAMI.readNode(Fuzz.text(b)));
  }

  @Property(tries = 1000)
  void registerMutantsReadOrFailTyped(@ForAll("registerMutants") byte[] input) {
    Fuzz.check("hami-register", input, b -> HamiCodec.readRegister("node n", Fuzz.text(b), L));
  }

  @Property(tries = 1000)
  void allocationMutantsReadOrFailTyped(@ForAll("allocationMutants") byte[] input) {
    Fuzz.check("hami-allocation", input,
        b -> HamiCodec.readAllocation("pod p", HamiCodec.DEVICES_ALLOCATED, Fuzz.text(b), L));
  }

  /** The long run: {@code -Dgpualloc.fuzz.long=true}, see {@link Fuzz}. */
  @Test
  void longRun() {
    Assumptions.assumeTrue(Fuzz.longRunEnabled(), "long fuzz run: -Dgpualloc.fuzz.long=true");
    Fuzz.longRun("k8s-pod-hami", pods(), b -> HAMI.readPod(Fuzz.text(b)));
    Fuzz.longRun("k8s-pod-whole", pods(), b -> WHOLE.readPod(Fuzz.text(b)));
    Fuzz.longRun("k8s-node-hami", nodes(), b -> HAMI.readNode(Fuzz.text(b)));
    Fuzz.longRun("hami-register", List.of(CSV, JSON),
        b -> HamiCodec.readRegister("node n", Fuzz.text(b), L));
    Fuzz.longRun("hami-allocation", List.of(ALLOCATION),
        b -> HamiCodec.readAllocation("pod p", HamiCodec.DEVICES_ALLOCATED, Fuzz.text(b), L));
  }
}

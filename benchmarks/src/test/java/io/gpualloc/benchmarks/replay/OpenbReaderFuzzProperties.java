package io.gpualloc.benchmarks.replay;

import io.gpualloc.core.testing.Fuzz;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Fuzz targets of the openb trace reader (see {@link Fuzz}): every mutant of node and pod lists
 * (both pod forms) reads to a list or fails with ParseException, within the hang and allocation
 * detectors' bounds.
 */
class OpenbReaderFuzzProperties {
  static final List<String> NODES = List.of(OpenbReaderTest.NODES,
      "sn,cpu_milli,memory_mib,gpu,model\nn0,32000,131072,0,\n\"n1\",96000,786432,8,\"V100M32\"\n");
  static final List<String> PODS = List.of(OpenbReaderTest.PODS,
      "name,cpu_milli,memory_mib,num_gpu,gpu_milli\nq0,8000,100,4,1000\nq1,1000,10,1,250\n");

  static Object nodes(byte[] b) {
    return OpenbReader.readNodes("fuzz", Fuzz.text(b));
  }

  static Object pods(byte[] b) {
    return OpenbReader.readPods("fuzz", Fuzz.text(b));
  }

  @Provide
  Arbitrary<byte[]> nodeLists() {
    return Fuzz.mutants(NODES);
  }

  @Provide
  Arbitrary<byte[]> podLists() {
    return Fuzz.mutants(PODS);
  }

  @Property(tries = 4000)
  void nodeListMutants(@ForAll("nodeLists") byte[] input) {
    Fuzz.check("openb-nodes", input, OpenbReaderFuzzProperties::nodes);
  }

  @Property(tries = 4000)
  void podListMutants(@ForAll("podLists") byte[] input) {
    Fuzz.check("openb-pods", input, OpenbReaderFuzzProperties::pods);
  }

  /** The long run: {@code -Dgpualloc.fuzz.long=true}, see {@link Fuzz}. */
  @Test
  void longRun() {
    Assumptions.assumeTrue(Fuzz.longRunEnabled(), "long fuzz run: -Dgpualloc.fuzz.long=true");
    Fuzz.longRun("openb-nodes", NODES, OpenbReaderFuzzProperties::nodes);
    Fuzz.longRun("openb-pods", PODS, OpenbReaderFuzzProperties::pods);
  }
}

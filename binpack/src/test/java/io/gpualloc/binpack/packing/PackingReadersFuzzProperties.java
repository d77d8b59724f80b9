package io.gpualloc.binpack.packing;

import io.gpualloc.core.testing.Fuzz;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Fuzz targets of the BPPLIB and VPSolver readers (see {@link Fuzz}): every mutant of small valid
 * files parses to an instance or fails with ParseException, within the hang and allocation
 * detectors' bounds.
 */
class PackingReadersFuzzProperties {
  static final List<String> BPPLIB = List.of(
      "10\n100\n48\n46\n40\n37\n30\n22\n21\n20\n18\n10\n",
      "3\r\n150\r\n100\r\n50\r\n75\r\n");
  static final List<String> VBP = List.of(
      "2\n100 100\n3\n30 40 2\n60 10 1\n5 5 10\n",
      "1\n1000\n2\n400 3\n250 4\n",
      "3\n10 10 10\n2\n1 2 3 4\n0 0 1 1\n");

  static Object bpplib(byte[] b) {
    return PackingReaders.parseBpplib("fuzz", Fuzz.text(b));
  }

  static Object vbp(byte[] b) {
    return PackingReaders.parseVbp("fuzz", Fuzz.text(b));
  }

  @Provide
  Arbitrary<byte[]> bpplibFiles() {
    return Fuzz.mutants(BPPLIB);
  }

  @Provide
  Arbitrary<byte[]> vbpFiles() {
    return Fuzz.mutants(VBP);
  }

  @Property(tries = 4000)
  void bpplibMutants(@ForAll("bpplibFiles") byte[] input) {
    Fuzz.check("bpplib", input, PackingReadersFuzzProperties::bpplib);
  }

  @Property(tries = 4000)
  void vbpMutants(@ForAll("vbpFiles") byte[] input) {
    Fuzz.check("vbp", input, PackingReadersFuzzProperties::vbp);
  }

  /** The long run: {@code -Dgpualloc.fuzz.long=true}, see {@link Fuzz}. */
  @Test
  void longRun() {
    Assumptions.assumeTrue(Fuzz.longRunEnabled(), "long fuzz run: -Dgpualloc.fuzz.long=true");
    Fuzz.longRun("bpplib", BPPLIB, PackingReadersFuzzProperties::bpplib);
    Fuzz.longRun("vbp", VBP, PackingReadersFuzzProperties::vbp);
  }
}

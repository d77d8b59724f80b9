package io.gpualloc.topology;

import io.gpualloc.core.testing.Fuzz;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Fuzz target of the {@code nvidia-smi topo -m} reader (see {@link Fuzz}): every mutant of real
 * and rendered matrices parses to an interconnect or fails with ParseException, within the hang
 * and allocation detectors' bounds.
 */
class TopoMatrixFuzzProperties {

  static List<String> seeds() {
    return List.of(TopoMatrixTest.DGX1,
        TopoMatrix.render(Preset.PCIE_8GPU_2SOCKET.interconnect()),
        TopoMatrix.render(Preset.PCIE_4GPU_NVLINK_PAIRS.interconnect()),
        TopoMatrix.render(Preset.DGX_H100.interconnect()),
        "\u001B[4mGPU0\tGPU1\tNIC0\tCPU Affinity\tNUMA Affinity\u001B[0m\n"
            + "GPU0\t X \tNV4\tPIX\t0-15\t0\nGPU1\tNV4\t X \tSYS\t16-31\t1\n"
            + "NIC0\tPIX\tSYS\t X\n\nLegend:\n\n  X    = Self\n\nNIC Legend:\n\n  NIC0: mlx5_0\n");
  }

  static Object parse(byte[] b) {
    return TopoMatrix.parse("fuzz", Fuzz.text(b));
  }

  @Provide
  Arbitrary<byte[]> matrices() {
    return Fuzz.mutants(seeds());
  }

  /** A {@code topo -m} and {@code topo -mp} pair of one machine, separated by a form feed. */
  static List<String> pairSeeds() {
    return List.of(Preset.PCIE_8GPU_2SOCKET, Preset.DGX_H100, Preset.DGX1_V100).stream()
        .map(p -> TopoMatrix.render(p.interconnect()) + "\f"
            + TopoMatrix.renderPcie(p.interconnect()))
        .toList();
  }

  static Object parsePair(byte[] b) {
    String text = Fuzz.text(b);
    int ff = text.indexOf('\f');
    if (ff < 0) {
      return TopoMatrix.parse("fuzz", text);
    }
    return TopoMatrix.parse("fuzz", text.substring(0, ff), text.substring(ff + 1));
  }

  @Provide
  Arbitrary<byte[]> pairs() {
    return Fuzz.mutants(pairSeeds());
  }

  @Property(tries = 2000)
  void topoMAndMpMutants(@ForAll("pairs") byte[] input) {
    Fuzz.check("topo-m-mp", input, TopoMatrixFuzzProperties::parsePair);
  }

  @Property(tries = 5000)
  void topoMatrixMutants(@ForAll("matrices") byte[] input) {
    Fuzz.check("topo-m", input, TopoMatrixFuzzProperties::parse);
  }

  /** The long run: {@code -Dgpualloc.fuzz.long=true}, see {@link Fuzz}. */
  @Test
  void longRun() {
    Assumptions.assumeTrue(Fuzz.longRunEnabled(), "long fuzz run: -Dgpualloc.fuzz.long=true");
    Fuzz.longRun("topo-m", seeds(), TopoMatrixFuzzProperties::parse);
    Fuzz.longRun("topo-m-mp", pairSeeds(), TopoMatrixFuzzProperties::parsePair);
  }
}

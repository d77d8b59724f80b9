package io.gpualloc.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every preset says what {@code nvidia-smi topo -m} and {@code topo -mp} print on that machine
 * (texts in {@code src/test/resources/topo}, provenance in its README): NVLink bonds, the PCIe class
 * of every GPU pair (NVLinked or not), every GPU-NIC cell, NUMA nodes and CPU affinity.
 */
class PresetFidelityTest {

  static String resource(String name) {
    try (InputStream in = PresetFidelityTest.class.getResourceAsStream("/topo/" + name)) {
      assertNotNull(in, "missing test resource /topo/" + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The merged topo -m and topo -mp texts of {@code p}. */
  static NodeInterconnect printed(Preset p) {
    String base = p.name().toLowerCase(Locale.ROOT);
    return TopoMatrix.parse(base, resource(base + ".topo-m.txt"), resource(base + ".topo-mp.txt"));
  }

  @ParameterizedTest
  @EnumSource(value = Preset.class, names = "GB200_NVL72", mode = EnumSource.Mode.EXCLUDE)
  void presetEqualsWhatNvidiaSmiPrints(Preset p) {
    NodeInterconnect model = p.interconnect();
    NodeInterconnect smi = printed(p);
    assertEquals(model.gpuCount(), smi.gpuCount());
    assertTrue(smi.warnings().isEmpty(), smi.warnings()::toString);
    for (int i = 0; i < model.gpuCount(); i++) {
      for (int j = i + 1; j < model.gpuCount(); j++) {
        String pair = p + " GPU" + i + "-GPU" + j;
        assertEquals(smi.link(i, j).token(), model.link(i, j).token(), pair + " topo -m");
        assertEquals(smi.link(i, j).pcie(), model.link(i, j).pcie(), pair + " topo -mp");
      }
      if (smi.numaNode(i) >= 0) {
        assertEquals(smi.numaNode(i), model.numaNode(i), p + " GPU" + i + " NUMA");
      }
      if (!smi.cpuAffinity(i).isEmpty()) {
        assertEquals(smi.cpuAffinity(i), model.cpuAffinity(i), p + " GPU" + i + " CPUs");
      }
    }
    assertEquals(smi.nics().size(), model.nics().size(), p + " NICs");
    for (Nic printed : smi.nics()) {
      Nic modelled = model.nics().stream().filter(x -> x.name().equals(printed.name())).findFirst()
          .orElseThrow(() -> new AssertionError(p + " has no NIC " + printed.name()));
      assertEquals(printed.toGpu(), modelled.toGpu(), p + " " + printed.name());
    }
  }
}

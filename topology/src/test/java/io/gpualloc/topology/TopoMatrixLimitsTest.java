package io.gpualloc.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.ParseException;
import io.gpualloc.core.ReadLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Regression tests of issue 10 for the {@code topo -m} reader: limits, linear time, typed I/O. */
class TopoMatrixLimitsTest {

  /** One GPU and {@code nics} NIC columns, with the GPU row: the input of issue 10 at 40,000. */
  static String manyNics(int nics) {
    return manyNics(nics, "SYS");
  }

  /** As {@link #manyNics(int)}, with {@code cell} between the GPU and every NIC. */
  static String manyNics(int nics, String cell) {
    StringBuilder sb = new StringBuilder("\tGPU0");
    for (int i = 0; i < nics; i++) {
      sb.append("\tNIC").append(i);
    }
    sb.append("\tCPU Affinity\nGPU0\t X ");
    for (int i = 0; i < nics; i++) {
      sb.append('\t').append(cell);
    }
    return sb.append("\t0-7\n").toString();
  }

  @Test
  void fortyThousandNicColumnsAreRejectedAtTheHeaderUnderDefaultLimits() {
    String text = manyNics(40_000);
    ParseException e = assertThrows(ParseException.class, () -> TopoMatrix.parse("nics", text));
    assertEquals(1, e.line());
    assertTrue(e.getMessage().contains("maxNicsPerNode = 256"), e.getMessage());
    assertTrue(e.column() > 0);
  }

  @Test
  void fortyThousandNicColumnsParseWhenTheLimitAllowsThem() {
    // Formerly about 6 s (two quadratic duplicate scans); linear now. Not timed: a unit test.
    String text = manyNics(40_000);
    NodeInterconnect ic = TopoMatrix.parse(
        "nics", text, ReadLimits.defaults().withMaxNicsPerNode(40_000));
    assertEquals(1, ic.gpuCount());
    assertEquals(40_000, ic.nics().size());
    assertEquals("NIC39999", ic.nics().get(39_999).name());
  }

  @Test
  void fortyThousandNicsOnTheGpusSwitchParseWhenTheLimitAllowsThem() {
    // PIX cells put all 40,001 devices on one switch: the switch inference stays linear.
    NodeInterconnect ic = TopoMatrix.parse("pix", manyNics(40_000, "PIX"),
        ReadLimits.defaults().withMaxNicsPerNode(40_000));
    assertEquals(40_000, ic.nics().size());
    assertEquals(LinkClass.PIX, ic.nics().get(123).toGpu().get(0));
    assertEquals(1, ic.location(0).switchPath().size());
  }

  @Test
  void tooManyGpuColumnsAreRejectedBeforeTheMatrixIsAllocated() {
    StringBuilder sb = new StringBuilder();
    for (int g = 0; g < 129; g++) {
      sb.append("\tGPU").append(g);
    }
    ParseException e = assertThrows(ParseException.class,
        () -> TopoMatrix.parse("gpus", sb.append('\n').toString()));
    assertTrue(e.getMessage().contains("maxGpusPerNode = 128"), e.getMessage());
    ParseException small = assertThrows(ParseException.class, () -> TopoMatrix.parse("dgx1",
        TopoMatrixTest.DGX1, ReadLimits.defaults().withMaxGpusPerNode(4)));
    assertTrue(small.getMessage().contains("GPU4"), small.getMessage());
  }

  @Test
  void overlongCellsAndTextAreRejected() {
    String cell = "G".repeat(100);
    ParseException e = assertThrows(ParseException.class, () -> TopoMatrix.parse("long",
        "\t" + cell + "\n", ReadLimits.defaults().withMaxScalarLength(50)));
    assertEquals(1, e.line());
    assertEquals(2, e.column());
    assertThrows(ParseException.class, () -> TopoMatrix.parse("bytes", TopoMatrixTest.DGX1,
        ReadLimits.defaults().withMaxBytes(100)));
  }

  @Test
  void duplicateColumnsAreStillFound() {
    ParseException e = assertThrows(ParseException.class,
        () -> TopoMatrix.parse("dup", "\tGPU0\tNIC0\tNIC1\tNIC0\n"));
    assertTrue(e.getMessage().contains("duplicate column 'NIC0'"), e.getMessage());
    assertEquals(1, e.line());
  }

  @Test
  void aMissingFileIsAParseException(@TempDir Path dir) {
    Path file = dir.resolve("nosuch.txt");
    ParseException e = assertThrows(ParseException.class, () -> TopoMatrix.parse(file));
    assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    assertEquals(file.toString(), e.source());
  }

  @Test
  void aDirectoryIsAParseException(@TempDir Path dir) {
    assertThrows(ParseException.class, () -> TopoMatrix.parse(dir));
  }

  @Test
  void invalidUtf8IsAParseExceptionWithItsPosition(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("topo.txt");
    byte[] head = "\tGPU0\nGPU0\t".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[head.length + 2];
    System.arraycopy(head, 0, bytes, 0, head.length);
    bytes[head.length] = (byte) 0xC3; // a lead byte followed by ASCII: malformed
    bytes[head.length + 1] = 'X';
    Files.write(file, bytes);
    ParseException e = assertThrows(ParseException.class, () -> TopoMatrix.parse(file));
    assertTrue(e.getMessage().contains("invalid UTF-8"), e.getMessage());
    assertEquals(2, e.line());
    assertEquals(6, e.column());
  }

  @Test
  void aValidFileStillParses(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("dgx1.txt");
    Files.writeString(file, "\uFEFF" + TopoMatrixTest.DGX1, StandardCharsets.UTF_8);
    assertEquals(8, TopoMatrix.parse(file).gpuCount());
  }
}

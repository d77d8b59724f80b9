package io.gpualloc.binpack.packing;

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

/** Regression tests of issue 10 for the BPPLIB and VBP readers. */
class PackingReadersLimitsTest {

  @Test
  void theThirteenByteVbpFileIsRejectedBeforeAllocating() {
    // Formerly an immediate OutOfMemoryError (new int[2000000000]).
    String text = "2000000000\n1\n";
    assertEquals(13, text.length());
    ParseException e = assertThrows(ParseException.class,
        () -> PackingReaders.parseVbp("d", text));
    assertEquals(1, e.line());
    assertEquals(1, e.column());
    assertTrue(e.getMessage().contains("allowed: 1..64 (maxDimensions"), e.getMessage());
  }

  @Test
  void aDemandOfAHundredMillionCopiesIsRejectedBeforeAllocating() {
    // Formerly seconds of work and then an OutOfMemoryError.
    String text = "1\n10\n1\n3 100000000\n";
    ParseException e = assertThrows(ParseException.class,
        () -> PackingReaders.parseVbp("demand", text));
    assertEquals(4, e.line());
    assertEquals(3, e.column());
    assertTrue(e.getMessage().contains("maxItems = 1000000"), e.getMessage());
  }

  @Test
  void demandsAddUpTowardsTheItemLimit() {
    String text = "1\n10\n2\n3 6\n4 5\n";
    assertEquals(11, PackingReaders.parseVbp("ok", text).itemCount());
    ParseException e = assertThrows(ParseException.class, () -> PackingReaders.parseVbp("sum",
        text, ReadLimits.defaults().withMaxItems(10)));
    assertEquals(5, e.line());
    assertTrue(e.getMessage().contains("brings the items to 11"), e.getMessage());
  }

  @Test
  void aHugeBpplibItemCountIsRejectedAtItsToken() {
    ParseException e = assertThrows(ParseException.class,
        () -> PackingReaders.parseBpplib("n", "2000000000\n100\n1\n"));
    assertEquals(1, e.line());
    assertTrue(e.getMessage().contains("maxItems"), e.getMessage());
  }

  @Test
  void overlongTokensAndTextAreRejected() {
    String digits = "1".repeat(100);
    ParseException e = assertThrows(ParseException.class, () -> PackingReaders.parseBpplib("t",
        digits, ReadLimits.defaults().withMaxScalarLength(50)));
    assertTrue(e.getMessage().contains("maxScalarLength = 50"), e.getMessage());
    assertThrows(ParseException.class, () -> PackingReaders.parseBpplib("b", "1\n10\n3\n",
        ReadLimits.defaults().withMaxBytes(3)));
  }

  @Test
  void pathReadersReportMissingFilesAsParseExceptions(@TempDir Path dir) {
    Path missing = dir.resolve("nosuch.vbp");
    ParseException e = assertThrows(ParseException.class, () -> PackingReaders.readVbp(missing));
    assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    assertThrows(ParseException.class, () -> PackingReaders.readBpplib(dir.resolve("x.txt")));
    assertThrows(ParseException.class,
        () -> PackingReaders.readOptimaTable(dir.resolve("optima.csv")));
    assertThrows(ParseException.class, () -> PackingReaders.readBpplib(dir));
  }

  @Test
  void pathReadersReportInvalidUtf8AsParseExceptions(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bad.txt");
    Files.write(file, new byte[] {'2', '\n', '1', '0', '\n', (byte) 0xFF, '\n', '3', '\n'});
    ParseException e = assertThrows(ParseException.class, () -> PackingReaders.readBpplib(file));
    assertTrue(e.getMessage().contains("invalid UTF-8"), e.getMessage());
    assertEquals(3, e.line());
    assertEquals(1, e.column());
    Path vbp = dir.resolve("bad.vbp");
    Files.write(vbp, new byte[] {'1', '\n', (byte) 0xC0, (byte) 0x80});
    assertThrows(ParseException.class, () -> PackingReaders.readVbp(vbp));
    Path good = dir.resolve("good.txt");
    Files.writeString(good, "2\n10\n3\n4\n", StandardCharsets.UTF_8);
    assertEquals(2, PackingReaders.readBpplib(good).itemCount());
  }
}

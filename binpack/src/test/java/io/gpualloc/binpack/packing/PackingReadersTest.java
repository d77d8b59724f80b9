package io.gpualloc.binpack.packing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.ParseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackingReadersTest {
  @Test
  void optimaTableRowsAreKeyedByTrimmedHeader(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("optima.csv");
    Files.writeString(f, "file, opt ,ffd\na.txt,5,6\n\nb.txt, 7,\n");
    List<Map<String, String>> rows = PackingReaders.readOptimaTable(f);
    assertEquals(2, rows.size());
    assertEquals("5", rows.get(0).get("opt"));
    assertEquals("7", rows.get(1).get("opt"));
    assertEquals("", rows.get(1).get("ffd"));
    Path empty = dir.resolve("empty.csv");
    Files.writeString(empty, "");
    assertThrows(ParseException.class, () -> PackingReaders.readOptimaTable(empty));
  }

  @Test
  void readsBpplibWithCrlf() {
    PackingInstance in = PackingReaders.parseBpplib("t", "3\r\n10\r\n7\r\n5\r\n3\r\n");
    assertEquals(3, in.itemCount());
    assertEquals(1, in.dimensions());
    assertEquals(10, in.maxCapacity(0));
    assertEquals(5, in.size(1, 0));
    assertTrue(in.isClassic());
  }

  @Test
  void readsVbpExpandingDemands() {
    PackingInstance in = PackingReaders.parseVbp("v", "2\n10 20\n2\n3 4 2\n5 0 1\n");
    assertEquals(3, in.itemCount());
    assertEquals(2, in.dimensions());
    assertEquals(20, in.maxCapacity(1));
    assertEquals(4, in.size(1, 1));
    assertEquals(0, in.size(2, 1));
  }

  @Test
  void reportsLineAndColumnOfABadToken() {
    ParseException e = assertThrows(ParseException.class,
        () -> PackingReaders.parseVbp("v.vbp", "2\n10 20\n1\n3 x4 2\n"));
    assertEquals(4, e.line());
    assertEquals(3, e.column());
    assertTrue(e.getMessage().contains("x4"), e.getMessage());
  }

  @Test
  void reportsTruncatedInput() {
    ParseException e = assertThrows(ParseException.class,
        () -> PackingReaders.parseBpplib("b.txt", "3\n10\n4\n5\n"));
    assertEquals(5, e.line());
    assertTrue(e.getMessage().contains("weight of item 3"), e.getMessage());
  }

  @Test
  void rejectsTrailingTokensAndNegativeNumbers() {
    ParseException extra = assertThrows(ParseException.class,
        () -> PackingReaders.parseBpplib("b.txt", "1\n10\n4\n9\n"));
    assertEquals(4, extra.line());
    ParseException neg = assertThrows(ParseException.class,
        () -> PackingReaders.parseBpplib("b.txt", "1\n-10\n4\n"));
    assertEquals(2, neg.line());
    assertEquals(1, neg.column());
  }

  @Test
  void rejectsAllZeroItemType() {
    ParseException e = assertThrows(ParseException.class,
        () -> PackingReaders.parseVbp("v.vbp", "2\n10 20\n1\n0 0 3\n"));
    assertEquals(4, e.line());
  }
}

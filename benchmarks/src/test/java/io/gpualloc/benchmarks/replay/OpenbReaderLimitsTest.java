package io.gpualloc.benchmarks.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.ParseException;
import io.gpualloc.core.ReadLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Regression tests of issue 10 for the openb trace reader. */
class OpenbReaderLimitsTest {

  @Test
  void aTrailingCommaInTheHeaderIsAParseException() {
    // Formerly commons-csv's IllegalArgumentException (an empty header name).
    String text = "name,cpu_milli,memory_mib,num_gpu,gpu_milli,\np0,1000,10,1,1000,\n";
    ParseException e = assertThrows(ParseException.class,
        () -> OpenbReader.readPods("pods.csv", text));
    assertEquals(1, e.line());
    assertEquals(6, e.column());
    assertTrue(e.getMessage().contains("empty name"), e.getMessage());
  }

  @Test
  void gpuSpecWithoutCreationAndDeletionTimeIsAParseException() {
    // Formerly a NullPointerException.
    String text = "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec\np0,1000,10,1,1000,T4\n";
    ParseException e = assertThrows(ParseException.class,
        () -> OpenbReader.readPods("pods.csv", text));
    assertEquals(1, e.line());
    assertTrue(e.getMessage().contains("lacks column 'creation_time'"), e.getMessage());
  }

  @Test
  void aDuplicatedHeaderNameIsAParseException() {
    // Formerly accepted silently (the last column won).
    String pods = "name,cpu_milli,memory_mib,num_gpu,gpu_milli,num_gpu\np0,1000,10,1,1000,2\n";
    ParseException e = assertThrows(ParseException.class,
        () -> OpenbReader.readPods("pods.csv", pods));
    assertEquals(1, e.line());
    assertEquals(6, e.column());
    assertTrue(e.getMessage().contains("'num_gpu' repeats column 4"), e.getMessage());
    String nodes = "sn,cpu_milli,memory_mib,gpu,model,sn\nn0,1,1,0,,x\n";
    assertThrows(ParseException.class, () -> OpenbReader.readNodes("nodes.csv", nodes));
  }

  @Test
  void limitsOnRowsColumnsAndCells() {
    String pods = "name,cpu_milli,memory_mib,num_gpu,gpu_milli\na,1,1,0,0\nb,1,1,0,0\n";
    ParseException rows = assertThrows(ParseException.class, () -> OpenbReader.readPods("p",
        pods, ReadLimits.defaults().withMaxItems(1)));
    assertEquals(3, rows.line());
    assertThrows(ParseException.class, () -> OpenbReader.readPods("p", pods,
        ReadLimits.defaults().withMaxColumns(4)));
    ParseException cell = assertThrows(ParseException.class, () -> OpenbReader.readPods("p",
        pods.replace("\na,", "\n" + "a".repeat(100) + ","),
        ReadLimits.defaults().withMaxScalarLength(50)));
    assertEquals(2, cell.line());
    String nodes = "sn,cpu_milli,memory_mib,gpu,model\nn0,1,1,200,G2\n";
    ParseException gpus = assertThrows(ParseException.class,
        () -> OpenbReader.readNodes("n", nodes));
    assertTrue(gpus.getMessage().contains("0..128"), gpus.getMessage());
    assertThrows(ParseException.class, () -> OpenbReader.readNodes("n",
        nodes.replace("200", "1") + "n1,1,1,1,G2\n", ReadLimits.defaults().withMaxNodes(1)));
  }

  @Test
  void pathProblemsAreParseExceptions(@TempDir Path dir) throws IOException {
    assertThrows(ParseException.class, () -> OpenbReader.readPods(dir.resolve("nosuch.csv")));
    Path bad = dir.resolve("bad.csv");
    Files.write(bad, new byte[] {'s', 'n', (byte) 0xFE, '\n'});
    ParseException e = assertThrows(ParseException.class, () -> OpenbReader.readNodes(bad));
    assertTrue(e.getMessage().contains("invalid UTF-8"), e.getMessage());
  }

  @Test
  void anUnclosedQuoteIsAParseException() {
    assertThrows(ParseException.class, () -> OpenbReader.readPods("q",
        "name,cpu_milli,memory_mib,num_gpu,gpu_milli\n\"p0,1,1,0,0\n"));
  }
}

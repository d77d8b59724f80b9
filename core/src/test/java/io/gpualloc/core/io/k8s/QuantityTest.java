package io.gpualloc.core.io.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.InvalidSpecException;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Quantities as Kubernetes writes them, with hand-computed values. */
class QuantityTest {

  private static BigDecimal v(String text) {
    return Quantity.parse(text).value();
  }

  @Test
  void suffixes() {
    assertEquals(0, v("500m").compareTo(new BigDecimal("0.5")));
    assertEquals(0, v("2").compareTo(BigDecimal.valueOf(2)));
    assertEquals(0, v("16Gi").compareTo(BigDecimal.valueOf(16L << 30)));
    assertEquals(0, v("1.5Gi").compareTo(BigDecimal.valueOf(3L << 29)));
    assertEquals(0, v("128974848").compareTo(BigDecimal.valueOf(128974848)));
    assertEquals(0, v("129e6").compareTo(BigDecimal.valueOf(129_000_000)));
    assertEquals(0, v("123Mi").compareTo(BigDecimal.valueOf(123L << 20)));
    assertEquals(0, v("1k").compareTo(BigDecimal.valueOf(1000)));
    assertEquals(0, v("1E").compareTo(new BigDecimal("1e18")));
    assertEquals(0, v("100n").compareTo(new BigDecimal("1e-7")));
    assertEquals(0, v(".5").compareTo(new BigDecimal("0.5")));
    assertEquals(0, v("+3").compareTo(BigDecimal.valueOf(3)));
  }

  @Test
  void equalAmountsAreEqualRecords() {
    assertEquals(Quantity.parse("1"), Quantity.parse("1000m"));
    assertEquals(Quantity.parse("1Ki"), Quantity.parse("1024"));
    assertEquals(new Quantity(new BigDecimal("2.50")), Quantity.parse("2500m"));
  }

  @Test
  void conversionsRoundTheStatedWay() {
    assertEquals(500, Quantity.parse("500m").milliCeil("t", "cpu"));
    assertEquals(1, Quantity.parse("0.0001").milliCeil("t", "cpu"));
    assertEquals(0, Quantity.parse("0.0001").milliFloor("t", "cpu"));
    assertEquals(16384, Quantity.parse("16Gi").mibCeil("t", "memory"));
    assertEquals(124, Quantity.parse("129e6").mibCeil("t", "memory")); // 123.02 MiB, up
    assertEquals(123, Quantity.parse("129e6").mibFloor("t", "memory"));
    assertEquals(123, Quantity.parse("130e6").mibFloor("t", "memory")); // 123.98 MiB, down
    assertEquals(2, Quantity.parse("2").wholeNumber("t", "gpu"));
    assertEquals(2, Quantity.parse("2000m").wholeNumber("t", "gpu"));
  }

  @Test
  void malformedNamesTheOffset() {
    InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> Quantity.parse("12Xi"));
    assertTrue(e.getMessage().contains("offset 2"), e.getMessage());
    assertThrows(InvalidSpecException.class, () -> Quantity.parse(""));
    assertThrows(InvalidSpecException.class, () -> Quantity.parse("Gi"));
    assertThrows(InvalidSpecException.class, () -> Quantity.parse("1e"));
    assertThrows(InvalidSpecException.class, () -> Quantity.parse("1 Gi"));
    assertThrows(InvalidSpecException.class, () -> Quantity.parse("1.2.3"));
    assertThrows(InvalidSpecException.class, () -> Quantity.parse("1e1234"));
  }

  @Test
  void conversionsRejectRatherThanClamp() {
    InvalidSpecException e = assertThrows(InvalidSpecException.class,
        () -> Quantity.parse("1.5").wholeNumber("pod a/b", "nvidia.com/gpu"));
    assertTrue(e.getMessage().contains("nvidia.com/gpu of pod a/b is '1.5'"), e.getMessage());
    assertThrows(InvalidSpecException.class,
        () -> Quantity.parse("-1").milliCeil("t", "cpu"));
    assertThrows(InvalidSpecException.class,
        () -> Quantity.parse("3Ei").mibCeil("t", "memory"));
    assertThrows(InvalidSpecException.class,
        () -> Quantity.parse("3000000").milliCeil("t", "cpu"));
  }
}

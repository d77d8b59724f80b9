package io.gpualloc.core.io.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gpualloc.core.InvalidSpecException;
import java.math.BigDecimal;
import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Quantities: printed values read back exactly; any string reads or fails typed. */
class QuantityPropertiesTest {

  @Property(tries = 300)
  void plainTextRoundTrips(@ForAll("decimals") BigDecimal d) {
    assertEquals(0, Quantity.parse(d.toPlainString()).value().compareTo(d));
    assertEquals(0, Quantity.parse(Quantity.parse(d.toPlainString()).toString()).value()
        .compareTo(d));
  }

  @Property(tries = 300)
  void binarySuffixesMultiply(@ForAll("small") long n, @ForAll("binary") int power) {
    String[] suffix = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    BigDecimal expected = BigDecimal.valueOf(n).multiply(
        new BigDecimal(BigInteger.ONE.shiftLeft(10 * (power + 1))));
    assertEquals(0, Quantity.parse(n + suffix[power]).value().compareTo(expected));
  }

  @Property(tries = 500)
  void anyStringReadsOrFailsTyped(@ForAll("texts") String s) {
    try {
      Quantity q = Quantity.parse(s);
      assertEquals(0, Quantity.parse(q.toString()).value().compareTo(q.value()));
    } catch (InvalidSpecException expected) {
      // typed error: fine
    }
  }

  @Provide
  Arbitrary<BigDecimal> decimals() {
    return Arbitraries.bigDecimals().between(new BigDecimal("-1e12"), new BigDecimal("1e12"))
        .ofScale(4);
  }

  @Provide
  Arbitrary<Long> small() {
    return Arbitraries.longs().between(0, 1 << 20);
  }

  @Provide
  Arbitrary<Integer> binary() {
    return Arbitraries.integers().between(0, 5);
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.strings().withChars("0123456789.+-eEmkMGTPiKnu ").ofMaxLength(12);
  }
}

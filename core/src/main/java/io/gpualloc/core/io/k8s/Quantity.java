package io.gpualloc.core.io.k8s;

import io.gpualloc.core.InvalidSpecException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * A Kubernetes resource quantity ({@code "500m"}, {@code "16Gi"}, {@code "2"}, {@code "1e3"}),
 * held exactly as a {@link BigDecimal}.
 *
 * <p>The grammar is the API server's: an optional sign, digits with an optional fraction, then at
 * most one suffix: a binary one ({@code Ki Mi Gi Ti Pi Ei}), a decimal SI one ({@code n u m k M G T
 * P E}) or a decimal exponent ({@code e3}, {@code E-2}). Conversions to gpualloc's integer units
 * say how they round; none of them silently clamps.
 *
 * @param value the exact value in the resource's base unit (cores, bytes, devices)
 */
public record Quantity(BigDecimal value) {
  private static final int MAX_TEXT = 64;
  private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
  private static final BigDecimal MIB = BigDecimal.valueOf(1024L * 1024L);
  private static final BigDecimal INT_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);

  /**
   * Validates the value and strips trailing zeros, so that equal amounts are equal records.
   *
   * @param value the exact value in the resource's base unit
   */
  public Quantity {
    if (value == null) {
      throw InvalidSpecException.of("quantity", "value", null, "a number");
    }
    value = value.stripTrailingZeros();
  }

  /**
   * Parses a quantity string.
   *
   * @param text the quantity as Kubernetes writes it, for example {@code "500m"}
   * @return the quantity
   * @throws InvalidSpecException when {@code text} is not a quantity; the message names the text
   *     and the offset of the first bad character
   */
  public static Quantity parse(String text) {
    if (text == null || text.isEmpty()) {
      throw InvalidSpecException.of("quantity", "text", text,
          "a number with an optional suffix, for example '500m', '16Gi' or '2'");
    }
    if (text.length() > MAX_TEXT) {
      throw InvalidSpecException.of("quantity", "text", text.substring(0, 16) + "...",
          "at most " + MAX_TEXT + " characters");
    }
    int i = 0;
    int n = text.length();
    if (text.charAt(0) == '+' || text.charAt(0) == '-') {
      i++;
    }
    int digitsStart = i;
    while (i < n && isDigit(text.charAt(i))) {
      i++;
    }
    int intDigits = i - digitsStart;
    int fracDigits = 0;
    if (i < n && text.charAt(i) == '.') {
      i++;
      int fracStart = i;
      while (i < n && isDigit(text.charAt(i))) {
        i++;
      }
      fracDigits = i - fracStart;
    }
    if (intDigits + fracDigits == 0) {
      throw bad(text, i, "a digit");
    }
    BigDecimal number = new BigDecimal(text.substring(0, i));
    String suffix = text.substring(i);
    BigDecimal scaled;
    switch (suffix) {
      case "": scaled = number; break;
      case "n": scaled = number.scaleByPowerOfTen(-9); break;
      case "u": scaled = number.scaleByPowerOfTen(-6); break;
      case "m": scaled = number.scaleByPowerOfTen(-3); break;
      case "k": scaled = number.scaleByPowerOfTen(3); break;
      case "M": scaled = number.scaleByPowerOfTen(6); break;
      case "G": scaled = number.scaleByPowerOfTen(9); break;
      case "T": scaled = number.scaleByPowerOfTen(12); break;
      case "P": scaled = number.scaleByPowerOfTen(15); break;
      case "E": scaled = number.scaleByPowerOfTen(18); break;
      case "Ki": scaled = binary(number, 10); break;
      case "Mi": scaled = binary(number, 20); break;
      case "Gi": scaled = binary(number, 30); break;
      case "Ti": scaled = binary(number, 40); break;
      case "Pi": scaled = binary(number, 50); break;
      case "Ei": scaled = binary(number, 60); break;
      default:
        scaled = exponent(text, i, number);
    }
    return new Quantity(scaled.stripTrailingZeros());
  }

  private static Quantity.Bad bad(String text, int offset, String expected) {
    return new Quantity.Bad(text, offset, expected);
  }

  private static BigDecimal binary(BigDecimal number, int shift) {
    return number.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(shift)));
  }

  private static BigDecimal exponent(String text, int at, BigDecimal number) {
    int i = at;
    int n = text.length();
    if (text.charAt(i) != 'e' && text.charAt(i) != 'E') {
      throw bad(text, at, "a suffix (Ki Mi Gi Ti Pi Ei, n u m k M G T P E, or e<exponent>)");
    }
    i++;
    int signAt = i;
    if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
      i++;
    }
    int start = i;
    while (i < n && isDigit(text.charAt(i))) {
      i++;
    }
    if (i == start) {
      throw bad(text, i, "the digits of an exponent");
    }
    if (i < n) {
      throw bad(text, i, "the end of the quantity");
    }
    if (i - start > 3) {
      throw bad(text, start, "an exponent of at most 3 digits");
    }
    int exp = Integer.parseInt(text.substring(signAt, i).replace("+", ""));
    return number.scaleByPowerOfTen(exp);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /**
   * The value in thousandths (CPU millicores), rounded up as Kubernetes rounds a request
   * ({@code "0.0001"} is 1 milli).
   *
   * @param owner what the quantity belongs to, for the message
   * @param field the field's name, for the message
   * @return the value in thousandths, rounded up
   * @throws InvalidSpecException when the value is negative or above {@code Integer.MAX_VALUE}
   */
  public int milliCeil(String owner, String field) {
    return toInt(owner, field, value.multiply(THOUSAND).setScale(0, RoundingMode.CEILING));
  }

  /**
   * The value in thousandths, rounded down (what a node offers: never more than it has).
   *
   * @param owner what the quantity belongs to, for the message
   * @param field the field's name, for the message
   * @return the value in thousandths, rounded down
   * @throws InvalidSpecException when the value is negative or above {@code Integer.MAX_VALUE}
   */
  public int milliFloor(String owner, String field) {
    return toInt(owner, field, value.multiply(THOUSAND).setScale(0, RoundingMode.FLOOR));
  }

  /**
   * The value in bytes converted to MiB, rounded up (what a request needs).
   *
   * @param owner what the quantity belongs to, for the message
   * @param field the field's name, for the message
   * @return the value in MiB, rounded up
   * @throws InvalidSpecException when the value is negative or above {@code Integer.MAX_VALUE} MiB
   */
  public int mibCeil(String owner, String field) {
    return toInt(owner, field, value.divide(MIB, 0, RoundingMode.CEILING));
  }

  /**
   * The value in bytes converted to MiB, rounded down (what a node offers).
   *
   * @param owner what the quantity belongs to, for the message
   * @param field the field's name, for the message
   * @return the value in MiB, rounded down
   * @throws InvalidSpecException when the value is negative or above {@code Integer.MAX_VALUE} MiB
   */
  public int mibFloor(String owner, String field) {
    return toInt(owner, field, value.divide(MIB, 0, RoundingMode.FLOOR));
  }

  /**
   * The value as a whole number (device counts, HAMi's MiB and percent), with no rounding.
   *
   * @param owner what the quantity belongs to, for the message
   * @param field the field's name, for the message
   * @return the value as an {@code int}
   * @throws InvalidSpecException when the value has a fraction, is negative or is above {@code
   *     Integer.MAX_VALUE}
   */
  public int wholeNumber(String owner, String field) {
    BigDecimal v = value.stripTrailingZeros();
    if (v.scale() > 0) {
      throw InvalidSpecException.of(owner, field, v.toPlainString(),
          "a whole number (extended resources cannot be fractional)");
    }
    return toInt(owner, field, v);
  }

  private static int toInt(String owner, String field, BigDecimal v) {
    if (v.signum() < 0) {
      throw InvalidSpecException.of(owner, field, v.toPlainString(), ">= 0");
    }
    if (v.compareTo(INT_MAX) > 0) {
      throw InvalidSpecException.of(owner, field, v.toPlainString(),
          "<= " + Integer.MAX_VALUE + " in gpualloc's unit");
    }
    return v.intValueExact();
  }

  /**
   * The canonical decimal text of the value, without suffix (for example {@code "0.5"}).
   *
   * @return the plain decimal text
   */
  @Override
  public String toString() {
    return value.toPlainString();
  }

  /** A string that is not a quantity: the offset of the first bad character and what was expected. */
  static final class Bad extends InvalidSpecException {
    private static final long serialVersionUID = 1L;

    Bad(String text, int offset, String expected) {
      super("quantity '" + text + "' is malformed at offset " + offset + ": expected " + expected);
    }
  }
}

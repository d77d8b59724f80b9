package io.gpualloc.core.testing;

import io.gpualloc.core.ParseException;
import io.gpualloc.core.ReadLimits;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Mutation fuzzing of the readers (issue 10): valid seed files are mutated the way an attacker or
 * a broken exporter would (byte flips, truncation, duplicated and removed lines and columns, huge
 * and negative numbers, deep nesting, long scalars, CRLF, tabs, invalid UTF-8) and each mutant is
 * fed to a reader, which must return a value or throw {@link ParseException}; anything else (an
 * unchecked exception of another type, an error such as {@code OutOfMemoryError} or {@code
 * StackOverflowError}) fails the run.
 *
 * <p>Two more checks guard resources, both as <em>detectors</em> with large factors so that a
 * loaded machine cannot make them fail (the house rule: unit tests never fail on timing):
 *
 * <ul>
 *   <li>a hang detector: one input may take at most {@link #HANG_BASE_NANOS} plus {@link
 *       #HANG_NANOS_PER_BYTE} per byte of input, some thousand times what a linear reader needs;
 *   <li>an allocation detector: the reading thread may allocate at most {@link
 *       #ALLOC_BASE_BYTES} plus {@link #ALLOC_PER_INPUT_BYTE} bytes per input byte, which an
 *       amplification such as "{@code count: 100000000}" GPUs exceeds by orders of magnitude.
 * </ul>
 *
 * <p>Short runs are jqwik properties in every build ({@code *FuzzProperties} in each module). The
 * long run, {@link #longRun}, mutates seeds with a seeded {@link Random} for {@code
 * -Dgpualloc.fuzz.long=true} ({@code -Dgpualloc.fuzz.iterations=N}, default 200,000 per reader;
 * {@code -Dgpualloc.fuzz.seed=S}). A failing input is written to {@code target/fuzz-crashes/} to be
 * pinned as a regression test.
 */
public final class Fuzz {
  /** The fixed part of the hang detector's bound: 20 s. */
  public static final long HANG_BASE_NANOS = 20_000_000_000L;
  /** The per-byte part of the hang detector's bound: 50 us per byte. */
  public static final long HANG_NANOS_PER_BYTE = 50_000L;
  /** The fixed part of the allocation detector's bound: 256 MiB. */
  public static final long ALLOC_BASE_BYTES = 256L << 20;
  /** The per-input-byte part of the allocation detector's bound. */
  public static final long ALLOC_PER_INPUT_BYTE = 4_000L;

  private static final String[] NUMBERS = {
      "0", "-1", "-2147483648", "2147483647", "2147483648", "100000000", "10000000",
      "9223372036854775808", "99999999999999999999999", "1e400", "0x7fffffff", "1.5", "NaN", "-0"};
  private static final String[] STRUCTURE = {
      "{", "}", "[", "]", ",", ":", "\"", "'", "-", "#", "&a", "*a", "!", "|", ">", "\n", "\t", " ",
      "X", "NV18", "N/A", "---", "\u001B[31m", "\u0000"};
  private static final byte[][] BAD_UTF8 = {
      {(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0x80}, {(byte) 0xC0, (byte) 0x80},
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80,
      (byte) 0x80}, {(byte) 0xE2, (byte) 0x82}};

  private Fuzz() {}

  /**
   * Mutants of the seeds: a seed and a mutation seed, combined by {@link #mutate}.
   *
   * @param seeds the valid inputs to start from (UTF-8 text)
   * @return the arbitrary of mutated inputs
   */
  public static Arbitrary<byte[]> mutants(List<String> seeds) {
    List<byte[]> bytes = new ArrayList<>();
    for (String s : seeds) {
      bytes.add(s.getBytes(StandardCharsets.UTF_8));
    }
    return Combinators.combine(Arbitraries.of(bytes), Arbitraries.longs())
        .as((seed, m) -> mutate(seed, new Random(m)));
  }

  /**
   * Applies one to four random mutations to {@code seed}.
   *
   * @param seed the input to mutate (not modified)
   * @param r the randomness
   * @return the mutant
   */
  public static byte[] mutate(byte[] seed, Random r) {
    byte[] b = seed.clone();
    int count = 1 + r.nextInt(4);
    for (int k = 0; k < count; k++) {
      b = mutateOnce(b, r);
    }
    return b;
  }

  private static byte[] mutateOnce(byte[] b, Random r) {
    int at = b.length == 0 ? 0 : r.nextInt(b.length + 1);
    switch (r.nextInt(12)) {
      case 0: { // flip a byte
        if (b.length == 0) {
          return b;
        }
        byte[] c = b.clone();
        c[r.nextInt(c.length)] ^= (byte) (1 << r.nextInt(8));
        return c;
      }
      case 1: // truncate
        return Arrays.copyOf(b, at);
      case 2: // duplicate a line (rows, keys, header names)
        return lines(b, r, true);
      case 3: // remove a line
        return lines(b, r, false);
      case 4: // duplicate or remove a column (a comma- or white-space-separated token)
        return column(b, r);
      case 5: // a huge, negative or odd number in place of a number
        return replaceNumber(b, r);
      case 6: { // deep nesting
        String open = r.nextBoolean() ? "[" : "{a: ";
        return insert(b, at, open.repeat(1 + r.nextInt(5000)));
      }
      case 7: // a long scalar
        return insert(b, at, "a".repeat(1 + r.nextInt(r.nextBoolean() ? 100 : 70_000)));
      case 8: // CRLF
        return new String(b, StandardCharsets.ISO_8859_1).replace("\n", "\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
      case 9: // tabs
        return new String(b, StandardCharsets.ISO_8859_1).replace(r.nextBoolean() ? "," : " ",
            "\t").getBytes(StandardCharsets.ISO_8859_1);
      case 10: { // invalid UTF-8
        byte[] bad = BAD_UTF8[r.nextInt(BAD_UTF8.length)];
        return insert(b, at, bad);
      }
      default: // a structural token
        return insert(b, at, STRUCTURE[r.nextInt(STRUCTURE.length)]);
    }
  }

  private static byte[] insert(byte[] b, int at, String s) {
    return insert(b, at, s.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] insert(byte[] b, int at, byte[] s) {
    byte[] c = new byte[b.length + s.length];
    System.arraycopy(b, 0, c, 0, at);
    System.arraycopy(s, 0, c, at, s.length);
    System.arraycopy(b, at, c, at + s.length, b.length - at);
    return c;
  }

  private static byte[] lines(byte[] b, Random r, boolean duplicate) {
    String s = new String(b, StandardCharsets.ISO_8859_1);
    List<String> lines = new ArrayList<>(Arrays.asList(s.split("\n", -1)));
    int i = r.nextInt(lines.size());
    if (duplicate) {
      lines.add(i, lines.get(i));
    } else {
      lines.remove(i);
    }
    return String.join("\n", lines).getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] column(byte[] b, Random r) {
    String s = new String(b, StandardCharsets.ISO_8859_1);
    List<String> lines = new ArrayList<>(Arrays.asList(s.split("\n", -1)));
    int i = r.nextInt(lines.size());
    String sep = lines.get(i).contains(",") ? "," : lines.get(i).contains("\t") ? "\t" : " ";
    List<String> cells = new ArrayList<>(Arrays.asList(lines.get(i).split(sep, -1)));
    int c = r.nextInt(cells.size());
    if (r.nextBoolean()) {
      cells.add(c, cells.get(c));
    } else if (cells.size() > 1) {
      cells.remove(c);
    }
    lines.set(i, String.join(sep, cells));
    return String.join("\n", lines).getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] replaceNumber(byte[] b, Random r) {
    List<int[]> runs = new ArrayList<>();
    int start = -1;
    for (int i = 0; i <= b.length; i++) {
      boolean digit = i < b.length && b[i] >= '0' && b[i] <= '9';
      if (digit && start < 0) {
        start = i;
      } else if (!digit && start >= 0) {
        runs.add(new int[] {start, i});
        start = -1;
      }
    }
    String n = NUMBERS[r.nextInt(NUMBERS.length)];
    if (runs.isEmpty()) {
      return insert(b, r.nextInt(b.length + 1), n);
    }
    int[] run = runs.get(r.nextInt(runs.size()));
    byte[] nb = n.getBytes(StandardCharsets.US_ASCII);
    byte[] c = new byte[b.length - (run[1] - run[0]) + nb.length];
    System.arraycopy(b, 0, c, 0, run[0]);
    System.arraycopy(nb, 0, c, run[0], nb.length);
    System.arraycopy(b, run[1], c, run[0] + nb.length, b.length - run[1]);
    return c;
  }

  /**
   * Decodes the input as strict UTF-8 the way the {@code Path} readers do ({@link
   * ReadLimits#decodeUtf8}), so that invalid UTF-8 takes the readers' own path.
   *
   * @param input the bytes
   * @return the text
   * @throws ParseException when the bytes are not UTF-8
   */
  public static String text(byte[] input) {
    return ReadLimits.decodeUtf8("fuzz", input);
  }

  /**
   * Feeds one input to a reader and checks the outcome, the time and the allocation.
   *
   * @param reader the reader's name for messages and crash files
   * @param input the input
   * @param read the reader
   * @throws AssertionError when the reader throws anything but ParseException, hangs or
   *     over-allocates
   */
  public static void check(String reader, byte[] input, Function<byte[], ?> read) {
    long allocBefore = allocatedBytes();
    long t = System.nanoTime();
    Object value = "";
    try {
      value = read.apply(input);
    } catch (ParseException e) {
      if (e.getMessage() == null || e.getMessage().isBlank()) {
        fail(reader, input, "a ParseException without a message", e);
      }
    } catch (Throwable e) {
      fail(reader, input, "threw " + e, e);
    }
    long nanos = System.nanoTime() - t;
    if (value == null) {
      fail(reader, input, "returned null", null);
    }
    long hang = HANG_BASE_NANOS + HANG_NANOS_PER_BYTE * input.length;
    if (nanos > hang) {
      fail(reader, input, "took " + nanos / 1_000_000 + " ms; the hang detector allows "
          + hang / 1_000_000 + " ms for " + input.length + " bytes", null);
    }
    long allocated = allocatedBytes() - allocBefore;
    long cap = ALLOC_BASE_BYTES + ALLOC_PER_INPUT_BYTE * input.length;
    if (allocBefore >= 0 && allocated > cap) {
      fail(reader, input, "allocated " + allocated + " bytes; the detector allows " + cap
          + " for " + input.length + " bytes", null);
    }
  }

  private static void fail(String reader, byte[] input, String what, Throwable cause) {
    String file = "";
    try {
      Path dir = Path.of("target", "fuzz-crashes");
      Files.createDirectories(dir);
      Path f = dir.resolve(reader + "-" + Integer.toHexString(Arrays.hashCode(input)) + ".bin");
      Files.write(f, input);
      file = " (input saved to " + f.toAbsolutePath() + ")";
    } catch (IOException | RuntimeException e) {
      file = " (input could not be saved: " + e + ")";
    }
    String shown = input.length <= 400 ? HexFormat.of().formatHex(input)
        : HexFormat.of().formatHex(input, 0, 400) + "...";
    AssertionError error = new AssertionError(reader + " " + what + " on " + input.length
        + " bytes" + file + "; hex: " + shown);
    if (cause != null) {
      error.initCause(cause);
    }
    throw error;
  }

  /**
   * The long run for one reader: {@code gpualloc.fuzz.iterations} mutants (default 200,000) of
   * the seeds, from {@code gpualloc.fuzz.seed} (default 1). Call it from a test that first checks
   * {@link #longRunEnabled()}.
   *
   * @param reader the reader's name
   * @param seeds valid inputs
   * @param read the reader
   */
  public static void longRun(String reader, List<String> seeds, Function<byte[], ?> read) {
    int iterations = Integer.getInteger("gpualloc.fuzz.iterations", 200_000);
    Random r = new Random(Long.getLong("gpualloc.fuzz.seed", 1L));
    List<byte[]> bytes = new ArrayList<>();
    for (String s : seeds) {
      bytes.add(s.getBytes(StandardCharsets.UTF_8));
    }
    for (int i = 0; i < iterations; i++) {
      check(reader, mutate(bytes.get(r.nextInt(bytes.size())), r), read);
    }
  }

  /**
   * Whether the long run is switched on ({@code -Dgpualloc.fuzz.long=true}).
   *
   * @return the flag
   */
  public static boolean longRunEnabled() {
    return Boolean.getBoolean("gpualloc.fuzz.long");
  }

  private static final Method THREAD_ALLOCATED = threadAllocated();
  private static final Object THREAD_BEAN = threadBean();

  private static Object threadBean() {
    try {
      return Class.forName("java.lang.management.ManagementFactory")
          .getMethod("getThreadMXBean").invoke(null);
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new IllegalStateException("the allocation detector needs java.management", e);
    }
  }

  private static Method threadAllocated() {
    try {
      Method m = Class.forName("com.sun.management.ThreadMXBean")
          .getMethod("getCurrentThreadAllocatedBytes");
      return m;
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new IllegalStateException("the allocation detector needs jdk.management", e);
    }
  }

  /** Bytes allocated by the current thread so far (HotSpot's per-thread counter). */
  private static long allocatedBytes() {
    try {
      return (long) THREAD_ALLOCATED.invoke(THREAD_BEAN);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("the allocation detector failed", e);
    }
  }
}

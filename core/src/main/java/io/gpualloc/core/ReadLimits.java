package io.gpualloc.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The limits a reader enforces on untrusted input, so that a hostile or broken file costs at most
 * time and memory proportional to these numbers, never more. Every reader of gpualloc (cluster,
 * requests and placements JSON/YAML, {@code nvidia-smi topo -m} text, the openb trace CSV, BPPLIB
 * and VPSolver packing files) takes a {@code ReadLimits}; overloads without one use {@link
 * #defaults()}. A limit is checked <em>before</em> the memory it guards is allocated and its
 * violation is a {@link ParseException} giving the position, the value and the limit.
 *
 * <p>Each reader documents which of the limits it applies; those that do not concern a format are
 * ignored by its reader. The defaults are sized for real fleets and real benchmark files with
 * room to spare: change them with the {@code with...} methods, for example {@code
 * ReadLimits.defaults().withMaxNodes(500_000)}.
 *
 * @param maxBytes the largest input, in bytes for files and in chars for text (default {@value
 *     #DEFAULT_MAX_BYTES}, 256 MiB)
 * @param maxNodes the most nodes in a cluster or node list (default {@value #DEFAULT_MAX_NODES})
 * @param maxGpusPerNode the most GPUs one node may have, in a cluster file, a trace's node list or
 *     a {@code topo -m} matrix (default {@value #DEFAULT_MAX_GPUS_PER_NODE})
 * @param maxNicsPerNode the most NIC columns of a {@code topo -m} matrix (default {@value
 *     #DEFAULT_MAX_NICS_PER_NODE})
 * @param maxItems the most records of a list: requests, placements, trace pods, GPU model
 *     definitions, and packing items counted with their demand (copies) (default {@value
 *     #DEFAULT_MAX_ITEMS})
 * @param maxColumns the most columns of a CSV header (default {@value #DEFAULT_MAX_COLUMNS})
 * @param maxDimensions the most dimensions of a vector packing file (default {@value
 *     #DEFAULT_MAX_DIMENSIONS})
 * @param maxScalarLength the longest single value: a string, number or CSV cell, in chars
 *     (default {@value #DEFAULT_MAX_SCALAR_LENGTH})
 * @param maxDepth the deepest nesting of lists and objects in JSON and YAML (default {@value
 *     #DEFAULT_MAX_DEPTH})
 */
public record ReadLimits(
    long maxBytes,
    int maxNodes,
    int maxGpusPerNode,
    int maxNicsPerNode,
    int maxItems,
    int maxColumns,
    int maxDimensions,
    int maxScalarLength,
    int maxDepth) {

  /** Default of {@link #maxBytes()}: 256 MiB. */
  public static final long DEFAULT_MAX_BYTES = 256L * 1024 * 1024;
  /** Default of {@link #maxNodes()}. */
  public static final int DEFAULT_MAX_NODES = 100_000;
  /** Default of {@link #maxGpusPerNode()}. */
  public static final int DEFAULT_MAX_GPUS_PER_NODE = 128;
  /** Default of {@link #maxNicsPerNode()}. */
  public static final int DEFAULT_MAX_NICS_PER_NODE = 256;
  /** Default of {@link #maxItems()}. */
  public static final int DEFAULT_MAX_ITEMS = 1_000_000;
  /** Default of {@link #maxColumns()}. */
  public static final int DEFAULT_MAX_COLUMNS = 256;
  /** Default of {@link #maxDimensions()}. */
  public static final int DEFAULT_MAX_DIMENSIONS = 64;
  /** Default of {@link #maxScalarLength()}: 64 Ki chars. */
  public static final int DEFAULT_MAX_SCALAR_LENGTH = 64 * 1024;
  /** Default of {@link #maxDepth()}. */
  public static final int DEFAULT_MAX_DEPTH = 64;

  private static final ReadLimits DEFAULTS = new ReadLimits(
      DEFAULT_MAX_BYTES, DEFAULT_MAX_NODES, DEFAULT_MAX_GPUS_PER_NODE, DEFAULT_MAX_NICS_PER_NODE,
      DEFAULT_MAX_ITEMS, DEFAULT_MAX_COLUMNS, DEFAULT_MAX_DIMENSIONS, DEFAULT_MAX_SCALAR_LENGTH,
      DEFAULT_MAX_DEPTH);

  /**
   * Validates the limits.
   *
   * @param maxBytes the largest input, in bytes for files and in chars for text (default {@value
   *     #DEFAULT_MAX_BYTES}, 256 MiB)
   * @param maxNodes the most nodes in a cluster or node list (default {@value #DEFAULT_MAX_NODES})
   * @param maxGpusPerNode the most GPUs one node may have, in a cluster file, a trace's node list
   *     or a {@code topo -m} matrix (default {@value #DEFAULT_MAX_GPUS_PER_NODE})
   * @param maxNicsPerNode the most NIC columns of a {@code topo -m} matrix (default {@value
   *     #DEFAULT_MAX_NICS_PER_NODE})
   * @param maxItems the most records of a list: requests, placements, trace pods, GPU model
   *     definitions, and packing items counted with their demand (copies) (default {@value
   *     #DEFAULT_MAX_ITEMS})
   * @param maxColumns the most columns of a CSV header (default {@value #DEFAULT_MAX_COLUMNS})
   * @param maxDimensions the most dimensions of a vector packing file (default {@value
   *     #DEFAULT_MAX_DIMENSIONS})
   * @param maxScalarLength the longest single value: a string, number or CSV cell, in chars
   *     (default {@value #DEFAULT_MAX_SCALAR_LENGTH})
   * @param maxDepth the deepest nesting of lists and objects in JSON and YAML (default {@value
   *     #DEFAULT_MAX_DEPTH})
   * @throws InvalidSpecException when {@code maxBytes} is below 1 or above {@code
   *     Integer.MAX_VALUE - 8} (the largest Java string), or any other limit is below 1
   */
  public ReadLimits {
    if (maxBytes < 1 || maxBytes > Integer.MAX_VALUE - 8) {
      throw InvalidSpecException.of("ReadLimits", "maxBytes", maxBytes,
          "1.." + (Integer.MAX_VALUE - 8));
    }
    positive("maxNodes", maxNodes);
    positive("maxGpusPerNode", maxGpusPerNode);
    positive("maxNicsPerNode", maxNicsPerNode);
    positive("maxItems", maxItems);
    positive("maxColumns", maxColumns);
    positive("maxDimensions", maxDimensions);
    positive("maxScalarLength", maxScalarLength);
    positive("maxDepth", maxDepth);
  }

  private static void positive(String field, int value) {
    if (value < 1) {
      throw InvalidSpecException.of("ReadLimits", field, value, ">= 1");
    }
  }

  /**
   * The default limits (see the record components).
   *
   * @return the defaults
   */
  public static ReadLimits defaults() {
    return DEFAULTS;
  }

  /**
   * A copy with another {@link #maxBytes()}.
   *
   * @param value the new limit
   * @return the copy
   * @throws InvalidSpecException when the value is out of range
   */
  public ReadLimits withMaxBytes(long value) {
    return new ReadLimits(value, maxNodes, maxGpusPerNode, maxNicsPerNode, maxItems, maxColumns,
        maxDimensions, maxScalarLength, maxDepth);
  }

  /**
   * A copy with another {@link #maxNodes()}.
   *
   * @param value the new limit
   * @return the copy
   * @throws InvalidSpecException when the value is below 1
   */
  public ReadLimits withMaxNodes(int value) {
    return new ReadLimits(maxBytes, value, maxGpusPerNode, maxNicsPerNode, maxItems, maxColumns,
        maxDimensions, maxScalarLength, maxDepth);
  }

  /**
   * A copy with another {@link #maxGpusPerNode()}.
   *
   * @param value the new limit
   * @return the copy
   * @throws InvalidSpecException when the value is below 1
   */
  public ReadLimits withMaxGpusPerNode(int value) {
    return new ReadLimits(maxBytes, maxNodes, value, maxNicsPerNode, maxItems, maxColumns,
        maxDimensions, maxScalarLength, maxDepth);
  }

  /**
   * A copy with another {@link #maxNicsPerNode()}.
   *
   * @param value the new limit
   * @return the copy
   * @throws InvalidSpecException when the value is below 1
   */
  public ReadLimits withMaxNicsPerNode(int value) {
    return new ReadLimits(maxBytes, maxNodes, maxGpusPerNode, value, maxItems, maxColumns,
        maxDimensions, maxScalarLength, maxDepth);
  }

  /**
   * A copy with another {@link #maxItems()}.
   *
   * @param value the new limit
   * @return the copy
   * @throws InvalidSpecException when the value is below 1
   */
  public ReadLimits withMaxItems(int value) {
    return new ReadLimits(maxBytes, maxNodes, maxGpusPerNode, maxNicsPerNode, value, maxColumns,
        maxDimensions, maxScalarLength, maxDepth);
  }

  /**
   * A copy with another {@link #maxColumns()}.
   *
   * @param value the new limit
   * @return the copy
   * @throws InvalidSpecException when the value is below 1
   */
  public ReadLimits withMaxColumns(int value) {
    return new ReadLimits(maxBytes, maxNodes, maxGpusPerNode, maxNicsPerNode, maxItems, value,
        maxDimensions, maxScalarLength, maxDepth);
  }

  /**
   * A copy with another {@link #maxDimensions()}.
   *
   * @param value the new limit
   * @return the copy
   * @throws InvalidSpecException when the value is below 1
   */
  public ReadLimits withMaxDimensions(int value) {
    return new ReadLimits(maxBytes, maxNodes, maxGpusPerNode, maxNicsPerNode, maxItems, maxColumns,
        value, maxScalarLength, maxDepth);
  }

  /**
   * A copy with another {@link #maxScalarLength()}.
   *
   * @param value the new limit
   * @return the copy
   * @throws InvalidSpecException when the value is below 1
   */
  public ReadLimits withMaxScalarLength(int value) {
    return new ReadLimits(maxBytes, maxNodes, maxGpusPerNode, maxNicsPerNode, maxItems, maxColumns,
        maxDimensions, value, maxDepth);
  }

  /**
   * A copy with another {@link #maxDepth()}.
   *
   * @param value the new limit
   * @return the copy
   * @throws InvalidSpecException when the value is below 1
   */
  public ReadLimits withMaxDepth(int value) {
    return new ReadLimits(maxBytes, maxNodes, maxGpusPerNode, maxNicsPerNode, maxItems, maxColumns,
        maxDimensions, maxScalarLength, value);
  }

  /**
   * Checks the length of an input given as text against {@link #maxBytes()}.
   *
   * @param source the input's name for the message
   * @param text the text
   * @throws ParseException when the text is longer than {@code maxBytes} chars
   */
  public void checkText(String source, String text) {
    if (text != null && text.length() > maxBytes) {
      throw new ParseException(source, 0, 0, "", "the input has " + text.length()
          + " chars; allowed: at most maxBytes = " + maxBytes + " (see ReadLimits)");
    }
  }

  /**
   * Reads a whole file as strict UTF-8 text (a leading byte order mark is dropped), the way every
   * {@code Path} reader of gpualloc does: a missing or unreadable file, a file larger than {@link
   * #maxBytes()} (checked before reading it) and invalid UTF-8 are each a {@link ParseException}
   * naming the file; no {@code IOException} or {@code UncheckedIOException} escapes.
   *
   * @param file the file
   * @return its text
   * @throws ParseException when the file is missing, unreadable, too large or not UTF-8
   * @throws InvalidSpecException when {@code file} is null
   */
  public String readUtf8(Path file) {
    if (file == null) {
      throw InvalidSpecException.of("file read", "file", null, "a path (not null)");
    }
    String name = file.toString();
    byte[] bytes;
    try {
      long size = Files.size(file);
      if (size > maxBytes) {
        throw new ParseException(name, 0, 0, "", "the file has " + size
            + " bytes; allowed: at most maxBytes = " + maxBytes + " (see ReadLimits)");
      }
      try (InputStream in = Files.newInputStream(file)) {
        bytes = in.readNBytes((int) maxBytes + 1);
      }
    } catch (NoSuchFileException e) {
      throw new ParseException(name, 0, 0, "", "cannot read the file: no such file"
          + " (NoSuchFileException)", e);
    } catch (IOException e) {
      throw new ParseException(name, 0, 0, "", "cannot read the file: " + e, e);
    }
    if (bytes.length > maxBytes) {
      throw new ParseException(name, 0, 0, "", "the file grew past maxBytes = " + maxBytes
          + " bytes while it was read (see ReadLimits)");
    }
    return decodeUtf8(name, bytes);
  }

  /**
   * Decodes bytes as strict UTF-8, reporting the first malformed byte by line and column.
   *
   * @param source the input's name for messages
   * @param bytes the bytes
   * @return the text, without a leading byte order mark
   * @throws ParseException when the bytes are not UTF-8
   */
  public static String decodeUtf8(String source, byte[] bytes) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    String text;
    try {
      text = decoder.decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      int offset = firstInvalid(bytes);
      int line = 1;
      int column = 1;
      for (int i = 0; i < offset; i++) {
        if (bytes[i] == '\n') {
          line++;
          column = 1;
        } else if ((bytes[i] & 0xC0) != 0x80) {
          column++;
        }
      }
      String what = e instanceof MalformedInputException m
          ? m.getInputLength() + " malformed byte(s)" : "unmappable input";
      throw new ParseException(source, line, column, "", "invalid UTF-8 (" + what + " at byte "
          + offset + ", 0x" + Integer.toHexString(bytes[offset] & 0xFF) + "); expected UTF-8 text",
          e);
    }
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  /** The offset of the first byte a strict decoder rejects. */
  private static int firstInvalid(byte[] bytes) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(Math.max(16, bytes.length + 1));
    decoder.decode(in, out, true);
    return Math.min(in.position(), Math.max(0, bytes.length - 1));
  }
}

package io.gpualloc.core.io;

import io.gpualloc.core.InvalidSpecException;
import java.nio.file.Path;
import java.util.Locale;

/** The two text formats gpualloc reads and writes; both carry the same document structure. */
public enum Format {
  /** JSON (RFC 8259), file extension {@code .json}. */
  JSON,
  /** YAML 1.1 as SnakeYAML reads it, file extensions {@code .yaml} and {@code .yml}. */
  YAML;

  /**
   * The format a file name implies: {@code .json} is JSON, {@code .yaml} and {@code .yml} are
   * YAML (case-insensitive).
   *
   *
   * @param file the file
   * @return the format a file name implies: {@code .json} is JSON, {@code .yaml} and {@code .yml}
   *     are YAML (case-insensitive)
   * @throws InvalidSpecException for any other extension
   */
  public static Format of(Path file) {
    Path name = file.getFileName();
    String n = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
    if (n.endsWith(".json")) {
      return JSON;
    }
    if (n.endsWith(".yaml") || n.endsWith(".yml")) {
      return YAML;
    }
    throw InvalidSpecException.of(
        "file " + file, "extension", n.contains(".") ? n.substring(n.lastIndexOf('.')) : "",
        ".json, .yaml or .yml. Maybe pass the Format explicitly");
  }
}

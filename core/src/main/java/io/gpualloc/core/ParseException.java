package io.gpualloc.core;

/**
 * Input text could not be read: the message carries where (a source name, and a line and column or
 * a field path such as {@code nodes[3].gpus[0].model}) and what was wrong.
 */
public class ParseException extends GpuallocException {
  private static final long serialVersionUID = 1L;

  /** The file or input name. */
  private final String source;

  /** The 1-based line, or 0 when unknown. */
  private final int line;

  /** The 1-based column, or 0 when unknown. */
  private final int column;

  /** The path of the offending field, or the empty string. */
  private final String path;

  /**
   * Creates a parse error.
   *
   * @param source the file or input name
   * @param line the 1-based line, or 0 when unknown
   * @param column the 1-based column, or 0 when unknown
   * @param path the path of the offending field, or the empty string
   * @param problem what was wrong
   */
  public ParseException(String source, int line, int column, String path, String problem) {
    this(source, line, column, path, problem, null);
  }

  /**
   * As {@link #ParseException(String, int, int, String, String)}, with a cause.
   *
   * @param source the file or input name
   * @param line the 1-based line, or 0 when unknown
   * @param column the 1-based column, or 0 when unknown
   * @param path the path of the offending field, or the empty string
   * @param problem what was wrong
   * @param cause the underlying cause
   */
  public ParseException(
      String source, int line, int column, String path, String problem, Throwable cause) {
    super(format(source, line, column, path, problem), cause);
    this.source = source;
    this.line = line;
    this.column = column;
    this.path = path;
  }

  private static String format(String source, int line, int column, String path, String problem) {
    StringBuilder sb = new StringBuilder(source);
    if (line > 0) {
      sb.append(':').append(line);
      if (column > 0) {
        sb.append(':').append(column);
      }
    }
    if (!path.isEmpty()) {
      sb.append(" at ").append(path);
    }
    return sb.append(": ").append(problem).toString();
  }

  /**
   * The file or input name.
   *
   * @return the file or input name
   */
  public String source() {
    return source;
  }

  /**
   * The 1-based line, or 0 when unknown.
   *
   * @return the 1-based line, or 0 when unknown
   */
  public int line() {
    return line;
  }

  /**
   * The 1-based column, or 0 when unknown.
   *
   * @return the 1-based column, or 0 when unknown
   */
  public int column() {
    return column;
  }

  /**
   * The path of the offending field (for example {@code nodes[3].cpuMilli}), or empty.
   *
   * @return the path of the offending field (for example {@code nodes[3].cpuMilli}), or empty
   */
  public String path() {
    return path;
  }
}

package io.gpualloc.core;

/**
 * A value handed to gpualloc breaks a documented rule: a negative amount, an index out of range, a
 * duplicate name, a share above one GPU. Nothing was changed.
 */
public class InvalidSpecException extends GpuallocException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with the given message.
   *
   * @param message the detail message
   */
  public InvalidSpecException(String message) {
    super(message);
  }

  /**
   * Builds the house message: {@code <field> of <owner> is <value>; allowed: <allowed>}.
   *
   * @param owner what the field belongs to, for example {@code "node n1"}
   * @param field the field's name
   * @param value the offending value
   * @param allowed what would have been accepted
   * @return the exception, for the caller to throw
   */
  public static InvalidSpecException of(String owner, String field, Object value, String allowed) {
    return new InvalidSpecException(
        field + " of " + owner + " is " + render(value) + "; allowed: " + allowed);
  }

  static String render(Object value) {
    return value instanceof String ? "'" + value + "'" : String.valueOf(value);
  }
}

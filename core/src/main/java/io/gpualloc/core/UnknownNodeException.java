package io.gpualloc.core;

/**
 * A node named by name or id is not a member of the cluster: the name is unknown, the id was never
 * issued, or the id belonged to a node that has been removed. Node ids are never reused, so an id
 * that named a removed node keeps failing with this exception, and its message says which node
 * the id was. Nothing was changed.
 */
public final class UnknownNodeException extends InvalidSpecException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with the given message.
   *
   * @param message the house-format message (field, value, what was allowed)
   */
  public UnknownNodeException(String message) {
    super(message);
  }

  /**
   * Builds the house message, as {@link InvalidSpecException#of}.
   *
   * @param owner what the field belongs to, for example {@code "placement p1"}
   * @param field the field's name
   * @param value the offending value
   * @param allowed what would have been accepted
   * @return the exception, for the caller to throw
   */
  public static UnknownNodeException unknown(
      String owner, String field, Object value, String allowed) {
    return new UnknownNodeException(
        field + " of " + owner + " is " + render(value) + "; allowed: " + allowed);
  }
}

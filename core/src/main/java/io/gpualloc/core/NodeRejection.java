package io.gpualloc.core;

/**
 * Why one node cannot take a request, with the numbers: the reason code and a sentence saying what
 * was needed and what was free, for example {@code cpu: needs 4000m, 2000m free} or {@code no
 * 3g.40gb start slot free on GPUs 0-7}. The detail does not name the node (equal node states share
 * one rejection); {@link Decision.Rejected} and {@link NodeScores} pair it with the node.
 *
 * @param reason the reason code, as counted in a summary
 * @param detail what was needed and what was free; never blank
 */
public record NodeRejection(RejectReason reason, String detail) {

  /**
   * Validates.
   *
   * @param reason the reason code, as counted in a summary
   * @param detail what was needed and what was free; never blank
   * @throws InvalidSpecException when the reason is null or the detail blank
   */
  public NodeRejection {
    Checks.notNull("node rejection", "reason", reason);
    Checks.name("node rejection", "detail", detail);
  }

  /**
   * A rejection with this reason and detail.
   *
   * @param reason the reason code
   * @param detail what was needed and what was free
   * @return the rejection
   * @throws InvalidSpecException when the reason is null or the detail blank
   */
  public static NodeRejection of(RejectReason reason, String detail) {
    return new NodeRejection(reason, detail);
  }

  /** {@code reason text: detail}, for example {@code insufficient CPU: needs 4000m, 2000m free}. */
  @Override
  public String toString() {
    return reason.text() + " (" + detail + ")";
  }
}

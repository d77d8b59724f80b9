package io.gpualloc.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer to "where does this request go": {@link Placed} or {@link Rejected}. Never null,
 * never an exception, never an empty optional.
 */
public sealed interface Decision {

  /**
   * Whether the request was placed.
   *
   * @return whether the request was placed
   */
  boolean isPlaced();

  /**
   * The request fits: where, with what score, and the score's parts.
   *
   * @param placement the placement, ready for {@link ClusterState#allocate(Placement)}
   * @param score the winning score; larger is better unless the policy documents otherwise
   * @param breakdown named parts of the score (scorer name to weighted value), in order
   */
  record Placed(Placement placement, double score, Map<String, Double> breakdown)
      implements Decision {
    /**
     * Validates and copies.
     *
     * @param placement the placement, ready for {@link ClusterState#allocate(Placement)}
     * @param score the winning score; larger is better unless the policy documents otherwise
     * @param breakdown named parts of the score (scorer name to weighted value), in order
     */
    public Placed {
      Checks.notNull("decision", "placement", placement);
      breakdown = Collections.unmodifiableMap(
          new LinkedHashMap<>(Checks.notNull("decision", "breakdown", breakdown)));
    }

    /**
     * A placed decision without a score breakdown.
     *
     * @param placement the placement, ready for {@link ClusterState#allocate(Placement)}
     * @param score the winning score; larger is better unless the policy documents otherwise
     * @return a placed decision without a score breakdown
     */
    public static Placed of(Placement placement, double score) {
      return new Placed(placement, score, Map.of());
    }

    @Override
    public boolean isPlaced() {
      return true;
    }
  }

  /**
   * The request fits nowhere: why, per node, and a summary such as {@code 0/1213 nodes fit: 900
   * insufficient GPU memory, 313 GPU model not allowed}.
   *
   * @param requestName the request's name
   * @param nodeCount the nodes considered
   * @param reasonByNode the reason per node id (position = node id); may be empty when the request
   *     was rejected before looking at nodes, then {@code message} says why
   * @param counts how many nodes were rejected for each reason
   * @param message extra explanation, or the empty string
   */
  record Rejected(
      String requestName,
      int nodeCount,
      List<RejectReason> reasonByNode,
      Map<RejectReason, Integer> counts,
      String message)
      implements Decision {

    /**
     * Validates and copies.
     *
     * @param requestName the request's name
     * @param nodeCount the nodes considered
     * @param reasonByNode the reason per node id (position = node id); may be empty when the
     *     request was rejected before looking at nodes, then {@code message} says why
     * @param counts how many nodes were rejected for each reason
     * @param message extra explanation, or the empty string
     */
    public Rejected {
      Checks.name("rejection", "requestName", requestName);
      reasonByNode = Checks.list("rejection", "reasonByNode", reasonByNode);
      Checks.notNull("rejection", "counts", counts);
      counts = Collections.unmodifiableMap(new EnumMap<>(counts.isEmpty()
          ? new EnumMap<RejectReason, Integer>(RejectReason.class) : counts));
      Checks.notNull("rejection", "message", message);
    }

    /**
     * A rejection that did not get as far as nodes, for example an unsatisfiable request.
     *
     * @param requestName the request's name
     * @param nodeCount the nodes considered
     * @param message extra explanation, or the empty string
     * @return a rejection that did not get as far as nodes, for example an unsatisfiable request
     */
    public static Rejected because(String requestName, int nodeCount, String message) {
      return new Rejected(requestName, nodeCount, List.of(), Map.of(), message);
    }

    /**
     * The reason node {@code nodeId} was rejected.
     *
     * @param nodeId the node's id in the cluster
     * @return the reason node {@code nodeId} was rejected
     */
    public RejectReason reasonFor(int nodeId) {
      return reasonByNode.get(nodeId);
    }

    /**
     * A one-line summary in the Kubernetes style.
     *
     * @return a one-line summary in the Kubernetes style
     */
    public String summary() {
      StringBuilder sb = new StringBuilder("0/").append(nodeCount).append(" nodes fit");
      List<Map.Entry<RejectReason, Integer>> entries = new ArrayList<>(counts.entrySet());
      entries.sort((a, b) -> b.getValue() != a.getValue().intValue()
          ? Integer.compare(b.getValue(), a.getValue())
          : a.getKey().compareTo(b.getKey()));
      String sep = ": ";
      for (Map.Entry<RejectReason, Integer> e : entries) {
        sb.append(sep).append(e.getValue()).append(' ').append(e.getKey().text());
        sep = ", ";
      }
      if (!message.isEmpty()) {
        sb.append(entries.isEmpty() ? ": " : ". ").append(message);
      }
      return sb.toString();
    }

    @Override
    public boolean isPlaced() {
      return false;
    }

    /**
     * Starts collecting per-node reasons for node ids {@code 0..nodeCount-1}; pass {@code
     * cluster.nodeIdBound()} and record {@link RejectReason#NODE_REMOVED} for removed ids, which
     * the summary leaves out.
     *
     * @param requestName the request's name
     * @param nodeCount the node id bound ({@code cluster.nodeIdBound()})
     * @return a new builder
     */
    public static Builder builder(String requestName, int nodeCount) {
      return new Builder(requestName, nodeCount);
    }

    /** Collects one reason per node. */
    public static final class Builder {
      private final String requestName;
      private final RejectReason[] reasons;

      private Builder(String requestName, int nodeCount) {
        this.requestName = requestName;
        this.reasons = new RejectReason[nodeCount];
      }

      /**
       * Records why node {@code nodeId} was rejected (the last call per node wins).
       *
       * @param nodeId the node's id in the cluster
       * @param reason why the node was rejected
       * @return this builder
       */
      public Builder reject(int nodeId, RejectReason reason) {
        if (nodeId < 0 || nodeId >= reasons.length) {
          throw InvalidSpecException.of("rejection of " + requestName, "nodeId", nodeId,
              reasons.length == 0 ? "none (no nodes)" : "0.." + (reasons.length - 1));
        }
        Checks.notNull("rejection of " + requestName, "reason", reason);
        reasons[nodeId] = reason;
        return this;
      }

      /**
       * Builds the rejection; nodes with no reason recorded count as {@link RejectReason#POLICY},
       * and nodes recorded as {@link RejectReason#NODE_REMOVED} do not count.
       *
       * @param message extra explanation, or the empty string
       * @return the rejection
       */
      public Rejected build(String message) {
        RejectReason[] copy = Arrays.copyOf(reasons, reasons.length);
        EnumMap<RejectReason, Integer> counts = new EnumMap<>(RejectReason.class);
        int members = 0;
        for (int i = 0; i < copy.length; i++) {
          if (copy[i] == null) {
            copy[i] = RejectReason.POLICY;
          }
          if (copy[i] != RejectReason.NODE_REMOVED) { // removed ids are not nodes of the cluster
            counts.merge(copy[i], 1, Integer::sum);
            members++;
          }
        }
        return new Rejected(requestName, members, Arrays.asList(copy), counts, message);
      }
    }
  }
}

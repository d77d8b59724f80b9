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
   * @return true for {@link Placed}
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
     * @throws InvalidSpecException for a null placement or breakdown
     */
    public Placed {
      Checks.notNull("decision", "placement", placement);
      breakdown = Collections.unmodifiableMap(
          new LinkedHashMap<>(Checks.notNull("decision", "breakdown", breakdown)));
    }

    /**
     * A placed decision without a score breakdown.
     *
     * @param placement the placement
     * @param score its score
     * @return the decision
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
   * The request fits nowhere: why, per node, with the numbers, and a summary such as {@code 0/1213
   * nodes fit: 900 insufficient GPU memory, 313 GPU model not allowed}.
   *
   * @param requestName the request's name
   * @param nodeCount the member nodes considered (removed node ids do not count)
   * @param reasonByNode the reason per node id (position = node id, {@link
   *     RejectReason#NODE_REMOVED} for a removed id); empty when the request was rejected before
   *     looking at nodes, then {@code message} says why
   * @param detailByNode what each node lacked, with the numbers (position = node id, for example
   *     {@code cpu: needs 4000m, 2000m free}); empty, or as long as {@code reasonByNode}
   * @param counts how many nodes were rejected for each reason
   * @param message a sentence for people (for example the details of a few nodes, with their
   *     names), or the empty string
   */
  record Rejected(
      String requestName,
      int nodeCount,
      List<RejectReason> reasonByNode,
      List<String> detailByNode,
      Map<RejectReason, Integer> counts,
      String message)
      implements Decision {

    /**
     * Validates and copies.
     *
     * @param requestName the request's name
     * @param nodeCount the member nodes considered (removed node ids do not count)
     * @param reasonByNode the reason per node id, or empty
     * @param detailByNode what each node lacked, with the numbers, or empty
     * @param counts how many nodes were rejected for each reason
     * @param message a sentence for people, or the empty string
     * @throws InvalidSpecException for a blank name, a negative node count, null lists, counts or
     *     message, or lists whose lengths disagree with {@code nodeCount}
     */
    public Rejected {
      Checks.name("rejection", "requestName", requestName);
      String owner = "rejection of " + requestName;
      Checks.atLeast(owner, "nodeCount", nodeCount, 0);
      reasonByNode = copy(owner, "reasonByNode", reasonByNode);
      detailByNode = copy(owner, "detailByNode", detailByNode);
      if (!reasonByNode.isEmpty() && reasonByNode.size() < nodeCount) {
        throw InvalidSpecException.of(owner, "reasonByNode.size", reasonByNode.size(),
            "0 or at least nodeCount (" + nodeCount + "; one per node id, removed ids included)");
      }
      if (!detailByNode.isEmpty() && detailByNode.size() != reasonByNode.size()) {
        throw InvalidSpecException.of(owner, "detailByNode.size", detailByNode.size(),
            "0 or reasonByNode.size (" + reasonByNode.size() + ")");
      }
      Checks.notNull(owner, "counts", counts);
      counts = Collections.unmodifiableMap(new EnumMap<>(counts.isEmpty()
          ? new EnumMap<RejectReason, Integer>(RejectReason.class) : counts));
      Checks.notNull(owner, "message", message);
    }

    /** An immutable copy (the same list, in O(1), when it already is one), nulls refused. */
    private static <T> List<T> copy(String owner, String field, List<T> values) {
      Checks.notNull(owner, field, values);
      try {
        return List.copyOf(values);
      } catch (NullPointerException e) {
        return Checks.list(owner, field, values); // throws, naming the null's index
      }
    }

    /**
     * A rejection without per-node details.
     *
     * @param requestName the request's name
     * @param nodeCount the nodes considered
     * @param reasonByNode the reason per node id, or empty
     * @param counts how many nodes were rejected for each reason
     * @param message a sentence for people, or the empty string
     * @throws InvalidSpecException as the canonical constructor
     */
    public Rejected(String requestName, int nodeCount, List<RejectReason> reasonByNode,
        Map<RejectReason, Integer> counts, String message) {
      this(requestName, nodeCount, reasonByNode, List.of(), counts, message);
    }

    /**
     * A rejection that did not get as far as nodes, for example an unsatisfiable request.
     *
     * @param requestName the request's name
     * @param nodeCount the nodes in the cluster
     * @param message why, for people; not blank
     * @return the rejection
     * @throws InvalidSpecException for a blank name or message or a negative node count
     */
    public static Rejected because(String requestName, int nodeCount, String message) {
      Checks.name("rejection of " + requestName, "message", message);
      return new Rejected(requestName, nodeCount, List.of(), List.of(), Map.of(), message);
    }

    /**
     * The reason node {@code nodeId} was rejected.
     *
     * @param nodeId a node id, {@code 0..nodeCount-1}
     * @return the node's reason
     * @throws InvalidSpecException when the id is out of range, or when this rejection has no
     *     per-node reasons ({@link #because})
     */
    public RejectReason reasonFor(int nodeId) {
      return reasonByNode.get(checkNode(nodeId));
    }

    /**
     * What node {@code nodeId} lacked, with the numbers; the reason's text when no detail was
     * recorded.
     *
     * @param nodeId a node id, {@code 0..nodeCount-1}
     * @return the detail, never blank
     * @throws InvalidSpecException as {@link #reasonFor}
     */
    public String detailFor(int nodeId) {
      int i = checkNode(nodeId);
      return detailByNode.isEmpty() ? reasonByNode.get(i).text() : detailByNode.get(i);
    }

    /**
     * The reason and detail of node {@code nodeId}.
     *
     * @param nodeId a node id, {@code 0..nodeCount-1}
     * @return the node's rejection
     * @throws InvalidSpecException as {@link #reasonFor}
     */
    public NodeRejection rejectionFor(int nodeId) {
      return new NodeRejection(reasonFor(nodeId), detailFor(nodeId));
    }

    private int checkNode(int nodeId) {
      if (reasonByNode.isEmpty()) {
        throw InvalidSpecException.of("rejection of " + requestName, "nodeId", nodeId,
            "none: this rejection has no per-node reasons (" + (message.isEmpty()
                ? "rejected before looking at nodes" : message) + ")");
      }
      if (nodeId < 0 || nodeId >= reasonByNode.size()) {
        throw InvalidSpecException.of("rejection of " + requestName, "nodeId", nodeId,
            "0.." + (reasonByNode.size() - 1));
      }
      return nodeId;
    }

    /**
     * A one-line summary in the Kubernetes style, followed by the message when there is one.
     *
     * @return for example {@code 0/3 nodes fit: 2 insufficient CPU, 1 insufficient GPU memory.
     *     node a: cpu: needs 4000m, 2000m free}
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
     * @param nodeCount the node id bound of the cluster, {@code >= 0}
     * @return an empty builder
     * @throws InvalidSpecException for a blank name or a negative count
     */
    public static Builder builder(String requestName, int nodeCount) {
      Checks.name("rejection", "requestName", requestName);
      Checks.atLeast("rejection of " + requestName, "nodeCount", nodeCount, 0);
      return new Builder(requestName, nodeCount);
    }

    /** Collects one reason per node. */
    public static final class Builder {
      private final String requestName;
      private final RejectReason[] reasons;
      private final String[] details;

      private Builder(String requestName, int nodeCount) {
        this.requestName = requestName;
        this.reasons = new RejectReason[nodeCount];
        this.details = new String[nodeCount];
      }

      /**
       * Records why node {@code nodeId} was rejected, without numbers (the last call per node
       * wins).
       *
       * @param nodeId the node, {@code 0..nodeCount-1}
       * @param reason the reason
       * @return this builder
       * @throws InvalidSpecException for an id out of range or a null reason
       */
      public Builder reject(int nodeId, RejectReason reason) {
        Checks.notNull("rejection of " + requestName, "reason", reason);
        return reject(nodeId, new NodeRejection(reason, reason.text()));
      }

      /**
       * Records why node {@code nodeId} was rejected, with the numbers (the last call per node
       * wins).
       *
       * @param nodeId the node, {@code 0..nodeCount-1}
       * @param rejection the reason and detail
       * @return this builder
       * @throws InvalidSpecException for an id out of range or a null rejection
       */
      public Builder reject(int nodeId, NodeRejection rejection) {
        if (nodeId < 0 || nodeId >= reasons.length) {
          throw InvalidSpecException.of("rejection of " + requestName, "nodeId", nodeId,
              reasons.length == 0 ? "none (no nodes)" : "0.." + (reasons.length - 1));
        }
        Checks.notNull("rejection of " + requestName, "rejection", rejection);
        reasons[nodeId] = rejection.reason();
        details[nodeId] = rejection.detail();
        return this;
      }

      /**
       * Builds the rejection; nodes with no reason recorded count as {@link RejectReason#POLICY},
       * and nodes recorded as {@link RejectReason#NODE_REMOVED} do not count.
       *
       * @param message a sentence for people, or the empty string
       * @return the rejection
       * @throws InvalidSpecException for a null message
       */
      public Rejected build(String message) {
        RejectReason[] copy = Arrays.copyOf(reasons, reasons.length);
        String[] why = Arrays.copyOf(details, details.length);
        EnumMap<RejectReason, Integer> counts = new EnumMap<>(RejectReason.class);
        int members = 0;
        for (int i = 0; i < copy.length; i++) {
          if (copy[i] == null) {
            copy[i] = RejectReason.POLICY;
            why[i] = RejectReason.POLICY.text();
          }
          if (copy[i] != RejectReason.NODE_REMOVED) { // removed ids are not nodes of the cluster
            counts.merge(copy[i], 1, Integer::sum);
            members++;
          }
        }
        return new Rejected(requestName, members, Arrays.asList(copy), Arrays.asList(why),
            counts, message);
      }
    }
  }
}

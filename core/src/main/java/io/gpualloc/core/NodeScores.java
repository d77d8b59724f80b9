package io.gpualloc.core;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The answer of {@link PlacementPolicy#scoreAll}: every node that can take a request, best first
 * in the policy's order, with its score, the score's terms and the GPUs it would get; and for every
 * other node why not, with the numbers. {@link #best()} is the policy's {@link
 * PlacementPolicy#place} decision.
 *
 * <p>Immutable. Stored as arrays: the indexed accessors ({@link #nodeId(int)}, {@link
 * #score(int)}, {@link #term(int, int)}, {@link #grants(int)}) read them without allocating;
 * {@link #node(int)} and {@link #nodes()} build {@link ScoredNode} records on demand. A list
 * holds what the policy saw when it was built: later changes to the ledger (and the policy's
 * caches moving on) do not show in it. Safe to read from several threads: its state is in final
 * fields, and the one part built on first use (the position of each node id) is deterministic
 * and published through a volatile field.
 *
 * <p>Normalisation for hosts ({@link #normalized(int)}): min-max over the scored nodes, rounded
 * down, with the policy's winner alone at the top. See the method for the exact rule.
 */
public final class NodeScores {
  private final Request request;
  private final Cluster cluster;
  private final int nodeCount;
  private final List<String> terms;
  private final int size;
  private final int[] ids;
  private final double[] scores;
  private final double[] parts;
  private final List<GpuGrant>[] grants;
  private final NodeRejection[] rejections;
  private final String message;
  private final int members;
  private volatile int @Nullable [] position;
  /** Marks a scored node in {@link #rejections} (one array instead of two for the builder). */
  private static final NodeRejection SCORED = new NodeRejection(RejectReason.POLICY, "scored");

  private NodeScores(Builder b, String message) {
    this.request = b.request;
    this.cluster = b.cluster;
    this.nodeCount = b.nodeCount;
    this.terms = b.terms;
    this.size = b.size;
    // the builder is spent: its arrays are handed over (they may be longer than size)
    this.ids = b.ids;
    this.scores = b.scores;
    this.parts = b.parts;
    this.grants = b.grants;
    this.rejections = b.rejections;
    this.message = message;
    this.members = nodeCount - b.removedCount;
  }

  /**
   * The request that was scored.
   *
   * @return the request
   */
  public Request request() {
    return request;
  }

  /**
   * The member nodes considered: scored plus rejected, removed node ids not counted.
   *
   * @return the cluster's member count
   */
  public int nodeCount() {
    return members;
  }

  /**
   * One more than the largest node id: the range of {@link #isFeasible}, {@link #rejectionFor}
   * and {@link #nodeNameOf} (removed ids are rejected with {@link RejectReason#NODE_REMOVED}).
   *
   * @return the cluster's node id bound
   */
  public int nodeIdBound() {
    return nodeCount;
  }

  /**
   * The name of node {@code nodeId}, scored or rejected, as the policy saw it.
   *
   * @param nodeId a node id, {@code 0..nodeIdBound()-1}
   * @return the node's name ({@code #id} for a removed id)
   * @throws InvalidSpecException for an id out of range
   */
  public String nodeNameOf(int nodeId) {
    return name(checkNode(nodeId));
  }

  private String name(int nodeId) {
    return cluster.isLive(nodeId) ? cluster.node(nodeId).name() : "#" + nodeId;
  }

  /**
   * The names of the score's terms, in order (for example {@code best-fit}, {@code topology}).
   *
   * @return the term names
   */
  public List<String> terms() {
    return terms;
  }

  /**
   * How many nodes can take the request.
   *
   * @return the number of scored nodes
   */
  public int size() {
    return size;
  }

  /**
   * Whether no node can take the request.
   *
   * @return true when nothing was scored
   */
  public boolean isEmpty() {
    return size == 0;
  }

  /**
   * The node id at position {@code i} of the ranking (0 is the best).
   *
   * @param i a position, {@code 0..size()-1}
   * @return the node id
   * @throws InvalidSpecException for a position out of range
   */
  public int nodeId(int i) {
    return ids[check(i)];
  }

  /**
   * The node name at position {@code i}.
   *
   * @param i a position, {@code 0..size()-1}
   * @return the node's name
   * @throws InvalidSpecException for a position out of range
   */
  public String nodeName(int i) {
    return name(ids[check(i)]);
  }

  /**
   * The policy's score at position {@code i}; non-increasing along the ranking.
   *
   * @param i a position, {@code 0..size()-1}
   * @return the score
   * @throws InvalidSpecException for a position out of range
   */
  public double score(int i) {
    return scores[check(i)];
  }

  /**
   * Term {@code k} of the score at position {@code i}, weighted.
   *
   * @param i a position, {@code 0..size()-1}
   * @param k a term index, {@code 0..terms().size()-1}
   * @return the term's weighted value
   * @throws InvalidSpecException for a position or term out of range
   */
  public double term(int i, int k) {
    check(i);
    if (k < 0 || k >= terms.size()) {
      throw InvalidSpecException.of("scores of " + request.name(), "term", k,
          terms.isEmpty() ? "none (the policy has no score terms)" : "0.." + (terms.size() - 1));
    }
    return parts[i * terms.size() + k];
  }

  /**
   * The grants the policy would make on the node at position {@code i}.
   *
   * @param i a position, {@code 0..size()-1}
   * @return the grants (empty for a CPU-only request)
   * @throws InvalidSpecException for a position out of range
   */
  public List<GpuGrant> grants(int i) {
    return grants[check(i)];
  }

  /**
   * The scored node at position {@code i} as a record.
   *
   * @param i a position, {@code 0..size()-1}
   * @return the node, its score, terms and grants
   * @throws InvalidSpecException for a position out of range
   */
  public ScoredNode node(int i) {
    check(i);
    return new ScoredNode(ids[i], name(ids[i]), scores[i], breakdown(i), grants[i]);
  }

  /**
   * Every scored node, best first.
   *
   * @return an immutable list of {@link #size()} records, built on access
   */
  public List<ScoredNode> nodes() {
    return new AbstractList<>() {
      @Override
      public ScoredNode get(int index) {
        return node(index);
      }

      @Override
      public int size() {
        return size;
      }
    };
  }

  /**
   * Whether node {@code nodeId} can take the request.
   *
   * @param nodeId a node id, {@code 0..nodeCount()-1}
   * @return true when the node is scored
   * @throws InvalidSpecException for an id out of range
   */
  public boolean isFeasible(int nodeId) {
    return rejections[checkNode(nodeId)] == SCORED;
  }

  /**
   * The position of node {@code nodeId} in the ranking.
   *
   * @param nodeId a node id, {@code 0..nodeCount()-1}
   * @return the position, {@code 0..size()-1}
   * @throws InvalidSpecException for an id out of range or a node that was rejected
   */
  public int positionOf(int nodeId) {
    int p = positions()[checkNode(nodeId)];
    if (p < 0) {
      throw InvalidSpecException.of("scores of " + request.name(), "nodeId", nodeId,
          "a scored node (node " + name(nodeId) + " was rejected: "
              + rejections[nodeId].detail() + ")");
    }
    return p;
  }

  /**
   * Why node {@code nodeId} cannot take the request.
   *
   * @param nodeId a node id, {@code 0..nodeCount()-1}
   * @return the reason and its numbers
   * @throws InvalidSpecException for an id out of range or a node that was scored
   */
  public NodeRejection rejectionFor(int nodeId) {
    NodeRejection r = rejections[checkNode(nodeId)];
    if (r == SCORED) {
      throw InvalidSpecException.of("scores of " + request.name(), "nodeId", nodeId,
          "a rejected node (node " + name(nodeId) + " can take the request, at position "
              + positions()[nodeId] + ")");
    }
    return r;
  }

  /**
   * The policy's decision: the first scored node, or the rejection of every node.
   *
   * @return a {@link Decision.Placed} for position 0, or a {@link Decision.Rejected} with every
   *     node's reason and detail when no node can take the request
   */
  public Decision best() {
    if (size > 0) {
      return new Decision.Placed(new Placement(request.name(), ids[0], request.cpuMilli(),
          request.memoryMib(), grants[0]), scores[0], breakdown(0));
    }
    RejectReason[] why = new RejectReason[nodeCount];
    String[] detail = new String[nodeCount];
    EnumMap<RejectReason, Integer> counts = new EnumMap<>(RejectReason.class);
    for (int n = 0; n < nodeCount; n++) {
      why[n] = rejections[n].reason();
      detail[n] = rejections[n].detail();
      if (why[n] != RejectReason.NODE_REMOVED) {
        counts.merge(why[n], 1, Integer::sum);
      }
    }
    return new Decision.Rejected(request.name(), members, Arrays.asList(why),
        Arrays.asList(detail), counts, message);
  }

  /**
   * Integer scores in {@code 0..max} for a host, in ranking order. Rule: with {@code hi} the best
   * and {@code lo} the worst score, position {@code i} gets {@code floor((score(i) - lo) * max /
   * (hi - lo))}; position 0 (the policy's choice) always gets {@code max}, and every other position
   * at most {@code max - 1}, so a host that takes the highest score agrees with {@link
   * PlacementPolicy#place} even where the policy broke a tie (equal scores then rank by the
   * policy's tie-break: the first gets {@code max}, the others {@code max - 1}). When all scores are
   * equal, position 0 gets {@code max} and the others {@code max - 1}. A single node gets {@code
   * max}.
   *
   * @param max the top of the range, {@code >= 1} (100 for a percentage, 10 for kube-scheduler's
   *     extender)
   * @return one integer per position
   * @throws InvalidSpecException when {@code max < 1}
   */
  public int[] normalized(int max) {
    Checks.atLeast("normalisation of " + request.name(), "max", max, 1);
    int[] out = new int[size];
    if (size == 0) {
      return out;
    }
    double hi = scores[0];
    double lo = scores[size - 1];
    out[0] = max;
    for (int i = 1; i < size; i++) {
      long v = hi > lo ? (long) Math.floor((scores[i] - lo) / (hi - lo) * max) : max;
      out[i] = (int) Math.max(0, Math.min(max - 1, v));
    }
    return out;
  }

  /**
   * {@link #normalized(int)} with {@code max} 100.
   *
   * @return one integer in 0..100 per position
   */
  public int[] normalized100() {
    return normalized(100);
  }

  /**
   * {@link #normalized(int)} with kube-scheduler's extender range, {@code max} 10 (the extender's
   * {@code MaxExtenderPriority}).
   *
   * @return one integer in 0..10 per position
   */
  public int[] extenderScores() {
    return normalized(10);
  }

  /**
   * A summary in the style of {@link Decision.Rejected#summary()}, for example {@code 2/5 nodes
   * fit (best n3, score 12.0): 3 insufficient CPU}.
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder().append(size).append('/').append(members)
        .append(" nodes fit");
    if (size > 0) {
      sb.append(" (best ").append(name(ids[0])).append(", score ").append(scores[0]).append(')');
    }
    EnumMap<RejectReason, Integer> counts = new EnumMap<>(RejectReason.class);
    for (NodeRejection r : rejections) {
      if (r != SCORED && r.reason() != RejectReason.NODE_REMOVED) {
        counts.merge(r.reason(), 1, Integer::sum);
      }
    }
    String sep = ": ";
    for (Map.Entry<RejectReason, Integer> e : counts.entrySet()) {
      sb.append(sep).append(e.getValue()).append(' ').append(e.getKey().text());
      sep = ", ";
    }
    return sb.toString();
  }

  /** Position by node id (-1 for rejected ids), built on first use. */
  private int[] positions() {
    int[] p = position;
    if (p == null) {
      p = new int[nodeCount];
      Arrays.fill(p, -1);
      for (int i = 0; i < size; i++) {
        p[ids[i]] = i;
      }
      position = p;
    }
    return p;
  }

  private Map<String, Double> breakdown(int i) {
    Map<String, Double> m = new LinkedHashMap<>();
    int t = terms.size();
    for (int k = 0; k < t; k++) {
      m.put(terms.get(k), parts[i * t + k]);
    }
    return m;
  }

  private int check(int i) {
    if (i < 0 || i >= size) {
      throw InvalidSpecException.of("scores of " + request.name(), "position", i,
          size == 0 ? "none (no node can take the request)" : "0.." + (size - 1));
    }
    return i;
  }

  private int checkNode(int nodeId) {
    if (nodeId < 0 || nodeId >= nodeCount) {
      throw InvalidSpecException.of("scores of " + request.name(), "nodeId", nodeId,
          nodeCount == 0 ? "none (no nodes)" : "0.." + (nodeCount - 1));
    }
    return nodeId;
  }

  /**
   * Starts a scored list for {@code request} over the nodes of {@code cluster} (ids {@code
   * 0..cluster.nodeIdBound()-1}; add removed ids as rejected with {@link RejectReason#NODE_REMOVED}).
   *
   * @param request the request
   * @param cluster the cluster the view described (names are read from it)
   * @param terms the names of the score's terms, in order
   * @return an empty builder
   * @throws InvalidSpecException for a null request, cluster or terms
   */
  public static Builder builder(Request request, Cluster cluster, List<String> terms) {
    Checks.notNull("scores", "request", request);
    Checks.notNull("scores of " + request.name(), "cluster", cluster);
    return new Builder(request, cluster, Checks.list("scores of " + request.name(), "terms",
        terms));
  }

  /**
   * Collects scored nodes, best first, and rejected nodes; every node id must be one or the
   * other. Not thread-safe; spent by {@link #build}.
   */
  public static final class Builder {
    private final Request request;
    private final Cluster cluster;
    private final int nodeCount;
    private final List<String> terms;
    private final int t;
    private int size;
    private final int[] ids;
    private final double[] scores;
    private final double[] parts;
    private final List<GpuGrant>[] grants;
    /** Per node: null (not yet added), {@link NodeScores#SCORED} or its rejection. */
    private final NodeRejection[] rejections;
    private boolean built;
    private int rejectedCount;
    private int removedCount;

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<GpuGrant>[] newGrants(int n) {
      return new List[n];
    }

    private Builder(Request request, Cluster cluster, List<String> terms) {
      this.request = request;
      this.cluster = cluster;
      this.nodeCount = cluster.nodeIdBound();
      this.terms = terms;
      this.t = terms.size();
      int cap = Math.max(1, nodeCount);
      this.ids = new int[cap];
      this.scores = new double[cap];
      this.grants = newGrants(cap);
      this.parts = new double[cap * t];
      this.rejections = new NodeRejection[nodeCount];
    }

    /**
     * Appends the next-best scored node.
     *
     * @param nodeId a live node id, not yet added
     * @param score its score, not NaN, at most the previous node's score
     * @param terms its weighted terms, one per {@link NodeScores#terms()} entry (read, not kept)
     * @param gpuGrants the grants the policy would make there (kept: pass an immutable list)
     * @return this builder
     * @throws InvalidSpecException for an id out of range, removed or already added, a NaN or
     *     increasing score, the wrong number of terms, or null grants
     */
    public Builder scored(int nodeId, double score, double[] terms, List<GpuGrant> gpuGrants) {
      fresh(nodeId);
      if (Double.isNaN(score) || (size > 0 && score > scores[size - 1])) {
        throw InvalidSpecException.of(owner(), "score of node " + nodeId, score,
            size == 0 ? "a number" : "a number <= the previous score " + scores[size - 1]
                + " (nodes are added best first)");
      }
      if (terms == null || terms.length != t) {
        throw InvalidSpecException.of(owner(), "terms of node " + nodeId,
            terms == null ? null : terms.length, t + " values");
      }
      if (gpuGrants == null) {
        throw InvalidSpecException.of(owner(), "grants of node " + nodeId, null, "a list");
      }
      if (!cluster.isLive(nodeId)) {
        throw InvalidSpecException.of(owner(), "nodeId", nodeId, "a live node (it was removed)");
      }
      int at = size++;
      ids[at] = nodeId;
      scores[at] = score;
      if (t == 1) {
        parts[at] = terms[0];
      } else if (t > 1) {
        System.arraycopy(terms, 0, parts, at * t, t);
      }
      grants[at] = gpuGrants;
      rejections[nodeId] = SCORED;
      return this;
    }

    /**
     * Records why a node cannot take the request.
     *
     * @param nodeId the node, not yet added
     * @param rejection the reason and detail
     * @return this builder
     * @throws InvalidSpecException for an id out of range or already added, or a null rejection
     */
    public Builder rejected(int nodeId, NodeRejection rejection) {
      fresh(nodeId);
      if (rejection == null) {
        throw InvalidSpecException.of(owner(), "rejection of node " + nodeId, null,
            "a NodeRejection");
      }
      rejections[nodeId] = rejection;
      rejectedCount++;
      if (rejection.reason() == RejectReason.NODE_REMOVED) {
        removedCount++;
      }
      return this;
    }

    private String owner() {
      return "scores of " + request.name();
    }

    private void fresh(int nodeId) {
      if (built) {
        throw InvalidSpecException.of(owner(), "builder", "built", "a builder not yet built");
      }
      if (nodeId < 0 || nodeId >= nodeCount) {
        throw InvalidSpecException.of(owner(), "nodeId", nodeId,
            nodeCount == 0 ? "none (no nodes)" : "0.." + (nodeCount - 1));
      }
      if (rejections[nodeId] != null) {
        throw InvalidSpecException.of(owner(), "nodeId", nodeId, "a node not yet added");
      }
    }

    /**
     * Builds the list.
     *
     * @param message a sentence for people when no node fits (the rejection's message), or the
     *     empty string
     * @return the scored list
     * @throws InvalidSpecException when some node was neither scored nor rejected
     */
    public NodeScores build(String message) {
      if (message == null) {
        throw InvalidSpecException.of(owner(), "message", null, "a string (empty for none)");
      }
      if (size + rejectedCount != nodeCount) {
        List<Integer> missing = new ArrayList<>();
        for (int n = 0; n < nodeCount && missing.size() < 5; n++) {
          if (rejections[n] == null) {
            missing.add(n);
          }
        }
        throw InvalidSpecException.of(owner(), "nodes", missing, "every node scored or rejected");
      }
      built = true;
      return new NodeScores(this, message);
    }
  }
}

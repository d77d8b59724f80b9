package io.gpualloc.binpack.extender;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.ClusterView;
import io.gpualloc.core.GpuallocException;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.NodeScores;
import io.gpualloc.core.PlacementPolicy;
import io.gpualloc.core.io.k8s.ExtenderArgs;
import io.gpualloc.core.io.k8s.ExtenderJson;
import io.gpualloc.core.io.k8s.FilterResult;
import io.gpualloc.core.io.k8s.HostPriority;
import io.gpualloc.core.io.k8s.KubeMapping;
import io.gpualloc.core.io.k8s.KubeNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * kube-scheduler's extender verbs {@code filter} and {@code prioritize}, transport-free: a request
 * body in, a response body out, driven by any {@link PlacementPolicy} on a live {@link
 * ClusterState}. Mount it in any HTTP server. Thread-safe: each call scores on the ledger as it is.
 *
 * <p>Both verbs read {@code ExtenderArgs} in either shape. Candidates are matched to the ledger's
 * members by name; with full {@code Nodes} the passing Node objects are returned unmodified. A
 * node the policy rejects goes to {@code FailedNodes} with the policy's reason and numbers; a name
 * the ledger does not know goes to {@code FailedAndUnresolvableNodes}. Prioritize scores 0..10
 * among the candidates with the rule of {@link NodeScores#normalized(int)}: the candidate the
 * policy ranks first gets 10, the others at most 9, infeasible and unknown candidates 0.
 *
 * <p>Bad input never escapes as an exception: a malformed body is a filter result with {@code
 * Error} set, or for prioritize an empty list (kube-scheduler ignores a prioritize failure).
 */
public final class Extender {
  private final PlacementPolicy policy;
  private final ClusterState state;
  private final KubeMapping mapping;

  private Extender(PlacementPolicy policy, ClusterState state, KubeMapping mapping) {
    this.policy = policy;
    this.state = state;
    this.mapping = mapping;
  }

  /**
   * An extender on {@code state} deciding with {@code policy}.
   *
   * @param policy the policy that scores nodes
   * @param state the live ledger (its members are the candidates the extender knows)
   * @param mapping how pods and nodes are read
   * @return the extender
   * @throws InvalidSpecException when an argument is null
   */
  public static Extender of(PlacementPolicy policy, ClusterState state, KubeMapping mapping) {
    if (policy == null || state == null || mapping == null) {
      throw InvalidSpecException.of("extender", "policy/state/mapping", null, "non-null values");
    }
    return new Extender(policy, state, mapping);
  }

  /**
   * The {@code filter} verb.
   *
   * @param body an {@code ExtenderArgs} body
   * @return an {@code ExtenderFilterResult} body; {@code Error} set for bad input
   */
  public String filter(String body) {
    try {
      return ExtenderJson.writeFilterResult(filterResult(body));
    } catch (RuntimeException e) {
      return ExtenderJson.writeFilterResult(FilterResult.ofError(message(e)));
    }
  }

  /**
   * The filter decision as a value.
   *
   * @param body an {@code ExtenderArgs} body
   * @return the result; {@code error} set for bad input
   */
  public FilterResult filterResult(String body) {
    try {
      ExtenderArgs args = ExtenderJson.readArgs(body, mapping);
      Candidates c = candidates(args);
      NodeScores scores = policy.scoreAll(args.pod().request(), c.view);
      Cluster cluster = c.view.cluster();
      List<String> passNames = new ArrayList<>();
      List<String> passRaw = new ArrayList<>();
      Map<String, String> failed = new LinkedHashMap<>();
      Map<String, String> unresolvable = new LinkedHashMap<>();
      for (int i = 0; i < c.names.size(); i++) {
        String name = c.names.get(i);
        if (!cluster.hasNode(name)) {
          unresolvable.put(name, "NodeUnknown: the extender's cluster has no member '" + name
              + "'");
          continue;
        }
        int id = cluster.nodeId(name);
        if (scores.isFeasible(id)) {
          passNames.add(name);
          if (args.rawNodes() != null) {
            passRaw.add(args.rawNodes().get(i));
          }
        } else {
          failed.put(name, scores.rejectionFor(id).toString());
        }
      }
      return new FilterResult(args.nodeNames() == null ? null : passNames,
          args.rawNodes() == null ? null : passRaw, failed, unresolvable, "");
    } catch (GpuallocException e) {
      return FilterResult.ofError(message(e));
    } catch (RuntimeException e) {
      return FilterResult.ofError(message(e));
    }
  }

  /**
   * The {@code prioritize} verb.
   *
   * @param body an {@code ExtenderArgs} body
   * @return a {@code HostPriorityList} body; {@code []} for bad input
   */
  public String prioritize(String body) {
    try {
      return ExtenderJson.writePriorities(priorities(body));
    } catch (RuntimeException e) {
      return "[]";
    }
  }

  /**
   * The prioritize decision as values, in the candidates' order.
   *
   * @param body an {@code ExtenderArgs} body
   * @return one score per candidate
   * @throws GpuallocException when the body is malformed
   */
  public List<HostPriority> priorities(String body) {
    ExtenderArgs args = ExtenderJson.readArgs(body, mapping);
    Candidates c = candidates(args);
    NodeScores scores = policy.scoreAll(args.pod().request(), c.view);
    Cluster cluster = c.view.cluster();
    // Normalise among the candidates (kube-scheduler sends only the nodes its own filters
    // passed), with NodeScores.normalized's rule: the best candidate in the policy's ranking gets
    // 10, the others floor((score - lo) / (hi - lo) * 10), at most 9.
    int n = c.names.size();
    int[] pos = new int[n];
    int best = -1;
    double hi = Double.NEGATIVE_INFINITY;
    double lo = Double.POSITIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      pos[i] = -1;
      String name = c.names.get(i);
      if (cluster.hasNode(name) && scores.isFeasible(cluster.nodeId(name))) {
        pos[i] = scores.positionOf(cluster.nodeId(name));
        double v = scores.score(pos[i]);
        hi = Math.max(hi, v);
        lo = Math.min(lo, v);
        if (best < 0 || pos[i] < pos[best]) {
          best = i;
        }
      }
    }
    List<HostPriority> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int score = 0;
      if (i == best) {
        score = 10;
      } else if (pos[i] >= 0) {
        double v = scores.score(pos[i]);
        long scaled = hi > lo ? (long) Math.floor((v - lo) / (hi - lo) * 10) : 9;
        score = (int) Math.max(0, Math.min(9, scaled));
      }
      out.add(new HostPriority(c.names.get(i), score));
    }
    return out;
  }

  private record Candidates(List<String> names, ClusterView view) {}

  private Candidates candidates(ExtenderArgs args) {
    List<String> names;
    if (args.nodeNames() != null) {
      names = args.nodeNames();
    } else {
      names = new ArrayList<>();
      for (KubeNode k : args.nodes()) {
        names.add(k.node().name());
      }
    }
    return new Candidates(names, state.snapshot());
  }

  private static String message(RuntimeException e) {
    if (e instanceof GpuallocException) {
      return e.getMessage();
    }
    return "internal error: " + e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}

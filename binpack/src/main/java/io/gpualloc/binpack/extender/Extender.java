package io.gpualloc.binpack.extender;

import io.gpualloc.binpack.extender.internal.OneNodeView;
import io.gpualloc.binpack.extender.internal.PendingPods;
import io.gpualloc.core.AllocationConflictException;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterSnapshot;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.ClusterView;
import io.gpualloc.core.GpuallocException;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.Node;
import io.gpualloc.core.NodeScores;
import io.gpualloc.core.Placement;
import io.gpualloc.core.PlacementPolicy;
import io.gpualloc.core.Request;
import io.gpualloc.core.UnknownNodeException;
import io.gpualloc.core.io.hami.HamiLedger;
import io.gpualloc.core.io.k8s.BindingArgs;
import io.gpualloc.core.io.k8s.ExtenderArgs;
import io.gpualloc.core.io.k8s.ExtenderJson;
import io.gpualloc.core.io.k8s.FilterResult;
import io.gpualloc.core.io.k8s.HostPriority;
import io.gpualloc.core.io.k8s.KubeMapping;
import io.gpualloc.core.io.k8s.KubeNode;
import io.gpualloc.core.io.k8s.KubePod;
import io.gpualloc.core.io.k8s.PreemptionArgs;
import io.gpualloc.core.io.k8s.PreemptionResult;
import io.gpualloc.core.io.k8s.VictimPod;
import io.gpualloc.core.io.k8s.Victims;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * kube-scheduler's extender verbs {@code filter}, {@code prioritize}, {@code bind} and {@code
 * preempt}, transport-free: a request body in, a response body out, driven by any {@link
 * PlacementPolicy} on a live {@link ClusterState}. Mount it in any HTTP server. Thread-safe: filter
 * and prioritize score on a snapshot; bind commits optimistically (the ledger re-checks under its
 * lock); preempt plans on a fork.
 *
 * <p>Both verbs read {@code ExtenderArgs} in either shape. Candidates are matched to the ledger's
 * members by name; with full {@code Nodes} the passing Node objects are returned unmodified. A
 * node the policy rejects goes to {@code FailedNodes} with the policy's reason and numbers; a name
 * the ledger does not know goes to {@code FailedAndUnresolvableNodes}. Prioritize scores 0..10
 * among the candidates with the rule of {@link NodeScores#normalized(int)}: the candidate the
 * policy ranks first gets 10, the others at most 9, infeasible and unknown candidates 0.
 *
 * <p>Bind: kube-scheduler's bind request names the pod only, so filter and prioritize remember
 * each pod they see in a bounded cache keyed by UID ({@link Options}: at most {@code
 * maxPendingPods} entries, each living {@code pendingTtl} after it was last seen, oldest dropped
 * first when full). Bind looks the pod up, re-decides it with the policy on the named node alone
 * (on a snapshot), and commits the placement under {@code namespace/name} (the id {@link
 * HamiLedger#rebuild} uses). A pod not remembered, an unknown node, a node the pod no longer fits,
 * a pod already allocated, or a commit that loses a race is an {@code Error} result, and the
 * ledger is unchanged. The {@link BindOutcome} carries the HAMi annotations ({@link
 * BindAnnotations}) the host writes before it creates the {@code Binding}; if that fails, the host
 * calls {@link #release} to undo the commit. When a pod ends, the host calls {@link #release} (or
 * {@link #releaseUid}).
 *
 * <p>Preempt: for each candidate node (sorted by name), on one fork of the ledger, the victims the
 * extender accounts for on that node are released; if the pod still does not fit there, the node
 * is dropped. Otherwise victims are put back one at a time in kube-scheduler's order (it lists the
 * most important first), and each one the pod still fits beside stays (is spared); the rest are
 * the victims returned. Victims the extender holds no allocation for on that node (pods it did not
 * place, such as CPU-only pods kube-scheduler chose for its own resources) are returned unchanged.
 * A node left with no victim is dropped, since kube-scheduler rejects an empty list. {@code
 * NumPDBViolations} is passed through (an upper bound for the subset). The ledger never changes.
 *
 * <p>Bad input never escapes as an exception: a malformed body is a filter, bind or preemption
 * result with {@code Error} set, or for prioritize an empty list (kube-scheduler ignores a
 * prioritize failure).
 */
public final class Extender {
  private final PlacementPolicy policy;
  private final ClusterState state;
  private final KubeMapping mapping;
  private final Options options;
  private final PendingPods pending;
  /**
   * The last snapshot taken, reused while the ledger's version has not moved: policies memoise
   * node states per view object, so reusing one snapshot saves re-reading every node on each
   * call (kube-scheduler's filter and prioritize for one pod meet the same ledger).
   */
  private volatile @Nullable ClusterSnapshot lastSnapshot;
  /** Pod UID to allocation id ({@code namespace/name}) of the pods bound or adopted. */
  private final Map<String, String> keyByUid = new ConcurrentHashMap<>();

  /**
   * How the extender remembers pods between filter and bind, and its clock.
   *
   * @param maxPendingPods the most pods remembered, at least 1
   * @param pendingTtl how long a pod is remembered after filter or prioritize last saw it, positive
   * @param clock the time source for the cache and for the annotations' timestamps
   */
  public record Options(int maxPendingPods, Duration pendingTtl, Clock clock) {
    /**
     * Validates.
     *
     * @param maxPendingPods the most pods remembered, at least 1
     * @param pendingTtl how long a pod is remembered, at least 1 ms
     * @param clock the time source
     */
    public Options {
      if (maxPendingPods < 1) {
        throw InvalidSpecException.of("extender options", "maxPendingPods", maxPendingPods, ">= 1");
      }
      if (pendingTtl == null || pendingTtl.toMillis() < 1) {
        throw InvalidSpecException.of("extender options", "pendingTtl", pendingTtl,
            "a duration of at least 1 ms");
      }
      if (clock == null) {
        throw InvalidSpecException.of("extender options", "clock", null, "a clock");
      }
    }

    /**
     * 10,000 pods, 10 minutes, the system clock.
     *
     * @return the defaults
     */
    public static Options defaults() {
      return new Options(10_000, Duration.ofMinutes(10), Clock.systemUTC());
    }

    /**
     * A copy with another capacity.
     *
     * @param value the most pods remembered
     * @return the changed copy
     */
    public Options withMaxPendingPods(int value) {
      return new Options(value, pendingTtl, clock);
    }

    /**
     * A copy with another time to live.
     *
     * @param value how long a pod is remembered
     * @return the changed copy
     */
    public Options withPendingTtl(Duration value) {
      return new Options(maxPendingPods, value, clock);
    }

    /**
     * A copy with another clock.
     *
     * @param value the time source
     * @return the changed copy
     */
    public Options withClock(Clock value) {
      return new Options(maxPendingPods, pendingTtl, value);
    }
  }

  private Extender(PlacementPolicy policy, ClusterState state, KubeMapping mapping,
      Options options) {
    this.policy = policy;
    this.state = state;
    this.mapping = mapping;
    this.options = options;
    this.pending = new PendingPods(options.maxPendingPods(), options.pendingTtl().toMillis(),
        options.clock());
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
    return of(policy, state, mapping, Options.defaults());
  }

  /**
   * An extender on {@code state} deciding with {@code policy}, with these options.
   *
   * @param policy the policy that scores nodes
   * @param state the live ledger
   * @param mapping how pods and nodes are read
   * @param options the pending-pod cache and the clock
   * @return the extender
   * @throws InvalidSpecException when an argument is null
   */
  public static Extender of(PlacementPolicy policy, ClusterState state, KubeMapping mapping,
      Options options) {
    if (policy == null || state == null || mapping == null || options == null) {
      throw InvalidSpecException.of("extender", "policy/state/mapping/options", null,
          "non-null values");
    }
    return new Extender(policy, state, mapping, options);
  }

  /**
   * The ledger the extender decides on and commits to.
   *
   * @return the live ledger
   */
  public ClusterState state() {
    return state;
  }

  /**
   * The mapping the extender reads pods and nodes with.
   *
   * @return the mapping
   */
  public KubeMapping mapping() {
    return mapping;
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
    ExtenderArgs args;
    try {
      args = ExtenderJson.readArgs(body, mapping);
    } catch (RuntimeException e) {
      return FilterResult.ofError(message(e));
    }
    return filterResult(args);
  }

  /**
   * The filter decision on arguments already read (a host that learns nodes from {@code
   * ExtenderArgs.nodes()} reads the body once, applies the nodes, then filters).
   *
   * @param args the arguments
   * @return the result; {@code error} set when the decision failed
   */
  public FilterResult filterResult(ExtenderArgs args) {
    try {
      pending.remember(args.pod());
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
    return priorities(ExtenderJson.readArgs(body, mapping));
  }

  /**
   * The prioritize decision on arguments already read.
   *
   * @param args the arguments
   * @return one score per candidate
   * @throws GpuallocException when the pod cannot be scored
   */
  public List<HostPriority> priorities(ExtenderArgs args) {
    pending.remember(args.pod());
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
      int id = cluster.hasNode(name) ? cluster.nodeId(name) : -1;
      if (id >= 0 && scores.isFeasible(id)) {
        pos[i] = scores.positionOf(id);
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

  // -------------------------------------------------------------------------------------------
  // bind

  /**
   * The {@code bind} verb: commits the pod's placement on the named node to the ledger. The host
   * must still write the annotations and create the Binding: use {@link #bindOutcome}.
   *
   * @param body an {@code ExtenderBindingArgs} body
   * @return an {@code ExtenderBindingResult} body; {@code Error} set when nothing was committed
   */
  public String bind(String body) {
    return bindOutcome(body).toJson();
  }

  /**
   * The bind decision: re-decides the remembered pod on the node kube-scheduler chose and commits
   * it (see the class comment). Never throws for bad input or a lost race; the ledger changes
   * only when the outcome is {@link BindOutcome#bound()}.
   *
   * @param body an {@code ExtenderBindingArgs} body
   * @return the outcome: the placement and the annotations to write, or the error
   */
  public BindOutcome bindOutcome(String body) {
    BindingArgs args;
    try {
      args = ExtenderJson.readBindingArgs(body, mapping);
    } catch (RuntimeException e) {
      return BindOutcome.failed("", "", "", "", message(e));
    }
    String ns = args.podNamespace();
    String name = args.podName();
    String uid = args.podUid();
    String node = args.node();
    try {
      String cacheKey = PendingPods.keyOf(uid, ns, name);
      KubePod pod = pending.get(cacheKey);
      if (pod == null) {
        return BindOutcome.failed(ns, name, uid, node, "PodUnknown: pod " + ns + "/" + name
            + (uid.isEmpty() ? "" : " (uid " + uid + ")") + " was not filtered or prioritized"
            + " by this extender in the last " + options.pendingTtl().toSeconds() + " s (or was"
            + " bound already); allowed: a pod seen by filter or prioritize. Maybe the extender"
            + " restarted: kube-scheduler retries the pod");
      }
      if (!pod.namespace().equals(ns) || !pod.name().equals(name)) {
        return BindOutcome.failed(ns, name, uid, node, "PodMismatch: uid " + uid + " was seen as"
            + " pod " + pod.key() + ", the bind names " + ns + "/" + name);
      }
      String key = pod.key();
      if (state.allocation(key) != null) {
        return BindOutcome.failed(ns, name, uid, node, "AlreadyAllocated: pod " + key
            + " already holds an allocation in the ledger; allowed: one bind per pod. Maybe"
            + " release it first");
      }
      ClusterView view = snapshot();
      Cluster cluster = view.cluster();
      if (!cluster.hasNode(node)) {
        return BindOutcome.failed(ns, name, uid, node, "NodeUnknown: the extender's cluster has"
            + " no member '" + node + "'");
      }
      int id = cluster.nodeId(node);
      Request request = pod.request();
      NodeScores scores = policy.scoreAll(request, new OneNodeView(view, id));
      if (!scores.isFeasible(id)) {
        return BindOutcome.failed(ns, name, uid, node, "NodeUnfitPod: pod " + key
            + " no longer fits node " + node + ": " + scores.rejectionFor(id));
      }
      Placement placement = new Placement(key, id, request.cpuMilli(), request.memoryMib(),
          scores.grants(scores.positionOf(id)));
      Node n = cluster.node(id);
      Map<String, String> annotations = BindAnnotations.of(pod, n, placement,
          options.clock().millis() / 1000);
      try {
        state.allocate(placement);
      } catch (AllocationConflictException | UnknownNodeException raced) {
        return BindOutcome.failed(ns, name, uid, node, "BindConflict: the ledger changed since"
            + " the decision: " + raced.getMessage() + "; nothing was committed");
      }
      pending.forget(cacheKey);
      if (!pod.uid().isEmpty()) {
        keyByUid.put(pod.uid(), key);
      }
      return new BindOutcome(ns, name, uid, node, placement, annotations, "");
    } catch (RuntimeException e) {
      return BindOutcome.failed(ns, name, uid, node, message(e));
    }
  }

  /**
   * Releases the allocation of pod {@code namespace/name}: the pod ended or was deleted, or its
   * Binding could not be created after {@link #bindOutcome} committed it.
   *
   * @param namespace the pod's namespace
   * @param name the pod's name
   * @return the released placement, or null when the ledger held none (deletes may arrive twice)
   */
  public @Nullable Placement release(String namespace, String name) {
    String key = namespace + "/" + name;
    Placement released = releaseKey(key);
    keyByUid.values().removeIf(key::equals);
    return released;
  }

  /**
   * Releases the allocation of the pod with this UID (one bound or adopted by this extender).
   *
   * @param uid the pod's UID
   * @return the released placement, or null when the extender knows no allocation for the UID
   */
  public @Nullable Placement releaseUid(String uid) {
    String key = keyByUid.remove(uid);
    return key == null ? null : releaseKey(key);
  }

  private @Nullable Placement releaseKey(String key) {
    if (state.allocation(key) == null) {
      return null;
    }
    try {
      return state.release(key);
    } catch (GpuallocException raced) {
      return null; // released by another thread in between
    }
  }

  /**
   * Records running pods' HAMi allocations (after a restart): {@link HamiLedger#rebuild}, all or
   * none, and remembers their UIDs for {@link #releaseUid} and preemption.
   *
   * @param running the running pods
   * @return the placements recorded
   * @throws GpuallocException as {@link HamiLedger#rebuild}; then nothing was recorded
   */
  public List<Placement> adopt(List<KubePod> running) {
    List<Placement> out = HamiLedger.rebuild(state, running, mapping.limits());
    for (KubePod p : running) {
      if (!p.uid().isEmpty() && state.allocation(p.key()) != null) {
        keyByUid.put(p.uid(), p.key());
      }
    }
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // preempt

  /**
   * The {@code preempt} verb.
   *
   * @param body an {@code ExtenderPreemptionArgs} body
   * @return an {@code ExtenderPreemptionResult} body; an extra {@code Error} key for bad input
   */
  public String preempt(String body) {
    return ExtenderJson.writePreemptionResult(preemptResult(body));
  }

  /**
   * The preemption decision (see the class comment). The ledger does not change.
   *
   * @param body an {@code ExtenderPreemptionArgs} body
   * @return per node where the pod fits after the evictions, the victims needed; an error for bad
   *     input
   */
  public PreemptionResult preemptResult(String body) {
    try {
      PreemptionArgs args = ExtenderJson.readPreemptionArgs(body, mapping);
      Request request = args.pod().request();
      ClusterState fork = state.fork();
      Cluster cluster = fork.cluster();
      Map<String, Victims> out = new TreeMap<>();
      for (Map.Entry<String, Victims> e : args.victims().entrySet()) {
        String nodeName = e.getKey();
        if (!cluster.hasNode(nodeName)) {
          continue;
        }
        int id = cluster.nodeId(nodeName);
        List<VictimPod> given = e.getValue().pods();
        List<Placement> known = new ArrayList<>();
        Placement[] found = new Placement[given.size()];
        for (int i = 0; i < given.size(); i++) {
          Placement p = allocationOf(fork, given.get(i));
          if (p != null && p.nodeId() == id && !containsId(known, p.allocationId())) {
            found[i] = p;
            known.add(p);
          }
        }
        for (Placement p : known) {
          fork.release(p.allocationId());
        }
        List<Placement> needed = new ArrayList<>();
        if (fits(request, fork, id)) {
          for (Placement p : known) {
            fork.allocate(p); // spare it ...
            if (!fits(request, fork, id)) {
              fork.release(p.allocationId()); // ... unless the pod then no longer fits
              needed.add(p);
            }
          }
          List<VictimPod> chosen = new ArrayList<>();
          for (int i = 0; i < given.size(); i++) {
            if (found[i] == null || containsId(needed, found[i].allocationId())) {
              chosen.add(given.get(i));
            }
          }
          if (!chosen.isEmpty()) {
            out.put(nodeName, new Victims(chosen, e.getValue().numPdbViolations()));
          }
        } else {
          needed.addAll(known);
        }
        fork.allocateAll(needed); // the fork is as it was before this node
      }
      return new PreemptionResult(out, "");
    } catch (RuntimeException e) {
      return PreemptionResult.ofError(message(e));
    }
  }

  private static boolean containsId(List<Placement> list, String id) {
    for (Placement p : list) {
      if (p.allocationId().equals(id)) {
        return true;
      }
    }
    return false;
  }

  private @Nullable Placement allocationOf(ClusterState s, VictimPod v) {
    String key = v.uid().isEmpty() ? null : keyByUid.get(v.uid());
    if (key == null && !v.key().isEmpty()) {
      key = v.key();
    }
    return key == null ? null : s.allocation(key);
  }

  private boolean fits(Request request, ClusterView view, int nodeId) {
    return policy.scoreAll(request, new OneNodeView(view, nodeId)).isFeasible(nodeId);
  }

  // -------------------------------------------------------------------------------------------
  // nodes

  /** What {@link #applyNode} did to the ledger. */
  public enum NodeChange {
    /** The node was not a member; it was added (and cordoned, GPUs marked, as it says). */
    ADDED,
    /** The node's labels, cordon or GPU health changed in the ledger. */
    UPDATED,
    /**
     * Its CPU, memory or GPUs changed: the node was removed and added anew, and the allocations it
     * held were put back on the new node where they still fit (see {@link #applyNode}).
     */
    REPLACED,
    /** Nothing changed. */
    UNCHANGED
  }

  /**
   * Brings the ledger's view of one node in line with the Kubernetes Node (learnt from a node
   * source, or from full {@code Nodes} in a request): adds it, or updates its labels, cordon and
   * GPU health, or, when its hardware changed, replaces it and re-allocates its placements by GPU
   * index where they still fit (those that do not are dropped from the ledger).
   *
   * @param node the node as read by {@link KubeMapping#readNode}
   * @return what changed
   * @throws GpuallocException when the ledger refuses the node (for example a GPU UUID that
   *     another member already has)
   */
  public synchronized NodeChange applyNode(KubeNode node) {
    Objects.requireNonNull(node, "node");
    Node n = node.node();
    Cluster cluster = state.cluster();
    if (!cluster.hasNode(n.name())) {
      state.addNode(n);
      applyFlags(node);
      return NodeChange.ADDED;
    }
    Node old = cluster.node(cluster.nodeId(n.name()));
    if (old.cpuMilli() != n.cpuMilli() || old.memoryMib() != n.memoryMib()
        || !old.gpus().equals(n.gpus())) {
      List<Placement> held = state.removeNode(n.name());
      int id = state.addNode(n);
      for (Placement p : held) {
        try {
          state.allocate(new Placement(p.allocationId(), id, p.cpuMilli(), p.memoryMib(),
              p.grants()));
        } catch (GpuallocException lost) {
          keyByUid.values().removeIf(p.allocationId()::equals);
        }
      }
      applyFlags(node);
      return NodeChange.REPLACED;
    }
    boolean changed = false;
    if (!old.labels().equals(n.labels())) {
      changed |= state.relabel(n.name(), n.labels());
    }
    changed |= applyFlags(node);
    return changed ? NodeChange.UPDATED : NodeChange.UNCHANGED;
  }

  private boolean applyFlags(KubeNode node) {
    String name = node.node().name();
    boolean changed = node.cordoned() ? state.cordon(name) : state.uncordon(name);
    for (int g = 0; g < node.node().gpuCount(); g++) {
      if (node.unhealthyGpus().contains(g)) {
        int gpuId = state.cluster().gpuId(state.cluster().nodeId(name), g);
        if (state.isGpuHealthy(gpuId)) {
          state.markGpuUnhealthy(name, g);
          changed = true;
        }
      } else {
        changed |= state.markGpuHealthy(name, g);
      }
    }
    return changed;
  }

  /**
   * Removes a node that left the cluster; its allocations are released.
   *
   * @param name the node's name
   * @return the allocations it held, or an empty list when it was not a member
   */
  public synchronized List<Placement> removeNode(String name) {
    if (!state.cluster().hasNode(name)) {
      return List.of();
    }
    List<Placement> lost = state.removeNode(name);
    for (Placement p : lost) {
      keyByUid.values().removeIf(p.allocationId()::equals);
    }
    return lost;
  }

  /**
   * How many pods are remembered for bind (expired ones included until dropped).
   *
   * @return the count
   */
  public int pendingPods() {
    return pending.size();
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
    return new Candidates(names, snapshot());
  }

  /** A snapshot of the ledger as it is now: the last one when nothing changed since. */
  private ClusterSnapshot snapshot() {
    ClusterSnapshot s = lastSnapshot;
    if (s == null || s.version() != state.version()) {
      s = state.snapshot();
      lastSnapshot = s;
    }
    return s;
  }

  private static String message(RuntimeException e) {
    if (e instanceof GpuallocException) {
      return e.getMessage();
    }
    return "internal error: " + e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}

package io.gpualloc.binpack.defrag;

import io.gpualloc.binpack.Policies;
import io.gpualloc.binpack.PolicyConfig;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.Placement;
import io.gpualloc.core.PlacementPolicy;
import io.gpualloc.core.Request;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A defragmentation problem: a frozen copy of a ledger, a goal, which allocations may move, what
 * each move and eviction costs, whether evictions are allowed, and the policy that re-places a
 * moved allocation. Validated once when built; later changes to the caller's ledger do not affect
 * it.
 *
 * <p><b>Which allocations can move.</b> By default every allocation whose grants are uniform
 * (CPU-only, {@code k} whole GPUs, or {@code k} equal shares) may move. Allocations holding MIG
 * instances, or shares of different sizes, never move (MIG layouts are planned by {@code
 * io.gpualloc.binpack.mig}); naming one as movable is an error.
 *
 * <p><b>Where a moved allocation may go.</b> To a node where it fits, on GPUs its request allows.
 * Give each allocation's {@link Request} with {@link Builder#requests} to say that (and its
 * priority); without one, an allocation keeps to the GPU models it holds now, with priority 0.
 *
 * <p><b>Costs.</b> {@link DefragCosts#byPriority()} unless {@link Builder#costs} says otherwise:
 * a move costs {@code 1 + priority}, an eviction ten times that.
 */
public final class DefragProblem {
  private final ClusterState ledger;
  private final DefragGoal goal;
  private final List<Placement> allocations;
  private final Set<String> movable;
  private final Map<String, AllocationCost> costs;
  private final Map<String, Request> requests;
  private final boolean evictionAllowed;
  private final PlacementPolicy replacement;

  private DefragProblem(Builder b) {
    String owner = "defrag problem";
    if (b.ledger == null) {
      throw InvalidSpecException.of(owner, "ledger", null, "a ClusterState");
    }
    if (b.goal == null) {
      throw InvalidSpecException.of(owner, "goal", null, "a DefragGoal");
    }
    this.ledger = b.ledger.fork();
    this.goal = b.goal;
    List<Placement> all = new ArrayList<>(ledger.allocations());
    all.sort(Comparator.comparing(Placement::allocationId));
    this.allocations = List.copyOf(all);
    Map<String, Placement> byId = new HashMap<>();
    for (Placement p : all) {
      byId.put(p.allocationId(), p);
    }
    Cluster c = ledger.cluster();
    // requests: given ones checked against the placement's shape, the rest derived
    Map<String, Request> req = new LinkedHashMap<>();
    for (Map.Entry<String, Request> e : b.requests.entrySet()) {
      Placement p = byId.get(e.getKey());
      if (p == null) {
        throw InvalidSpecException.of(owner, "requests", e.getKey(),
            "ids of allocations in the ledger (" + all.size() + " held)");
      }
      Request r = e.getValue();
      if (r == null || r.gpu().count() != p.grants().size()) {
        throw InvalidSpecException.of(owner, "requests[" + e.getKey() + "]",
            r == null ? null : r.gpu(), "a request whose GPU count equals the allocation's "
                + p.grants().size() + " grants");
      }
    }
    for (Placement p : all) {
      Request given = b.requests.get(p.allocationId());
      Request derived = derive(p, c, given == null ? 0 : given.priority());
      if (derived != null) {
        req.put(p.allocationId(), given != null ? given : derived);
      }
    }
    this.requests = Collections.unmodifiableMap(req);
    // movable
    Set<String> mov = new TreeSet<>();
    if (b.movableIds != null) {
      for (String id : b.movableIds) {
        if (!byId.containsKey(id)) {
          throw InvalidSpecException.of(owner, "movable", id,
              "ids of allocations in the ledger (" + all.size() + " held)");
        }
        if (!req.containsKey(id)) {
          throw InvalidSpecException.of(owner, "movable", id,
              "allocations with uniform grants (CPU-only, whole GPUs or equal shares); MIG"
                  + " allocations are planned by MigPlanners");
        }
        mov.add(id);
      }
    } else {
      for (Placement p : all) {
        if (req.containsKey(p.allocationId()) && b.movableIf.test(p)) {
          mov.add(p.allocationId());
        }
      }
    }
    this.movable = Collections.unmodifiableSet(mov);
    if (b.costs == null) {
      throw InvalidSpecException.of(owner, "costs", null, "a DefragCosts");
    }
    Map<String, AllocationCost> cost = new HashMap<>();
    for (String id : mov) {
      Request r = req.get(id);
      AllocationCost k = b.costs.cost(byId.get(id), r.priority());
      if (k == null) {
        throw InvalidSpecException.of(owner, "costs(" + id + ")", null, "an AllocationCost");
      }
      cost.put(id, k);
    }
    this.costs = Collections.unmodifiableMap(cost);
    this.evictionAllowed = b.evictionAllowed;
    // goal checks against the ledger
    if (goal instanceof DefragGoal.Fit f) {
      for (int i = 0; i < f.pods().size(); i++) {
        String name = f.pods().get(i).name();
        if (byId.containsKey(name)) {
          throw InvalidSpecException.of(owner, "goal.pods[" + i + "].name", name,
              "a name that is not an allocation id in the ledger");
        }
      }
    } else if (goal instanceof DefragGoal.EmptyNodes e) {
      int n = 0;
      for (String name : e.candidates()) {
        if (!c.hasNode(name)) {
          throw InvalidSpecException.of(owner, "goal.candidates", name, "names of member nodes");
        }
      }
      n = e.candidates().isEmpty() ? c.nodeCount() : e.candidates().size();
      if (e.count() > n) {
        throw InvalidSpecException.of(owner, "goal.count", e.count(),
            "<= " + n + " (the candidate nodes)");
      }
    }
    if (b.replacement != null) {
      this.replacement = b.replacement;
    } else if (goal instanceof DefragGoal.ReduceFragmentation rf) {
      this.replacement = Policies.named("fgd", PolicyConfig.of(0).withWorkload(rf.workload()));
    } else {
      this.replacement = Policies.named("best-fit", PolicyConfig.of(0));
    }
  }

  /** The request a moved allocation is re-placed with, or null when it cannot move. */
  private static @Nullable Request derive(Placement p, Cluster c, int priority) {
    Request.Builder r = Request.builder(p.allocationId()).cpuMilli(p.cpuMilli())
        .memoryMib(p.memoryMib()).priority(priority);
    if (p.grants().isEmpty()) {
      return r.gpu(GpuDemand.none()).build();
    }
    GpuGrant first = p.grants().get(0);
    Set<String> models = new TreeSet<>();
    for (GpuGrant g : p.grants()) {
      if (g instanceof GpuGrant.Mig || !g.getClass().equals(first.getClass())) {
        return null;
      }
      if (g instanceof GpuGrant.Share s && first instanceof GpuGrant.Share f
          && (s.computeMilli() != f.computeMilli() || s.memoryMib() != f.memoryMib())) {
        return null;
      }
      models.add(c.node(p.nodeId()).gpu(g.gpuIndex()).model().name());
    }
    int k = p.grants().size();
    GpuDemand d = first instanceof GpuGrant.Share s
        ? GpuDemand.shared(k, s.computeMilli(), s.memoryMib())
        : GpuDemand.whole(k);
    return r.gpu(d).modelInclude(models).build();
  }

  /**
   * Starts a builder.
   *
   * @param ledger the ledger to plan on (copied when built)
   * @param goal what the plan must achieve
   * @return a builder
   */
  public static Builder builder(ClusterState ledger, DefragGoal goal) {
    return new Builder(ledger, goal);
  }

  /**
   * A fresh writable copy of the ledger as it was when the problem was built.
   *
   * @return a fork; changing it changes nothing here
   */
  public ClusterState ledger() {
    return ledger.fork();
  }

  /**
   * The goal.
   *
   * @return the goal
   */
  public DefragGoal goal() {
    return goal;
  }

  /**
   * Every allocation of the ledger, by id.
   *
   * @return the allocations, sorted by id
   */
  public List<Placement> allocations() {
    return allocations;
  }

  /**
   * The ids of the allocations that may move or be evicted.
   *
   * @return the ids, sorted
   */
  public Set<String> movable() {
    return movable;
  }

  /**
   * Whether an allocation may move or be evicted.
   *
   * @param allocationId the id
   * @return whether it is in {@link #movable()}
   */
  public boolean isMovable(String allocationId) {
    return movable.contains(allocationId);
  }

  /**
   * The costs of a movable allocation.
   *
   * @param allocationId a movable allocation's id
   * @return its move and eviction costs
   * @throws InvalidSpecException when the allocation is not movable
   */
  public AllocationCost cost(String allocationId) {
    AllocationCost k = costs.get(allocationId);
    if (k == null) {
      throw InvalidSpecException.of("defrag problem", "allocationId", allocationId,
          "a movable allocation's id");
    }
    return k;
  }

  /**
   * The request a movable allocation is re-placed with.
   *
   * @param allocationId a movable allocation's id
   * @return the request (the given one, or derived from the placement)
   * @throws InvalidSpecException when the allocation is not movable
   */
  public Request request(String allocationId) {
    if (!movable.contains(allocationId)) {
      throw InvalidSpecException.of("defrag problem", "allocationId", allocationId,
          "a movable allocation's id");
    }
    return requests.get(allocationId);
  }

  /**
   * Whether a plan may evict.
   *
   * @return true when evictions are allowed
   */
  public boolean evictionAllowed() {
    return evictionAllowed;
  }

  /**
   * The policy that re-places moved allocations (its order of nodes is the greedy's preference).
   *
   * @return the policy
   */
  public PlacementPolicy replacement() {
    return replacement;
  }

  @Override
  public String toString() {
    return "DefragProblem[" + goal.describe() + ", " + allocations.size() + " allocations, "
        + movable.size() + " movable, eviction " + (evictionAllowed ? "allowed" : "not allowed")
        + "]";
  }

  /** Builds a {@link DefragProblem}. */
  public static final class Builder {
    private final @Nullable ClusterState ledger;
    private final @Nullable DefragGoal goal;
    private Predicate<Placement> movableIf = p -> true;
    private @Nullable Set<String> movableIds;
    private @Nullable DefragCosts costs = DefragCosts.byPriority();
    private Map<String, Request> requests = Map.of();
    private boolean evictionAllowed;
    private @Nullable PlacementPolicy replacement;

    private Builder(@Nullable ClusterState ledger, @Nullable DefragGoal goal) {
      this.ledger = ledger;
      this.goal = goal;
    }

    /**
     * Which allocations may move: those the predicate accepts (among those that can move at all).
     * Default: all.
     *
     * @param test the predicate
     * @return this builder
     * @throws InvalidSpecException for a null predicate
     */
    public Builder movableIf(Predicate<Placement> test) {
      if (test == null) {
        throw InvalidSpecException.of("defrag problem builder", "movableIf", null, "a predicate");
      }
      this.movableIf = test;
      this.movableIds = null;
      return this;
    }

    /**
     * Exactly these allocations may move.
     *
     * @param ids allocation ids of the ledger, each with uniform grants
     * @return this builder
     * @throws InvalidSpecException for a null set or element (unknown ids fail in {@link #build})
     */
    public Builder movable(Set<String> ids) {
      if (ids == null || ids.stream().anyMatch(java.util.Objects::isNull)) {
        throw InvalidSpecException.of("defrag problem builder", "movable", ids,
            "a set of allocation ids");
      }
      this.movableIds = Set.copyOf(ids);
      return this;
    }

    /**
     * The cost model (default {@link DefragCosts#byPriority()}).
     *
     * @param model the model
     * @return this builder
     */
    public Builder costs(DefragCosts model) {
      this.costs = model;
      return this;
    }

    /**
     * The request of each allocation: its priority and where it may be re-placed.
     *
     * @param byAllocationId requests by allocation id (not every allocation needs one)
     * @return this builder
     * @throws InvalidSpecException for a null map
     */
    public Builder requests(Map<String, Request> byAllocationId) {
      if (byAllocationId == null) {
        throw InvalidSpecException.of("defrag problem builder", "requests", null,
            "a map of allocation id to request");
      }
      this.requests = new HashMap<>(byAllocationId);
      return this;
    }

    /**
     * Whether plans may evict (release without re-placing). Default false: migration only.
     *
     * @param allowed true to allow evictions
     * @return this builder
     */
    public Builder allowEviction(boolean allowed) {
      this.evictionAllowed = allowed;
      return this;
    }

    /**
     * The policy that re-places moved allocations. Default {@code best-fit}, or {@code fgd} with
     * the goal's workload for {@link DefragGoal.ReduceFragmentation}.
     *
     * @param policy the policy
     * @return this builder
     * @throws InvalidSpecException for a null policy
     */
    public Builder replacement(PlacementPolicy policy) {
      if (policy == null) {
        throw InvalidSpecException.of("defrag problem builder", "replacement", null,
            "a placement policy, e.g. Policies.named(\"best-fit\", PolicyConfig.of(0))");
      }
      this.replacement = policy;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the problem
     * @throws InvalidSpecException for a missing ledger or goal, an unknown or immovable id, a
     *     request that does not match its allocation, a cost the model rejects, pending pod
     *     names already in the ledger, unknown candidate nodes, or more nodes to empty than there
     *     are candidates
     */
    public DefragProblem build() {
      return new DefragProblem(this);
    }
  }
}

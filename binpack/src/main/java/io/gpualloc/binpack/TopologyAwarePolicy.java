package io.gpualloc.binpack;

import io.gpualloc.binpack.internal.TopologyTerm;
import io.gpualloc.core.ClusterView;
import io.gpualloc.core.Decision;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.IntraNodeTopology;
import io.gpualloc.core.NodeScores;
import io.gpualloc.core.Placement;
import io.gpualloc.core.PlacementPolicy;
import io.gpualloc.core.Request;
import io.gpualloc.topology.GpuSet;
import io.gpualloc.topology.GpuSetChoice;
import io.gpualloc.topology.GpuSetSelector;
import io.gpualloc.topology.NodeInterconnect;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A thin wrapper that also picks GPU sets by interconnect for requests without a topology
 * setting. Every named policy already applies {@link IntraNodeTopology#REQUIRED} (a filter) and
 * {@link IntraNodeTopology#PREFERRED} (a score term) itself when its {@link PolicyConfig} carries
 * the nodes' interconnects; this wrapper adds that constraint on top of any policy with the
 * interconnects given here, and for {@link IntraNodeTopology#ANY} multi-GPU requests replaces the
 * wrapped policy's GPU choice on each scored node with the {@link GpuSetSelector}'s best-connected
 * set (node order, host CPU and memory and per-GPU amounts unchanged). Single-GPU and MIG requests,
 * and nodes whose interconnect is unknown, keep the wrapped policy's answer for {@code ANY}.
 *
 * <p>{@link #place} is the best of {@link #scoreAll}.
 */
public final class TopologyAwarePolicy implements PlacementPolicy {
  private final PlacementPolicy base;
  private final Function<String, NodeInterconnect> interconnects;
  private final GpuSetSelector selector;
  private final TopologyTerm term;

  private TopologyAwarePolicy(PlacementPolicy base,
      Map<String, NodeInterconnect> interconnects, GpuSetSelector selector) {
    this.base = base;
    this.interconnects = interconnects::get;
    this.selector = selector;
    this.term = TopologyTerm.of(interconnects, PolicyConfig.DEFAULT_TOPOLOGY_WEIGHT);
  }

  /**
   * Wraps {@code base}.
   *
   * @param base the policy that chooses nodes
   * @param interconnects each node's interconnect by node name (missing names: unknown topology)
   * @param selector how to choose GPU sets for {@code ANY} requests, for example {@code
   *     GpuSetSelectors.branchAndBound()}
   * @return the topology-aware policy, named {@code <base>+topology}
   * @throws InvalidSpecException for a null argument
   */
  public static TopologyAwarePolicy wrap(PlacementPolicy base,
      Map<String, NodeInterconnect> interconnects, GpuSetSelector selector) {
    if (base == null || interconnects == null || selector == null) {
      throw InvalidSpecException.of("topology-aware policy", "base/interconnects/selector",
          null, "non-null values");
    }
    return new TopologyAwarePolicy(base, Map.copyOf(interconnects), selector);
  }

  /**
   * The wrapped policy's name with {@code +topology}.
   *
   * @return for example {@code best-fit+topology}
   */
  @Override
  public String name() {
    return base.name() + "+topology";
  }

  /**
   * The best of {@link #scoreAll}.
   *
   * @param request the request
   * @param view the ledger or a snapshot
   * @return the decision
   */
  @Override
  public Decision place(Request request, ClusterView view) {
    if (term.applies(request)) {
      return scoreAll(request, view).best();
    }
    Decision d = base.place(request, view);
    if (!(d instanceof Decision.Placed placed)) {
      return d;
    }
    List<GpuGrant> grants = repick(request, view, placed.placement().nodeId());
    if (grants == null) {
      return d;
    }
    Placement p = placed.placement();
    return new Decision.Placed(
        new Placement(p.allocationId(), p.nodeId(), p.cpuMilli(), p.memoryMib(), grants),
        placed.score(), placed.breakdown());
  }

  /**
   * The wrapped policy's scored list with the topology constraint, or for {@code ANY} requests
   * with the best-connected GPU set on each node.
   *
   * @param request the request
   * @param view the ledger or a snapshot
   * @return the scored list
   */
  @Override
  public NodeScores scoreAll(Request request, ClusterView view) {
    NodeScores s = base.scoreAll(request, view);
    if (term.applies(request)) {
      return term.apply(request, view, s);
    }
    NodeScores.Builder b = NodeScores.builder(request, view.cluster(), s.terms());
    double[] parts = new double[s.terms().size()];
    for (int i = 0; i < s.size(); i++) {
      for (int k = 0; k < parts.length; k++) {
        parts[k] = s.term(i, k);
      }
      List<GpuGrant> grants = repick(request, view, s.nodeId(i));
      b.scored(s.nodeId(i), s.score(i), parts,
          grants == null ? s.grants(i) : grants);
    }
    for (int node = 0; node < s.nodeIdBound(); node++) {
      if (!s.isFeasible(node)) {
        b.rejected(node, s.rejectionFor(node));
      }
    }
    Decision best = s.best();
    return b.build(best instanceof Decision.Rejected r ? r.message() : "");
  }

  /** The selector's set on the node, or null to keep the wrapped policy's grants. */
  private @Nullable List<GpuGrant> repick(Request request, ClusterView view, int nodeId) {
    GpuDemand demand = request.gpu();
    int k = demand.count();
    if (k < 2 || demand instanceof GpuDemand.Mig) {
      return null;
    }
    NodeInterconnect ic = interconnects.apply(view.cluster().node(nodeId).name());
    if (ic == null || ic.gpuCount() != view.cluster().node(nodeId).gpuCount()) {
      return null;
    }
    GpuSet allowed = allowedGpus(request, view, nodeId);
    GpuSetChoice choice;
    if (demand instanceof GpuDemand.Shared s) {
      choice = restrict(selector.selectShared(view, nodeId, ic, s.computeMilli(), s.memoryMib(),
          GpuSet.empty(), k), allowed, view, nodeId, ic, s, k);
    } else {
      choice = restrict(selector.selectWhole(view, nodeId, ic, GpuSet.empty(), k), allowed, view,
          nodeId, ic, null, k);
    }
    if (!(choice instanceof GpuSetChoice.Chosen chosen)) {
      return null;
    }
    List<GpuGrant> grants = new ArrayList<>(k);
    for (int gpu : chosen.gpus().toArray()) {
      grants.add(demand instanceof GpuDemand.Shared s
          ? GpuGrant.share(gpu, s.computeMilli(), s.memoryMib())
          : GpuGrant.whole(gpu));
    }
    return List.copyOf(grants);
  }

  /** GPUs the request's model and UUID filters allow on the node. */
  private static GpuSet allowedGpus(Request request, ClusterView view, int nodeId) {
    List<Integer> ok = new ArrayList<>();
    var node = view.cluster().node(nodeId);
    for (int i = 0; i < node.gpuCount(); i++) {
      if (request.allowsGpu(node.gpu(i))) {
        ok.add(i);
      }
    }
    return GpuSet.of(ok);
  }

  /** Re-selects among allowed GPUs when the first answer used a GPU the filters exclude. */
  private GpuSetChoice restrict(GpuSetChoice first, GpuSet allowed, ClusterView view, int nodeId,
      NodeInterconnect ic, GpuDemand.@Nullable Shared share, int k) {
    if (!(first instanceof GpuSetChoice.Chosen c) || c.gpus().isSubsetOf(allowed)) {
      return first;
    }
    GpuSet free = GpuSet.wholeFree(view, nodeId).intersect(allowed);
    GpuSet partly = GpuSet.empty();
    if (share != null) {
      partly = GpuSet.partlyUsed(view, nodeId, share.computeMilli(), share.memoryMib())
          .intersect(allowed);
      int off = view.cluster().gpuOffset(nodeId);
      List<Integer> canHold = new ArrayList<>();
      for (int i : free.toArray()) {
        if (view.canShare(off + i, share.computeMilli(), share.memoryMib())) {
          canHold.add(i);
        }
      }
      free = GpuSet.of(canHold);
    }
    return selector.select(ic, free, partly, GpuSet.empty(), k);
  }

}

package io.gpualloc.binpack;

import io.gpualloc.core.ClusterView;
import io.gpualloc.core.Decision;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.IntraNodeTopology;
import io.gpualloc.core.Placement;
import io.gpualloc.core.PlacementPolicy;
import io.gpualloc.core.RejectReason;
import io.gpualloc.core.Request;
import io.gpualloc.topology.GpuSet;
import io.gpualloc.topology.GpuSetChoice;
import io.gpualloc.topology.GpuSetSelector;
import io.gpualloc.topology.NodeInterconnect;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Makes any placement policy topology-aware inside the node: the wrapped policy chooses the node
 * (its filters, scorers and tie-breaks are untouched), then a {@link GpuSetSelector} chooses which
 * GPUs of that node a multi-GPU request gets, by the node's NVLink/NVSwitch/PCIe interconnect,
 * instead of the wrapped policy's index- or fit-based pick. Single-GPU and MIG requests, and
 * nodes whose interconnect is unknown, keep the wrapped policy's answer.
 *
 * <p>The node, host CPU and memory and the per-GPU amounts stay as the wrapped policy decided, so
 * a fragmentation-aware policy's view of the node is unchanged: for whole GPUs any k free GPUs
 * leave the same multiset of free amounts. For shares of several GPUs the selector only considers
 * GPUs that can hold the share.
 *
 * <p>A request with {@link IntraNodeTopology#REQUIRED} is placed only when the chosen set is all
 * NVLink or NVSwitch; otherwise the decision is a rejection with {@link
 * RejectReason#TOPOLOGY_NOT_SATISFIED} for that node (the wrapped policy is not asked for another
 * node). {@link IntraNodeTopology#ANY} and {@link IntraNodeTopology#PREFERRED} take the best set
 * found.
 */
public final class TopologyAwarePolicy implements PlacementPolicy {
  private final PlacementPolicy base;
  private final Function<String, NodeInterconnect> interconnects;
  private final GpuSetSelector selector;

  private TopologyAwarePolicy(PlacementPolicy base,
      Function<String, NodeInterconnect> interconnects, GpuSetSelector selector) {
    this.base = base;
    this.interconnects = interconnects;
    this.selector = selector;
  }

  /**
   * Wraps {@code base}.
   *
   * @param base the policy that chooses nodes
   * @param interconnects each node's interconnect by node name (missing names: unknown topology)
   * @param selector how to choose GPU sets, for example {@code GpuSetSelectors.branchAndBound()}
   * @return the topology-aware policy, named {@code <base>+topology}
   */
  public static TopologyAwarePolicy wrap(PlacementPolicy base,
      Map<String, NodeInterconnect> interconnects, GpuSetSelector selector) {
    if (base == null || interconnects == null || selector == null) {
      throw InvalidSpecException.of("topology-aware policy", "base/interconnects/selector",
          null, "non-null values");
    }
    Map<String, NodeInterconnect> copy = Map.copyOf(interconnects);
    return new TopologyAwarePolicy(base, copy::get, selector);
  }

  @Override
  public String name() {
    return base.name() + "+topology";
  }

  @Override
  public Decision place(Request request, ClusterView view) {
    Decision d = base.place(request, view);
    if (!(d instanceof Decision.Placed placed)) {
      return d;
    }
    GpuDemand demand = request.gpu();
    int k = demand.count();
    if (k < 2 || demand instanceof GpuDemand.Mig) {
      return d;
    }
    Placement p = placed.placement();
    int nodeId = p.nodeId();
    String nodeName = view.cluster().node(nodeId).name();
    NodeInterconnect ic = interconnects.apply(nodeName);
    if (ic == null || ic.gpuCount() != view.cluster().node(nodeId).gpuCount()) {
      return d;
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
      return d; // the wrapped policy's own set stands
    }
    if (request.topology() == IntraNodeTopology.REQUIRED && !allNvlink(ic, chosen.gpus())) {
      Decision.Rejected.Builder b =
          Decision.Rejected.builder(request.name(), view.cluster().nodeIdBound());
      for (int id = 0; id < view.cluster().nodeIdBound(); id++) {
        if (!view.cluster().isLive(id)) {
          b.reject(id, RejectReason.NODE_REMOVED); // not counted
        }
      }
      return b.reject(nodeId, RejectReason.TOPOLOGY_NOT_SATISFIED)
          .build("the best " + k + "-GPU set on node " + nodeName + " (" + chosen.gpus()
              + ") is not all NVLink/NVSwitch");
    }
    List<GpuGrant> grants = new ArrayList<>(k);
    for (int gpu : chosen.gpus().toArray()) {
      grants.add(demand instanceof GpuDemand.Shared s
          ? GpuGrant.share(gpu, s.computeMilli(), s.memoryMib())
          : GpuGrant.whole(gpu));
    }
    Map<String, Double> breakdown = new LinkedHashMap<>(placed.breakdown());
    breakdown.put("topology", (double) chosen.score());
    return new Decision.Placed(
        new Placement(p.allocationId(), nodeId, p.cpuMilli(), p.memoryMib(), grants),
        placed.score(), breakdown);
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
      NodeInterconnect ic, GpuDemand.Shared share, int k) {
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

  private static boolean allNvlink(NodeInterconnect ic, GpuSet set) {
    int[] g = set.toArray();
    for (int a = 0; a < g.length; a++) {
      for (int b = a + 1; b < g.length; b++) {
        if (!ic.link(g[a], g[b]).linkClass().isNvLink()) {
          return false;
        }
      }
    }
    return true;
  }
}

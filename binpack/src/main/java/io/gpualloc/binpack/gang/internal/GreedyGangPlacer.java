package io.gpualloc.binpack.gang.internal;

import io.gpualloc.binpack.gang.Gang;
import io.gpualloc.binpack.gang.GangDecision;
import io.gpualloc.binpack.gang.GangPlacer;
import io.gpualloc.core.ClusterView;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.topology.ClusterTopology;
import io.gpualloc.topology.GpuSetSelector;
import io.gpualloc.topology.NodeInterconnect;
import java.util.Map;

/**
 * The greedy gang placer (see {@code docs/gangs.md}): per node how many pods of each template fit,
 * summed up the domain tree (in slices where the pod set has them); the smallest sufficient domain
 * at each constrained level (climbing for PREFERRED); below it the fewest child domains, the last
 * one tight; inside a bottom domain the tightest nodes first; GPU sets by the selector. Pod sets
 * are placed largest first; the gang's and co-locations' candidate domains are tried in best-fit
 * order until one holds every pod set. Elastic pod sets are placed at their count, else at their
 * minimum and then grown by binary search.
 */
public final class GreedyGangPlacer implements GangPlacer {
  private final Pods pods;
  private final Rules rules;
  private volatile Tree tree;

  /**
   * A placer with these interconnects and selector.
   *
   * @param interconnects each node's interconnect by name
   * @param selector the GPU set selector
   */
  public GreedyGangPlacer(Map<String, NodeInterconnect> interconnects, GpuSetSelector selector) {
    this(interconnects, selector, Rules.GREEDY);
  }

  private GreedyGangPlacer(Map<String, NodeInterconnect> interconnects, GpuSetSelector selector,
      Rules rules) {
    this.pods = new Pods(Map.copyOf(interconnects), selector);
    this.rules = rules;
  }

  /**
   * A baseline implemented from its documented behaviour, on the same engine (see {@code
   * docs/gangs.md}).
   *
   * @param name {@code kueue-best-fit}, {@code kueue-least-free}, {@code slurm-tree} or {@code
   *     volcano-hard}
   * @param interconnects each node's interconnect by name
   * @param selector the GPU set selector
   * @return the placer
   * @throws InvalidSpecException for another name
   */
  public static GreedyGangPlacer baseline(String name, Map<String, NodeInterconnect> interconnects,
      GpuSetSelector selector) {
    Rules r = switch (name) {
      case "kueue-best-fit" -> Rules.KUEUE_BEST_FIT;
      case "kueue-least-free" -> Rules.KUEUE_LEAST_FREE;
      case "slurm-tree" -> Rules.SLURM_TREE;
      case "volcano-hard" -> Rules.VOLCANO_HARD;
      default -> throw InvalidSpecException.of("gang baselines", "name", name,
          "kueue-best-fit, kueue-least-free, slurm-tree, volcano-hard");
    };
    return new GreedyGangPlacer(interconnects, selector, r);
  }

  @Override
  public String name() {
    return rules.name();
  }

  @Override
  public GangDecision place(Gang gang, ClusterView view, ClusterTopology topology) {
    return search(gang, view, topology).run();
  }

  /** A search for the gang (arguments checked), for this placer and the CP-SAT one. */
  Search search(Gang gang, ClusterView view, ClusterTopology topology) {
    if (gang == null || view == null || topology == null) {
      throw InvalidSpecException.of(name() + " gang placer", "gang/view/topology", null,
          "non-null arguments");
    }
    if (topology.cluster() != view.cluster() && !topology.cluster().equals(view.cluster())) {
      throw InvalidSpecException.of(name() + " gang placer", "topology", topology.levels(),
          "the topology of the view's cluster (ClusterTopology.of(view.cluster(), levels))");
    }
    Spec spec = new Spec(gang, topology.levels());
    return new Search(spec, tree(topology), new Overlay(view), pods, rules);
  }

  /** The domain tree of the topology, cached for the last topology seen. */
  Tree tree(ClusterTopology topology) {
    Tree t = tree;
    if (t == null || t.topology != topology) {
      t = new Tree(topology);
      tree = t;
    }
    return t;
  }
}

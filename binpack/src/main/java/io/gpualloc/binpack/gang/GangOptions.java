package io.gpualloc.binpack.gang;

import io.gpualloc.binpack.packing.SolverOptions;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.topology.GpuSetSelector;
import io.gpualloc.topology.GpuSetSelectors;
import io.gpualloc.topology.NodeInterconnect;
import java.time.Duration;
import java.util.Map;

/**
 * What a gang placer needs besides the gang: the nodes' interconnects (for templates with an
 * intra-node topology setting and for choosing well-connected GPU sets), the GPU set selector, and
 * the budget of the budgeted placers.
 *
 * @param interconnects each node's interconnect by node name; nodes missing here have an unknown
 *     interconnect (they cannot hold a template whose multi-GPU topology is REQUIRED)
 * @param selector how whole-GPU sets are chosen inside a node
 * @param solver time budget, workers and seed of the budgeted placers ({@code cp-sat}); the
 *     others ignore it
 */
public record GangOptions(Map<String, NodeInterconnect> interconnects, GpuSetSelector selector,
    SolverOptions solver) {

  /**
   * Validates and copies.
   *
   * @param interconnects each node's interconnect by node name; nodes missing here have an unknown
   *     interconnect (they cannot hold a template whose multi-GPU topology is REQUIRED)
   * @param selector how whole-GPU sets are chosen inside a node
   * @param solver time budget, workers and seed of the budgeted placers ({@code cp-sat}); the
   *     others ignore it
   * @throws InvalidSpecException for a null field
   */
  public GangOptions {
    if (interconnects == null || selector == null || solver == null) {
      throw InvalidSpecException.of("gang options", "interconnects/selector/solver", null,
          "a map (possibly empty), a GpuSetSelector and SolverOptions");
    }
    interconnects = Map.copyOf(interconnects);
  }

  /**
   * No interconnects known, the branch-and-bound selector, a 1-second budget on one worker, seed
   * 0.
   *
   * @return the defaults
   */
  public static GangOptions defaults() {
    return new GangOptions(Map.of(), GpuSetSelectors.branchAndBound(),
        SolverOptions.defaults().withTimeLimit(Duration.ofSeconds(1)));
  }

  /**
   * A copy with another solver budget.
   *
   * @param value the budget, workers and seed
   * @return the copy
   * @throws InvalidSpecException for null
   */
  public GangOptions withSolver(SolverOptions value) {
    return new GangOptions(interconnects, selector, value);
  }

  /**
   * A copy with these interconnects.
   *
   * @param value interconnects by node name
   * @return the copy
   * @throws InvalidSpecException for null
   */
  public GangOptions withInterconnects(Map<String, NodeInterconnect> value) {
    return new GangOptions(value, selector, solver);
  }
}

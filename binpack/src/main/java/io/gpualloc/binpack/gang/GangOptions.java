package io.gpualloc.binpack.gang;

import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.topology.GpuSetSelector;
import io.gpualloc.topology.GpuSetSelectors;
import io.gpualloc.topology.NodeInterconnect;
import java.util.Map;

/**
 * What a gang placer needs besides the gang: the nodes' interconnects (for templates with an
 * intra-node topology setting and for choosing well-connected GPU sets) and the GPU set selector.
 *
 * @param interconnects each node's interconnect by node name; nodes missing here have an unknown
 *     interconnect (they cannot hold a template whose multi-GPU topology is REQUIRED)
 * @param selector how whole-GPU sets are chosen inside a node
 */
public record GangOptions(Map<String, NodeInterconnect> interconnects, GpuSetSelector selector) {

  /**
   * Validates and copies.
   *
   * @throws InvalidSpecException for a null field
   */
  public GangOptions {
    if (interconnects == null || selector == null) {
      throw InvalidSpecException.of("gang options", "interconnects/selector", null,
          "a map (possibly empty) and a GpuSetSelector");
    }
    interconnects = Map.copyOf(interconnects);
  }

  /**
   * No interconnects known, the branch-and-bound selector.
   *
   * @return the defaults
   */
  public static GangOptions defaults() {
    return new GangOptions(Map.of(), GpuSetSelectors.branchAndBound());
  }

  /**
   * A copy with these interconnects.
   *
   * @param value interconnects by node name
   * @return the copy
   * @throws InvalidSpecException for null
   */
  public GangOptions withInterconnects(Map<String, NodeInterconnect> value) {
    return new GangOptions(value, selector);
  }
}

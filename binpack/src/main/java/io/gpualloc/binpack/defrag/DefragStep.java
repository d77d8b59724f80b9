package io.gpualloc.binpack.defrag;

import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.Placement;

/** One step of a plan, applied to the ledger in order. */
public sealed interface DefragStep {

  /**
   * The allocation the step touches.
   *
   * @return its id
   */
  String allocationId();

  /**
   * What the step costs under the problem's cost model.
   *
   * @return the cost
   */
  long cost();

  /**
   * Release the allocation and record it again, under the same id, on another node.
   *
   * @param allocationId the allocation
   * @param fromNode the node it leaves (id)
   * @param toNode the node it lands on (id), not {@code fromNode}
   * @param placement the new placement (its id is {@code allocationId}, its node {@code toNode})
   * @param cost the move's cost
   */
  record Move(String allocationId, int fromNode, int toNode, Placement placement, long cost)
      implements DefragStep {
    /**
     * Validates the fields against each other.
     *
     * @param allocationId the allocation
     * @param fromNode the node it leaves
     * @param toNode the node it lands on, not {@code fromNode}
     * @param placement the new placement, with {@code allocationId} and {@code toNode}
     * @param cost the move's cost, {@code >= 0}
     * @throws InvalidSpecException when they disagree
     */
    public Move {
      if (placement == null || !placement.allocationId().equals(allocationId)
          || placement.nodeId() != toNode) {
        throw InvalidSpecException.of("move of " + allocationId, "placement", placement,
            "a placement of " + allocationId + " on node " + toNode);
      }
      if (fromNode == toNode) {
        throw InvalidSpecException.of("move of " + allocationId, "toNode", toNode,
            "a node other than fromNode " + fromNode);
      }
      if (cost < 0) {
        throw InvalidSpecException.of("move of " + allocationId, "cost", cost, ">= 0");
      }
    }
  }

  /**
   * Release the allocation without re-placing it (the pod is evicted).
   *
   * @param allocationId the allocation
   * @param fromNode the node it leaves (id)
   * @param cost the eviction's cost
   */
  record Evict(String allocationId, int fromNode, long cost) implements DefragStep {
    /**
     * Validates.
     *
     * @param allocationId the allocation
     * @param fromNode the node it leaves
     * @param cost the eviction's cost, {@code >= 0}
     * @throws InvalidSpecException for a null id or a negative cost
     */
    public Evict {
      if (allocationId == null || cost < 0) {
        throw InvalidSpecException.of("eviction", allocationId == null ? "allocationId" : "cost",
            allocationId == null ? null : cost, "an id and a cost >= 0");
      }
    }
  }
}

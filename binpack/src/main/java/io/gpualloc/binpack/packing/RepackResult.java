package io.gpualloc.binpack.packing;

import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.Placement;
import java.time.Duration;
import java.util.List;

/**
 * The answer of {@link GpuRepacker}: placements the ledger accepts on an empty cluster, their
 * cost, and a proven lower bound.
 *
 * @param status how far the answer is proven ({@code INFEASIBLE} when some request fits no node)
 * @param placements one placement per placed request, allocation id = request name
 * @param unplaced names of requests left out (empty unless infeasible or out of time)
 * @param nodesUsed number of distinct nodes used
 * @param cost total cost of the nodes used
 * @param lowerBound proven lower bound on the cost of placing every request
 * @param method what produced the placements: {@code ledger-ffd} (first fit decreasing on the
 *     ledger), {@code cp-sat+ledger} (the vector relaxation's packing placed GPU by GPU) or {@code
 *     share-groups+ledger} (the share-group decomposition), each with {@code
 *     +consolidation} when consolidation on the ledger then emptied nodes
 * @param baselineCost the cost of the first-fit-decreasing ledger answer when it places every
 *     request ({@link Long#MAX_VALUE} when it leaves one out): the baseline {@code cost} never
 *     exceeds
 * @param wallTime time spent
 */
public record RepackResult(
    PackingStatus status,
    List<Placement> placements,
    List<String> unplaced,
    int nodesUsed,
    long cost,
    long lowerBound,
    String method,
    long baselineCost,
    Duration wallTime) {

  /**
   * Validates and copies.
   *
   * @param status how far the answer is proven ({@code INFEASIBLE} when some request fits no node)
   * @param placements one placement per placed request, allocation id = request name
   * @param unplaced names of requests left out (empty unless infeasible or out of time)
   * @param nodesUsed number of distinct nodes used
   * @param cost total cost of the nodes used
   * @param lowerBound proven lower bound on the cost of placing every request
   * @param method what produced the placements: {@code ledger-ffd}, {@code cp-sat+ledger} or
   *     {@code share-groups+ledger}, each with {@code +consolidation} when consolidation
   *     then emptied nodes
   * @param baselineCost the cost of the first-fit-decreasing ledger answer when it places every
   *     request, else {@link Long#MAX_VALUE}
   * @param wallTime time spent
   */
  public RepackResult {
    placements = List.copyOf(placements);
    unplaced = List.copyOf(unplaced);
    if (unplaced.isEmpty() && lowerBound > cost) {
      throw InvalidSpecException.of("repack result", "lowerBound", lowerBound,
          "<= cost (" + cost + ")");
    }
  }

  /**
   * {@code cost - lowerBound} when every request is placed, else {@link Long#MAX_VALUE}.
   *
   * @return {@code cost - lowerBound} when every request is placed, else {@link Long#MAX_VALUE}
   */
  public long gap() {
    return unplaced.isEmpty() ? cost - lowerBound : Long.MAX_VALUE;
  }
}

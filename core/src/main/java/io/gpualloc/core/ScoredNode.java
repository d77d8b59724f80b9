package io.gpualloc.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node that can take a request, as a policy scored it.
 *
 * @param nodeId the node's id in the view's cluster
 * @param nodeName the node's name
 * @param score the policy's score for the node; larger is better
 * @param breakdown the score's terms in order (term name to weighted value)
 * @param grants the GPUs (shares, MIG instances) the policy would grant on this node; empty for a
 *     CPU-only request
 */
public record ScoredNode(int nodeId, String nodeName, double score, Map<String, Double> breakdown,
    List<GpuGrant> grants) {

  /**
   * Validates and copies.
   *
   * @param nodeId the node's id in the view's cluster
   * @param nodeName the node's name
   * @param score the policy's score for the node; larger is better
   * @param breakdown the score's terms in order (term name to weighted value)
   * @param grants the GPUs the policy would grant on this node
   * @throws InvalidSpecException for a negative id, a blank name, a NaN score or null parts
   */
  public ScoredNode {
    Checks.atLeast("scored node", "nodeId", nodeId, 0);
    Checks.name("scored node " + nodeId, "nodeName", nodeName);
    if (Double.isNaN(score)) {
      throw InvalidSpecException.of("scored node " + nodeName, "score", score, "a number");
    }
    breakdown = Collections.unmodifiableMap(
        new LinkedHashMap<>(Checks.notNull("scored node " + nodeName, "breakdown", breakdown)));
    grants = Checks.list("scored node " + nodeName, "grants", grants);
  }
}

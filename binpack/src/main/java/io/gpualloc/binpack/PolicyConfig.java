package io.gpualloc.binpack;

import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.topology.NodeInterconnect;
import java.util.Map;

/**
 * What a named policy is built with: the seed for its randomness (random choice, random
 * tie-breaks), the target workload for fragmentation-aware policies, and the nodes' intra-node
 * interconnects for requests with an {@link io.gpualloc.core.IntraNodeTopology} setting (see
 * {@code docs/topology.md}).
 *
 * @param seed seed of all randomness; equal seeds give equal decisions on equal inputs
 * @param workload FGD's target workload M; {@link TargetWorkload#empty()} for policies that need
 *     none
 * @param interconnects each node's interconnect by node name; nodes not listed have an unknown
 *     interconnect (they cannot satisfy {@code REQUIRED} for two or more GPUs)
 * @param topologyWeight the weight of the {@code topology} score term for {@code PREFERRED}
 *     requests, per point of the best set's mean pair score; finite and {@code >= 0}
 */
public record PolicyConfig(long seed, TargetWorkload workload,
    Map<String, NodeInterconnect> interconnects, double topologyWeight) {

  /** The default {@link #topologyWeight}: large enough to dominate every built-in score. */
  public static final double DEFAULT_TOPOLOGY_WEIGHT = 10_000;

  /**
   * Validates and copies.
   *
   * @param seed seed of all randomness
   * @param workload FGD's target workload M
   * @param interconnects each node's interconnect by node name
   * @param topologyWeight the weight of the {@code topology} score term, finite and {@code >= 0}
   * @throws InvalidSpecException for a null workload or interconnect map, or a negative, NaN or
   *     infinite weight
   */
  public PolicyConfig {
    if (workload == null) {
      throw InvalidSpecException.of(
          "policy config", "workload", null, "a target workload (TargetWorkload.empty() for none)");
    }
    if (interconnects == null) {
      throw InvalidSpecException.of("policy config", "interconnects", null,
          "a map from node name to interconnect (Map.of() for none)");
    }
    interconnects = Map.copyOf(interconnects);
    if (!(topologyWeight >= 0) || Double.isInfinite(topologyWeight)) {
      throw InvalidSpecException.of("policy config", "topologyWeight", topologyWeight,
          "a finite number >= 0");
    }
  }

  /**
   * A config with this seed and workload, no interconnects and the default topology weight.
   *
   * @param seed the seed
   * @param workload the target workload
   * @throws InvalidSpecException for a null workload
   */
  public PolicyConfig(long seed, TargetWorkload workload) {
    this(seed, workload, Map.of(), DEFAULT_TOPOLOGY_WEIGHT);
  }

  /**
   * A config with this seed and no target workload.
   *
   * @param seed the seed
   * @return the config
   */
  public static PolicyConfig of(long seed) {
    return new PolicyConfig(seed, TargetWorkload.empty());
  }

  /**
   * The same config with another target workload.
   *
   * @param m the workload
   * @return the new config
   * @throws InvalidSpecException for a null workload
   */
  public PolicyConfig withWorkload(TargetWorkload m) {
    return new PolicyConfig(seed, m, interconnects, topologyWeight);
  }

  /**
   * The same config with these node interconnects.
   *
   * @param byNodeName each node's interconnect by node name
   * @return the new config
   * @throws InvalidSpecException for a null map
   */
  public PolicyConfig withInterconnects(Map<String, NodeInterconnect> byNodeName) {
    return new PolicyConfig(seed, workload, byNodeName, topologyWeight);
  }

  /**
   * The same config with another weight for the {@code topology} score term.
   *
   * @param weight finite, {@code >= 0}
   * @return the new config
   * @throws InvalidSpecException for a negative, NaN or infinite weight
   */
  public PolicyConfig withTopologyWeight(double weight) {
    return new PolicyConfig(seed, workload, interconnects, weight);
  }
}

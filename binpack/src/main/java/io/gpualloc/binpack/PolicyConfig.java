package io.gpualloc.binpack;

import io.gpualloc.core.InvalidSpecException;

/**
 * What a named policy is built with: the seed for its randomness (random choice, random
 * tie-breaks) and the target workload for fragmentation-aware policies.
 *
 * @param seed seed of all randomness; equal seeds give equal decisions on equal inputs
 * @param workload FGD's target workload M; {@link TargetWorkload#empty()} for policies that need
 *     none
 */
public record PolicyConfig(long seed, TargetWorkload workload) {

  /**
   * Validates.
   *
   * @param seed seed of all randomness; equal seeds give equal decisions on equal inputs
   * @param workload FGD's target workload M; {@link TargetWorkload#empty()} for policies that need
   *     none
   */
  public PolicyConfig {
    if (workload == null) {
      throw InvalidSpecException.of(
          "policy config", "workload", null, "a target workload (TargetWorkload.empty() for none)");
    }
  }

  /**
   * A config with this seed and no target workload.
   *
   * @param seed seed of all randomness; equal seeds give equal decisions on equal inputs
   * @return a config with this seed and no target workload
   */
  public static PolicyConfig of(long seed) {
    return new PolicyConfig(seed, TargetWorkload.empty());
  }

  /**
   * The same config with another target workload.
   *
   * @param m the target workload
   * @return the same config with another target workload
   */
  public PolicyConfig withWorkload(TargetWorkload m) {
    return new PolicyConfig(seed, m);
  }
}

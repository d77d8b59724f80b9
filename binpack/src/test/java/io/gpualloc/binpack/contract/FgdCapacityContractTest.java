package io.gpualloc.binpack.contract;

/** The placement-policy contract for {@code fgd-capacity}. */
class FgdCapacityContractTest extends PlacementPolicyContract {
  @Override
  protected String policyName() {
    return "fgd-capacity";
  }
}

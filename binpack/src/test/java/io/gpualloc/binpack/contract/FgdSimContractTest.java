package io.gpualloc.binpack.contract;

/** The placement-policy contract for {@code fgd-sim}. */
class FgdSimContractTest extends PlacementPolicyContract {
  @Override
  protected String policyName() {
    return "fgd-sim";
  }
}

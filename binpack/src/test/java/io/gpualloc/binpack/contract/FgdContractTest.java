package io.gpualloc.binpack.contract;

/** The placement-policy contract for {@code fgd}. */
class FgdContractTest extends PlacementPolicyContract {
  @Override
  protected String policyName() {
    return "fgd";
  }
}

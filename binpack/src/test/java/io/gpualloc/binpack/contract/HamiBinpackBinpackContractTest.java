package io.gpualloc.binpack.contract;

/** The placement-policy contract for {@code hami-binpack-binpack}. */
class HamiBinpackBinpackContractTest extends PlacementPolicyContract {
  @Override
  protected String policyName() {
    return "hami-binpack-binpack";
  }
}

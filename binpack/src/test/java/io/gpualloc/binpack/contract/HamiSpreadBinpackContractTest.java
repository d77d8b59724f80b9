package io.gpualloc.binpack.contract;

/** The placement-policy contract for {@code hami-spread-binpack}. */
class HamiSpreadBinpackContractTest extends PlacementPolicyContract {
  @Override
  protected String policyName() {
    return "hami-spread-binpack";
  }
}

package io.gpualloc.binpack.contract;

/** The placement-policy contract for {@code hami-binpack-spread}. */
class HamiBinpackSpreadContractTest extends PlacementPolicyContract {
  @Override
  protected String policyName() {
    return "hami-binpack-spread";
  }
}

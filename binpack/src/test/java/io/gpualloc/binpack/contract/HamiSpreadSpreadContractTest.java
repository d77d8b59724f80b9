package io.gpualloc.binpack.contract;

/** The placement-policy contract for {@code hami-spread-spread}. */
class HamiSpreadSpreadContractTest extends PlacementPolicyContract {
  @Override
  protected String policyName() {
    return "hami-spread-spread";
  }
}

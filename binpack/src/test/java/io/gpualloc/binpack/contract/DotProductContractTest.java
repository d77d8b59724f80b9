package io.gpualloc.binpack.contract;

/** The placement-policy contract for {@code dot-product}. */
class DotProductContractTest extends PlacementPolicyContract {
  @Override
  protected String policyName() {
    return "dot-product";
  }
}

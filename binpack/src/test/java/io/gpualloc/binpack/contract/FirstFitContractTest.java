package io.gpualloc.binpack.contract;

/** The placement-policy contract for {@code first-fit}. */
class FirstFitContractTest extends PlacementPolicyContract {
  @Override
  protected String policyName() {
    return "first-fit";
  }
}

package io.gpualloc.binpack.contract;

/** The placement-policy contract for {@code best-fit}. */
class BestFitContractTest extends PlacementPolicyContract {
  @Override
  protected String policyName() {
    return "best-fit";
  }
}

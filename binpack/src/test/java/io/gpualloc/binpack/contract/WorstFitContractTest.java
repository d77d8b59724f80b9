package io.gpualloc.binpack.contract;

/** The placement-policy contract for {@code worst-fit}. */
class WorstFitContractTest extends PlacementPolicyContract {
  @Override
  protected String policyName() {
    return "worst-fit";
  }
}

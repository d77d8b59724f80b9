package io.gpualloc.binpack.contract;

/** The placement-policy contract for {@code fgd-bucketed}. */
class FgdBucketedContractTest extends PlacementPolicyContract {
  @Override
  protected String policyName() {
    return "fgd-bucketed";
  }
}

package io.gpualloc.binpack.contract;

/** The placement-policy contract for {@code random}. */
class RandomContractTest extends PlacementPolicyContract {
  @Override
  protected String policyName() {
    return "random";
  }
}

package io.gpualloc.binpack.contract;

/** The placement-policy contract for {@code mig-fragmentation}. */
class MigFragmentationContractTest extends PlacementPolicyContract {
  @Override
  protected String policyName() {
    return "mig-fragmentation";
  }
}

package io.gpualloc.binpack.contract;

/** The placement-policy contract for {@code fgd-exact} (the exact-argmin FGD variant). */
class FgdExactContractTest extends PlacementPolicyContract {
  @Override
  protected String policyName() {
    return "fgd-exact";
  }
}

package io.gpualloc.binpack.contract;

/** The placement-policy contract for {@code fgd} (the paper's FGD). */
class FgdContractTest extends PlacementPolicyContract {
  @Override
  protected String policyName() {
    return "fgd";
  }
}

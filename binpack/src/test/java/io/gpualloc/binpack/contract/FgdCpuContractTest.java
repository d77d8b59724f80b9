package io.gpualloc.binpack.contract;

/** The placement-policy contract for {@code fgd-cpu}. */
class FgdCpuContractTest extends PlacementPolicyContract {
  @Override
  protected String policyName() {
    return "fgd-cpu";
  }
}

package io.gpualloc.binpack.contract;

/** The placement-policy contract for {@code gpu-packing}. */
class GpuPackingContractTest extends PlacementPolicyContract {
  @Override
  protected String policyName() {
    return "gpu-packing";
  }
}

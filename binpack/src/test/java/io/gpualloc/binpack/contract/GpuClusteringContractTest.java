package io.gpualloc.binpack.contract;

/** The placement-policy contract for {@code gpu-clustering}. */
class GpuClusteringContractTest extends PlacementPolicyContract {
  @Override
  protected String policyName() {
    return "gpu-clustering";
  }
}

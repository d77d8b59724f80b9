package io.gpualloc.core;

import java.util.ArrayList;
import java.util.List;

/**
 * A decision made concrete: one node, host CPU and memory, and per-GPU grants. The ledger records
 * it under {@code allocationId}.
 *
 * @param allocationId the id under which the ledger records the allocation (a pod UID, say)
 * @param nodeId dense node id in the {@link Cluster}
 * @param cpuMilli host CPU in millicores
 * @param memoryMib host memory in MiB
 * @param grants per-GPU grants; several MIG grants may name the same GPU, other grants may not
 */
public record Placement(
    String allocationId, int nodeId, int cpuMilli, int memoryMib, List<GpuGrant> grants) {

  /**
   * Validates the fields and copies the grants.
   *
   * @param allocationId the id under which the ledger records the allocation (a pod UID, say)
   * @param nodeId dense node id in the {@link Cluster}
   * @param cpuMilli host CPU in millicores
   * @param memoryMib host memory in MiB
   * @param grants per-GPU grants; several MIG grants may name the same GPU, other grants may not
   */
  public Placement {
    Checks.name("placement", "allocationId", allocationId);
    String owner = "placement " + allocationId;
    Checks.atLeast(owner, "nodeId", nodeId, 0);
    Checks.atLeast(owner, "cpuMilli", cpuMilli, 0);
    Checks.atLeast(owner, "memoryMib", memoryMib, 0);
    grants = Checks.list(owner, "grants", grants);
    for (int i = 0; i < grants.size(); i++) {
      GpuGrant a = grants.get(i);
      for (int j = 0; j < i; j++) {
        GpuGrant b = grants.get(j);
        if (a.gpuIndex() == b.gpuIndex()
            && !(a instanceof GpuGrant.Mig && b instanceof GpuGrant.Mig)) {
          throw InvalidSpecException.of(
              owner, "grants[" + i + "].gpuIndex", a.gpuIndex(),
              "a GPU not already granted by grants[" + j + "] (only MIG instances may share a GPU"
                  + " within one placement)");
        }
      }
    }
  }

  /**
   * Starts a builder for node {@code nodeId}.
   *
   * @param allocationId the id under which the ledger records the allocation (a pod UID, say)
   * @param nodeId dense node id in the {@link Cluster}
   * @return a new builder
   */
  public static Builder builder(String allocationId, int nodeId) {
    return new Builder(allocationId, nodeId);
  }

  /**
   * The same placement under another allocation id.
   *
   * @param id the new allocation id
   * @return the same placement under another allocation id
   */
  public Placement withAllocationId(String id) {
    return new Placement(id, nodeId, cpuMilli, memoryMib, grants);
  }

  /** Builds a {@link Placement}. */
  public static final class Builder {
    private final String allocationId;
    private final int nodeId;
    private int cpuMilli;
    private int memoryMib;
    private final List<GpuGrant> grants = new ArrayList<>();

    private Builder(String allocationId, int nodeId) {
      this.allocationId = allocationId;
      this.nodeId = nodeId;
    }

    /**
     * Host CPU in millicores.
     *
     * @param v the value of {@code cpuMilli}
     * @return this builder
     */
    public Builder cpuMilli(int v) {
      this.cpuMilli = v;
      return this;
    }

    /**
     * Host memory in MiB.
     *
     * @param v the value of {@code memoryMib}
     * @return this builder
     */
    public Builder memoryMib(int v) {
      this.memoryMib = v;
      return this;
    }

    /**
     * Grants GPU {@code gpuIndex} whole.
     *
     * @param gpuIndex the GPU's index within its node
     * @return this builder
     */
    public Builder whole(int gpuIndex) {
      grants.add(GpuGrant.whole(gpuIndex));
      return this;
    }

    /**
     * Grants a share of GPU {@code gpuIndex}.
     *
     * @param gpuIndex the GPU's index within its node
     * @param computeMilli the share's compute, milli-GPU
     * @param memoryMib host memory in MiB
     * @return this builder
     */
    public Builder share(int gpuIndex, int computeMilli, int memoryMib) {
      grants.add(GpuGrant.share(gpuIndex, computeMilli, memoryMib));
      return this;
    }

    /**
     * Grants a MIG instance on GPU {@code gpuIndex}.
     *
     * @param gpuIndex the GPU's index within its node
     * @param profile the MIG profile name, e.g. {@code 3g.40gb}
     * @param startSlot a start slot of the profile
     * @return this builder
     */
    public Builder mig(int gpuIndex, String profile, int startSlot) {
      grants.add(GpuGrant.mig(gpuIndex, profile, startSlot));
      return this;
    }

    /**
     * Adds a grant.
     *
     * @param grant the grant to add
     * @return this builder
     */
    public Builder grant(GpuGrant grant) {
      grants.add(grant);
      return this;
    }

    /**
     * Builds the placement, validating it.
     *
     * @return the placement built
     */
    public Placement build() {
      return new Placement(allocationId, nodeId, cpuMilli, memoryMib, grants);
    }
  }
}

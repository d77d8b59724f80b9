package io.gpualloc.binpack.gang;

/** Why a gang could not be placed, most fundamental first. */
public enum GangRejectReason {
  /** A pod set's template fits on no node of the cluster even when that node is empty. */
  TEMPLATE_NEVER_FITS,
  /** A pod set's minimum does not fit in the free capacity of the whole cluster. */
  CLUSTER_TOO_SMALL,
  /** No domain of a REQUIRED level (or of a slice level) has room for a pod set's minimum. */
  NO_DOMAIN_LARGE_ENOUGH,
  /**
   * Each pod set fits on its own, but not all of them together under the gang's constraint or
   * co-locations (or the greedy order found no joint placement).
   */
  POD_SETS_CONFLICT
}

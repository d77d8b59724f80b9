package io.gpualloc.core;

/** Why a node cannot take a request. Ordered roughly as filters run. */
public enum RejectReason {
  /**
   * The id names no member: its node was removed (ids are never reused). Not counted in a
   * rejection's {@code nodeCount} or summary: a removed node is not a node of the cluster.
   */
  NODE_REMOVED("node removed"),
  /** The node is cordoned: it keeps its allocations but takes no new one. */
  NODE_CORDONED("node cordoned"),
  /** Not enough free host CPU. */
  INSUFFICIENT_CPU("insufficient CPU"),
  /** Not enough free host memory. */
  INSUFFICIENT_MEMORY("insufficient memory"),
  /** The node has no GPU of an allowed model. */
  GPU_MODEL_NOT_ALLOWED("GPU model not allowed"),
  /** The node's GPUs are excluded by the request's UUID filters. */
  GPU_UUID_NOT_ALLOWED("GPU UUID not allowed"),
  /** Fewer usable GPUs than the request's count (whole GPUs free, or GPUs in total). */
  INSUFFICIENT_GPUS("insufficient free GPUs"),
  /** Enough GPUs, but too few with the requested free compute. */
  INSUFFICIENT_GPU_COMPUTE("insufficient GPU compute"),
  /** Enough GPUs, but too few with the requested free memory. */
  INSUFFICIENT_GPU_MEMORY("insufficient GPU memory"),
  /**
   * Enough GPUs, but too few below their share cap ({@link Gpu#maxShares()}, HAMi's split count):
   * the rest already hold as many shares as they may.
   */
  GPU_SHARES_EXHAUSTED("GPU split count reached"),
  /** None of the node's (allowed) GPUs supports MIG at all. */
  MIG_NOT_SUPPORTED("MIG not supported"),
  /**
   * The node's GPUs support MIG, but no allowed GPU's model offers the requested profile (for
   * example {@code 1g.5gb} on an A100-80GB, whose smallest profile is {@code 1g.10gb}).
   */
  MIG_PROFILE_NOT_OFFERED("MIG profile not offered by the GPU model"),
  /** No free start slot for the requested MIG profile. */
  NO_FREE_MIG_SLOT("no free MIG slot"),
  /** No GPU set satisfies the request's interconnect requirement. */
  TOPOLOGY_NOT_SATISFIED("topology requirement not satisfied"),
  /** A policy-specific rule excluded the node. */
  POLICY("excluded by policy");

  private final String text;

  RejectReason(String text) {
    this.text = text;
  }

  /**
   * The reason as it appears in a summary, for example {@code insufficient GPU memory}.
   *
   * @return the reason as it appears in a summary, for example {@code insufficient GPU memory}
   */
  public String text() {
    return text;
  }
}

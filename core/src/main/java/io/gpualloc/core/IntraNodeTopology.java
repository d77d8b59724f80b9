package io.gpualloc.core;

/** How much a multi-GPU request cares about the interconnect between its GPUs inside a node. */
public enum IntraNodeTopology {
  /** Any set of GPUs will do. */
  ANY,
  /** Prefer the best-connected set; accept any set when none is well connected. */
  PREFERRED,
  /** Only a set whose GPUs are all joined by NVLink or NVSwitch. */
  REQUIRED
}

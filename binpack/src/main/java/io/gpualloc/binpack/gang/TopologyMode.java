package io.gpualloc.binpack.gang;

/** How a topology constraint binds: a hard filter or a preference. */
public enum TopologyMode {
  /** Every member of the scope inside one domain of the level, or no placement. */
  REQUIRED,
  /**
   * As low as possible: one domain of the level when it fits, otherwise one domain of the next
   * level up, and so on; above the top level the members may spread over the whole cluster.
   */
  PREFERRED
}

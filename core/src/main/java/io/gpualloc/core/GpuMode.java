package io.gpualloc.core;

/**
 * How a GPU is currently used. A GPU is in exactly one mode; it returns to FREE when emptied,
 * except a pre-partitioned GPU ({@link Gpu#isStaticMig()}), which is always MIG.
 */
public enum GpuMode {
  /** Nothing allocated. */
  FREE,
  /** Granted whole to one allocation. */
  WHOLE,
  /** Holds one or more shares. */
  SHARED,
  /**
   * Holds one or more MIG instances in use, or is pre-partitioned (its fixed instances exist even
   * when none is in use; {@link ClusterView#gpuGrantCount} says how many are).
   */
  MIG
}

package io.gpualloc.core;

/** How a GPU is currently used. A GPU is in exactly one mode; it returns to FREE when emptied. */
public enum GpuMode {
  /** Nothing allocated. */
  FREE,
  /** Granted whole to one allocation. */
  WHOLE,
  /** Holds one or more shares. */
  SHARED,
  /** Holds one or more MIG instances. */
  MIG
}

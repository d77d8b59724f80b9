package io.gpualloc.core.testing;

import io.gpualloc.core.ClusterView;
import io.gpualloc.core.GpuMode;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Every capacity read of a {@link io.gpualloc.core.ClusterView}, captured at once, so that two
 * states can be compared whole ("a rejected call changes nothing", "a snapshot does not see later
 * changes"). Version counters are not part of it: they are checked separately.
 */
public final class ViewState {
  private final int[] freeCpu;
  private final int[] freeMemory;
  private final int[] freeWholeGpus;
  private final GpuMode[] mode;
  private final int[] freeCompute;
  private final int[] freeGpuMemory;
  private final int[] migOccupancy;
  private final int[] grantCount;
  private final int allocationCount;

  ViewState(int[] freeCpu, int[] freeMemory, int[] freeWholeGpus, GpuMode[] mode,
      int[] freeCompute, int[] freeGpuMemory, int[] migOccupancy, int[] grantCount,
      int allocationCount) {
    this.freeCpu = freeCpu;
    this.freeMemory = freeMemory;
    this.freeWholeGpus = freeWholeGpus;
    this.mode = mode;
    this.freeCompute = freeCompute;
    this.freeGpuMemory = freeGpuMemory;
    this.migOccupancy = migOccupancy;
    this.grantCount = grantCount;
    this.allocationCount = allocationCount;
  }

  /** Reads every node and GPU of {@code view}. */
  public static ViewState of(ClusterView view) {
    int n = view.cluster().nodeCount();
    int g = view.cluster().gpuCount();
    int[] freeCpu = new int[n];
    int[] freeMem = new int[n];
    int[] freeWhole = new int[n];
    for (int i = 0; i < n; i++) {
      freeCpu[i] = view.freeCpuMilli(i);
      freeMem[i] = view.freeMemoryMib(i);
      freeWhole[i] = view.freeWholeGpus(i);
    }
    GpuMode[] mode = new GpuMode[g];
    int[] compute = new int[g];
    int[] gpuMem = new int[g];
    int[] mig = new int[g];
    int[] grants = new int[g];
    for (int k = 0; k < g; k++) {
      mode[k] = view.gpuMode(k);
      compute[k] = view.gpuFreeComputeMilli(k);
      gpuMem[k] = view.gpuFreeMemoryMib(k);
      mig[k] = view.gpuMigOccupancy(k);
      grants[k] = view.gpuGrantCount(k);
    }
    return new ViewState(freeCpu, freeMem, freeWhole, mode, compute, gpuMem, mig, grants,
        view.allocationCount());
  }

  /** Free CPU of node {@code n}. */
  public int freeCpu(int n) {
    return freeCpu[n];
  }

  /** Free host memory of node {@code n}. */
  public int freeMemory(int n) {
    return freeMemory[n];
  }

  /** FREE GPUs of node {@code n}. */
  public int freeWholeGpus(int n) {
    return freeWholeGpus[n];
  }

  /** Mode of GPU {@code k}. */
  public GpuMode mode(int k) {
    return mode[k];
  }

  /** Free compute of GPU {@code k}. */
  public int freeCompute(int k) {
    return freeCompute[k];
  }

  /** Free memory of GPU {@code k}. */
  public int freeGpuMemory(int k) {
    return freeGpuMemory[k];
  }

  /** MIG occupancy mask of GPU {@code k}. */
  public int migOccupancy(int k) {
    return migOccupancy[k];
  }

  /** Grants on GPU {@code k}. */
  public int grantCount(int k) {
    return grantCount[k];
  }

  /** Number of allocations. */
  public int allocationCount() {
    return allocationCount;
  }

  /** The first difference from {@code expected}, described, or null when equal. */
  public @Nullable String diff(ViewState expected) {
    String d = diff("freeCpuMilli(node %d)", freeCpu, expected.freeCpu);
    d = d != null ? d : diff("freeMemoryMib(node %d)", freeMemory, expected.freeMemory);
    d = d != null ? d : diff("freeWholeGpus(node %d)", freeWholeGpus, expected.freeWholeGpus);
    for (int k = 0; d == null && k < mode.length; k++) {
      if (mode[k] != expected.mode[k]) {
        d = "gpuMode(gpu " + k + ") is " + mode[k] + ", expected " + expected.mode[k];
      }
    }
    d = d != null ? d : diff("gpuFreeComputeMilli(gpu %d)", freeCompute, expected.freeCompute);
    d = d != null ? d : diff("gpuFreeMemoryMib(gpu %d)", freeGpuMemory, expected.freeGpuMemory);
    d = d != null ? d : diff("gpuMigOccupancy(gpu %d)", migOccupancy, expected.migOccupancy);
    d = d != null ? d : diff("gpuGrantCount(gpu %d)", grantCount, expected.grantCount);
    if (d == null && allocationCount != expected.allocationCount) {
      d = "allocationCount() is " + allocationCount + ", expected " + expected.allocationCount;
    }
    return d;
  }

  private static @Nullable String diff(String what, int[] actual, int[] expected) {
    for (int i = 0; i < actual.length; i++) {
      if (actual[i] != expected[i]) {
        return String.format(what, i) + " is " + actual[i] + ", expected " + expected[i];
      }
    }
    return null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ViewState v && diff(v) == null;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(freeCpu) * 31 + Arrays.hashCode(freeCompute);
  }

  @Override
  public String toString() {
    return "ViewState[cpu " + Arrays.toString(freeCpu) + ", mem " + Arrays.toString(freeMemory)
        + ", whole " + Arrays.toString(freeWholeGpus) + ", mode " + Arrays.toString(mode)
        + ", compute " + Arrays.toString(freeCompute) + ", gpuMem "
        + Arrays.toString(freeGpuMemory) + ", mig " + Arrays.toString(migOccupancy) + ", grants "
        + Arrays.toString(grantCount) + ", allocations " + allocationCount + "]";
  }
}

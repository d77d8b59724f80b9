package io.gpualloc.core.testing;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterView;
import io.gpualloc.core.GpuMode;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Every capacity read of a {@link io.gpualloc.core.ClusterView}, captured at once, so that two
 * states can be compared whole ("a rejected call changes nothing", "a snapshot does not see later
 * changes"). Covers every id below the view's bounds: a removed node's id reads as {@link #ABSENT}
 * (and {@link #REMOVED}), cordon and GPU health are included. Version counters are not part of it:
 * they are checked separately.
 */
public final class ViewState {
  /** What a removed node's or GPU's figures read as. */
  public static final int ABSENT = Integer.MIN_VALUE;
  /** Node flag: cordoned. */
  public static final byte CORDONED = 1;
  /** Node flag: removed. */
  public static final byte REMOVED = 2;
  /** Node flag: {@code isSchedulable} disagrees with the member and cordon reads. */
  public static final byte INCONSISTENT = 4;

  private final int[] freeCpu;
  private final int[] freeMemory;
  private final int[] freeWholeGpus;
  private final byte[] nodeFlags;
  private final GpuMode[] mode;
  private final boolean[] healthy;
  private final int[] freeCompute;
  private final int[] freeGpuMemory;
  private final int[] migOccupancy;
  private final int[] grantCount;
  private final int allocationCount;

  ViewState(int[] freeCpu, int[] freeMemory, int[] freeWholeGpus, byte[] nodeFlags,
      GpuMode[] mode, boolean[] healthy, int[] freeCompute, int[] freeGpuMemory,
      int[] migOccupancy, int[] grantCount, int allocationCount) {
    this.freeCpu = freeCpu;
    this.freeMemory = freeMemory;
    this.freeWholeGpus = freeWholeGpus;
    this.nodeFlags = nodeFlags;
    this.mode = mode;
    this.healthy = healthy;
    this.freeCompute = freeCompute;
    this.freeGpuMemory = freeGpuMemory;
    this.migOccupancy = migOccupancy;
    this.grantCount = grantCount;
    this.allocationCount = allocationCount;
  }

  /** Reads every node and GPU id of {@code view}. */
  public static ViewState of(ClusterView view) {
    Cluster c = view.cluster();
    int n = c.nodeIdBound();
    int g = c.gpuIdBound();
    int[] freeCpu = new int[n];
    int[] freeMem = new int[n];
    int[] freeWhole = new int[n];
    byte[] flags = new byte[n];
    for (int i = 0; i < n; i++) {
      boolean schedulable = view.isSchedulable(i);
      if (!c.isLive(i)) {
        freeCpu[i] = freeMem[i] = freeWhole[i] = ABSENT;
        flags[i] = (byte) (REMOVED | (schedulable ? INCONSISTENT : 0));
        continue;
      }
      freeCpu[i] = view.freeCpuMilli(i);
      freeMem[i] = view.freeMemoryMib(i);
      freeWhole[i] = view.freeWholeGpus(i);
      boolean cordoned = view.isCordoned(i);
      flags[i] = (byte) ((cordoned ? CORDONED : 0) | (schedulable == cordoned ? INCONSISTENT : 0));
    }
    GpuMode[] mode = new GpuMode[g];
    boolean[] healthy = new boolean[g];
    int[] compute = new int[g];
    int[] gpuMem = new int[g];
    int[] mig = new int[g];
    int[] grants = new int[g];
    for (int k = 0; k < g; k++) {
      if (!c.isLiveGpu(k)) {
        compute[k] = gpuMem[k] = mig[k] = grants[k] = ABSENT;
        continue;
      }
      mode[k] = view.gpuMode(k);
      healthy[k] = view.isGpuHealthy(k);
      compute[k] = view.gpuFreeComputeMilli(k);
      gpuMem[k] = view.gpuFreeMemoryMib(k);
      mig[k] = view.gpuMigOccupancy(k);
      grants[k] = view.gpuGrantCount(k);
    }
    return new ViewState(freeCpu, freeMem, freeWhole, flags, mode, healthy, compute, gpuMem, mig,
        grants, view.allocationCount());
  }

  /** The node id bound this state covers. */
  public int nodeIdBound() {
    return freeCpu.length;
  }

  /** The GPU id bound this state covers. */
  public int gpuIdBound() {
    return mode.length;
  }

  /** Whether node {@code n} was a member. */
  public boolean isLive(int n) {
    return (nodeFlags[n] & REMOVED) == 0;
  }

  /** Whether GPU {@code k}'s node was a member. */
  public boolean isLiveGpu(int k) {
    return mode[k] != null;
  }

  /** Node {@code n}'s flags ({@link #CORDONED}, {@link #REMOVED}, {@link #INCONSISTENT}). */
  public byte nodeFlags(int n) {
    return nodeFlags[n];
  }

  /** Whether GPU {@code k} was healthy. */
  public boolean healthy(int k) {
    return healthy[k];
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
    if (freeCpu.length != expected.freeCpu.length || mode.length != expected.mode.length) {
      return "bounds are " + freeCpu.length + " node ids / " + mode.length + " GPU ids, expected "
          + expected.freeCpu.length + " / " + expected.mode.length;
    }
    String d = null;
    for (int n = 0; d == null && n < nodeFlags.length; n++) {
      if (nodeFlags[n] != expected.nodeFlags[n]) {
        d = "node " + n + " flags (1 cordoned, 2 removed, 4 isSchedulable inconsistent) are "
            + nodeFlags[n] + ", expected " + expected.nodeFlags[n];
      }
    }
    d = d != null ? d : diff("freeCpuMilli(node %d)", freeCpu, expected.freeCpu);
    d = d != null ? d : diff("freeMemoryMib(node %d)", freeMemory, expected.freeMemory);
    d = d != null ? d : diff("freeWholeGpus(node %d)", freeWholeGpus, expected.freeWholeGpus);
    for (int k = 0; d == null && k < mode.length; k++) {
      if (mode[k] != expected.mode[k]) {
        d = "gpuMode(gpu " + k + ") is " + mode[k] + ", expected " + expected.mode[k];
      } else if (healthy[k] != expected.healthy[k]) {
        d = "isGpuHealthy(gpu " + k + ") is " + healthy[k] + ", expected " + expected.healthy[k];
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
    return "ViewState[flags " + Arrays.toString(nodeFlags) + ", cpu " + Arrays.toString(freeCpu) + ", mem " + Arrays.toString(freeMemory)
        + ", whole " + Arrays.toString(freeWholeGpus) + ", mode " + Arrays.toString(mode)
        + ", healthy " + Arrays.toString(healthy) + ", compute " + Arrays.toString(freeCompute) + ", gpuMem "
        + Arrays.toString(freeGpuMemory) + ", mig " + Arrays.toString(migOccupancy) + ", grants "
        + Arrays.toString(grantCount) + ", allocations " + allocationCount + "]";
  }
}

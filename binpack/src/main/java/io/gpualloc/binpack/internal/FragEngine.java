package io.gpualloc.binpack.internal;

import io.gpualloc.binpack.TargetWorkload;
import io.gpualloc.binpack.TaskClass;
import io.gpualloc.core.ClusterView;
import io.gpualloc.core.Gpu;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuMode;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fragmentation measure of FGD on primitive node states, extended to GPU memory.
 *
 * <p>A GPU is encoded in a {@code long}: whether it is fully free, its model's index, its free
 * shareable compute (milli-GPU) and free shareable memory (MiB). A whole or MIG GPU has nothing
 * shareable (0, 0), and so has a SHARED GPU at its share cap ({@link ClusterView#gpuMaxShares}); a GPU
 * with one share left under its cap carries {@link #LAST_BIT}, so that {@link #afterShare} leaves
 * it with nothing shareable (every simulation grants at most one share per GPU per request, which
 * keeps one bit exact). A node state is its free CPU and the multiset of its GPU codes. The
 * fragmentation of a state is kept scaled by the workload's total weight, {@code sum_i w_i F(m_i)},
 * so that comparisons are exact integers.
 *
 * <p>Not thread-safe: callers synchronise.
 */
public final class FragEngine {
  static final int MEM_BITS = 23;
  static final int COMPUTE_SHIFT = MEM_BITS;
  static final int MODEL_SHIFT = COMPUTE_SHIFT + 11;
  static final long FULL_BIT = 1L << (MODEL_SHIFT + 12);
  static final long MEM_MASK = (1L << MEM_BITS) - 1;
  /** One share left under the GPU's share cap: the next share leaves nothing shareable. */
  static final long LAST_BIT = FULL_BIT << 1;

  private final TargetWorkload workload;
  private final int classCount;
  private final int[] cpu;
  private final int[] count;
  private final int[] milli;
  private final int[] mem;
  private final boolean[] whole;
  private final long[] weight;
  private final long totalWeight;
  private final Map<GpuModel, Integer> modelIndex = new HashMap<>();
  private final List<GpuModel> models = new ArrayList<>();
  /** allowed[model][class]. */
  private boolean[][] allowed = new boolean[0][];

  /** An engine for workload M. */
  public FragEngine(TargetWorkload m) {
    this.workload = m;
    List<TaskClass> cs = m.classes();
    classCount = cs.size();
    cpu = new int[classCount];
    count = new int[classCount];
    milli = new int[classCount];
    mem = new int[classCount];
    whole = new boolean[classCount];
    weight = new long[classCount];
    for (int i = 0; i < classCount; i++) {
      TaskClass c = cs.get(i);
      cpu[i] = c.cpuMilli();
      count[i] = c.gpuCount();
      milli[i] = c.gpuMilli();
      mem[i] = c.gpuMemoryMib();
      whole[i] = c.gpu() instanceof GpuDemand.Whole;
      weight[i] = c.weight();
    }
    totalWeight = m.totalWeight();
  }

  /** The workload. */
  public TargetWorkload workload() {
    return workload;
  }

  /** The workload's total weight (the scale of every scaled fragmentation). */
  public long totalWeight() {
    return totalWeight;
  }

  /** The models registered so far, by index. */
  public List<GpuModel> models() {
    return java.util.Collections.unmodifiableList(models);
  }

  /** The model's dense index, registering it on first sight. */
  public int modelIndex(GpuModel model) {
    Integer i = modelIndex.get(model);
    if (i != null) {
      return i;
    }
    int idx = models.size();
    if (idx >= 4096) {
      throw InvalidSpecException.of("fragmentation", "GPU models", idx + 1, "<= 4096 distinct models");
    }
    models.add(model);
    modelIndex.put(model, idx);
    allowed = Arrays.copyOf(allowed, idx + 1);
    boolean[] a = new boolean[classCount];
    List<TaskClass> cs = workload.classes();
    for (int c = 0; c < classCount; c++) {
      a[c] = cs.get(c).allowsModel(model);
    }
    allowed[idx] = a;
    return idx;
  }

  /** The code of a GPU with this shareable free compute and memory. */
  public static long code(int modelIdx, boolean full, int freeCompute, int freeMem) {
    return (full ? FULL_BIT : 0) | ((long) modelIdx << MODEL_SHIFT)
        | ((long) freeCompute << COMPUTE_SHIFT) | Math.min(freeMem, (int) MEM_MASK);
  }

  /** The code of the GPU as the view shows it. */
  public long code(ClusterView v, int gpuId, int modelIdx) {
    if (!v.isGpuHealthy(gpuId)) {
      return code(modelIdx, false, 0, 0); // takes no new grant: as good as taken
    }
    GpuMode mode = v.gpuMode(gpuId);
    if (mode != GpuMode.FREE && mode != GpuMode.SHARED) {
      return code(modelIdx, false, 0, 0);
    }
    int cap = v.gpuMaxShares(gpuId);
    int left = cap == Gpu.UNLIMITED_SHARES ? 2 : cap - v.gpuGrantCount(gpuId);
    if (left <= 0) {
      return code(modelIdx, false, 0, 0); // at its split count: takes no share, as good as taken
    }
    long c = mode == GpuMode.FREE ? code(modelIdx, true, 1000, v.gpuFreeMemoryMib(gpuId))
        : code(modelIdx, false, v.gpuFreeComputeMilli(gpuId), v.gpuFreeMemoryMib(gpuId));
    return left == 1 ? c | LAST_BIT : c;
  }

  /** Free shareable compute of a code. */
  public static int compute(long code) {
    return (int) ((code >>> COMPUTE_SHIFT) & 2047);
  }

  /** Free shareable memory of a code. */
  public static int memory(long code) {
    return (int) (code & MEM_MASK);
  }

  /** Model index of a code. */
  public static int model(long code) {
    return (int) ((code >>> MODEL_SHIFT) & 4095);
  }

  /** Whether a code is a fully free GPU. */
  public static boolean full(long code) {
    return (code & FULL_BIT) != 0;
  }

  /** The code after granting a share of compute and memory. */
  public static long afterShare(long code, int computeMilli, int memoryMib) {
    if ((code & LAST_BIT) != 0) {
      return code(model(code), false, 0, 0); // the share reached the GPU's split count
    }
    return code(model(code), false, compute(code) - computeMilli, memory(code) - memoryMib);
  }

  /** The code after a whole grant. */
  public static long afterWhole(long code) {
    return code(model(code), false, 0, 0);
  }

  /** The node's GPU codes in index order. */
  public long[] nodeCodes(ClusterView v, int node) {
    Node n = v.cluster().node(node);
    int base = v.cluster().gpuOffset(node);
    long[] out = new long[n.gpuCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = code(v, base + i, modelIndex(n.gpus().get(i).model()));
    }
    return out;
  }

  /** Total free shareable compute of the codes, in milli-GPU (FGD's R_n). */
  public static long free(long[] codes) {
    long r = 0;
    for (long c : codes) {
      r += compute(c);
    }
    return r;
  }

  /** Fragmentation of one class on a state, milli-GPU (the rules of FGD, memory-extended). */
  public long classFrag(int cls, int freeCpu, long[] codes) {
    long r = 0;
    for (long c : codes) {
      r += compute(c);
    }
    if (count[cls] == 0) {
      return r;
    }
    int fits = 0;
    long frag = 0;
    for (long c : codes) {
      boolean unit = allowed[model(c)][cls]
          && (whole[cls] ? full(c) : compute(c) >= milli[cls] && memory(c) >= mem[cls]);
      if (unit) {
        fits++;
      } else {
        frag += compute(c);
      }
    }
    return freeCpu < cpu[cls] || fits < count[cls] ? r : frag;
  }

  /** Fragmentation of a state against M, scaled: {@code sum_i w_i F(m_i)}. */
  public long scaled(int freeCpu, long[] codes) {
    long r = 0;
    for (long c : codes) {
      r += compute(c);
    }
    long sum = 0;
    for (int i = 0; i < classCount; i++) {
      long f;
      if (count[i] == 0) {
        f = r;
      } else {
        int fits = 0;
        long frag = 0;
        boolean cpuOk = freeCpu >= cpu[i];
        if (!cpuOk) {
          f = r;
        } else {
          for (long c : codes) {
            boolean unit = allowed[model(c)][i]
                && (whole[i] ? (c & FULL_BIT) != 0
                    : ((c >>> COMPUTE_SHIFT) & 2047) >= milli[i] && (c & MEM_MASK) >= mem[i]);
            if (unit) {
              fits++;
            } else {
              frag += (c >>> COMPUTE_SHIFT) & 2047;
            }
          }
          f = fits < count[i] ? r : frag;
        }
      }
      sum += weight[i] * f;
    }
    return sum;
  }

  /** A scaled value in milli-GPU, rounded half up. */
  public long unscale(long scaled) {
    if (totalWeight == 0) {
      return 0;
    }
    return Math.floorDiv(2 * scaled + totalWeight, 2 * totalWeight);
  }

  /** Scaled fragmentation of a node as the view shows it. */
  public long nodeScaled(ClusterView v, int node) {
    return scaled(v.freeCpuMilli(node), nodeCodes(v, node));
  }
}

package io.gpualloc.topology;

import io.gpualloc.core.ClusterView;
import io.gpualloc.core.GpuMode;
import io.gpualloc.core.InvalidSpecException;
import java.util.Arrays;
import java.util.Collection;

/**
 * An immutable set of GPU indices within one node (or NVLink domain), as a bit set. Used for the
 * free GPUs, the must-include GPUs and the answer of a {@link GpuSetSelector}.
 */
public final class GpuSet {
  private static final GpuSet EMPTY = new GpuSet(new long[0]);

  private final long[] words;

  private GpuSet(long[] words) {
    int len = words.length;
    while (len > 0 && words[len - 1] == 0) {
      len--;
    }
    this.words = len == words.length ? words : Arrays.copyOf(words, len);
  }

  /**
   * The empty set.
   *
   * @return the empty set
   */
  public static GpuSet empty() {
    return EMPTY;
  }

  /**
   * The set of these indices (each >= 0; duplicates are ignored).
   *
   * @param indices GPU indices within the node
   * @return the set of these indices (each >= 0; duplicates are ignored)
   */
  public static GpuSet of(int... indices) {
    int max = -1;
    for (int i : indices) {
      if (i < 0) {
        throw InvalidSpecException.of("GPU set", "index", i, ">= 0");
      }
      max = Math.max(max, i);
    }
    long[] w = new long[(max >> 6) + 1];
    for (int i : indices) {
      w[i >> 6] |= 1L << i;
    }
    return new GpuSet(w);
  }

  /**
   * The set of these indices.
   *
   * @param indices GPU indices within the node
   * @return the set of these indices
   */
  public static GpuSet of(Collection<Integer> indices) {
    return of(indices.stream().mapToInt(Integer::intValue).toArray());
  }

  /**
   * The indices {@code 0..count-1}.
   *
   * @param count the number of GPUs, at least 0
   * @return the indices {@code 0..count-1}
   */
  public static GpuSet range(int count) {
    if (count < 0) {
      throw InvalidSpecException.of("GPU set", "count", count, ">= 0");
    }
    long[] w = new long[(count + 63) >> 6];
    for (int i = 0; i < count; i++) {
      w[i >> 6] |= 1L << i;
    }
    return new GpuSet(w);
  }

  /**
   * The node's GPUs that are wholly free ({@link GpuMode#FREE} and healthy: {@link
   * ClusterView#canTakeWhole}) in {@code view}.
   *
   * @param view the cluster state or snapshot to read
   * @param nodeId the node's id in the cluster
   * @return the node's GPUs that can be granted whole now
   */
  public static GpuSet wholeFree(ClusterView view, int nodeId) {
    int count = view.cluster().node(nodeId).gpuCount();
    int off = view.cluster().gpuOffset(nodeId);
    long[] w = new long[(count + 63) >> 6];
    for (int i = 0; i < count; i++) {
      if (view.canTakeWhole(off + i)) {
        w[i >> 6] |= 1L << i;
      }
    }
    return new GpuSet(w);
  }

  /**
   * The node's GPUs that are partly used under sharing ({@link GpuMode#SHARED}) and can still take
   * a share of {@code computeMilli} and {@code memoryMib} ({@link ClusterView#canShare}: healthy,
   * below their split count, with that much free).
   *
   * @param view the cluster state or snapshot to read
   * @param nodeId the node's id in the cluster
   * @param computeMilli the share's compute, milli-GPU
   * @param memoryMib the share's GPU memory, MiB
   * @return the node's GPUs that are partly used under sharing ({@link GpuMode#SHARED}) and can
   *     still take a share of {@code computeMilli} and {@code memoryMib}
   */
  public static GpuSet partlyUsed(ClusterView view, int nodeId, int computeMilli, int memoryMib) {
    int count = view.cluster().node(nodeId).gpuCount();
    int off = view.cluster().gpuOffset(nodeId);
    long[] w = new long[(count + 63) >> 6];
    for (int i = 0; i < count; i++) {
      if (view.gpuMode(off + i) == GpuMode.SHARED
          && view.canShare(off + i, computeMilli, memoryMib)) {
        w[i >> 6] |= 1L << i;
      }
    }
    return new GpuSet(w);
  }

  /**
   * Whether {@code index} is in the set.
   *
   * @param index the index
   * @return whether {@code index} is in the set
   */
  public boolean contains(int index) {
    int w = index >> 6;
    return index >= 0 && w < words.length && (words[w] & (1L << index)) != 0;
  }

  /**
   * The number of indices.
   *
   * @return the number of indices
   */
  public int size() {
    int s = 0;
    for (long w : words) {
      s += Long.bitCount(w);
    }
    return s;
  }

  /**
   * Whether the set is empty.
   *
   * @return whether the set is empty
   */
  public boolean isEmpty() {
    return words.length == 0;
  }

  /**
   * The largest index plus one (0 when empty).
   *
   * @return the largest index plus one (0 when empty)
   */
  public int bound() {
    return words.length == 0 ? 0
        : (words.length - 1) * 64 + 64 - Long.numberOfLeadingZeros(words[words.length - 1]);
  }

  /**
   * The indices, ascending.
   *
   * @return the indices, ascending
   */
  public int[] toArray() {
    int[] out = new int[size()];
    int k = 0;
    for (int w = 0; w < words.length; w++) {
      long bits = words[w];
      while (bits != 0) {
        out[k++] = w * 64 + Long.numberOfTrailingZeros(bits);
        bits &= bits - 1;
      }
    }
    return out;
  }

  /**
   * This set plus {@code other}.
   *
   * @param other the other set
   * @return this set plus {@code other}
   */
  public GpuSet union(GpuSet other) {
    long[] w = Arrays.copyOf(words, Math.max(words.length, other.words.length));
    for (int i = 0; i < other.words.length; i++) {
      w[i] |= other.words[i];
    }
    return new GpuSet(w);
  }

  /**
   * This set without the indices of {@code other}.
   *
   * @param other the other set
   * @return this set without the indices of {@code other}
   */
  public GpuSet minus(GpuSet other) {
    long[] w = words.clone();
    for (int i = 0; i < Math.min(w.length, other.words.length); i++) {
      w[i] &= ~other.words[i];
    }
    return new GpuSet(w);
  }

  /**
   * The indices in both sets.
   *
   * @param other the other set
   * @return the indices in both sets
   */
  public GpuSet intersect(GpuSet other) {
    long[] w = Arrays.copyOf(words, Math.min(words.length, other.words.length));
    for (int i = 0; i < w.length; i++) {
      w[i] &= other.words[i];
    }
    return new GpuSet(w);
  }

  /**
   * Whether every index of this set is in {@code other}.
   *
   * @param other the other set
   * @return whether every index of this set is in {@code other}
   */
  public boolean isSubsetOf(GpuSet other) {
    for (int i = 0; i < words.length; i++) {
      long o = i < other.words.length ? other.words[i] : 0;
      if ((words[i] & ~o) != 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GpuSet g && Arrays.equals(g.words, words);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(words);
  }

  /** Renders as {@code {0, 3, 5}}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i : toArray()) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(i);
    }
    return sb.append('}').toString();
  }
}

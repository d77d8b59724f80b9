package io.gpualloc.topology;

import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.RejectReason;
import org.jspecify.annotations.Nullable;

/**
 * A validated selection request in primitive form, shared by every selector: candidate GPUs, the
 * node's score matrix, the per-GPU damage used by the tie-break, and the must-include GPUs.
 */
final class Problem {
  final NodeInterconnect node;
  final int n;
  /** Row-major n x n pair scores of the node (shared, read only). */
  final int[] matrix;
  /** Row-major n x n pair qualities (shared, read only). */
  final int[] quality;
  /** Row-major n x n pair localities (shared, read only). */
  final int[] locality;
  /** Wholly free GPUs, ascending. */
  final int[] free;
  /** Whether each node GPU is wholly free. */
  final boolean[] isFree;
  /** Free and partly used GPUs, ascending. */
  final int[] candidates;
  /** Must-include GPUs, ascending. */
  final int[] must;
  /** Candidates that are not must-include, ascending. */
  final int[] optional;
  /** Damage per node GPU index (0 for partly used and unusable GPUs). */
  final long[] damage;
  final int k;
  final LinkScores scores;
  final GpuSetChoice.@Nullable Rejected rejected;
  /** The NIC part of a GPU+NIC request, or null; set once before the search. */
  @Nullable NicPlan nic;

  private Problem(NodeInterconnect node, int[] matrix, int[] free, int[] candidates, int[] must,
      int[] optional, long[] damage, int k, LinkScores scores,
      GpuSetChoice.@Nullable Rejected rejected) {
    this.node = node;
    this.n = node.gpuCount();
    this.matrix = matrix;
    this.quality = node.qualityMatrix(scores);
    this.locality = node.localityMatrix(scores);
    this.free = free;
    this.isFree = new boolean[n];
    for (int g : free) {
      isFree[g] = true;
    }
    this.candidates = candidates;
    this.must = must;
    this.optional = optional;
    this.damage = damage;
    this.k = k;
    this.scores = scores;
    this.rejected = rejected;
  }

  static Problem of(NodeInterconnect node, GpuSet free, GpuSet partlyUsed, GpuSet mustInclude,
      int k, LinkScores scores) {
    if (node == null || free == null || partlyUsed == null || mustInclude == null) {
      throw InvalidSpecException.of("GPU set selection", "argument", null, "non-null values");
    }
    int n = node.gpuCount();
    String owner = "GPU set selection on " + node.name();
    if (k < 0) {
      throw InvalidSpecException.of(owner, "k", k, ">= 0");
    }
    check(owner, "free", free, n);
    check(owner, "partlyUsed", partlyUsed, n);
    check(owner, "mustInclude", mustInclude, n);
    if (!free.intersect(partlyUsed).isEmpty()) {
      throw InvalidSpecException.of(owner, "partlyUsed", free.intersect(partlyUsed).toString(),
          "GPUs that are not also in free " + free);
    }
    GpuSet usable = free.union(partlyUsed);
    int[] matrix = node.scoreMatrix(scores);
    if (!mustInclude.isSubsetOf(usable)) {
      return reject(node, matrix, k, scores, RejectReason.INSUFFICIENT_GPUS,
          "must-include GPUs " + mustInclude.minus(usable) + " are not usable (usable: " + usable
              + ")");
    }
    if (mustInclude.size() > k) {
      return reject(node, matrix, k, scores, RejectReason.POLICY,
          mustInclude.size() + " must-include GPUs " + mustInclude + " exceed k = " + k);
    }
    if (k > usable.size()) {
      return reject(node, matrix, k, scores, RejectReason.INSUFFICIENT_GPUS,
          "k = " + k + " exceeds the " + usable.size() + " usable GPUs " + usable + " of "
              + node.name());
    }
    int[] freeArr = free.toArray();
    long[] damage = new long[n];
    for (int i : freeArr) {
      long d = 1;
      for (int j : freeArr) {
        d += matrix[i * n + j];
      }
      damage[i] = d;
    }
    return new Problem(node, matrix, freeArr, usable.toArray(), mustInclude.toArray(),
        usable.minus(mustInclude).toArray(), damage, k, scores, null);
  }

  private static Problem reject(
      NodeInterconnect node, int[] matrix, int k, LinkScores scores, RejectReason reason,
      String message) {
    return new Problem(node, matrix, new int[0], new int[0], new int[0], new int[0], new long[0], k,
        scores,
        new GpuSetChoice.Rejected(reason, message));
  }

  private static void check(String owner, String field, GpuSet set, int n) {
    if (set.bound() > n) {
      throw InvalidSpecException.of(owner, field, set.toString(),
          n == 0 ? "no GPUs (the node has none)" : "GPU indices 0.." + (n - 1));
    }
  }

  int w(int i, int j) {
    return matrix[i * n + j];
  }

  /** The sum of pair scores inside {@code set} (node GPU indices). */
  long score(int[] set) {
    long s = 0;
    for (int a = 0; a < set.length; a++) {
      for (int b = a + 1; b < set.length; b++) {
        s += matrix[set[a] * n + set[b]];
      }
    }
    return s;
  }

  /** The sum of pair qualities inside {@code set}. */
  long quality(int[] set) {
    return sum(quality, set);
  }

  /** The sum of pair localities inside {@code set}. */
  long locality(int[] set) {
    return sum(locality, set);
  }

  private long sum(int[] mat, int[] set) {
    long s = 0;
    for (int a = 0; a < set.length; a++) {
      for (int b = a + 1; b < set.length; b++) {
        s += mat[set[a] * n + set[b]];
      }
    }
    return s;
  }

  /**
   * The lookahead of {@code set}: the best quality of {@code k} wholly-free GPUs outside it, or
   * {@link GpuSetChoice.Chosen#NO_SET}.
   */
  long lookahead(int[] set, long budget) {
    boolean[] in = new boolean[n];
    for (int g : set) {
      in[g] = true;
    }
    int[] rest = new int[free.length];
    int c = 0;
    for (int g : free) {
      if (!in[g]) {
        rest[c++] = g;
      }
    }
    return new BestSubset(this).value(rest, c, k, budget);
  }

  /** A chosen answer of a baseline: pair-score sum as the score, every term evaluated. */
  GpuSetChoice.Chosen baselineChoice(int[] set) {
    java.util.Arrays.sort(set);
    return new GpuSetChoice.Chosen(GpuSet.of(set), score(set), lookahead(set, Long.MAX_VALUE),
        locality(set), damage(set), Long.MAX_VALUE, false);
  }

  /** The GPU bit mask of {@code set} (nodes of up to 64 GPUs). */
  static long mask(int[] set) {
    long m = 0;
    for (int g : set) {
      m |= 1L << g;
    }
    return m;
  }

  /** The damage of {@code set}. */
  long damage(int[] set) {
    long s = 0;
    for (int g : set) {
      s += damage[g];
    }
    return s;
  }
}

package io.gpualloc.topology;

import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.RejectReason;

/**
 * A validated selection request in primitive form, shared by every selector: candidate GPUs, the
 * node's score matrix, the per-GPU damage used by the tie-break, and the must-include GPUs.
 */
final class Problem {
  final NodeInterconnect node;
  final int n;
  /** Row-major n x n pair scores of the node (shared, read only). */
  final int[] matrix;
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
  final GpuSetChoice.Rejected rejected;

  private Problem(NodeInterconnect node, int[] matrix, int[] candidates, int[] must,
      int[] optional, long[] damage, int k, LinkScores scores, GpuSetChoice.Rejected rejected) {
    this.node = node;
    this.n = node.gpuCount();
    this.matrix = matrix;
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
    return new Problem(node, matrix, usable.toArray(), mustInclude.toArray(),
        usable.minus(mustInclude).toArray(), damage, k, scores, null);
  }

  private static Problem reject(
      NodeInterconnect node, int[] matrix, int k, LinkScores scores, RejectReason reason,
      String message) {
    return new Problem(node, matrix, new int[0], new int[0], new int[0], new long[0], k, scores,
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

  /** The damage of {@code set}. */
  long damage(int[] set) {
    long s = 0;
    for (int g : set) {
      s += damage[g];
    }
    return s;
  }
}

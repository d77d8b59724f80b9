package io.gpualloc.topology;

import io.gpualloc.core.InvalidSpecException;
import java.util.Arrays;

/**
 * A custom pair-score matrix for one node: the link quality of every GPU pair as the node reports
 * it (for example measured bandwidth, or HAMi's {@code hami.io/node-nvidia-score} annotation, see
 * {@link HamiNodeScores}). Any integers in {@code -MAX_ABS..MAX_ABS}, negative included; symmetric;
 * the diagonal is ignored. Attach it with {@link NodeInterconnect#withPairScores(PairScores)}: it
 * then replaces the {@link LinkScores} table as the pair score of that node for every selector,
 * while the PCIe locality term still comes from the link's PCIe class.
 */
public final class PairScores {
  /** The largest absolute value of a score (keeps every set sum far inside a {@code long}). */
  public static final int MAX_ABS = 1_000_000;

  private final int n;
  private final int[] m;

  private PairScores(int n, int[] m) {
    this.n = n;
    this.m = m;
  }

  /**
   * A matrix from rows: {@code scores[i][j]} is the score of GPUs {@code i} and {@code j}.
   *
   * @param scores a square, symmetric matrix (the diagonal is ignored)
   * @return the matrix
   * @throws InvalidSpecException when it is null, not square, not symmetric, or holds a value
   *     outside {@code -MAX_ABS..MAX_ABS}
   */
  public static PairScores of(int[][] scores) {
    if (scores == null) {
      throw InvalidSpecException.of("pair scores", "scores", null, "a square matrix");
    }
    int n = scores.length;
    int[] m = new int[n * n];
    for (int i = 0; i < n; i++) {
      if (scores[i] == null || scores[i].length != n) {
        throw InvalidSpecException.of("pair scores", "row " + i + " length",
            scores[i] == null ? null : scores[i].length, String.valueOf(n) + " (a square matrix)");
      }
      for (int j = 0; j < n; j++) {
        int v = scores[i][j];
        if (i != j && (v < -MAX_ABS || v > MAX_ABS)) {
          throw InvalidSpecException.of("pair scores", "score[" + i + "][" + j + "]", v,
              -MAX_ABS + ".." + MAX_ABS);
        }
        m[i * n + j] = i == j ? 0 : v;
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        if (m[i * n + j] != m[j * n + i]) {
          throw InvalidSpecException.of("pair scores", "score[" + j + "][" + i + "]",
              m[j * n + i], "equal to score[" + i + "][" + j + "] = " + m[i * n + j]
                  + " (a symmetric matrix). Maybe resolve asymmetric data first, as"
                  + " HamiNodeScores does");
        }
      }
    }
    return new PairScores(n, m);
  }

  /**
   * The number of GPUs.
   *
   * @return the matrix size
   */
  public int gpuCount() {
    return n;
  }

  /**
   * The score of GPUs {@code i} and {@code j} (0 on the diagonal).
   *
   * @param i a GPU index
   * @param j a GPU index
   * @return the score
   * @throws InvalidSpecException for an index outside {@code 0..gpuCount()-1}
   */
  public int score(int i, int j) {
    if (i < 0 || i >= n || j < 0 || j >= n) {
      throw InvalidSpecException.of("pair scores", "gpu pair", i + "-" + j,
          n == 0 ? "none (no GPUs)" : "indices 0.." + (n - 1));
    }
    return m[i * n + j];
  }

  /** The matrix row-major; shared, read only. */
  int[] raw() {
    return m;
  }

  /** Equal when the matrices are equal. */
  @Override
  public boolean equals(Object o) {
    return o instanceof PairScores p && p.n == n && Arrays.equals(p.m, m);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(m);
  }

  @Override
  public String toString() {
    return "PairScores[" + n + " GPUs]";
  }
}

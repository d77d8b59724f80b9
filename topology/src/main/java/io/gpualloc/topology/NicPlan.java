package io.gpualloc.topology;

/**
 * The NIC part of a GPU+NIC request in primitive form: which free NIC serves which GPU (bit masks;
 * nodes of up to 64 GPUs and 64 NICs), and the best NICs for a GPU set.
 */
final class NicPlan {
  final int count;
  final boolean required;
  /** Free NIC positions in the node's NIC list, ascending. */
  final int[] nics;
  /** Per free NIC (local index): the GPUs it serves. */
  final long[] serves;
  /** Per node GPU: the free NICs (local indices) that serve it. */
  final long[] servedBy;
  private final int[] combo;
  private final int[] useful;

  NicPlan(NodeInterconnect node, int[] freeNics, NicRequest req) {
    this.count = req.count();
    this.required = req.required();
    this.nics = freeNics.clone();
    this.serves = new long[nics.length];
    this.servedBy = new long[node.gpuCount()];
    for (int x = 0; x < nics.length; x++) {
      Nic nic = node.nics().get(nics[x]);
      for (int g = 0; g < node.gpuCount(); g++) {
        if (req.affinity().admits(nic.toGpu().get(g))) {
          serves[x] |= 1L << g;
          servedBy[g] |= 1L << x;
        }
      }
    }
    this.combo = new int[nics.length];
    this.useful = new int[nics.length];
  }

  /** The largest coverage (served GPUs + serving NICs) any k-set can reach. */
  int maxCoverage(int k) {
    return k + Math.min(count, nics.length);
  }

  /**
   * The best NICs for the GPU set {@code gpuMask}: the most served GPUs plus serving NICs, ties to
   * the first combination in index order among the serving NICs, the rest filled with the lowest
   * other free NICs. Writes the chosen local NIC indices into {@code out[0..count)} (when not null)
   * and returns the coverage, or -1 when the request is required and no choice serves every GPU
   * with every NIC.
   */
  int best(long gpuMask, int k, int[] out) {
    int u = 0;
    for (int x = 0; x < nics.length; x++) {
      if ((serves[x] & gpuMask) != 0) {
        useful[u++] = x;
      }
    }
    int c = Math.min(count, u);
    if (required && c < count) {
      return -1;
    }
    int bestCov = -1;
    long bestBits = 0;
    // combinations of c out of useful[0..u), in lexicographic order
    for (int i = 0; i < c; i++) {
      combo[i] = i;
    }
    while (true) {
      long covered = 0;
      long bits = 0;
      for (int i = 0; i < c; i++) {
        covered |= serves[useful[combo[i]]];
        bits |= 1L << useful[combo[i]];
      }
      int cov = Long.bitCount(covered & gpuMask) + c;
      if (cov > bestCov && (!required || Long.bitCount(covered & gpuMask) == k)) {
        bestCov = cov;
        bestBits = bits;
      }
      int i = c - 1;
      while (i >= 0 && combo[i] == u - c + i) {
        i--;
      }
      if (i < 0) {
        break;
      }
      combo[i]++;
      for (int j = i + 1; j < c; j++) {
        combo[j] = combo[j - 1] + 1;
      }
    }
    if (bestCov < 0) {
      return -1;
    }
    if (out != null) {
      long bits = bestBits;
      for (int x = 0; x < nics.length && Long.bitCount(bits) < count; x++) {
        bits |= 1L << x; // fill with the lowest other free NICs (preferred only)
      }
      int q = 0;
      for (int x = 0; x < nics.length; x++) {
        if ((bits & (1L << x)) != 0) {
          out[q++] = x;
        }
      }
    }
    return bestCov;
  }
}

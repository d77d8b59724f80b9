package io.gpualloc.binpack.internal;

import io.gpualloc.core.ClusterView;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.Request;

/** Score functions behind the public scorers that are not a baseline's. */
public final class ScorerFunctions {
  private ScorerFunctions() {}

  /**
   * Minus FGD's Delta (milli-GPU) of placing the request on the node with FGD's GPU choice: whole
   * GPUs at the lowest free indexes, each share on the GPU where F grows least (lowest index on
   * ties). 0 when M has no weight.
   */
  public static double negativeFragmentationDelta(FragEngine e, Request r, ClusterView v,
      int node) {
    if (e.totalWeight() == 0) {
      return 0;
    }
    long[] cur = e.nodeCodes(v, node);
    int cpu = v.freeCpuMilli(node);
    long before = e.scaled(cpu, cur);
    int cpuAfter = cpu - r.cpuMilli();
    GpuDemand d = r.gpu();
    if (d instanceof GpuDemand.Whole w) {
      int taken = 0;
      for (int i = 0; i < cur.length && taken < w.count(); i++) {
        if (Fit.canTakeWhole(r, v, node, i)) {
          cur[i] = FragEngine.afterWhole(cur[i]);
          taken++;
        }
      }
    } else if (d instanceof GpuDemand.Shared s) {
      boolean[] used = new boolean[cur.length];
      for (int k = 0; k < s.count(); k++) {
        int best = -1;
        long bestF = 0;
        for (int i = 0; i < cur.length; i++) {
          if (used[i] || !Fit.canTakeShare(r, v, node, i)) {
            continue;
          }
          long save = cur[i];
          cur[i] = FragEngine.afterShare(save, s.computeMilli(), s.memoryMib());
          long f = e.scaled(cpuAfter, cur);
          cur[i] = save;
          if (best < 0 || f < bestF) {
            best = i;
            bestF = f;
          }
        }
        if (best < 0) {
          break; // the filters let only feasible nodes through
        }
        used[best] = true;
        cur[best] = FragEngine.afterShare(cur[best], s.computeMilli(), s.memoryMib());
      }
    }
    double delta = (double) (e.scaled(cpuAfter, cur) - before) / e.totalWeight();
    return delta == 0 ? 0.0 : -delta;
  }
}

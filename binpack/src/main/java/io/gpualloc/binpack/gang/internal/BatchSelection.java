package io.gpualloc.binpack.gang.internal;

import com.google.ortools.sat.BoolVar;
import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.CpSolver;
import com.google.ortools.sat.CpSolverStatus;
import com.google.ortools.sat.LinearExpr;
import com.google.ortools.sat.LinearExprBuilder;
import io.gpualloc.binpack.gang.Gang;
import io.gpualloc.binpack.packing.SolverOptions;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterView;
import io.gpualloc.topology.ClusterTopology;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The aggregate CP-SAT model of the batch selection: which candidate gangs to admit so that the
 * priority-weighted GPUs are largest while every domain a gang's REQUIRED level names, and the
 * cluster, keep the GPU milli they have free. A gang with a REQUIRED gang-level constraint takes
 * one domain of that level; the rest draw on the cluster only. Touch only after {@code
 * OrTools.require}.
 */
final class BatchSelection {
  private BatchSelection() {}

  /** The chosen gangs (by candidate index) and the model's proven upper bound. */
  record Choice(boolean[] chosen, long bound) {}

  /**
   * Solves the selection.
   *
   * @param gangs the candidates
   * @param value each candidate's weighted GPU milli at its full count
   * @param need each candidate's GPU milli at its minimums
   * @param level each candidate's REQUIRED gang level, -1 for none
   * @param hint the candidates the greedy batch admitted
   * @param view the view
   * @param topology the topology
   * @param deadline System.nanoTime() to stop at
   * @param options workers and seed
   * @return the choice, or null when the budget is spent or CP-SAT found nothing
   */
  static @Nullable Choice solve(List<Gang> gangs, long[] value, long[] need, int[] level,
      boolean[] hint, ClusterView view, ClusterTopology topology, long deadline,
      SolverOptions options) {
    Cluster c = view.cluster();
    int levels = topology.levels().size();
    long[][] free = new long[levels][];
    for (int l = 0; l < levels; l++) {
      free[l] = new long[topology.domainCount(l)];
    }
    long total = 0;
    for (int v = 0; v < c.nodeIdBound(); v++) {
      if (!c.isLive(v) || !view.isSchedulable(v)) {
        continue;
      }
      long f = 0;
      for (int i = 0; i < c.node(v).gpuCount(); i++) {
        int gpu = c.gpuId(v, i);
        f += view.isGpuHealthy(gpu) ? Math.max(0, view.gpuFreeComputeMilli(gpu)) : 0;
      }
      total += f;
      for (int l = 0; l < levels; l++) {
        int d = topology.domainOf(v, l);
        if (d >= 0) {
          free[l][d] += f;
        }
      }
    }
    int n = gangs.size();
    CpModel cp = new CpModel();
    BoolVar[] x = new BoolVar[n];
    List<List<BoolVar>> y = new ArrayList<>();
    List<List<Integer>> yDomain = new ArrayList<>();
    LinearExprBuilder objective = LinearExpr.newBuilder();
    LinearExprBuilder cluster = LinearExpr.newBuilder();
    for (int g = 0; g < n; g++) {
      x[g] = cp.newBoolVar("x" + g);
      cp.addHint(x[g], hint[g] ? 1 : 0);
      objective.addTerm(x[g], value[g]);
      cluster.addTerm(x[g], need[g]);
      List<BoolVar> ys = new ArrayList<>();
      List<Integer> ds = new ArrayList<>();
      if (level[g] >= 0) {
        LinearExprBuilder one = LinearExpr.newBuilder();
        for (int d = 0; d < free[level[g]].length; d++) {
          if (free[level[g]][d] >= need[g]) {
            BoolVar b = cp.newBoolVar("y" + g + "_" + d);
            ys.add(b);
            ds.add(d);
            one.add(b);
          }
        }
        cp.addEquality(one, x[g]);
      }
      y.add(ys);
      yDomain.add(ds);
    }
    cp.addLessOrEqual(cluster, total);
    for (int lv = 0; lv < levels; lv++) {
      LinearExprBuilder[] cap = new LinearExprBuilder[free[lv].length];
      boolean any = false;
      for (int g = 0; g < n; g++) {
        if (level[g] < 0 || level[g] > lv) {
          continue;
        }
        for (int k = 0; k < y.get(g).size(); k++) {
          int[] nodes = topology.nodesOf(level[g], yDomain.get(g).get(k));
          int up = nodes.length == 0 ? -1 : topology.domainOf(nodes[0], lv);
          if (up < 0) {
            continue;
          }
          if (cap[up] == null) {
            cap[up] = LinearExpr.newBuilder();
          }
          cap[up].addTerm(y.get(g).get(k), need[g]);
          any = true;
        }
      }
      if (!any) {
        continue;
      }
      for (int d = 0; d < cap.length; d++) {
        if (cap[d] != null) {
          cp.addLessOrEqual(cap[d], free[lv][d]);
        }
      }
    }
    cp.maximize(objective);
    double seconds = (deadline - System.nanoTime()) / 1e9;
    if (seconds <= 0.001) {
      return null;
    }
    CpSolver solver = new CpSolver();
    solver.getParameters().setMaxTimeInSeconds(seconds).setNumWorkers(options.workers())
        .setRandomSeed((int) (options.seed() ^ (options.seed() >>> 32)))
        .setLogSearchProgress(false);
    CpSolverStatus st = solver.solve(cp);
    if (st != CpSolverStatus.OPTIMAL && st != CpSolverStatus.FEASIBLE) {
      return null;
    }
    boolean[] chosen = new boolean[n];
    for (int g = 0; g < n; g++) {
      chosen[g] = solver.booleanValue(x[g]);
    }
    long bound = (long) Math.floor(solver.bestObjectiveBound() + 1e-6);
    return new Choice(chosen, bound);
  }
}

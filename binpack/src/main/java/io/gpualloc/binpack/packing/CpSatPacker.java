package io.gpualloc.binpack.packing;

import io.gpualloc.binpack.packing.internal.ArcFlowGraph;
import io.gpualloc.binpack.packing.internal.ArcFlowLp;
import io.gpualloc.binpack.packing.internal.ArcFlowMip;
import io.gpualloc.binpack.packing.internal.ColumnGeneration;
import io.gpualloc.binpack.packing.internal.CpSatModels;
import io.gpualloc.binpack.packing.internal.LocalSearch;
import io.gpualloc.binpack.packing.internal.OrTools;
import io.gpualloc.binpack.packing.internal.PriceAndDive;
import io.gpualloc.binpack.packing.internal.Problem;
import io.gpualloc.binpack.packing.internal.ReducedCostFixing;
import io.gpualloc.binpack.solver.SolverInvariantException;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Exact and anytime (vector) bin packing on OR-Tools CP-SAT, with lower bounds.
 *
 * <p>The solve runs in steps within one time budget:
 *
 * <ol>
 *   <li>the cheap bounds ({@link LowerBounds}) and the heuristic portfolio ({@link
 *       BinPackers#portfolio()}); if the best heuristic meets the bound, it is returned as
 *       optimal without building a model;
 *   <li>for classic instances (one bin type, unlimited), the arc-flow graph, compressed
 *       ({@code ArcFlowGraph}), built once and shared by every later step; its LP relaxation
 *       (GLOP, one model kept for the call): the LP optimum rounded up is a lower bound (the
 *       Gilmore-Gomory bound, floating point with a 1e-6 tolerance); packings come from a
 *       residual-rounding dive on the same model, re-solved with lowered demands (warm start);
 *       then, still open, from price and dive (up to a sixth of the time left, when the fixing
 *       below would keep more than 15% of the arcs; otherwise right after the fixing, with half of
 *       what it leaves, since on small restricted graphs the fixing is faster and also proves
 *       bounds above the LP's, which no search can reach): a branch-and-price
 *       diving search on the pattern LP, seeded with the LP flow's paths, column generation at
 *       every node, nodes pruned by their Farley bound, limited discrepancy search over the
 *       dives, aimed at the lower bound (half of its time when the bound is more than one bin
 *       away, then one bin fewer than the best packing at a time; source {@code
 *       price-and-dive}); then, still open and when price and dive did not run first, from
 *       rebuilding dives on the residual items' own graph with a cold LP per step (slower,
 *       tighter; up to a third of the time left);
 *   <li>for classic instances still open, a local search ({@link BinPackers#localSearch}: a pool
 *       of unassigned items, tabu swaps between bins and the pool, bin refills) from the best
 *       packing towards the best lower bound known at that point (after the LP, so the LP bound),
 *       with up to a third of the time left, when the fixing below would keep more than 90% of
 *       the arcs (degenerate duals, where the restricted search rarely succeeds); otherwise after
 *       the fixing phase, with half of what that leaves (the fixing proves bounds above the LP's,
 *       which the local search cannot reach). It returns as soon as it reaches the bound. Without
 *       the arc-flow graph it runs after the column-generation bound and dive (below, whose bound
 *       it then aims at), just before the final CP-SAT model, with up to a third of
 *       what is left for it. Its packing, checked against the instance, replaces the best one
 *       when it has fewer bins (source {@code local-search});
 *   <li>reduced-cost fixing: with the LP duals (and, when they keep more than a quarter of the
 *       arcs, those of up to three LPs with lowered, perturbed item-arc costs), only the arcs that
 *       can carry flow in a packing with {@code target} = lower-bound bins are kept (an exact
 *       argument, see {@code ReducedCostFixing}); CP-SAT, hinted with the rounded LP flow (when
 *       at most half of the arcs are kept), then SCIP search that restricted graph for a
 *       packing with {@code target} bins. A packing found there is checked and optimal,
 *       because the bound comes from the full LP or the cheap bounds, never from the restricted
 *       graph. A proof that the restricted graph has none
 *       raises the bound to {@code target + 1} (exact for CP-SAT, within SCIP's tolerances for
 *       SCIP) and the next target is tried. Up to 85% of the time left goes to this phase;
 *   <li>for classic instances without a graph (capacity too large, a graph above {@link
 *       SolverOptions#maxArcs()} arcs, its build out of time, or the assignment model asked
 *       for), Gilmore-Gomory column generation on the pattern LP (GLOP, warm re-solves, started
 *       from the best packing's bins; pricing by an exact knapsack in one dimension; in several,
 *       a greedy heuristic first and a node-limited branch and bound with surrogate bounds and a
 *       valid upper bound when it finds few columns), up to half of the
 *       time left in 1-D, a third otherwise; its bound is Farley's, computed in integers
 *       ({@code ceil(sum Y_t b_t / K)} with floored scaled duals {@code Y} and {@code K} at
 *       least the best pattern's value), so it is valid at every iteration despite floating
 *       point. Still open, a residual-rounding dive on the final master (up to three quarters
 *       of the time left in 1-D, half otherwise) gives a packing, checked before it replaces
 *       the best. A bound that meets the best packing returns it as optimal (model {@code
 *       pattern+cgN}, N master LP solves); else the bound goes to CP-SAT (model {@code
 *       assignment+cgN});
 *   <li>CP-SAT for the rest of the time, warm-started with the best packing as a solution hint
 *       and given the lower bound as a constraint: on the full arc-flow model for classic
 *       instances, else (several bin types, availability limits, or a graph above {@link
 *       SolverOptions#maxArcs()} arcs) on the assignment model with symmetry breaking.
 * </ol>
 *
 * <h2>One deadline</h2>
 *
 * The time budget is one deadline for the whole call, which every step checks: the heuristics (MBS'
 * is cut short after a quarter of the budget, or three quarters when OR-Tools will not run), the
 * arc-flow graph build (abandoned past its share, then the assignment model is used), the LP and
 * the MIP (their time limits are what is left after building their models), the column
 * generation (each LP solve and pricing checks the deadline), the CP-SAT model build
 * (checked while building; the assignment model is skipped outright when its estimated size cannot
 * be built and handed over in the time left) and CP-SAT itself, which gets what is left minus a
 * margin for handing the model over and stopping. The one step that cannot be cut is loading
 * OR-Tools' native library (extracting about 70 MB from its jar and linking it: a fraction of a
 * second on a quiet machine, seconds under load). A call loads it only when at least {@value
 * #LOAD_RESERVE_MILLIS} ms of its budget are left; otherwise it skips the OR-Tools steps and
 * returns the heuristic answer with its bound. So calls with budgets of about 2 s or less never use
 * OR-Tools until the host calls {@link #preload()}, which it should do when it starts. {@code
 * benchmarks/.../packing/BudgetCheck} measures the elapsed time over the budget.
 *
 * <p>The answer is never empty: at worst the heuristic packing with its bound. Its status is
 * {@link PackingStatus#FEASIBLE} when an OR-Tools step ran (the LP gave its bound, or CP-SAT ran
 * with the packing as its hint and found nothing better), and {@link
 * PackingStatus#TIMEOUT_FALLBACK} only when the budget ran out before any did. Every returned
 * packing is checked against the instance. With one worker and a fixed seed the search is
 * deterministic except where the time limit cuts it.
 *
 * <p>OR-Tools is an optional dependency of {@code gpualloc-binpack}: without {@code
 * com.google.ortools:ortools-java} on the class path, {@link #solve} throws {@link
 * io.gpualloc.core.MissingDependencyException} before any work (the heuristics of {@link
 * BinPackers} and the bounds of {@link LowerBounds} need no OR-Tools).
 */
public final class CpSatPacker {
  /** Below this many milliseconds left, a call does not load OR-Tools' native library. */
  public static final int LOAD_RESERVE_MILLIS = 2000;
  /** The source named for packings of the local search. */
  private static final String LOCAL_SEARCH = "local-search";
  /**
   * Price and dive runs before the fixing when the fixing at the bound would keep more than
   * this share of the arcs, else after it: measured on Hard28, the fixing proves non-IRUP
   * bounds and finds packings on restricted graphs of 1-12% of the arcs, while price and dive
   * finds the packings the fixing misses (21-97% kept).
   */
  private static final double PAD_FIRST = 0.15;
  /** The source named for packings of the price-and-dive search. */
  private static final String PRICE_AND_DIVE = "price-and-dive";

  private CpSatPacker() {}

  /**
   * Loads OR-Tools' native library now (once per JVM), so that no later {@link #solve} spends its
   * budget on it.
   *
   * @throws io.gpualloc.core.MissingDependencyException when OR-Tools or its native library for
   *     this platform is not on the class path
   */
  public static void preload() {
    OrTools.require("CpSatPacker.preload");
  }

  /**
   * Solves {@code instance} under {@code options}, returning by the time limit (see the class
   * comment for how each step keeps to it).
   *
   * @param instance the items and bin types
   * @param options time budget, workers, seed, arc limit and model choice
   * @return the best packing found, its status and its lower bound
   * @throws io.gpualloc.core.MissingDependencyException when OR-Tools is not on the class path
   *     (checked before any work), or its native library cannot be loaded when the call loads it
   */
  public static PackingResult solve(PackingInstance instance, SolverOptions options) {
    long start = System.nanoTime();
    long budget = options.timeLimit().toNanos();
    long deadline = start + budget;
    // OR-Tools' classes up front; its native library only when the budget allows (see below).
    OrTools.requireClasses("CpSatPacker.solve");
    Problem p = new Problem(instance);
    Bounds bounds = LowerBounds.of(instance);
    long lbCost = LowerBounds.costOf(instance, bounds.best());

    Packing best = null;
    String source = "none";
    // MBS' gets a quarter of the budget when OR-Tools will run after it, else three quarters
    // (a call that cannot load the native library answers from the heuristics).
    boolean orTools = OrTools.loaded() || budget * 3 / 4 >= LOAD_RESERVE_MILLIS * 1_000_000L;
    for (BinPacker h : BinPackers.portfolio(start + (orTools ? budget / 4 : budget * 3 / 4))) {
      Packing q = h.pack(instance);
      if (best == null || BinPackers.better(q, best, instance)) {
        best = q;
        source = h.name();
      }
    }
    if (best == null) {
      best = new Packing(List.of(), List.of());
    }
    if (!p.everyItemFitsSomewhere()) {
      return result(instance, PackingStatus.INFEASIBLE, best, Long.MAX_VALUE, bounds, "none",
          source, start);
    }
    long ubCost = best.isComplete() ? best.cost(instance) : Long.MAX_VALUE;
    if (ubCost == lbCost) {
      return result(instance, PackingStatus.OPTIMAL, best, lbCost, bounds, "none", source, start);
    }

    if (!OrTools.loaded()) {
      // The first use in a JVM extracts and loads OR-Tools' native library.
      if (deadline - System.nanoTime() < LOAD_RESERVE_MILLIS * 1_000_000L) {
        return result(instance, PackingStatus.TIMEOUT_FALLBACK, best, lbCost, bounds, "none",
            source, start);
      }
      OrTools.require("CpSatPacker.solve");
    }
    ArcFlowGraph graph = null;
    if (options.model() != SolverOptions.Model.ASSIGNMENT && p.classic() && best.isComplete()) {
      // At most a third of what is left; a graph that takes longer is too big to pay off.
      graph = ArcFlowGraph.build(p, options.maxArcs(),
          System.nanoTime() + (deadline - System.nanoTime()) / 3);
    }
    String lpNote = "";
    boolean exactRan = false;
    // Share of the arcs that reduced-cost fixing at the LP bound would keep (1 when unknown).
    double keptShare = 1;
    if (graph != null) {
      // One graph, one LP model: the first solve gives the bound and the duals, the dive re-solves
      // the same model with lowered demands (warm start), the fixing reuses the duals.
      try (ArcFlowLp.Model lpModel = ArcFlowLp.Model.of(graph)) {
        long left = deadline - System.nanoTime();
        ArcFlowLp.Solution sol = lpModel == null ? null
            : lpModel.solve(System.nanoTime() + left / 4);
        if (sol != null) {
          lpNote = "+lp";
          exactRan = true;
          long lpBound = (long) Math.ceil(sol.value() - 1e-6) * p.cost[0];
          lbCost = Math.max(lbCost, lpBound);
          if (p.cost[0] > 0) {
            keptShare = (double) ReducedCostFixing.count(ReducedCostFixing.keep(graph,
                sol.nodeDual(), sol.coverDual(), (int) (lbCost / p.cost[0])))
                / Math.max(1, graph.arcCount());
          }
          // Dives: all integral patterns per warm LP re-solve on this graph (fast); then, still
          // open and when the fixing at the bound would keep more than PAD_FIRST of the arcs,
          // price and dive on the pattern LP (a sixth of the time left); else the rebuilding
          // dives (residual graph and a cold LP per step, all integral patterns, then the
          // heaviest one only), which are slower but tighter, in a third of what is left. After
          // price and dive they are skipped: it is the stronger dive, and the fixing after it
          // needs the time for proofs of non-IRUP bounds (Hard28 BPP175: 53 s of 60).
          long diveEnd = System.nanoTime() + (deadline - System.nanoTime()) / 3;
          boolean padRan = false;
          for (int kind = 0; kind < 4 && ubCost > lbCost; kind++) {
            if (kind == 1) {
              padRan = p.cost[0] > 0 && keptShare > PAD_FIRST;
              Packing q = padRan
                  ? priceAndDive(instance, p, best, ArcFlowLp.pathBins(graph, sol.flow()),
                      (int) (lbCost / p.cost[0]),
                      System.nanoTime() + (deadline - System.nanoTime()) / 6) : null;
              if (q != null) {
                best = q;
                ubCost = q.cost(instance);
                source = PRICE_AND_DIVE;
              }
              diveEnd = System.nanoTime() + (deadline - System.nanoTime()) / 3;
              continue;
            }
            if (padRan || diveEnd - System.nanoTime() <= 0) {
              continue;
            }
            left = diveEnd - System.nanoTime();
            ArcFlowLp.Result dive = kind == 0
                ? ArcFlowLp.dive(p, graph, lpModel, sol, System.nanoTime() + left / 2, false)
                : ArcFlowLp.rebuildDive(p, options.maxArcs(),
                    kind == 2 ? System.nanoTime() + left / 2 : diveEnd, kind == 3);
            Packing q = dive.packing();
            if (q != null && q.violations(instance).isEmpty() && q.cost(instance) < ubCost) {
              best = q;
              ubCost = q.cost(instance);
              source = "lp-rounding";
            }
          }
        }
        if (ubCost == lbCost) {
          return result(instance, PackingStatus.OPTIMAL, best, lbCost, bounds, "arc-flow-lp",
              source, start);
        }
        // Local search towards the bound first, with up to a third of the time left, when the
        // fixing at the bound would keep more than 90% of the arcs (degenerate duals: the
        // restricted search then rarely finds what the full one does not); otherwise the fixing
        // goes first (it proves non-IRUP bounds, which the local search can never reach) and the
        // local search gets what it leaves.
        boolean lsFirst = keptShare > 0.9;
        // Pass 0: the local search when it goes first; pass 1: the fixing, then price and dive
        // when it did not run before (half of what the fixing left), then the local search when
        // it goes second (half of what is left).
        for (int pass = 0; pass < 2; pass++) {
          if (pass == 1 && sol != null && p.cost[0] > 0) {
            Fixed fx = fixAndSolve(instance, p, graph, lpModel, sol, (int) (lbCost / p.cost[0]),
                best.binCount(), deadline, options);
            lpNote += fx.note;
            lbCost = Math.max(lbCost, (long) fx.lbBins * p.cost[0]);
            if (fx.packing != null && fx.packing.cost(instance) < ubCost) {
              best = fx.packing;
              ubCost = best.cost(instance);
              source = fx.source;
            }
            if (ubCost <= lbCost) {
              return result(instance, PackingStatus.OPTIMAL, best, ubCost, bounds,
                  "arc-flow" + lpNote, source, start);
            }
            if (keptShare <= PAD_FIRST) {
              Packing q = priceAndDive(instance, p, best, ArcFlowLp.pathBins(graph, sol.flow()),
                  (int) (lbCost / p.cost[0]),
                  System.nanoTime() + (deadline - System.nanoTime()) / 2);
              if (q != null) {
                best = q;
                ubCost = q.cost(instance);
                source = PRICE_AND_DIVE;
                if (ubCost == lbCost) {
                  return result(instance, PackingStatus.OPTIMAL, best, lbCost, bounds,
                      "arc-flow" + lpNote, source, start);
                }
              }
            }
          }
          if (p.cost[0] > 0 && lsFirst == (pass == 0) && ubCost > lbCost) {
            long rest = deadline - System.nanoTime();
            Packing q = localSearch(instance, p, best, (int) (lbCost / p.cost[0]),
                System.nanoTime() + (pass == 0 ? rest / 3 : rest / 2), options);
            if (q != null) {
              best = q;
              ubCost = q.cost(instance);
              source = LOCAL_SEARCH;
              if (ubCost == lbCost) {
                return result(instance, PackingStatus.OPTIMAL, best, lbCost, bounds,
                    "arc-flow" + lpNote, source, start);
              }
            }
          }
        }
      }
    }
    String cgNote = "";
    if (graph == null && p.classic() && best.isComplete() && p.cost[0] > 0 && ubCost > lbCost) {
      // No graph: Farley's bound by column generation on the pattern LP (exact in integers); it
      // also raises the bound CP-SAT is given below. Still open, a residual-rounding dive on the
      // final master. In 1-D (exact pricing; CP-SAT's assignment model is weak on these sizes)
      // up to half of the time left, then the dive up to three quarters; else a third, then half.
      long left = deadline - System.nanoTime();
      boolean oneDim = p.dims == 1;
      ColumnGeneration.Result cg = ColumnGeneration.bound(p, best, best.binCount(),
          System.nanoTime() + (oneDim ? left / 2 : left / 3),
          System.nanoTime() + (oneDim ? left * 3 / 4 : left / 2));
      if (cg.iterations() > 0) {
        cgNote = "+cg" + cg.iterations();
        exactRan = true;
        lbCost = Math.max(lbCost, (long) cg.bound() * p.cost[0]);
      }
      Packing q = cg.packing();
      if (q != null && q.isComplete() && q.violations(instance).isEmpty()
          && q.cost(instance) < ubCost) {
        best = q;
        ubCost = q.cost(instance);
        source = "cg-rounding";
      }
      if (ubCost <= lbCost) {
        return result(instance, PackingStatus.OPTIMAL, best, ubCost, bounds, "pattern" + cgNote,
            source, start);
      }
    }
    if (graph == null && p.classic() && p.cost[0] > 0 && ubCost > lbCost) {
      // Local search towards the bound (after the column-generation bound, when it ran), with
      // up to a third of the time left.
      Packing q = localSearch(instance, p, best, (int) (lbCost / p.cost[0]),
          System.nanoTime() + (deadline - budget / 50 - System.nanoTime()) / 3, options);
      if (q != null) {
        best = q;
        ubCost = q.cost(instance);
        source = LOCAL_SEARCH;
        if (ubCost <= lbCost) {
          return result(instance, PackingStatus.OPTIMAL, best, ubCost, bounds,
              exactRan ? "pattern" + cgNote : "none", source, start);
        }
      }
    }
    // Decomposition and the final feasibility check are linear; keep 2% for them.
    long cpDeadline = deadline - budget / 50;
    if (cpDeadline - System.nanoTime() <= 0) {
      return result(instance, exactRan && best.isComplete() ? PackingStatus.FEASIBLE
          : PackingStatus.TIMEOUT_FALLBACK, best, Math.min(lbCost, ubCost), bounds,
          exactRan ? (graph != null ? "arc-flow" + lpNote : "pattern" + cgNote) : "none", source,
          start);
    }
    CpSatModels.Outcome out;
    String model;
    if (graph != null) {
      model = "arc-flow" + lpNote;
      int lbBins = (int) (p.cost[0] == 0 ? bounds.best() : lbCost / p.cost[0]);
      out = CpSatModels.arcFlow(graph, lbBins, best.binCount(), best, cpDeadline,
          options.workers(), options.seed());
    } else {
      model = "assignment" + cgNote;
      out = CpSatModels.assignment(p, lbCost, best.isComplete() ? best : null, ubCost,
          cpDeadline, options.workers(), options.seed());
    }
    long binCost = p.classic() ? p.cost[0] : 1;
    long solverBound = graph != null ? out.bound() * binCost : out.bound();
    long lb = Math.max(lbCost, solverBound);
    switch (out.kind()) {
      case OPTIMAL, FEASIBLE -> {
        Packing q = out.packing();
        if (q != null && (!best.isComplete() || q.cost(instance) < best.cost(instance))) {
          best = q;
          source = "cp-sat";
        }
        if (out.kind() == CpSatModels.Kind.OPTIMAL) {
          lb = Math.max(lb, best.cost(instance));
        }
        long ub = best.cost(instance);
        lb = Math.min(lb, ub);
        return result(instance, lb == ub ? PackingStatus.OPTIMAL : PackingStatus.FEASIBLE, best,
            lb, bounds, model, source, start);
      }
      case INFEASIBLE -> {
        if (best.isComplete()) {
          throw new SolverInvariantException("CP-SAT " + model + " model of " + instance.name()
              + " is infeasible although " + source + " packed it (a bug)");
        }
        return result(instance, PackingStatus.INFEASIBLE, best, Long.MAX_VALUE, bounds, model,
            source, start);
      }
      default -> {
        // CP-SAT found nothing of its own: FEASIBLE when an exact step gave the bound or CP-SAT
        // ran with the complete packing as its hint; else the heuristic answer timed out.
        boolean ran = exactRan || out.ran();
        return result(instance, ran && best.isComplete() ? PackingStatus.FEASIBLE
            : PackingStatus.TIMEOUT_FALLBACK, best, Math.min(lb, ubCost), bounds, model, source,
            start);
      }
    }
  }

  /** What the reduced-cost fixing phase gave. */
  private record Fixed(@Nullable Packing packing, int lbBins, String source, String note) {}

  /**
   * Reduced-cost fixing: for {@code target} = the lower bound, keep only the arcs that can carry
   * flow in a packing with at most {@code target} bins (by the LP duals, intersected over a few
   * perturbed dual solutions when the first keeps many arcs), and search the restricted graph
   * with CP-SAT, then SCIP. A packing found there is a packing of the instance (checked). When a
   * solver proves the restricted model infeasible, no packing with {@code target} bins exists
   * (the fixing is exact, see {@code ReducedCostFixing}), so the bound rises by one and the next
   * target is tried. The phase takes up to 85% of the time left: 55% of it for CP-SAT when the
   * restricted graph keeps at most half of the arcs, the rest (or all) for SCIP; what remains
   * after the phase stays for CP-SAT on the full graph.
   */
  private static Fixed fixAndSolve(PackingInstance instance, Problem p, ArcFlowGraph graph,
      ArcFlowLp.Model lpModel, ArcFlowLp.Solution sol, int lbBins, int ubBins, long deadline,
      SolverOptions options) {
    String note = "";
    int target = lbBins;
    long phaseEnd = System.nanoTime() + (deadline - System.nanoTime()) * 17 / 20;
    while (target < ubBins && phaseEnd - System.nanoTime() > 20_000_000L) {
      boolean[] keep = ReducedCostFixing.keep(graph, sol.nodeDual(), sol.coverDual(), target);
      for (int k = 1; k <= 3 && ReducedCostFixing.count(keep) * 4 > graph.arcCount(); k++) {
        // Degenerate duals keep many arcs: other (near-)optimal duals remove different ones.
        // Each try costs an LP solve; stop when one removes less than 5% of what is kept.
        long left = phaseEnd - System.nanoTime();
        ArcFlowLp.Solution alt = lpModel.solvePerturbed(options.seed() + k, 0.05,
            System.nanoTime() + left / 8);
        if (alt == null) {
          break;
        }
        int before = ReducedCostFixing.count(keep);
        keep = ReducedCostFixing.intersect(keep, ReducedCostFixing.keep(graph, alt.arcCost(),
            alt.nodeDual(), alt.coverDual(), target));
        if (ReducedCostFixing.count(keep) * 20 > before * 19) {
          break;
        }
      }
      ArcFlowGraph reduced = graph.restrict(keep);
      // The LP flow uses only arcs of reduced cost 0, which the fixing keeps: hint its rounding.
      long[] lpHint = new long[reduced.arcCount()];
      for (int a = 0, k = 0; a < keep.length; a++) {
        if (keep[a]) {
          lpHint[k++] = Math.round(sol.flow()[a]);
        }
      }
      note = "+rcf" + (100L * reduced.arcCount() / Math.max(1, graph.arcCount())) + "%";
      long left = phaseEnd - System.nanoTime();
      boolean infeasible = false;
      if (reduced.arcCount() * 2 <= graph.arcCount()) {
        // CP-SAT's search pays off on a small restricted graph; on a large one SCIP's LP-based
        // search gets the whole phase (measured on Schwerin: 89-98% of the arcs kept).
        CpSatModels.Outcome out = CpSatModels.arcFlow(reduced, target, target, null, lpHint,
            System.nanoTime() + left * 11 / 20, options.workers(), options.seed());
        infeasible = out.kind() == CpSatModels.Kind.INFEASIBLE;
        if (out.packing() != null && checked(out.packing(), instance)) {
          return new Fixed(out.packing(), lbBins, "rcf-cp-sat", note);
        }
      }
      if (!infeasible && phaseEnd - System.nanoTime() > 20_000_000L) {
        ArcFlowMip.Outcome mip = ArcFlowMip.solve(reduced, target, target + 1, phaseEnd);
        note += "+scip";
        if (mip.packing() != null && checked(mip.packing(), instance)) {
          return new Fixed(mip.packing(), lbBins, "rcf-scip", note);
        }
        infeasible = mip.kind() == ArcFlowMip.Kind.NONE_BETTER;
      }
      if (!infeasible) {
        break;
      }
      // No packing with target bins on the exactly fixed graph, hence none at all.
      lbBins = target + 1;
      target++;
      note += "+proof";
    }
    return new Fixed(null, lbBins, "none", note);
  }

  /**
   * The local search from {@code best} towards {@code targetBins} until {@code end}: its packing
   * when it is complete, checked and has fewer bins, else null.
   */
  private static @Nullable Packing localSearch(PackingInstance instance, Problem p, Packing best,
      int targetBins, long end, SolverOptions options) {
    if (!best.isComplete() || best.binCount() <= targetBins || end - System.nanoTime() <= 0) {
      return null;
    }
    Packing q = LocalSearch.improve(p, best, targetBins, options.seed(), Long.MAX_VALUE, end);
    return q != best && checked(q, instance) && q.binCount() < best.binCount() ? q : null;
  }

  /**
   * Price and dive ({@code PriceAndDive}) from {@code best} and {@code seeds} (the arc-flow LP's
   * paths) until {@code end}: aimed at {@code
   * lbBins} for half of the time (the node bounds then prune hardest, which pays when the bound
   * is the optimum), then at one bin fewer than the best packing at a time; all of the time
   * when the bound is one bin below the best packing. Returns the best
   * packing found (checked, fewer bins than {@code best}), or null.
   */
  private static @Nullable Packing priceAndDive(PackingInstance instance, Problem p,
      Packing best, List<int[]> seeds, int lbBins, long end) {
    Packing out = null;
    Packing from = best;
    // Aimed at the bound for half of the time, unless the bound is one bin fewer anyway.
    boolean oneBinOff = best.binCount() - 1 == lbBins;
    long mid = oneBinOff ? end : System.nanoTime() + (end - System.nanoTime()) / 2;
    for (int round = 0; from.isComplete() && from.binCount() > lbBins
        && end - System.nanoTime() > 0; round++) {
      int target = round == 0 ? lbBins : from.binCount() - 1;
      Packing q = PriceAndDive.search(p, from, seeds, target, round == 0 ? mid : end)
          .packing();
      if (q != null && checked(q, instance) && q.binCount() < from.binCount()) {
        out = q;
        from = q;
      } else if (round > 0 || oneBinOff) {
        break;
      }
    }
    return out;
  }

  private static boolean checked(Packing q, PackingInstance instance) {
    return q.isComplete() && q.violations(instance).isEmpty();
  }

  private static PackingResult result(PackingInstance instance, PackingStatus status,
      Packing packing, long lb, Bounds bounds, String model, String source, long start) {
    @Nullable String problem = null;
    List<String> v = packing.violations(instance);
    if (packing.isComplete() && !v.isEmpty()) {
      problem = String.join("; ", v);
    }
    if (problem != null) {
      throw new SolverInvariantException(
          "packing of " + instance.name() + " from " + source + " is infeasible (a bug): "
              + problem);
    }
    long ub = packing.isComplete() ? packing.cost(instance) : Long.MAX_VALUE;
    return new PackingResult(status, packing, ub, lb, bounds, model, source,
        Duration.ofNanos(System.nanoTime() - start));
  }
}

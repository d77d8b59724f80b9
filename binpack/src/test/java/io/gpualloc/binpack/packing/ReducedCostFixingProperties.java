package io.gpualloc.binpack.packing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.binpack.packing.internal.ArcFlowGraph;
import io.gpualloc.binpack.packing.internal.ArcFlowLp;
import io.gpualloc.binpack.packing.internal.CpSatModels;
import io.gpualloc.binpack.packing.internal.Problem;
import io.gpualloc.binpack.packing.internal.ReducedCostFixing;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The specification of reduced-cost fixing on the arc-flow graph: for any dual vector, the arcs
 * kept for {@code target = optimum} still carry an optimal packing (so the fixing never cuts off
 * every optimum and a search on the restricted graph can reach the optimum), every packing read
 * from the restricted graph is a packing of the instance, and nothing on the restricted graph has
 * fewer bins than the optimum (so a claim of optimality can only come from a valid bound). The
 * solver's answers on instances where the fixing runs equal brute force.
 */
class ReducedCostFixingProperties {

  static {
    CpSatPacker.preload();
  }

  private static final long SECOND = 1_000_000_000L;

  /** Classic instances, 1-2 dimensions, 3-8 items between a fifth and 70% of the capacity. */
  @Provide
  Arbitrary<PackingInstance> classic() {
    return ClassicInstances.of("rcf", 24, 5);
  }

  @Property(tries = 60)
  void lpDualFixingKeepsAnOptimalPackingAndNothingBetter(
      @ForAll("classic") PackingInstance in) {
    int opt = (int) BruteForce.optimum(in);
    Problem p = new Problem(in);
    ArcFlowGraph g = ArcFlowGraph.build(p, 1_000_000);
    assertNotNull(g);
    try (ArcFlowLp.Model m = ArcFlowLp.Model.of(g)) {
      assertNotNull(m);
      ArcFlowLp.Solution sol = m.solve(System.nanoTime() + 5 * SECOND);
      assertNotNull(sol);
      assertTrue(Math.ceil(sol.value() - 1e-6) <= opt, sol.value() + " > " + opt);
      boolean[] keep = ReducedCostFixing.keep(g, sol.nodeDual(), sol.coverDual(), opt);
      ArcFlowLp.Solution alt = m.solvePerturbed(7, 0.5, System.nanoTime() + 5 * SECOND);
      assertNotNull(alt);
      keep = ReducedCostFixing.intersect(keep,
          ReducedCostFixing.keep(g, alt.arcCost(), alt.nodeDual(), alt.coverDual(), opt));
      ArcFlowGraph reduced = g.restrict(keep);
      Statistics.label("arcs removed").collect(reduced.arcCount() < g.arcCount());
      Statistics.label("arcs removed").coverage(c ->
          c.check(true).percentage(pct -> pct > 20));
      checkRestricted(in, reduced, opt);
    }
  }

  @Property(tries = 60)
  void anyDualVectorGivesAValidFixing(@ForAll("classic") PackingInstance in,
      @ForAll long seed) {
    // The fixing's argument holds for every dual vector, not only optimal ones: random duals
    // (of either sign, cover duals included) must never cut off every optimal packing.
    int opt = (int) BruteForce.optimum(in);
    ArcFlowGraph g = ArcFlowGraph.build(new Problem(in), 1_000_000);
    assertNotNull(g);
    SplittableRandom rnd = new SplittableRandom(seed);
    double[] pi = new double[g.nodeCount];
    for (int v = 0; v < pi.length; v++) {
      pi[v] = rnd.nextDouble(-1, 1);
    }
    double[] sigma = new double[g.demand.length];
    for (int t = 0; t < sigma.length; t++) {
      sigma[t] = rnd.nextDouble(-0.2, 0.8);
    }
    checkRestricted(in, g.restrict(ReducedCostFixing.keep(g, pi, sigma, opt)), opt);
  }

  @Property(tries = 40)
  void solverEqualsBruteForceWhereFixingRuns(@ForAll("classic") PackingInstance in) {
    long opt = BruteForce.optimum(in);
    PackingResult r = CpSatPacker.solve(in, SolverOptions.defaults()
        .withTimeLimit(Duration.ofSeconds(5)).withWorkers(1));
    assertEquals(PackingStatus.OPTIMAL, r.status(), r.toString());
    assertEquals(opt, r.upperBound(), in.toString());
    assertEquals(opt, r.lowerBound(), in.toString());
    assertEquals(List.of(), r.packing().violations(in));
  }

  /** The restricted graph has a packing with {@code opt} bins, valid, and none with fewer. */
  private static void checkRestricted(PackingInstance in, ArcFlowGraph reduced, int opt) {
    CpSatModels.Outcome at = CpSatModels.arcFlow(reduced, opt, opt, null,
        System.nanoTime() + 5 * SECOND, 1, 0);
    assertTrue(at.kind() == CpSatModels.Kind.OPTIMAL || at.kind() == CpSatModels.Kind.FEASIBLE,
        "the fixing at the optimum " + opt + " cut off every optimal packing: " + at.kind()
            + " (kept " + reduced.arcCount() + " arcs)");
    Packing q = at.packing();
    assertNotNull(q);
    assertEquals(List.of(), q.violations(in));
    assertTrue(q.isComplete());
    assertEquals(opt, q.binCount());
    if (opt > 1) {
      CpSatModels.Outcome below = CpSatModels.arcFlow(reduced, 1, opt - 1, null,
          System.nanoTime() + 5 * SECOND, 1, 0);
      assertNotEquals(CpSatModels.Kind.OPTIMAL, below.kind());
      assertNotEquals(CpSatModels.Kind.FEASIBLE, below.kind());
    }
  }
}

package io.gpualloc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gpualloc.core.testing.LedgerArbitraries;
import io.gpualloc.core.testing.LedgerArbitraries.Scenario;
import io.gpualloc.core.testing.LedgerInvariants;
import io.gpualloc.core.testing.ReferenceLedger;
import io.gpualloc.core.testing.ViewState;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * The ledger's specification (DESIGN.md invariants 1-3) as jqwik properties over random clusters
 * and random operation sequences, checked against {@link ReferenceLedger} after every step by
 * {@link LedgerSimulation}. A failure prints the seed; rerun with {@code @Property(seed = "...")}.
 *
 * <p>Sizing: {@link #everyStepKeepsEveryInvariant} runs {@value #SIMULATION_TRIES} sequences of
 * {@value #SIMULATION_LENGTH} steps (plus the steps run on forks), so that together with the other
 * properties a normal build executes more than 1,000,000 ledger operations; the total is printed
 * after the container.
 */
class LedgerSpecificationTest {
  static final int SIMULATION_TRIES = 900;
  static final int SIMULATION_LENGTH = 1000;

  /** Invariants 1-3 after every step of a long random operation sequence. */
  @Property(tries = SIMULATION_TRIES)
  void everyStepKeepsEveryInvariant(@ForAll("longScenarios") Scenario scenario) {
    new LedgerSimulation(scenario.cluster()).run(scenario.ops());
  }

  /**
   * Invariant 2: whatever state the ledger is in, allocating a placement the reference accepts and
   * releasing it again restores exactly the prior state, and a second release is an error.
   */
  @Property(tries = 300)
  void allocateThenReleaseRestoresExactPriorState(@ForAll("withPlacement") WithPlacement w) {
    LedgerSimulation sim = new LedgerSimulation(w.scenario().cluster());
    sim.run(w.scenario().ops());
    ClusterState state = sim.state();
    for (Placement p : w.placements()) {
      if (state.allocation(p.allocationId()) != null
          || sim.reference().rejection(p) != null) {
        continue;
      }
      ViewState before = ViewState.of(state);
      List<Placement> allocationsBefore = sortedAllocations(state);
      state.allocate(p);
      assertEquals(p, state.release(p.allocationId()));
      assertEquals(before, ViewState.of(state), "RELEASE_RESTORES_PRIOR_STATE");
      assertEquals(allocationsBefore, sortedAllocations(state), "RELEASE_RESTORES_PRIOR_STATE");
      assertThrows(UnknownAllocationException.class, () -> state.release(p.allocationId()),
          "RELEASE_TWICE_THROWS");
      assertEquals(before, ViewState.of(state), "REJECTED_CHANGES_NOTHING");
      LedgerSimulation.OPERATIONS.addAndGet(3);
    }
    LedgerInvariants.checkAll(state);
  }

  /** The shared checker accepts every state the simulation reaches (it is used by other modules). */
  @Property(tries = 100)
  void checkAllAcceptsReachableStates(@ForAll("shortScenarios") Scenario scenario) {
    LedgerSimulation sim = new LedgerSimulation(scenario.cluster());
    sim.run(scenario.ops());
    LedgerInvariants.checkAll(sim.state());
    LedgerInvariants.checkAll(sim.state().fork());
  }

  record WithPlacement(Scenario scenario, List<Placement> placements) {}

  @Provide
  Arbitrary<Scenario> longScenarios() {
    return LedgerArbitraries.scenarios(5, SIMULATION_LENGTH);
  }

  @Provide
  Arbitrary<Scenario> shortScenarios() {
    return LedgerArbitraries.scenarios(4, 60);
  }

  @Provide
  Arbitrary<WithPlacement> withPlacement() {
    return LedgerArbitraries.scenarios(4, 40).flatMap(s ->
        LedgerArbitraries.placements(s.cluster()).list().ofMinSize(1).ofMaxSize(20)
            .map(ps -> new WithPlacement(s, ps)));
  }

  private static List<Placement> sortedAllocations(ClusterState state) {
    return state.allocations().stream()
        .sorted(java.util.Comparator.comparing(Placement::allocationId)).toList();
  }

  @AfterContainer
  static void printOperationCount() {
    System.out.println("[gpualloc] ledger specification properties executed "
        + LedgerSimulation.OPERATIONS.get() + " ledger operations; membership calls: "
        + LedgerSimulation.MEMBERSHIP);
  }
}

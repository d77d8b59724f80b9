/**
 * Test fixtures for the gpualloc ledger, shipped in core's test-jar for other modules to reuse.
 *
 * <ul>
 *   <li>{@link io.gpualloc.core.testing.LedgerArbitraries}: jqwik arbitraries for random small
 *       clusters, placements (often feasible, sometimes not) and ledger operation sequences.
 *   <li>{@link io.gpualloc.core.testing.LedgerGen}: the same generators driven by a plain seeded
 *       {@link java.util.Random}, for simulations and stress tests outside jqwik.
 *   <li>{@link io.gpualloc.core.testing.LedgerOp}: one step of a ledger operation sequence.
 *   <li>{@link io.gpualloc.core.testing.ReferenceLedger}: an obviously-correct model of the ledger
 *       that recomputes every capacity figure from the set of live placements.
 *   <li>{@link io.gpualloc.core.testing.ViewState} and {@link
 *       io.gpualloc.core.testing.LedgerInvariants}: all reads of a {@link
 *       io.gpualloc.core.ClusterView} captured at once, and the named invariant checks.
 *   <li>{@link io.gpualloc.core.testing.Fuzz}: mutation fuzzing of the readers (mutants of valid
 *       seed files, the outcome check, hang and allocation detectors, the long run behind {@code
 *       -Dgpualloc.fuzz.long=true}); each module's {@code *FuzzProperties} uses it.
 * </ul>
 *
 * <p>Typical use in another module's property: draw a cluster from {@link
 * io.gpualloc.core.testing.LedgerArbitraries#clusters()}, let the code under test allocate on a
 * {@link io.gpualloc.core.ClusterState}, then call {@link
 * io.gpualloc.core.testing.LedgerInvariants#checkAll(io.gpualloc.core.ClusterState)}.
 */
package io.gpualloc.core.testing;

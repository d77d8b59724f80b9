/**
 * Defragmentation and migration planning: the cheapest ordered set of moves and evictions that
 * makes a pending pod or gang fit, empties k whole nodes, or brings FGD's fragmentation measure
 * under a target.
 *
 * <p>Start with {@link io.gpualloc.binpack.defrag.DefragProblem#builder}: a ledger, a {@link
 * io.gpualloc.binpack.defrag.DefragGoal}, which allocations may move, what each move or eviction
 * costs ({@link io.gpualloc.binpack.defrag.DefragCosts}) and whether eviction is allowed. Then ask
 * a planner from {@link io.gpualloc.binpack.defrag.DefragPlanners#named}: {@code
 * evict-lowest-priority} (the baseline), {@code greedy} or {@code cp-sat}. The answer is a {@link
 * io.gpualloc.binpack.defrag.DefragPlan}: ordered {@link io.gpualloc.binpack.defrag.DefragStep}s
 * with their cost and a lower bound on the cost of any plan, or a rejection saying why there is
 * none. Every plan a planner returns has been replayed by {@link
 * io.gpualloc.binpack.defrag.DryRun} on a fork of the ledger. docs/defrag.md has the details.
 */
@NullMarked
package io.gpualloc.binpack.defrag;

import org.jspecify.annotations.NullMarked;

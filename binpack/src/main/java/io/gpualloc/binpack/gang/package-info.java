/**
 * Gang placement: all-or-nothing placement of pod groups inside topology domains.
 *
 * <p>The problem is a {@link io.gpualloc.binpack.gang.Gang} (pod sets of one {@link
 * io.gpualloc.core.Request} template each, minimum counts, topology constraints on the levels of
 * a {@link io.gpualloc.topology.TopologyLevels}, slices, co-locations). A {@link
 * io.gpualloc.binpack.gang.GangPlacer} from {@link io.gpualloc.binpack.gang.GangPlacers} answers
 * with a {@link io.gpualloc.binpack.gang.GangDecision}: every member's placement with the level
 * each constraint achieved and the domains spanned per level, or a rejection naming, per pod set
 * and level, the closest domain and what it lacked. Commit a placed gang with {@code
 * ClusterState.allocateAll}, which records all members or none.
 *
 * <p>Start with {@code GangPlacers.greedy(GangOptions.defaults()).placeAndCommit(gang, state,
 * ClusterTopology.of(cluster, levels))}; {@code docs/gangs.md} explains the model and the
 * algorithm. Several pending gangs go to {@link io.gpualloc.binpack.gang.GangBatch} in one pass;
 * {@link io.gpualloc.binpack.gang.GangBatch#placeWithSelection} adds a CP-SAT choice of the
 * admitted gangs and answers with a {@link io.gpualloc.binpack.gang.BatchSolveResult}.
 */
@NullMarked
package io.gpualloc.binpack.gang;

import org.jspecify.annotations.NullMarked;

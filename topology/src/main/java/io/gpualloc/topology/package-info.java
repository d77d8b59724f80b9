/**
 * GPU interconnect inside a node (NVLink, NVSwitch, PCIe, NUMA), topology domains across nodes,
 * and best GPU set selection.
 *
 * <p>Where to start:
 *
 * <ul>
 *   <li>{@link io.gpualloc.topology.NodeInterconnect}: the links of one node, with {@link
 *       io.gpualloc.topology.Link} (NVLink bonds and the PCIe class of a pair), {@link
 *       io.gpualloc.topology.LinkClass}, {@link io.gpualloc.topology.GpuLocation} (PCIe switch
 *       path, root complex, NUMA node, socket, NVLink domain) and {@link
 *       io.gpualloc.topology.Nic}; ready-made machines in {@link io.gpualloc.topology.Preset};
 *       {@code nvidia-smi topo -m} and {@code topo -mp} import and export in {@link
 *       io.gpualloc.topology.TopoMatrix}.
 *   <li>{@link io.gpualloc.topology.LinkScores}: the configurable score of each link class, split
 *       into quality and locality; {@link io.gpualloc.topology.PairScores}: a node's own pair-score
 *       matrix, for example HAMi's annotation read by {@link
 *       io.gpualloc.topology.HamiNodeScores}.
 *   <li>{@link io.gpualloc.topology.GpuSetSelector}: which {@code k} GPUs a job gets; created by
 *       {@link io.gpualloc.topology.GpuSetSelectors} (the exact branch and bound with a {@link
 *       io.gpualloc.topology.SelectionObjective}, and the go-gpuallocator and HAMi baselines),
 *       answering {@link io.gpualloc.topology.GpuSetChoice} over {@link
 *       io.gpualloc.topology.GpuSet}s; {@link io.gpualloc.topology.GpuNicSelector} chooses GPUs and
 *       NICs together ({@link io.gpualloc.topology.NicRequest}).
 *   <li>{@link io.gpualloc.topology.TopologyLevels}, {@link io.gpualloc.topology.ClusterTopology}
 *       and {@link io.gpualloc.topology.DomainCapacity}: domains across nodes from node labels, and
 *       free capacity per domain kept up to date with the ledger.
 * </ul>
 *
 * <p>The guide is {@code docs/topology.md}.
 */
@NullMarked
package io.gpualloc.topology;

import org.jspecify.annotations.NullMarked;

package io.gpualloc.benchmarks.replay;

/**
 * One row of an openb node list.
 *
 * @param name node name ({@code sn})
 * @param cpuMilli CPU capacity in millicores
 * @param memoryMib memory capacity in MiB
 * @param gpus number of GPUs
 * @param model GPU model as the trace names it, empty for CPU-only nodes
 */
public record OpenbNode(String name, int cpuMilli, int memoryMib, int gpus, String model) {}

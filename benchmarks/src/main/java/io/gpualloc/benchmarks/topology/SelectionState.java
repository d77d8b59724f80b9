package io.gpualloc.benchmarks.topology;

import io.gpualloc.topology.GpuSet;
import io.gpualloc.topology.GpuSetChoice;
import io.gpualloc.topology.GpuSetSelector;
import io.gpualloc.topology.GpuSetSelectors;
import io.gpualloc.topology.NodeInterconnect;
import io.gpualloc.topology.Preset;

/** Shared set-up of the selection benchmarks: a preset, all GPUs free, a selector by name. */
final class SelectionState {
  final NodeInterconnect node;
  final GpuSet free;
  final GpuSetSelector selector;

  SelectionState(String preset, String selector, int k) {
    this.node = Preset.valueOf(preset).interconnect();
    this.free = GpuSet.range(node.gpuCount());
    this.selector = GpuSetSelectors.named(selector);
    if (k > node.gpuCount()) {
      throw new IllegalArgumentException("k = " + k + " exceeds " + node.gpuCount() + " GPUs");
    }
    // fail at set-up, not inside the measurement, when the selector cannot answer
    GpuSetChoice c = this.selector.select(node, free, GpuSet.empty(), k);
    if (!c.isChosen()) {
      throw new IllegalStateException(selector + " rejects k = " + k + ": " + c);
    }
  }
}

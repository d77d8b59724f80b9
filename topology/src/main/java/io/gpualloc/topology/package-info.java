/**
 * GPU interconnect inside a node (NVLink, NVSwitch, PCIe, NUMA), topology domains across nodes,
 * and best GPU set selection.
 */
@NullMarked
package io.gpualloc.topology;

import org.jspecify.annotations.NullMarked;

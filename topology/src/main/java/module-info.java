/** gpualloc topology: GPU interconnect inside a node, domains across nodes, GPU set selection. */
module io.gpualloc.topology {
  requires transitive io.gpualloc.core;
  requires static transitive org.jspecify;

  exports io.gpualloc.topology;
}

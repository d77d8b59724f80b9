/** gpualloc core: the GPU/cluster model, requests, placements, decisions and the ledger. */
module io.gpualloc.core {
  requires static transitive org.jspecify;
  // Optional: only io.gpualloc.core.io uses Jackson (streaming parser and tree writer, no
  // reflective binding, hence no opens).
  requires static com.fasterxml.jackson.core;
  requires static com.fasterxml.jackson.databind;
  requires static com.fasterxml.jackson.dataformat.yaml;
  requires static org.yaml.snakeyaml;

  exports io.gpualloc.core;
  exports io.gpualloc.core.io;
  exports io.gpualloc.core.io.k8s;
  exports io.gpualloc.core.io.hami;
}

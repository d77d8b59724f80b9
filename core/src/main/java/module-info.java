/** gpualloc core: the GPU/cluster model, requests, placements, decisions and the ledger. */
module io.gpualloc.core {
  requires static transitive org.jspecify;
  requires static com.fasterxml.jackson.databind;
  requires static com.fasterxml.jackson.dataformat.yaml;

  exports io.gpualloc.core;
}

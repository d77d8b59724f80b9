/**
 * gpualloc examples: small runnable programs, one scenario each. A named module so that {@link
 * io.gpualloc.examples.ModulePathExample} can show the library on the module path.
 */
module io.gpualloc.examples {
  requires io.gpualloc.binpack;

  exports io.gpualloc.examples;
}

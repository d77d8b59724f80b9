/**
 * gpualloc examples: small runnable programs, one scenario each. A named module so that {@link
 * io.gpualloc.examples.ModulePathExample} can show the library on the module path; {@code
 * io.gpualloc.examples.extender} is a kube-scheduler extender server on the JDK's HTTP server.
 * Jackson and picocli are needed by the extender server only ({@code requires static}), so the
 * other examples run with gpualloc alone on the module path.
 */
module io.gpualloc.examples {
  requires transitive io.gpualloc.binpack;
  requires static transitive org.jspecify;
  requires static com.fasterxml.jackson.databind;
  requires static com.fasterxml.jackson.dataformat.yaml;
  requires static info.picocli;
  requires java.logging;
  requires java.net.http;
  requires jdk.httpserver;

  exports io.gpualloc.examples;
  exports io.gpualloc.examples.extender;

  opens io.gpualloc.examples.extender to info.picocli;
}

/**
 * gpualloc binpack: online placement policies, fragmentation measures, and exact and anytime
 * packing.
 *
 * <p>OR-Tools is optional ({@code requires static}): only {@code CpSatPacker}, {@code
 * GpuRepacker}, the {@code cp-sat} gang placer, the {@code cp-sat} MIG planner and the {@code cp-sat} defrag planner use it, and they
 * check for it before any work. Its Java jar declares no module name, so it is read as the automatic module {@code ortools.java}, the name derived from the
 * file {@code ortools-java-<version>.jar}; see docs/modules.md.
 */
@SuppressWarnings("requires-automatic")
module io.gpualloc.binpack {
  requires transitive io.gpualloc.topology;
  requires static transitive org.jspecify;
  requires static ortools.java;

  exports io.gpualloc.binpack;
  exports io.gpualloc.binpack.extender;
  exports io.gpualloc.binpack.gang;
  exports io.gpualloc.binpack.packing;
  exports io.gpualloc.binpack.mig;
  exports io.gpualloc.binpack.defrag;
  exports io.gpualloc.binpack.solver;
}

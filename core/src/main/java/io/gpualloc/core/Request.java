package io.gpualloc.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One pod or task to place on a single node.
 *
 * @param name the request's name (pod name or UID); used as the allocation id by default
 * @param cpuMilli host CPU in millicores
 * @param memoryMib host memory in MiB
 * @param gpu what it needs of GPUs
 * @param modelInclude GPU models allowed (empty: any)
 * @param modelExclude GPU models not allowed
 * @param uuidInclude GPU UUIDs allowed (empty: any)
 * @param uuidExclude GPU UUIDs not allowed
 * @param topology how much it cares about the interconnect between its GPUs
 * @param priority scheduling priority, higher first; policies may ignore it
 */
public record Request(
    String name,
    int cpuMilli,
    int memoryMib,
    GpuDemand gpu,
    Set<String> modelInclude,
    Set<String> modelExclude,
    Set<String> uuidInclude,
    Set<String> uuidExclude,
    IntraNodeTopology topology,
    int priority) {

  /**
   * Validates every field and copies the sets (sorted).
   *
   * @param name the request's name (pod name or UID); used as the allocation id by default
   * @param cpuMilli host CPU in millicores
   * @param memoryMib host memory in MiB
   * @param gpu what it needs of GPUs
   * @param modelInclude GPU models allowed (empty: any)
   * @param modelExclude GPU models not allowed
   * @param uuidInclude GPU UUIDs allowed (empty: any)
   * @param uuidExclude GPU UUIDs not allowed
   * @param topology how much it cares about the interconnect between its GPUs
   * @param priority scheduling priority, higher first; policies may ignore it
   */
  public Request {
    Checks.name("request", "name", name);
    String owner = "request " + name;
    Checks.atLeast(owner, "cpuMilli", cpuMilli, 0);
    Checks.atLeast(owner, "memoryMib", memoryMib, 0);
    Checks.notNull(owner, "gpu", gpu);
    modelInclude = Checks.names(owner, "modelInclude", modelInclude);
    modelExclude = Checks.names(owner, "modelExclude", modelExclude);
    uuidInclude = Checks.names(owner, "uuidInclude", uuidInclude);
    uuidExclude = Checks.names(owner, "uuidExclude", uuidExclude);
    Checks.notNull(owner, "topology", topology);
    for (String m : modelInclude) {
      if (modelExclude.contains(m)) {
        throw InvalidSpecException.of(
            owner, "modelExclude", m, "models not also in modelInclude");
      }
    }
  }

  /**
   * Starts a builder.
   *
   * @param name the request's name (pod name or UID); used as the allocation id by default
   * @return a new builder
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * Whether this request may use a GPU of {@code model}, by the model filters.
   *
   * @param model a GPU model
   * @return whether this request may use a GPU of {@code model}, by the model filters
   */
  public boolean allowsModel(GpuModel model) {
    String m = model.name();
    return (modelInclude.isEmpty() || modelInclude.contains(m)) && !modelExclude.contains(m);
  }

  /**
   * Whether this request may use {@code gpu}, by the model and UUID filters.
   *
   * @param gpu what it needs of GPUs
   * @return whether this request may use {@code gpu}, by the model and UUID filters
   */
  public boolean allowsGpu(Gpu gpu) {
    return allowsModel(gpu.model())
        && (uuidInclude.isEmpty() || uuidInclude.contains(gpu.uuid()))
        && !uuidExclude.contains(gpu.uuid());
  }

  /** Builds a {@link Request}. */
  public static final class Builder {
    private final String name;
    private int cpuMilli;
    private int memoryMib;
    private GpuDemand gpu = GpuDemand.none();
    private Collection<String> modelInclude = List.of();
    private Collection<String> modelExclude = List.of();
    private Collection<String> uuidInclude = List.of();
    private Collection<String> uuidExclude = List.of();
    private IntraNodeTopology topology = IntraNodeTopology.ANY;
    private int priority;

    private Builder(String name) {
      this.name = name;
    }

    /**
     * Host CPU in millicores.
     *
     * @param v the value of {@code cpuMilli}
     * @return this builder
     */
    public Builder cpuMilli(int v) {
      this.cpuMilli = v;
      return this;
    }

    /**
     * Host memory in MiB.
     *
     * @param v the value of {@code memoryMib}
     * @return this builder
     */
    public Builder memoryMib(int v) {
      this.memoryMib = v;
      return this;
    }

    /**
     * The GPU demand.
     *
     * @param v the value of {@code gpu}
     * @return this builder
     */
    public Builder gpu(GpuDemand v) {
      this.gpu = v;
      return this;
    }

    /**
     * Allowed GPU models (empty: any).
     *
     * @param v the value of {@code modelInclude}
     * @return this builder
     */
    public Builder modelInclude(Collection<String> v) {
      this.modelInclude = new ArrayList<>(v);
      return this;
    }

    /**
     * Allowed GPU models (none given: any).
     *
     * @param v the value of {@code modelInclude}
     * @return this builder
     */
    public Builder modelInclude(String... v) {
      return modelInclude(List.of(v));
    }

    /**
     * Excluded GPU models.
     *
     * @param v the value of {@code modelExclude}
     * @return this builder
     */
    public Builder modelExclude(Collection<String> v) {
      this.modelExclude = new ArrayList<>(v);
      return this;
    }

    /**
     * Allowed GPU UUIDs (empty: any).
     *
     * @param v the value of {@code uuidInclude}
     * @return this builder
     */
    public Builder uuidInclude(Collection<String> v) {
      this.uuidInclude = new ArrayList<>(v);
      return this;
    }

    /**
     * Excluded GPU UUIDs.
     *
     * @param v the value of {@code uuidExclude}
     * @return this builder
     */
    public Builder uuidExclude(Collection<String> v) {
      this.uuidExclude = new ArrayList<>(v);
      return this;
    }

    /**
     * The intra-node topology requirement.
     *
     * @param v the value of {@code topology}
     * @return this builder
     */
    public Builder topology(IntraNodeTopology v) {
      this.topology = v;
      return this;
    }

    /**
     * The priority.
     *
     * @param v the value of {@code priority}
     * @return this builder
     */
    public Builder priority(int v) {
      this.priority = v;
      return this;
    }

    /**
     * Builds the request, validating it.
     *
     * @return the request built
     */
    public Request build() {
      return new Request(
          name, cpuMilli, memoryMib, gpu, new HashSet<>(modelInclude), new HashSet<>(modelExclude),
          new HashSet<>(uuidInclude), new HashSet<>(uuidExclude),
          topology, priority);
    }
  }
}

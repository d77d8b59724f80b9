package io.gpualloc.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A schedulable machine: host CPU and memory, labels, and its GPUs (index {@code i} at position
 * {@code i}).
 *
 * <p>Intra-node interconnect (NVLink, NVSwitch, PCIe, NUMA) is described by the {@code topology}
 * module, which refers to nodes by name; core stays free of it.
 *
 * @param name unique node name
 * @param labels labels, for example topology domains ({@code rack=r7}); sorted by key
 * @param cpuMilli allocatable CPU in millicores
 * @param memoryMib allocatable host memory in MiB
 * @param gpus GPUs, the GPU with index {@code i} at position {@code i}
 */
public record Node(
    String name, Map<String, String> labels, int cpuMilli, int memoryMib, List<Gpu> gpus) {

  /**
   * Validates every field and copies the collections.
   *
   * @param name unique node name
   * @param labels labels, for example topology domains ({@code rack=r7}); sorted by key
   * @param cpuMilli allocatable CPU in millicores
   * @param memoryMib allocatable host memory in MiB
   * @param gpus GPUs, the GPU with index {@code i} at position {@code i}
   */
  public Node {
    Checks.name("node", "name", name);
    String owner = "node " + name;
    labels = Checks.labels(owner, labels);
    Checks.atLeast(owner, "cpuMilli", cpuMilli, 0);
    Checks.atLeast(owner, "memoryMib", memoryMib, 0);
    gpus = Checks.list(owner, "gpus", gpus);
    for (int i = 0; i < gpus.size(); i++) {
      if (gpus.get(i).index() != i) {
        throw InvalidSpecException.of(
            owner, "gpus[" + i + "].index", gpus.get(i).index(), String.valueOf(i)
                + " (GPU index i must sit at position i)");
      }
    }
  }

  /**
   * Starts a node builder.
   *
   * @param name unique node name
   * @return a new builder
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * The number of GPUs.
   *
   * @return the number of GPUs
   */
  public int gpuCount() {
    return gpus.size();
  }

  /**
   * The GPU with this index.
   *
   * @param index the index
   * @return the GPU with this index
   */
  public Gpu gpu(int index) {
    if (index < 0 || index >= gpus.size()) {
      throw InvalidSpecException.of(
          "node " + name, "gpu index", index,
          gpus.isEmpty() ? "none (the node has no GPUs)" : "0.." + (gpus.size() - 1));
    }
    return gpus.get(index);
  }

  /** Builds a {@link Node}; GPU UUIDs default to {@code GPU-<node>-<index>}. */
  public static final class Builder {
    private final String name;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private int cpuMilli;
    private int memoryMib;
    private final List<Gpu> gpus = new ArrayList<>();

    private Builder(String name) {
      this.name = name;
    }

    /**
     * Sets allocatable CPU in millicores.
     *
     * @param cpuMilli allocatable CPU in millicores
     * @return this builder
     */
    public Builder cpuMilli(int cpuMilli) {
      this.cpuMilli = cpuMilli;
      return this;
    }

    /**
     * Sets allocatable memory in MiB.
     *
     * @param memoryMib allocatable host memory in MiB
     * @return this builder
     */
    public Builder memoryMib(int memoryMib) {
      this.memoryMib = memoryMib;
      return this;
    }

    /**
     * Adds a label.
     *
     * @param key the label key
     * @param value the label value
     * @return this builder
     */
    public Builder label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    /**
     * Adds {@code count} GPUs of {@code model} with default UUIDs, all on NUMA node 0.
     *
     * @param count how many GPUs to add
     * @param model the GPU model
     * @return this builder
     */
    public Builder gpus(int count, GpuModel model) {
      return gpus(count, model, 1);
    }

    /**
     * Adds {@code count} GPUs of {@code model}, split evenly over {@code numaNodes} NUMA nodes in
     * index order (8 GPUs on 2 NUMA nodes: 0-3 on node 0, 4-7 on node 1).
     *
     * @param count how many GPUs to add
     * @param model the GPU model
     * @param numaNodes the number of NUMA nodes the GPUs are spread over
     * @return this builder
     */
    public Builder gpus(int count, GpuModel model, int numaNodes) {
      Checks.atLeast("node " + name, "gpu count", count, 0);
      Checks.atLeast("node " + name, "numaNodes", numaNodes, 1);
      int perNuma = Math.max(1, (count + numaNodes - 1) / numaNodes);
      for (int i = 0; i < count; i++) {
        gpu(model, Math.min(i / perNuma, numaNodes - 1));
      }
      return this;
    }

    /**
     * Adds one GPU with a default UUID.
     *
     * @param model the GPU model
     * @param numaNode the GPU's NUMA node
     * @return this builder
     */
    public Builder gpu(GpuModel model, int numaNode) {
      int index = gpus.size();
      gpus.add(new Gpu(index, "GPU-" + name + "-" + index, model, numaNode));
      return this;
    }

    /**
     * Adds one GPU with an explicit UUID.
     *
     * @param uuid the GPU's UUID, unique in the cluster
     * @param model the GPU model
     * @param numaNode the GPU's NUMA node
     * @return this builder
     */
    public Builder gpu(String uuid, GpuModel model, int numaNode) {
      gpus.add(new Gpu(gpus.size(), uuid, model, numaNode));
      return this;
    }

    /**
     * Adds {@code count} pre-partitioned GPUs of {@code layout}'s model, each with that fixed
     * layout, default UUIDs, all on NUMA node 0.
     *
     * @param count how many GPUs
     * @param layout the fixed layout every one of them carries
     * @return this builder
     * @throws InvalidSpecException when the count is negative or the layout null
     */
    public Builder staticMigGpus(int count, MigLayout layout) {
      Checks.atLeast("node " + name, "gpu count", count, 0);
      Checks.notNull("node " + name, "layout", layout);
      for (int i = 0; i < count; i++) {
        int index = gpus.size();
        gpus.add(new Gpu(index, "GPU-" + name + "-" + index, layout.model(), 0, layout));
      }
      return this;
    }

    /**
     * Adds one GPU as given; its index must be the next position.
     *
     * @param gpu the GPU
     * @return this builder
     */
    public Builder gpu(Gpu gpu) {
      gpus.add(gpu);
      return this;
    }

    /**
     * Builds the node, validating it.
     *
     * @return the node built
     */
    public Node build() {
      return new Node(name, labels, cpuMilli, memoryMib, gpus);
    }
  }
}

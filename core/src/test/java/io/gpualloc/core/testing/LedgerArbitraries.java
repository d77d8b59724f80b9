package io.gpualloc.core.testing;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik arbitraries for ledger tests. Clusters are built from shrinkable parts (fewer nodes, fewer
 * GPUs, smaller capacities); placements and operations come from {@link LedgerGen} through a
 * seeded random source, and operation lists shrink by dropping steps.
 *
 * <pre>{@code
 * @Provide Arbitrary<LedgerArbitraries.Scenario> scenarios() {
 *   return LedgerArbitraries.scenarios(5, 200);
 * }
 * }</pre>
 */
public final class LedgerArbitraries {
  private LedgerArbitraries() {}

  /** A cluster with the operations to run on it. */
  public record Scenario(Cluster cluster, List<LedgerOp> ops) {
    /** Copies the list. */
    public Scenario {
      ops = List.copyOf(ops);
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("Scenario[").append(cluster).append(", ");
      for (Node n : cluster.nodes()) {
        sb.append(n.name()).append('(').append(n.cpuMilli()).append("m/")
            .append(n.memoryMib()).append("Mi");
        for (int i = 0; i < n.gpuCount(); i++) {
          sb.append(i == 0 ? " " : ",").append(n.gpu(i).model().name());
        }
        sb.append(") ");
      }
      return sb.append(ops.size()).append(" ops]").toString();
    }
  }

  /** One of {@link LedgerGen#MODELS}: A100-80GB, A30, H100 SXM and NVL (MIG), T4, V100 (no MIG). */
  public static Arbitrary<GpuModel> gpuModels() {
    return Arbitraries.of(LedgerGen.MODELS);
  }

  /**
   * Nodes named {@code name}: 0-8 GPUs (one or two models; about a third of the MIG-capable ones
   * pre-partitioned with a random, usually maximal, layout), CPU 0-64 cores, memory 0-256 GiB, a
   * {@code zone} label and sometimes a {@code pool} label.
   */
  public static Arbitrary<Node> nodes(String name) {
    Arbitrary<Integer> gpus = Arbitraries.integers().between(0, 8);
    Arbitrary<Integer> cpu = Arbitraries.integers().between(0, 8).map(k -> k * 8000);
    Arbitrary<Integer> mem = Arbitraries.integers().between(0, 8).map(k -> k * 32768);
    Arbitrary<String> zone = Arbitraries.of("z0", "z1", "z2");
    Arbitrary<String> pool = Arbitraries.of("", "train", "serve");
    Arbitrary<GpuModel> second = gpuModels().injectNull(0.8);
    // which MIG-capable GPUs are pre-partitioned, and with which layouts (0: none is)
    Arbitrary<Long> partitioning = Arbitraries.longs().between(0, 1 << 20);
    return Combinators.combine(gpus, gpuModels(), second, cpu, mem, zone, pool, partitioning)
        .as((count, first, other, c, m, z, p, part) -> {
          Node.Builder b = Node.builder(name).cpuMilli(c).memoryMib(m).label("zone", z);
          if (!p.isEmpty()) {
            b.label("pool", p);
          }
          GpuModel secondModel = other == null ? first : other;
          java.util.Random r = new java.util.Random(part);
          for (int i = 0; i < count; i++) {
            GpuModel model = i < (count + 1) / 2 ? first : secondModel;
            int numa = i * 2 / Math.max(1, count);
            if (part != 0 && model.supportsMig() && r.nextInt(3) == 0) {
              List<io.gpualloc.core.MigLayout> layouts = r.nextInt(4) == 0
                  ? io.gpualloc.core.MigLayouts.all(model)
                  : io.gpualloc.core.MigLayouts.maximal(model);
              b.gpu(new io.gpualloc.core.Gpu(i, "GPU-" + name + "-" + i, model, numa,
                  layouts.get(r.nextInt(layouts.size()))));
            } else {
              b.gpu(model, numa);
            }
          }
          return LedgerGen.withShareCaps(b.build(), r);
        });
  }

  /** Clusters of 1 to {@code maxNodes} nodes named {@code n0, n1, ...}. */
  public static Arbitrary<Cluster> clusters(int maxNodes) {
    return Arbitraries.integers().between(1, maxNodes).flatMap(n -> {
      List<Arbitrary<Node>> parts = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        parts.add(nodes("n" + i));
      }
      return Combinators.combine(parts).as(Cluster::of);
    });
  }

  /** Clusters of 1 to 5 nodes. */
  public static Arbitrary<Cluster> clusters() {
    return clusters(5);
  }

  /** Placements on {@code cluster} with ids from the shared pool; see {@link LedgerGen}. */
  public static Arbitrary<Placement> placements(Cluster cluster) {
    return Arbitraries.randomValue(r -> LedgerGen.placement(cluster, r, LedgerGen.id(r)));
  }

  /** Single operations on {@code cluster}, forks allowed one level deep. */
  public static Arbitrary<LedgerOp> operations(Cluster cluster) {
    return Arbitraries.randomValue(r -> LedgerGen.op(cluster, r, 1));
  }

  /** Operation sequences of {@code minLength..maxLength} steps on {@code cluster}. */
  public static Arbitrary<List<LedgerOp>> operationSequences(
      Cluster cluster, int minLength, int maxLength) {
    return operations(cluster).list().ofMinSize(minLength).ofMaxSize(maxLength);
  }

  /** A cluster of up to {@code maxNodes} nodes with an operation sequence of exactly {@code length}. */
  public static Arbitrary<Scenario> scenarios(int maxNodes, int length) {
    return clusters(maxNodes).flatMap(c -> operationSequences(c, length, length)
        .map(ops -> new Scenario(c, ops)));
  }
}

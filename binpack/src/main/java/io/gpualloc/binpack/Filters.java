package io.gpualloc.binpack;

import io.gpualloc.binpack.internal.Fit;
import io.gpualloc.binpack.internal.FrameworkPolicy;
import io.gpualloc.core.ClusterView;
import io.gpualloc.core.NodeRejection;
import io.gpualloc.core.Request;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The standard filters, in the order they run: host CPU, host memory, GPU model include/exclude,
 * GPU UUID include/exclude, and GPU capacity (count of free GPUs, per-GPU compute and memory for
 * shares, free MIG start slots for MIG instances).
 */
public final class Filters {
  private Filters() {}

  /**
   * Host CPU fits.
   *
   * @return the filter {@code cpu}; its rejection reads {@code cpu: needs 4000m, 2000m free}
   */
  public static NodeFilter cpu() {
    return filter("cpu", Fit::cpu);
  }

  /**
   * Host memory fits.
   *
   * @return the filter {@code memory}; its rejection reads {@code memory: needs 16384 MiB, 8192
   *     MiB free}
   */
  public static NodeFilter memory() {
    return filter("memory", Fit::memory);
  }

  /**
   * The node has a GPU of an allowed model (GPU requests only).
   *
   * @return the filter {@code gpu-model}
   */
  public static NodeFilter gpuModel() {
    return filter("gpu-model", Fit::gpuModel);
  }

  /**
   * The node has a GPU allowed by the UUID filters (GPU requests only).
   *
   * @return the filter {@code gpu-uuid}
   */
  public static NodeFilter gpuUuid() {
    return filter("gpu-uuid", Fit::gpuUuid);
  }

  /**
   * Enough allowed, healthy GPUs with the free count, compute, memory or MIG slots the demand
   * needs.
   *
   * @return the filter {@code gpu-capacity}; its rejections name the GPU and the amounts, for
   *     example {@code gpu 3: needs 300 milli, 150 free} or {@code no 3g.40gb start slot free on
   *     GPUs 0-7}
   */
  public static NodeFilter gpuCapacity() {
    return filter("gpu-capacity", Fit::gpuCapacity);
  }

  /**
   * All standard filters, in order.
   *
   * @return cpu, memory, gpu-model, gpu-uuid, gpu-capacity
   */
  public static List<NodeFilter> standard() {
    return List.of(cpu(), memory(), gpuModel(), gpuUuid(), gpuCapacity());
  }

  /**
   * The first reason the node cannot take the request under the standard filters, with the
   * numbers, or null when it can.
   *
   * @param request the request
   * @param view the ledger or a snapshot
   * @param nodeId the node
   * @return the first failing filter's rejection, or null
   */
  public static @Nullable NodeRejection check(Request request, ClusterView view, int nodeId) {
    return Fit.check(request, view, nodeId);
  }

  private interface Check {
    @Nullable NodeRejection apply(Request r, ClusterView v, int node);
  }

  /** The standard filters read only the node state {@link FrameworkPolicy.StateOnly} lists. */
  private static NodeFilter filter(String name, Check check) {
    final class Filter implements NodeFilter, FrameworkPolicy.StateOnly {
      @Override
      public String name() {
        return name;
      }

      @Override
      public @Nullable NodeRejection reject(Request request, ClusterView view, int nodeId) {
        return check.apply(request, view, nodeId);
      }
    }
    return new Filter();
  }
}

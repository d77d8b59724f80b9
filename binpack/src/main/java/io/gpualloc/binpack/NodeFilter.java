package io.gpualloc.binpack;

import io.gpualloc.core.ClusterView;
import io.gpualloc.core.RejectReason;
import io.gpualloc.core.Request;
import org.jspecify.annotations.Nullable;

/** A hard constraint on nodes, as a Kubernetes filter plugin: the node can take the request or not. */
public interface NodeFilter {

  /**
   * The filter's name, for example {@code cpu}.
   *
   * @return the filter's name, for example {@code cpu}
   */
  String name();

  /**
   * Why the node cannot take the request, or null when it can. Never modifies the view.
   *
   * @param request the request to place
   * @param view the cluster state or snapshot to read
   * @param nodeId the node's id in the cluster
   * @return why the node cannot take the request, or null when it can
   */
  @Nullable RejectReason reject(Request request, ClusterView view, int nodeId);
}

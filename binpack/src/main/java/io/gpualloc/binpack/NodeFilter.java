package io.gpualloc.binpack;

import io.gpualloc.core.ClusterView;
import io.gpualloc.core.NodeRejection;
import io.gpualloc.core.Request;
import org.jspecify.annotations.Nullable;

/** A hard constraint on nodes, as a Kubernetes filter plugin: the node can take the request or not. */
public interface NodeFilter {

  /**
   * The filter's name.
   *
   * @return for example {@code cpu}
   */
  String name();

  /**
   * Why the node cannot take the request, with the numbers, or null when it can. Never modifies
   * the view.
   *
   * @param request the request
   * @param view the ledger or a snapshot
   * @param nodeId the node
   * @return the reason and what was needed and free, or null when the node passes
   */
  @Nullable NodeRejection reject(Request request, ClusterView view, int nodeId);
}

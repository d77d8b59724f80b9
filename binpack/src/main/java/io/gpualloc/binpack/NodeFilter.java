package io.gpualloc.binpack;

import io.gpualloc.core.ClusterView;
import io.gpualloc.core.RejectReason;
import io.gpualloc.core.Request;
import org.jspecify.annotations.Nullable;

/** A hard constraint on nodes, as a Kubernetes filter plugin: the node can take the request or not. */
public interface NodeFilter {

  /** The filter's name, for example {@code cpu}. */
  String name();

  /** Why the node cannot take the request, or null when it can. Never modifies the view. */
  @Nullable RejectReason reject(Request request, ClusterView view, int nodeId);
}

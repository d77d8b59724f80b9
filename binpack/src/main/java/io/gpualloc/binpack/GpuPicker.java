package io.gpualloc.binpack;

import io.gpualloc.core.ClusterView;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.Request;
import java.util.List;

/** Chooses the GPUs (or MIG slots) inside a node that passed the filters. */
public interface GpuPicker {

  /**
   * The picker's name, for example {@code tightest}.
   *
   * @return the picker's name, for example {@code tightest}
   */
  String name();

  /**
   * The grants for the request on the node; empty for CPU-only requests. The node passed the
   * filters, so a valid choice exists.
   *
   * @param request the request to place
   * @param view the cluster state or snapshot to read
   * @param nodeId the node's id in the cluster
   * @return the grants for the request on the node; empty for CPU-only requests
   */
  List<GpuGrant> pick(Request request, ClusterView view, int nodeId);
}

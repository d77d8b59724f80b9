package io.gpualloc.binpack;

import io.gpualloc.core.ClusterView;
import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.Request;
import java.util.List;

/**
 * Chooses the GPUs (or MIG slots) inside a node that passed the filters. The built-in ones are in
 * {@link GpuPickers}.
 */
public interface GpuPicker {

  /**
   * The picker's name.
   *
   * @return for example {@code tightest}
   */
  String name();

  /**
   * The grants for the request on the node; empty for CPU-only requests. The node passed the
   * filters, so a valid choice exists.
   *
   * @param request the request
   * @param view the ledger or a snapshot; not modified
   * @param nodeId the node
   * @return one grant per requested GPU or MIG instance
   */
  List<GpuGrant> pick(Request request, ClusterView view, int nodeId);
}

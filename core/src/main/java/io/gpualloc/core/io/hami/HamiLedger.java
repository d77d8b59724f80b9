package io.gpualloc.core.io.hami;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.Gpu;
import io.gpualloc.core.GpuallocException;
import io.gpualloc.core.Node;
import io.gpualloc.core.ParseException;
import io.gpualloc.core.Placement;
import io.gpualloc.core.ReadLimits;
import io.gpualloc.core.io.k8s.KubePod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Rebuilds a ledger from running pods' HAMi allocation annotations: what an extender does after a
 * restart, before it answers its first request.
 */
public final class HamiLedger {
  private HamiLedger() {}

  /**
   * The placement HAMi recorded for one pod, or null when the pod carries no allocation.
   *
   * <p>The node is {@value HamiCodec#VGPU_NODE}, else {@code spec.nodeName}; the devices are {@value
   * HamiCodec#DEVICES_ALLOCATED}, else {@value HamiCodec#DEVICES_TO_ALLOCATE}. Each GPU named by
   * UUID on that node gets one grant: the memory and cores of all containers on it added up; a GPU
   * given 100 % of its cores and all its memory is a whole grant, any other a share ({@code cores
   * x 10} milli-GPU). Host CPU and memory are the pod's effective request.
   *
   * @param cluster the cluster whose node and GPU names the annotations refer to
   * @param pod the pod
   * @param limits bounds on the annotation values
   * @return the placement under the id {@link KubePod#key()}, or null when the pod has no HAMi
   *     allocation annotation
   * @throws ParseException when an annotation is malformed, names no member node, or a UUID not
   *     on that node; the message names the pod, the key and the offset or UUID
   */
  public static @Nullable Placement placementOf(Cluster cluster, KubePod pod, ReadLimits limits) {
    String owner = "pod " + pod.key();
    String key = HamiCodec.DEVICES_ALLOCATED;
    String value = pod.annotations().get(key);
    if (value == null) {
      key = HamiCodec.DEVICES_TO_ALLOCATE;
      value = pod.annotations().get(key);
    }
    if (value == null) {
      return null;
    }
    List<List<ContainerDevice>> containers = HamiCodec.readAllocation(owner, key, value, limits);
    String nodeName = pod.annotations().getOrDefault(HamiCodec.VGPU_NODE, pod.nodeName());
    String nodeKey = pod.annotations().containsKey(HamiCodec.VGPU_NODE) ? HamiCodec.VGPU_NODE
        : "spec.nodeName";
    if (nodeName.isEmpty() || !cluster.hasNode(nodeName)) {
      throw new ParseException(owner, 0, 0, nodeKey, "node '" + nodeName
          + "' is not a member of the cluster; allowed: the name of a member node");
    }
    int nodeId = cluster.nodeId(nodeName);
    Node node = cluster.node(nodeId);
    Map<String, Integer> indexByUuid = new LinkedHashMap<>();
    for (Gpu g : node.gpus()) {
      indexByUuid.put(g.uuid(), g.index());
    }
    Map<Integer, long[]> perGpu = new LinkedHashMap<>();
    for (List<ContainerDevice> c : containers) {
      for (ContainerDevice d : c) {
        Integer index = indexByUuid.get(d.uuid());
        if (index == null) {
          throw new ParseException(owner, 0, 0, key, "GPU '" + d.uuid() + "' is not on node '"
              + nodeName + "'; allowed: one of " + indexByUuid.keySet());
        }
        long[] sum = perGpu.computeIfAbsent(index, i -> new long[2]);
        sum[0] += d.usedMem();
        sum[1] += d.usedCores();
      }
    }
    Placement.Builder b = Placement.builder(pod.key(), nodeId)
        .cpuMilli(pod.request().cpuMilli()).memoryMib(pod.request().memoryMib());
    try {
      for (Map.Entry<Integer, long[]> e : perGpu.entrySet()) {
        int gpu = e.getKey();
        long mem = e.getValue()[0];
        long cores = e.getValue()[1];
        int capacity = node.gpu(gpu).model().memoryMib();
        if (cores > 100 || mem > capacity) {
          throw new ParseException(owner, 0, 0, key, "GPU '" + node.gpu(gpu).uuid() + "' is given "
              + mem + " MiB and " + cores + " % cores; allowed: at most " + capacity
              + " MiB and 100 %");
        }
        if (cores == 100 && mem == capacity) {
          b.whole(gpu);
        } else {
          b.share(gpu, (int) cores * 10, (int) mem);
        }
      }
      return b.build();
    } catch (ParseException e) {
      throw e;
    } catch (GpuallocException e) {
      throw new ParseException(owner, 0, 0, key, e.getMessage(), e);
    }
  }

  /**
   * Records the allocations of {@code pods} in {@code state}, all or none: pods without an HAMi
   * allocation annotation are skipped; if any annotation is malformed or any placement conflicts,
   * nothing is recorded.
   *
   * @param state the ledger to fill
   * @param pods the running pods
   * @param limits bounds on the annotation values
   * @return the placements recorded, in the pods' order
   * @throws ParseException when an annotation is malformed (see {@link #placementOf})
   * @throws GpuallocException as {@link ClusterState#allocateAll} when the placements conflict with
   *     each other or with the state; then nothing was recorded
   */
  public static List<Placement> rebuild(ClusterState state, List<KubePod> pods, ReadLimits limits) {
    Cluster cluster = state.cluster();
    List<Placement> out = new ArrayList<>();
    for (KubePod p : pods) {
      Placement pl = placementOf(cluster, p, limits);
      if (pl != null) {
        out.add(pl);
      }
    }
    state.allocateAll(out);
    return List.copyOf(out);
  }
}

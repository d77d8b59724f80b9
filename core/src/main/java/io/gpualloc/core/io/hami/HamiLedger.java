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
    Read r = read(cluster, pod, limits);
    return r == null ? null : r.placement();
  }

  /**
   * One pod's annotation read: its placement, the key it came from, the annotation's value and,
   * for each device entry in order, the GPU index it names.
   */
  private record Read(Placement placement, String key, String value, int[] gpuOfEntry) {}

  private static @Nullable Read read(Cluster cluster, KubePod pod, ReadLimits limits) {
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
    int entries = 0;
    for (List<ContainerDevice> c : containers) {
      entries += c.size();
    }
    int[] gpuOfEntry = new int[entries];
    int entry = 0;
    for (List<ContainerDevice> c : containers) {
      for (ContainerDevice d : c) {
        Integer index = indexByUuid.get(d.uuid());
        if (index == null) {
          throw new ParseException(owner, 0, 0, key, "GPU '" + d.uuid() + "' is not on node '"
              + nodeName + "'; allowed: one of " + indexByUuid.keySet());
        }
        gpuOfEntry[entry++] = index;
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
      return new Read(b.build(), key, value, gpuOfEntry);
    } catch (ParseException e) {
      throw e;
    } catch (GpuallocException e) {
      throw new ParseException(owner, 0, 0, key, e.getMessage(), e);
    }
  }

  /**
   * Records the allocations of {@code pods} in {@code state}, all or none: pods without an HAMi
   * allocation annotation are skipped; if any annotation is malformed, any GPU would hold more
   * containers than its split count, or any placement conflicts, nothing is recorded.
   *
   * <p>The split count is checked as HAMi counts it: every container device entry on a GPU is one
   * use (two containers of one pod on one GPU are two), added to the shares the state already
   * holds on it ({@link ClusterState#gpuGrantCount}); more than the GPU's {@link Gpu#maxShares()}
   * is refused with the pod, the key and the offset of the entry that went over. The ledger then
   * records each pod's containers on one GPU as one grant, which its own cap check counts once.
   *
   * @param state the ledger to fill
   * @param pods the running pods
   * @param limits bounds on the annotation values
   * @return the placements recorded, in the pods' order
   * @throws ParseException when an annotation is malformed (see {@link #placementOf}), or a GPU
   *     would hold more containers than its split count
   * @throws GpuallocException as {@link ClusterState#allocateAll} when the placements conflict with
   *     each other or with the state; then nothing was recorded
   */
  public static List<Placement> rebuild(ClusterState state, List<KubePod> pods, ReadLimits limits) {
    Cluster cluster = state.cluster();
    List<Placement> out = new ArrayList<>();
    Map<Integer, Integer> uses = new java.util.HashMap<>();
    for (KubePod p : pods) {
      Read r = read(cluster, p, limits);
      if (r == null) {
        continue;
      }
      Placement pl = r.placement();
      int[] offsets = entryOffsets(r.value());
      for (int k = 0; k < r.gpuOfEntry().length; k++) {
        int index = r.gpuOfEntry()[k];
        int gpuId = cluster.gpuId(pl.nodeId(), index);
        int cap = cluster.gpu(gpuId).maxShares();
        int now = uses.getOrDefault(gpuId, state.gpuGrantCount(gpuId)) + 1;
        if (now > cap) {
          Gpu g = cluster.gpu(gpuId);
          throw new ParseException("pod " + p.key(), 1, offsets[k] + 1, r.key(), "at offset "
              + offsets[k] + ": GPU '" + g.uuid() + "' (gpu " + index + " of node "
              + cluster.node(pl.nodeId()).name() + ") would hold " + now + "/" + cap
              + " shares (split count); allowed: at most " + cap
              + " containers on it at once, as its HAMi register count says");
        }
        uses.put(gpuId, now);
      }
      out.add(pl);
    }
    state.allocateAll(out);
    return List.copyOf(out);
  }

  /**
   * The offset of each device entry in an allocation annotation that {@link
   * HamiCodec#readAllocation} accepted, in its order: containers end at {@code ;}, devices at
   * {@code :}.
   */
  private static int[] entryOffsets(String value) {
    List<Integer> out = new ArrayList<>();
    int start = 0;
    while (start < value.length()) {
      int end = value.indexOf(';', start);
      if (end < 0) {
        end = value.length();
      }
      int ds = start;
      while (ds < end) {
        int de = value.indexOf(':', ds);
        if (de < 0 || de > end) {
          de = end;
        }
        out.add(ds);
        ds = de + 1;
      }
      start = end + 1;
    }
    int[] a = new int[out.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = out.get(i);
    }
    return a;
  }
}

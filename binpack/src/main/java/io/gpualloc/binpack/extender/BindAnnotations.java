package io.gpualloc.binpack.extender;

import io.gpualloc.core.GpuGrant;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.LedgerCorruptionException;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import io.gpualloc.core.io.hami.ContainerDevice;
import io.gpualloc.core.io.hami.HamiCodec;
import io.gpualloc.core.io.k8s.KubeContainer;
import io.gpualloc.core.io.k8s.KubePod;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pod annotations HAMi's scheduler writes for a decision, so that HAMi's device plugin on the
 * node finds the GPUs it must hand to each container. HAMi writes them in two steps (the device
 * keys, {@value HamiCodec#VGPU_NODE} and {@value #VGPU_TIME} at filter, {@value #BIND_PHASE} and
 * {@value #BIND_TIME} at bind); an extender that decides at bind writes all of them at once.
 *
 * <p>Layout of {@value HamiCodec#DEVICES_TO_ALLOCATE} (and the identical {@value
 * HamiCodec#DEVICES_ALLOCATED}): one {@code ;}-terminated slot per container, init containers
 * first; a container without GPUs keeps its empty slot. The granted GPUs, in the placement's
 * order, are dealt to containers as they run together: restartable init containers ("sidecars")
 * and then app containers take consecutive GPUs; an ordinary init container runs before the app
 * containers, beside only the sidecars declared before it, so it takes the GPUs right after those
 * sidecars. Each device is {@code uuid,NVIDIA,usedmem,usedcores}: a share grant's memory and its
 * compute in percent (milli-GPU / 10, rounded up), a whole grant the GPU's memory and 100 (HAMi's
 * exclusive card).
 */
public final class BindAnnotations {
  /** When the decision was made, Unix seconds (HAMi's {@code AssignedTimeAnnotations}). */
  public static final String VGPU_TIME = "hami.io/vgpu-time";
  /** The bind phase: {@value #ALLOCATING} until the device plugin reports success or failure. */
  public static final String BIND_PHASE = "hami.io/bind-phase";
  /** When the bind started, Unix seconds. */
  public static final String BIND_TIME = "hami.io/bind-time";
  /** The bind phase the scheduler writes; HAMi's device plugin looks for pods in this phase. */
  public static final String ALLOCATING = "allocating";
  /** The device type HAMi writes for NVIDIA GPUs. */
  public static final String NVIDIA = "NVIDIA";

  private BindAnnotations() {}

  /**
   * The annotations for {@code placement} of {@code pod} on {@code node}: empty when the placement
   * grants no GPU or only MIG instances (NVIDIA's device plugin allocates those; HAMi's format has
   * no place for them).
   *
   * @param pod the pod, with its containers ({@link KubePod#containers()}); a pod without them is
   *     written as one app container holding every GPU
   * @param node the node the placement is on
   * @param placement the placement
   * @param unixSeconds the time to record
   * @return the annotations, sorted by key
   * @throws InvalidSpecException when the placement grants a GPU index the node does not have, or
   *     the containers ask for more GPUs than the placement grants
   */
  public static Map<String, String> of(KubePod pod, Node node, Placement placement,
      long unixSeconds) {
    List<ContainerDevice> devices = new ArrayList<>();
    for (GpuGrant g : placement.grants()) {
      if (g.gpuIndex() < 0 || g.gpuIndex() >= node.gpuCount()) {
        throw InvalidSpecException.of("placement " + placement.allocationId(), "gpuIndex",
            g.gpuIndex(), "0.." + (node.gpuCount() - 1) + " on node " + node.name());
      }
      var gpu = node.gpus().get(g.gpuIndex());
      if (g instanceof GpuGrant.Whole) {
        devices.add(new ContainerDevice(gpu.uuid(), NVIDIA, gpu.model().memoryMib(), 100));
      } else if (g instanceof GpuGrant.Share s) {
        devices.add(new ContainerDevice(gpu.uuid(), NVIDIA, s.memoryMib(),
            (s.computeMilli() + 9) / 10));
      } else if (g instanceof GpuGrant.Mig) {
        return Map.of();
      } else {
        throw new LedgerCorruptionException("a GpuGrant is Whole, Share or Mig; found " + g);
      }
    }
    if (devices.isEmpty()) {
      return Map.of();
    }
    List<List<ContainerDevice>> slots = layout(pod, devices);
    String value = HamiCodec.writeAllocation(slots);
    Map<String, String> out = new TreeMap<>();
    out.put(HamiCodec.DEVICES_TO_ALLOCATE, value);
    out.put(HamiCodec.DEVICES_ALLOCATED, value);
    out.put(HamiCodec.VGPU_NODE, node.name());
    String now = Long.toString(unixSeconds);
    out.put(VGPU_TIME, now);
    out.put(BIND_PHASE, ALLOCATING);
    out.put(BIND_TIME, now);
    return Collections.unmodifiableMap(out);
  }

  /** Deals the devices to the container slots (see the class comment). */
  static List<List<ContainerDevice>> layout(KubePod pod, List<ContainerDevice> devices) {
    List<KubeContainer> cs = pod.containers();
    if (cs.isEmpty()) {
      return List.of(devices);
    }
    int sidecars = 0;
    for (KubeContainer c : cs) {
      if (c.sidecar()) {
        sidecars += c.gpus();
      }
    }
    List<List<ContainerDevice>> out = new ArrayList<>(cs.size());
    int sidecarCursor = 0;
    int appCursor = sidecars;
    for (KubeContainer c : cs) {
      int from;
      if (c.sidecar()) {
        from = sidecarCursor;
        sidecarCursor += c.gpus();
      } else if (c.init()) {
        from = sidecarCursor;
      } else {
        from = appCursor;
        appCursor += c.gpus();
      }
      if (from + c.gpus() > devices.size()) {
        throw InvalidSpecException.of("pod " + pod.key(), "containers", c.name() + " needs GPUs "
            + from + ".." + (from + c.gpus() - 1), "within the " + devices.size()
            + " GPUs the placement grants");
      }
      out.add(List.copyOf(devices.subList(from, from + c.gpus())));
    }
    return out;
  }
}

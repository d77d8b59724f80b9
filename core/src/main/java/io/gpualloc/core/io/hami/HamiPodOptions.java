package io.gpualloc.core.io.hami;

import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The options a user sets on a pod with HAMi's annotations.
 *
 * @param useGpuType {@code nvidia.com/use-gputype}: a GPU passes if its type contains one of these,
 *     case-insensitively (empty: any type)
 * @param noUseGpuType {@code nvidia.com/nouse-gputype}: a GPU whose type contains one of these,
 *     case-insensitively, is excluded
 * @param useGpuUuid {@code nvidia.com/use-gpuuuid}: the only GPU UUIDs allowed (empty: any)
 * @param noUseGpuUuid {@code nvidia.com/nouse-gpuuuid}: GPU UUIDs excluded
 * @param numaBind {@code nvidia.com/numa-bind}: all GPUs of the container on one NUMA node
 * @param gpuPolicy {@code hami.io/gpu-scheduler-policy}: the GPU-level policy chain, lower case
 *     (empty: the scheduler's default)
 * @param nodePolicy {@code hami.io/node-scheduler-policy}: {@code binpack}, {@code spread}, or
 *     empty for the scheduler's default
 */
public record HamiPodOptions(
    List<String> useGpuType,
    List<String> noUseGpuType,
    List<String> useGpuUuid,
    List<String> noUseGpuUuid,
    boolean numaBind,
    List<String> gpuPolicy,
    String nodePolicy) {

  /** The annotation {@code nvidia.com/use-gputype}. */
  public static final String USE_GPUTYPE = "nvidia.com/use-gputype";
  /** The annotation {@code nvidia.com/nouse-gputype}. */
  public static final String NOUSE_GPUTYPE = "nvidia.com/nouse-gputype";
  /** The annotation {@code nvidia.com/use-gpuuuid}. */
  public static final String USE_GPUUUID = "nvidia.com/use-gpuuuid";
  /** The annotation {@code nvidia.com/nouse-gpuuuid}. */
  public static final String NOUSE_GPUUUID = "nvidia.com/nouse-gpuuuid";
  /** The annotation {@code nvidia.com/numa-bind}. */
  public static final String NUMA_BIND = "nvidia.com/numa-bind";
  /** The annotation {@code hami.io/gpu-scheduler-policy}. */
  public static final String GPU_POLICY = "hami.io/gpu-scheduler-policy";
  /** The annotation {@code hami.io/node-scheduler-policy}. */
  public static final String NODE_POLICY = "hami.io/node-scheduler-policy";

  private static final List<String> GPU_POLICIES =
      List.of("binpack", "spread", "topology-aware", "mutex", "numa");
  private static final List<String> NODE_POLICIES = List.of("binpack", "spread");

  /**
   * Copies the lists.
   *
   * @param useGpuType types allowed (substrings)
   * @param noUseGpuType types excluded (substrings)
   * @param useGpuUuid UUIDs allowed
   * @param noUseGpuUuid UUIDs excluded
   * @param numaBind whether the GPUs must share a NUMA node
   * @param gpuPolicy the GPU-level policy chain
   * @param nodePolicy the node-level policy, or empty
   */
  public HamiPodOptions {
    useGpuType = List.copyOf(useGpuType);
    noUseGpuType = List.copyOf(noUseGpuType);
    useGpuUuid = List.copyOf(useGpuUuid);
    noUseGpuUuid = List.copyOf(noUseGpuUuid);
    gpuPolicy = List.copyOf(gpuPolicy);
    if (nodePolicy == null) {
      throw InvalidSpecException.of("HAMi pod options", "nodePolicy", null, "a string");
    }
  }

  /**
   * Reads the options from a pod's annotations; absent and empty annotations mean no constraint.
   *
   * @param owner the pod, for messages, for example {@code "pod ml/train-0"}
   * @param annotations the pod's annotations
   * @return the options
   * @throws ParseException when {@code numa-bind} is not a boolean or a policy is unknown; the
   *     message names the pod, the key and the offset
   */
  public static HamiPodOptions read(String owner, Map<String, String> annotations) {
    boolean numa = false;
    String nb = annotations.getOrDefault(NUMA_BIND, "").trim();
    if (!nb.isEmpty()) {
      switch (nb) {
        case "1": case "t": case "T": case "TRUE": case "true": case "True":
          numa = true;
          break;
        case "0": case "f": case "F": case "FALSE": case "false": case "False":
          break;
        default:
          throw new ParseException(owner, 1, 1, NUMA_BIND, "at offset 0: '" + nb
              + "'; allowed: true or false");
      }
    }
    List<String> gpu = list(annotations.get(GPU_POLICY));
    List<String> lower = new ArrayList<>();
    int offset = 0;
    String raw = annotations.getOrDefault(GPU_POLICY, "");
    for (String p : gpu) {
      String l = p.toLowerCase(Locale.ROOT);
      if (!GPU_POLICIES.contains(l)) {
        offset = Math.max(0, raw.indexOf(p));
        throw new ParseException(owner, 1, offset + 1, GPU_POLICY, "at offset " + offset + ": '"
            + p + "'; allowed: a comma list of " + String.join(", ", GPU_POLICIES));
      }
      lower.add(l);
    }
    String node = annotations.getOrDefault(NODE_POLICY, "").trim().toLowerCase(Locale.ROOT);
    if (!node.isEmpty() && !NODE_POLICIES.contains(node)) {
      throw new ParseException(owner, 1, 1, NODE_POLICY, "at offset 0: '" + node
          + "'; allowed: binpack or spread");
    }
    return new HamiPodOptions(list(annotations.get(USE_GPUTYPE)),
        list(annotations.get(NOUSE_GPUTYPE)), list(annotations.get(USE_GPUUUID)),
        list(annotations.get(NOUSE_GPUUUID)), numa, lower, node);
  }

  private static List<String> list(String value) {
    List<String> out = new ArrayList<>();
    if (value == null) {
      return out;
    }
    for (String s : value.split(",", -1)) {
      String t = s.trim();
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    return out;
  }

  /**
   * Whether a GPU of this HAMi type passes the type annotations (case-insensitive substring match,
   * as HAMi does).
   *
   * @param type the device type, for example {@code NVIDIA-NVIDIA A100-SXM4-80GB}
   * @return whether the type is allowed
   */
  public boolean allowsType(String type) {
    String t = type.toLowerCase(Locale.ROOT);
    for (String ex : noUseGpuType) {
      if (t.contains(ex.toLowerCase(Locale.ROOT))) {
        return false;
      }
    }
    if (useGpuType.isEmpty()) {
      return true;
    }
    for (String in : useGpuType) {
      if (t.contains(in.toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a GPU of this UUID passes the UUID annotations (exact match).
   *
   * @param uuid the GPU UUID
   * @return whether the UUID is allowed
   */
  public boolean allowsUuid(String uuid) {
    return !noUseGpuUuid.contains(uuid) && (useGpuUuid.isEmpty() || useGpuUuid.contains(uuid));
  }
}

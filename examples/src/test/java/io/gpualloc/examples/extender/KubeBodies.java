package io.gpualloc.examples.extender;

import java.util.List;

/** Pods, Nodes and extender bodies shaped as the API server and kube-scheduler write them. */
final class KubeBodies {
  private KubeBodies() {}

  /** A node of {@code gpus} A100-80GB registered by HAMi's device plugin (JSON form, 2.8+). */
  static String node(String name, int gpus) {
    StringBuilder reg = new StringBuilder("[");
    for (int g = 0; g < gpus; g++) {
      reg.append(g > 0 ? "," : "").append("{\\\"id\\\":\\\"GPU-").append(name).append('-')
          .append(g).append("\\\",").append(g > 0 ? "\\\"index\\\":" + g + "," : "")
          .append("\\\"count\\\":10,\\\"devmem\\\":81920,\\\"devcore\\\":100,")
          .append("\\\"type\\\":\\\"NVIDIA-NVIDIA A100-SXM4-80GB\\\",\\\"mode\\\":\\\"hami-core\\\",")
          .append("\\\"health\\\":true}");
    }
    reg.append(']');
    return "{\"kind\":\"Node\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"" + name + "\","
        + "\"uid\":\"node-" + name + "\",\"resourceVersion\":\"4711\",\"labels\":{"
        + "\"kubernetes.io/hostname\":\"" + name + "\",\"kubernetes.io/os\":\"linux\","
        + "\"nvidia.com/gpu.product\":\"NVIDIA-A100-SXM4-80GB\",\"nvidia.com/gpu.count\":\""
        + gpus + "\"},\"annotations\":{\"hami.io/node-handshake\":\"Reported 2026-11-30 10:00:00\","
        + "\"hami.io/node-nvidia-register\":\"" + reg + "\","
        + "\"node.alpha.kubernetes.io/ttl\":\"0\"}},\"spec\":{\"podCIDR\":\"10.244.1.0/24\"},"
        + "\"status\":{\"capacity\":{\"cpu\":\"64\",\"memory\":\"527952804Ki\",\"nvidia.com/gpu\":\""
        + (gpus * 10) + "\",\"pods\":\"110\"},\"allocatable\":{\"cpu\":\"63500m\",\"memory\":"
        + "\"525855652Ki\",\"nvidia.com/gpu\":\"" + (gpus * 10) + "\",\"pods\":\"110\"},"
        + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}],\"nodeInfo\":{"
        + "\"kubeletVersion\":\"v1.34.1\",\"architecture\":\"amd64\"}}}";
  }

  static String nodeList(List<String> nodes) {
    return "{\"kind\":\"NodeList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"1\"},"
        + "\"items\":[" + String.join(",", nodes) + "]}";
  }

  /** A pending pod with one init container and one GPU container. */
  static String pod(String name, String uid, String gpuLimits) {
    return "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"" + name + "\","
        + "\"namespace\":\"ml\",\"uid\":\"" + uid + "\",\"resourceVersion\":\"9001\","
        + "\"labels\":{\"app\":\"trainer\"},\"annotations\":{\"nvidia.com/use-gputype\":\"A100\"}},"
        + "\"spec\":{\"schedulerName\":\"gpualloc-scheduler\",\"priority\":0,"
        + "\"initContainers\":[{\"name\":\"fetch\",\"image\":\"busybox:1.36\",\"resources\":{}}],"
        + "\"containers\":[{\"name\":\"main\",\"image\":\"trainer:1\",\"resources\":{"
        + "\"requests\":{\"cpu\":\"2\",\"memory\":\"8Gi\"},\"limits\":{" + gpuLimits + "}}}],"
        + "\"restartPolicy\":\"Never\",\"tolerations\":[{\"key\":\"node.kubernetes.io/not-ready\","
        + "\"operator\":\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":300}]},"
        + "\"status\":{\"phase\":\"Pending\",\"qosClass\":\"Burstable\"}}";
  }

  static String byName(String pod, List<String> names) {
    StringBuilder sb = new StringBuilder("{\"Pod\":").append(pod)
        .append(",\"Nodes\":null,\"NodeNames\":[");
    for (int i = 0; i < names.size(); i++) {
      sb.append(i > 0 ? "," : "").append('"').append(names.get(i)).append('"');
    }
    return sb.append("]}").toString();
  }

  static String withNodes(String pod, List<String> nodes) {
    return "{\"Pod\":" + pod + ",\"Nodes\":{\"metadata\":{},\"items\":[" + String.join(",", nodes)
        + "]},\"NodeNames\":null}";
  }

  static String bind(String name, String uid, String node) {
    return "{\"PodName\":\"" + name + "\",\"PodNamespace\":\"ml\",\"PodUID\":\"" + uid
        + "\",\"Node\":\"" + node + "\"}";
  }
}

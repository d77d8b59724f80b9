package io.gpualloc.examples.extender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.ClusterState;
import io.gpualloc.core.io.k8s.KubeMapping.GpuSemantics;
import io.gpualloc.core.io.k8s.ResourceNames;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The server's API resync against a loopback fake: nodes listed are applied and those no longer
 * listed removed; running pods' HAMi allocations are adopted (a restarted extender); a pod missing
 * from two lists in a row is released.
 */
class ApiResyncTest {

  static String runningPod(String name, String uid, String node, String devices) {
    return "{\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"ml\",\"uid\":\"" + uid
        + "\",\"annotations\":{\"hami.io/vgpu-node\":\"" + node + "\","
        + "\"hami.io/vgpu-devices-allocated\":\"" + devices + "\",\"hami.io/bind-phase\":"
        + "\"success\"}},\"spec\":{\"nodeName\":\"" + node + "\",\"containers\":[{\"name\":\"main\","
        + "\"resources\":{\"requests\":{\"cpu\":\"1\"},\"limits\":{\"nvidia.com/gpu\":\"1\","
        + "\"nvidia.com/gpumem\":\"10000\",\"nvidia.com/gpucores\":\"20\"}}}]},"
        + "\"status\":{\"phase\":\"Running\"}}";
  }

  @Test
  void resyncFollowsNodesAndPods() throws Exception {
    try (FakeApiServer fake = new FakeApiServer()) {
      fake.nodes = KubeBodies.nodeList(List.of(KubeBodies.node("n-a", 2),
          KubeBodies.node("n-b", 2)));
      fake.pods = "{\"items\":[" + runningPod("old", "uid-old", "n-a",
          "GPU-n-a-1,NVIDIA,10000,20:;") + "]}";
      ServerConfig c = new ServerConfig("best-fit", "127.0.0.1", 0, GpuSemantics.HAMI,
          ResourceNames.defaults(), true, null, "http://unused", null, null, 0, 100, 60, 2);
      try (ExtenderServer s = ExtenderServer.start(c, new HttpApiClient(fake.uri(), null, null))) {
        ClusterState state = s.extender().state();
        assertEquals(2, state.cluster().nodeCount());
        assertNotNull(state.allocation("ml/old"), "adopted at start-up");
        assertEquals(1, state.allocation("ml/old").grants().get(0).gpuIndex());
        // n-b leaves the cluster, the pod ends
        fake.nodes = KubeBodies.nodeList(List.of(KubeBodies.node("n-a", 2)));
        fake.pods = "{\"items\":[]}";
        s.sync();
        assertFalse(state.cluster().hasNode("n-b"));
        assertNotNull(state.allocation("ml/old"), "one missing list is not enough");
        s.sync();
        assertNull(state.allocation("ml/old"), "released after two lists without it");
        assertTrue(s.metrics().scrape().contains("gpualloc_extender_nodes 1"));
      }
    }
  }
}

package io.gpualloc.benchmarks.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.ParseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class OpenbReaderTest {
  static final String NODES = "sn,cpu_milli,memory_mib,gpu,model\n"
      + "n0,64000,262144,2,P100\n"
      + "n1,96000,393216,8,G2\n";
  static final String PODS = "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,"
      + "pod_phase,creation_time,deletion_time,scheduled_time\n"
      + "p0,12000,16384,1,1000,,LS,Running,0,12537496,0\n"
      + "p1,6000,12288,1,460,V100M16|V100M32,LS,Running,427061,12902960,\n"
      + "p2,4000,0,0,0,,BE,Pending,5,9,\n";

  @Test
  void readsNodesAndBothPodForms() {
    List<OpenbNode> nodes = OpenbReader.readNodes("nodes.csv", NODES);
    assertEquals(new OpenbNode("n1", 96000, 393216, 8, "G2"), nodes.get(1));
    List<OpenbPod> pods = OpenbReader.readPods("pods.csv", PODS);
    assertEquals(3, pods.size());
    assertEquals(List.of("V100M16", "V100M32"), pods.get(1).gpuSpec());
    assertEquals(427061, pods.get(1).creationTime());
    assertEquals(OpenbPod.PodType.SHARED, pods.get(1).type());
    assertEquals(OpenbPod.PodType.CPU_ONLY, pods.get(2).type());
    List<OpenbPod> shortForm = OpenbReader.readPods("m.csv",
        "name,cpu_milli,memory_mib,num_gpu,gpu_milli\nq0,8000,100,4,1000\n");
    assertEquals(OpenbPod.PodType.MULTI_GPU, shortForm.get(0).type());
    assertEquals(-1, shortForm.get(0).creationTime());
  }

  @Test
  void malformedRowsNameFileLineAndColumn() {
    ParseException e = assertThrows(ParseException.class, () -> OpenbReader.readPods("pods.csv",
        "name,cpu_milli,memory_mib,num_gpu,gpu_milli\nq0,8000,100,4,1000\nq1,80x0,100,1,1000\n"));
    assertEquals(3, e.line());
    assertEquals(2, e.column());
    assertTrue(e.getMessage().contains("80x0"), e.getMessage());
    assertTrue(e.getMessage().startsWith("pods.csv:3:2"), e.getMessage());

    e = assertThrows(ParseException.class, () -> OpenbReader.readPods("pods.csv",
        "name,cpu_milli,memory_mib,num_gpu,gpu_milli\nq0,8000,100,2,500\n"));
    assertEquals(5, e.column());

    e = assertThrows(ParseException.class, () -> OpenbReader.readPods("pods.csv",
        "name,cpu_milli,memory_mib,num_gpu,gpu_milli\nq0,8000,100\n"));
    assertEquals(2, e.line());

    e = assertThrows(ParseException.class, () -> OpenbReader.readNodes("nodes.csv",
        "sn,cpu_milli,memory_mib,gpu\nn0,1,1,1\n"));
    assertTrue(e.getMessage().contains("model"), e.getMessage());

    e = assertThrows(ParseException.class, () -> OpenbReader.readNodes("nodes.csv",
        "sn,cpu_milli,memory_mib,gpu,model\nn0,1,1,2,\n"));
    assertEquals(5, e.column());

    e = assertThrows(ParseException.class, () -> OpenbReader.readPods("pods.csv",
        PODS.replace("0,12537496,0", "-4,12537496,0")));
    assertTrue(e.getMessage().contains("creation_time"), e.getMessage());
  }

  @Test
  void readsTheSharedTraceWhenPresent() {
    Path dir = Path.of(System.getProperty("gpualloc.shared", "../../shared"), "traces", "openb");
    Assumptions.assumeTrue(Files.isDirectory(dir),
        "../shared/traces/openb absent: skipping the real-trace reader test");
    List<OpenbNode> nodes = OpenbReader.readNodes(dir.resolve("openb_node_list_gpu_node.csv"));
    assertEquals(1213, nodes.size());
    assertEquals(6212, nodes.stream().mapToInt(OpenbNode::gpus).sum());
    List<OpenbPod> pods = OpenbReader.readPods(dir.resolve("openb_pod_list_default.csv"));
    assertEquals(8152, pods.size());
    assertEquals(1088, pods.stream().filter(p -> p.numGpu() == 0).count());
    assertEquals(6_086_800, pods.stream().mapToLong(OpenbPod::gpuRequestMilli).sum());
    for (String f : List.of("multigpu50", "gpuspec33", "cpu250", "gpushare100")) {
      assertTrue(OpenbReader.readPods(dir.resolve("openb_pod_list_" + f + ".csv")).size() > 8000);
    }
  }

  @Test
  void syntheticWorkloadHasThePublishedComposition() {
    List<OpenbNode> nodes = SyntheticOpenb.nodes();
    assertEquals(1213, nodes.size());
    assertEquals(6212, nodes.stream().mapToInt(OpenbNode::gpus).sum());
    assertEquals(4392, nodes.stream().filter(n -> n.model().equals("G2"))
        .mapToInt(OpenbNode::gpus).sum());
    List<OpenbPod> pods = SyntheticOpenb.pods(7);
    assertEquals(8152, pods.size());
    assertEquals(1088, pods.stream().filter(p -> p.type() == OpenbPod.PodType.CPU_ONLY).count());
    assertEquals(3078, pods.stream().filter(p -> p.type() == OpenbPod.PodType.SHARED).count());
    assertEquals(3911, pods.stream().filter(p -> p.type() == OpenbPod.PodType.ONE_GPU).count());
    assertEquals(75, pods.stream().filter(p -> p.type() == OpenbPod.PodType.MULTI_GPU).count());
    assertEquals(pods, SyntheticOpenb.pods(7));
    assertEquals(1213, OpenbModels.cluster(nodes).nodeCount());
  }
}

package io.gpualloc.benchmarks.k8s;

import io.gpualloc.core.ReadLimits;
import io.gpualloc.core.io.hami.ContainerDevice;
import io.gpualloc.core.io.hami.HamiCodec;
import io.gpualloc.core.io.hami.HamiDevice;
import io.gpualloc.core.io.k8s.KubeMapping;
import io.gpualloc.core.io.k8s.KubeMapping.GpuSemantics;
import io.gpualloc.core.io.k8s.KubeNode;
import io.gpualloc.core.io.k8s.KubePod;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What an extender does per request before any policy runs: map a full Pod (two app containers,
 * an init container, HAMi resources and annotations) and a full Node with HAMi's 8-GPU register
 * annotation (JSON form and CSV form), and read one pod's allocation annotation.
 *
 * <p>{@code java -jar benchmarks/target/gpualloc-benchmarks.jar KubeMappingBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class KubeMappingBenchmark {
  private final KubeMapping mapping = KubeMapping.of(GpuSemantics.HAMI);
  private String pod;
  private String nodeJson;
  private String nodeCsv;
  private String allocation;

  /** Builds the inputs. */
  @Setup
  public void setUp() {
    pod = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"train-0\","
        + "\"namespace\":\"ml\",\"uid\":\"5f0c9a1e-0000-4000-8000-000000000001\","
        + "\"labels\":{\"app\":\"trainer\",\"team\":\"vision\"},"
        + "\"annotations\":{\"hami.io/gpu-scheduler-policy\":\"binpack\","
        + "\"nvidia.com/use-gputype\":\"A100,H100\"}},"
        + "\"spec\":{\"schedulerName\":\"hami-scheduler\",\"priority\":100,"
        + "\"initContainers\":[{\"name\":\"fetch\",\"image\":\"busybox\",\"resources\":"
        + "{\"requests\":{\"cpu\":\"250m\",\"memory\":\"256Mi\"}}}],"
        + "\"containers\":[{\"name\":\"main\",\"image\":\"trainer:1\",\"resources\":{"
        + "\"requests\":{\"cpu\":\"4\",\"memory\":\"32Gi\"},\"limits\":{\"nvidia.com/gpu\":\"2\","
        + "\"nvidia.com/gpumem\":\"20000\",\"nvidia.com/gpucores\":\"30\"}}},"
        + "{\"name\":\"sidecar\",\"image\":\"log:1\",\"resources\":{\"requests\":"
        + "{\"cpu\":\"100m\",\"memory\":\"64Mi\"}}}]},\"status\":{\"phase\":\"Pending\"}}";
    List<HamiDevice> devices = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      devices.add(new HamiDevice("GPU-0000000" + i + "-aaaa-bbbb-cccc-ddddeeeeffff", i, 10, 81920,
          100, "NVIDIA-NVIDIA A100-SXM4-80GB", i / 4, "hami-core", true, List.of()));
    }
    nodeJson = node(HamiCodec.writeRegisterJson(devices));
    nodeCsv = node(HamiCodec.writeRegisterCsv(devices));
    allocation = HamiCodec.writeAllocation(List.of(List.of(), List.of(
        new ContainerDevice(devices.get(0).id(), "NVIDIA", 20000, 30),
        new ContainerDevice(devices.get(1).id(), "NVIDIA", 20000, 30)), List.of()));
  }

  private static String node(String register) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"gpu-a\","
        + "\"labels\":{\"kubernetes.io/hostname\":\"gpu-a\",\"nvidia.com/gpu.clique\":\"c1.0\","
        + "\"nvidia.com/gpu.product\":\"NVIDIA-A100-SXM4-80GB\",\"nvidia.com/gpu.count\":\"8\"},"
        + "\"annotations\":{\"hami.io/node-nvidia-register\":\""
        + register.replace("\"", "\\\"") + "\"}},\"spec\":{\"podCIDR\":\"10.0.0.0/24\"},"
        + "\"status\":{\"capacity\":{\"cpu\":\"96\",\"memory\":\"1056763292Ki\"},"
        + "\"allocatable\":{\"cpu\":\"95500m\",\"memory\":\"1056763292Ki\","
        + "\"nvidia.com/gpu\":\"80\",\"pods\":\"110\"}}}";
  }

  /**
   * One full Pod to a request.
   *
   * @return the pod
   */
  @Benchmark
  public KubePod readPod() {
    return mapping.readPod(pod);
  }

  /**
   * One full Node with the JSON register annotation.
   *
   * @return the node
   */
  @Benchmark
  public KubeNode readNodeJsonRegister() {
    return mapping.readNode(nodeJson);
  }

  /**
   * One full Node with the CSV register annotation.
   *
   * @return the node
   */
  @Benchmark
  public KubeNode readNodeCsvRegister() {
    return mapping.readNode(nodeCsv);
  }

  /**
   * One pod's allocation annotation.
   *
   * @return the containers' devices
   */
  @Benchmark
  public List<List<ContainerDevice>> readAllocation() {
    return HamiCodec.readAllocation("pod ml/train-0", HamiCodec.DEVICES_ALLOCATED, allocation,
        ReadLimits.defaults());
  }
}

package io.gpualloc.examples.extender;

import io.gpualloc.core.GpuallocException;
import io.gpualloc.core.io.k8s.KubeMapping.GpuSemantics;
import io.gpualloc.core.io.k8s.ResourceNames;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the extender server: {@code java -cp ... io.gpualloc.examples.extender.ExtenderServerMain
 * --config extender.yaml [flags]}. Flags override the YAML file, which overrides {@link
 * ServerConfig#defaults()}.
 */
@Command(name = "gpualloc-extender", mixinStandardHelpOptions = true,
    description = "A kube-scheduler extender (filter, prioritize, bind, preempt) on gpualloc.")
public final class ExtenderServerMain implements Callable<Integer> {
  @Option(names = "--config", description = "YAML settings file")
  @Nullable Path config;

  @Option(names = "--policy", description = "placement policy name")
  @Nullable String policy;

  @Option(names = "--address", description = "listen address")
  @Nullable String address;

  @Option(names = "--port", description = "listen port (0: any)")
  @Nullable Integer port;

  @Option(names = "--semantics", description = "HAMI or WHOLE")
  @Nullable GpuSemantics semantics;

  @Option(names = "--node-cache-capable", arity = "1", description = "true or false")
  @Nullable Boolean nodeCacheCapable;

  @Option(names = "--nodes-dir", description = "directory of Node/NodeList JSON files")
  @Nullable String nodesDir;

  @Option(names = "--api", description = "none, in-cluster, or an API server URL")
  @Nullable String api;

  @Option(names = "--token-file", description = "bearer token file for an API server URL")
  @Nullable String tokenFile;

  @Option(names = "--ca-file", description = "CA file (PEM) for an API server URL")
  @Nullable String caFile;

  @Option(names = "--gpu-resource", description = "resource counting GPUs")
  @Nullable String gpu;

  @Option(names = "--gpumem-resource", description = "HAMi memory resource (MiB)")
  @Nullable String gpuMemory;

  @Option(names = "--gpumem-percentage-resource", description = "HAMi memory resource (%)")
  @Nullable String gpuMemoryPercentage;

  @Option(names = "--gpucores-resource", description = "HAMi cores resource (%)")
  @Nullable String gpuCores;

  @Option(names = "--threads", description = "HTTP worker threads")
  @Nullable Integer threads;

  /** A command with no flag set. */
  public ExtenderServerMain() {}

  /**
   * Starts the server and waits until the process ends.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    System.exit(new CommandLine(new ExtenderServerMain()).execute(args));
  }

  /**
   * The settings the flags and the YAML file give.
   *
   * @return the settings
   * @throws java.io.IOException when the YAML file cannot be read
   */
  ServerConfig settings() throws java.io.IOException {
    ServerConfig c = ServerConfig.defaults();
    if (config != null) {
      c = ServerConfig.fromYaml(Files.readString(config), c);
    }
    ResourceNames n = c.names().withHami(pick(gpu, c.names().gpu()),
        pick(gpuMemory, c.names().gpuMemory()),
        pick(gpuMemoryPercentage, c.names().gpuMemoryPercentage()),
        pick(gpuCores, c.names().gpuCores()));
    return new ServerConfig(pick(policy, c.policy()), pick(address, c.address()),
        port != null ? port : c.port(), semantics != null ? semantics : c.semantics(), n,
        nodeCacheCapable != null ? nodeCacheCapable : c.nodeCacheCapable(),
        nodesDir != null ? nodesDir : c.nodesDir(), pick(api, c.api()),
        tokenFile != null ? tokenFile : c.tokenFile(), caFile != null ? caFile : c.caFile(),
        c.nodeResyncSeconds(), c.maxPendingPods(), c.pendingTtlSeconds(),
        threads != null ? threads : c.threads());
  }

  private static String pick(@Nullable String flag, String value) {
    return flag != null ? flag : value;
  }

  @Override
  public Integer call() throws Exception {
    ServerConfig c;
    try {
      c = settings();
    } catch (GpuallocException e) {
      System.err.println("gpualloc-extender: " + e.getMessage());
      return 2;
    }
    ApiClient client = switch (c.api()) {
      case "none" -> ApiClient.NONE;
      case "in-cluster" -> HttpApiClient.inCluster();
      default -> new HttpApiClient(URI.create(c.api()),
          c.tokenFile() == null ? null : Path.of(c.tokenFile()),
          c.caFile() == null ? null : Path.of(c.caFile()));
    };
    ExtenderServer server = ExtenderServer.start(c, client);
    System.out.println("gpualloc-extender: policy " + c.policy() + ", listening on "
        + c.address() + ":" + server.port() + ", nodeCacheCapable " + c.nodeCacheCapable()
        + ", " + server.extender().state().cluster().nodeCount() + " nodes");
    CountDownLatch forever = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      forever.countDown();
    }));
    forever.await();
    return 0;
  }
}

package io.gpualloc.examples.extender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.ParseException;
import io.gpualloc.core.io.k8s.KubeMapping.GpuSemantics;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The deployment files of {@code examples/deploy}: the scheduler's extender stanza names verbs the
 * server answers, on the port and with the {@code nodeCacheCapable} and resource names the
 * server's own settings file gives; RBAC grants what bind and the resync use.
 */
class DeployFilesTest {
  static final Path DEPLOY = Path.of("deploy");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static List<JsonNode> docs(String file) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class)
        .readValues(Files.readString(DEPLOY.resolve(file)))) {
      while (it.hasNext()) {
        out.add(it.next());
      }
    }
    return out;
  }

  @Test
  void theExtenderStanzaMatchesTheServer() throws Exception {
    JsonNode sched = docs("scheduler-config.yaml").get(0);
    assertEquals("kubescheduler.config.k8s.io/v1", sched.get("apiVersion").asText());
    assertEquals("KubeSchedulerConfiguration", sched.get("kind").asText());
    assertEquals("gpualloc-scheduler", sched.get("profiles").get(0).get("schedulerName").asText());
    JsonNode ext = sched.get("extenders").get(0);
    ServerConfig cfg = ServerConfig.fromYaml(Files.readString(DEPLOY.resolve("extender.yaml")),
        ServerConfig.defaults());
    URI prefix = URI.create(ext.get("urlPrefix").asText());
    assertEquals("http", prefix.getScheme());
    assertFalse(ext.get("enableHTTPS").asBoolean());
    assertEquals(cfg.port(), prefix.getPort());
    assertEquals(cfg.address(), prefix.getHost());
    assertEquals(cfg.nodeCacheCapable(), ext.get("nodeCacheCapable").asBoolean());
    assertTrue(ext.get("weight").asInt() > 0);
    assertTrue(ext.has("ignorable"));
    Set<String> managed = new HashSet<>();
    for (JsonNode r : ext.get("managedResources")) {
      managed.add(r.get("name").asText());
      assertTrue(r.get("ignoredByScheduler").asBoolean(), r.toString());
    }
    assertEquals(Set.of(cfg.names().gpu(), cfg.names().gpuMemory(),
        cfg.names().gpuMemoryPercentage(), cfg.names().gpuCores()), managed);
    // every verb is an endpoint of the server: POST kube-scheduler's path, get 200 and JSON
    ServerConfig local = new ServerConfig(cfg.policy(), "127.0.0.1", 0, cfg.semantics(),
        cfg.names(), cfg.nodeCacheCapable(), null, "none", null, null, 0, 100, 60, 2);
    try (ExtenderServer s = ExtenderServer.start(local, ApiClient.NONE)) {
      for (String verb : List.of("filterVerb", "prioritizeVerb", "bindVerb", "preemptVerb")) {
        String path = "/" + ext.get(verb).asText();
        HttpResponse<String> r = ExtenderServerTest.post(s, path, "{}");
        assertEquals(200, r.statusCode(), path);
        YAML.readTree(r.body()); // JSON is YAML
      }
    }
  }

  @Test
  void rbacGrantsWhatTheServerCalls() throws Exception {
    JsonNode role = null;
    for (JsonNode d : docs("rbac.yaml")) {
      if (d.get("kind").asText().equals("ClusterRole")) {
        role = d;
      }
    }
    Set<String> grants = new HashSet<>();
    for (JsonNode rule : role.get("rules")) {
      for (JsonNode res : rule.get("resources")) {
        for (JsonNode verb : rule.get("verbs")) {
          grants.add(res.asText() + ":" + verb.asText());
        }
      }
    }
    for (String need : List.of("pods:patch", "pods:list", "pods/binding:create", "nodes:list",
        "nodes:get", "events:create")) {
      assertTrue(grants.contains(need), need + " not in " + grants);
    }
  }

  @Test
  void theDeploymentRunsBothContainersOnTheConfigMap() throws Exception {
    JsonNode dep = docs("deployment.yaml").get(0);
    assertEquals("Deployment", dep.get("kind").asText());
    JsonNode spec = dep.get("spec").get("template").get("spec");
    assertEquals("gpualloc-scheduler", spec.get("serviceAccountName").asText());
    JsonNode containers = spec.get("containers");
    assertEquals(2, containers.size());
    assertTrue(containers.get(0).get("command").toString()
        .contains("--config=/etc/gpualloc/scheduler-config.yaml"));
    assertTrue(containers.get(1).get("args").toString()
        .contains("--config=/etc/gpualloc/extender.yaml"));
    assertEquals(8888, containers.get(1).get("readinessProbe").get("httpGet").get("port").asInt());
    String docker = Files.readString(DEPLOY.resolve("Dockerfile"));
    assertTrue(docker.contains(ExtenderServerMain.class.getName()));
  }

  @Test
  void flagsOverrideTheYamlFile() throws Exception {
    ExtenderServerMain main = new ExtenderServerMain();
    new CommandLine(main).parseArgs("--config", DEPLOY.resolve("extender.yaml").toString(),
        "--policy", "first-fit", "--port", "9999", "--gpumem-resource", "example.com/vmem",
        "--node-cache-capable", "false", "--semantics", "WHOLE");
    ServerConfig c = main.settings();
    assertEquals("first-fit", c.policy());
    assertEquals(9999, c.port());
    assertEquals("example.com/vmem", c.names().gpuMemory());
    assertFalse(c.nodeCacheCapable());
    assertEquals(GpuSemantics.WHOLE, c.semantics());
    assertEquals("in-cluster", c.api()); // from the file
  }

  @Test
  void badSettingsAreTypedErrors() {
    ParseException unknown = assertThrows(ParseException.class,
        () -> ServerConfig.fromYaml("polcy: best-fit\n", ServerConfig.defaults()));
    assertTrue(unknown.getMessage().contains("polcy"), unknown.getMessage());
    ParseException port = assertThrows(ParseException.class,
        () -> ServerConfig.fromYaml("port: high\n", ServerConfig.defaults()));
    assertTrue(port.getMessage().contains("port"));
    InvalidSpecException policy = assertThrows(InvalidSpecException.class,
        () -> ServerConfig.fromYaml("policy: magic\n", ServerConfig.defaults()));
    assertTrue(policy.getMessage().contains("best-fit"), policy.getMessage());
  }
}

package io.gpualloc.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.Node;
import io.gpualloc.core.ParseException;
import io.gpualloc.core.Placement;
import io.gpualloc.core.Request;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Every error path of the readers: a ParseException with source, line, column and field path. */
class ClusterFormatErrorsTest {

  private static ParseException fails(Executable call) {
    return assertThrows(ParseException.class, call);
  }

  private static void check(
      ParseException e, int line, int column, String path, String... fragments) {
    assertEquals(path, e.path(), e.getMessage());
    assertEquals(line, e.line(), e.getMessage());
    assertEquals(column, e.column(), e.getMessage());
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), () -> "'" + f + "' not in: " + e.getMessage());
    }
  }

  private static ParseException cluster(String yaml) {
    return fails(() -> ClusterFormat.readCluster(yaml, Format.YAML));
  }

  private static ParseException clusterJson(String json) {
    return fails(() -> ClusterFormat.readCluster(json, Format.JSON));
  }

  /** One node {@code n} with valid CPU and memory, then {@code more} (lines indented by 4). */
  private static ParseException node(String more) {
    return cluster("nodes:\n  - name: n\n    cpuMilli: 1000\n    memoryMib: 1024\n" + more);
  }

  // --- syntax and document shape ----------------------------------------------------------------

  @Test
  void yamlSyntaxErrorsGiveTheProblemMark() {
    check(cluster("nodes: [a, b\n"), 2, 1, "nodes", "input:2:1", "syntax error", "']'");
    check(cluster("nodes:\n  - name: x\n   cpuMilli: 1\n"), 3, 4, "nodes", "syntax error");
    check(cluster("nodes:\n\t- name: x\n"), 2, 1, "", "syntax error", "TAB");
  }

  @Test
  void jsonSyntaxErrorsGiveJacksonsLocation() {
    ParseException e = clusterJson("{\"nodes\": [}");
    check(e, 1, 12, "nodes", "syntax error", "line 1, column 11");
    assertTrue(!e.getMessage().contains("REDACTED"), e.getMessage());
    check(clusterJson("{\"nodes\": []} x"), 1, 15, "", "syntax error", "'x'");
    check(clusterJson("{\"nodes\": [\n  {\"name\": \"a\",}\n]}"), 2, 16, "nodes[0]", "syntax error");
    check(clusterJson("{\"nodes\": ["), 1, 12, "nodes", "end-of-input");
  }

  @Test
  void onlyOneDocumentIsAllowed() {
    check(clusterJson("{\"nodes\": []} {}"), 1, 15, "", "only one document");
    check(cluster("nodes: []\n---\nnodes: []\n"), 3, 1, "", "only one document");
  }

  @Test
  void emptyInputIsAnError() {
    check(cluster(""), 0, 0, "", "the input is empty");
    check(cluster("# only a comment\n"), 0, 0, "", "the input is empty");
    check(cluster("---\n"), 0, 0, "", "the input is empty");
    check(clusterJson("  "), 0, 0, "", "the input is empty");
    check(clusterJson("null"), 0, 0, "", "the input is empty");
  }

  @Test
  void topLevelMustBeAnObject() {
    check(cluster("- a\n"), 1, 1, "", "expected a cluster (an object), got a list");
    check(clusterJson("42"), 1, 1, "", "expected a cluster (an object), got the integer 42");
  }

  @Test
  void deepNestingIsRejectedWithoutStackOverflow() {
    String deep = "[".repeat(3000) + "]".repeat(3000);
    ParseException j = clusterJson("{\"nodes\": " + deep + "}");
    assertTrue(j.getMessage().contains("nesting depth"), j.getMessage());
    assertTrue(j.path().length() <= 200, j.path());
    ParseException y = cluster("nodes: " + deep + "\n");
    assertTrue(y.getMessage().contains("nesting depth"), y.getMessage());
  }

  @Test
  void yamlAliasesAreRejectedRatherThanReadAsTheirName() {
    ParseException e = fails(() -> ClusterFormat.readRequests(
        "requests:\n  - {name: &n a, cpuMilli: 5}\n  - {name: *n}\n", Format.YAML));
    check(e, 3, 12, "requests[1].name", "YAML aliases (*n) are not supported");
    check(fails(() -> ClusterFormat.readRequests("requests:\n  - &r {name: a}\n  - *r\n",
        Format.YAML)), 3, 5, "requests[1]", "(*r)");
  }

  @Test
  void duplicateKeysAreRejected() {
    check(cluster("nodes: []\nnodes: []\n"), 2, 1, "nodes", "duplicate field 'nodes'");
    check(clusterJson("{\"nodes\": [], \"nodes\": []}"), 1, 15, "nodes", "duplicate field");
  }

  // --- fields: unknown, missing, wrong type -----------------------------------------------------

  @Test
  void unknownFieldsAreRejectedWithASuggestion() {
    check(cluster("nodes: []\nnodez: 1\n"), 2, 1, "nodez",
        "unknown field 'nodez' in a cluster; allowed: models, nodes.", "Maybe 'nodes'?");
    check(node("    cpuMili: 5\n"), 5, 5, "nodes[0].cpuMili", "Maybe 'cpuMilli'?");
    ParseException e = node("    colour: red\n");
    check(e, 5, 5, "nodes[0].colour", "allowed: name, labels, cpuMilli, memoryMib, gpus.");
    assertTrue(!e.getMessage().contains("Maybe"), e.getMessage());
    check(node("    gpus: {model: T4, count: 1, uuid: x}\n"), 5, 33, "nodes[0].gpus.uuid",
        "in a GPU group");
    check(node("    gpus:\n      - {model: T4, gpu: 0}\n"), 6, 21, "nodes[0].gpus[0].gpu",
        "in a GPU;");
  }

  @Test
  void missingRequiredFieldsPointAtTheirObject() {
    check(cluster("models: []\n"), 1, 1, "nodes", "missing required field 'nodes' (a list)");
    check(cluster("nodes:\n  - cpuMilli: 1\n    memoryMib: 1\n"), 2, 5, "nodes[0].name",
        "missing required field 'name' (a string) in a node");
    check(cluster("nodes:\n  - name: a\n    memoryMib: 1\n"), 2, 5, "nodes[0].cpuMilli",
        "missing required field 'cpuMilli' (an integer)");
    check(cluster("nodes:\n  - {name: a, cpuMilli: ~, memoryMib: 1}\n"), 2, 5,
        "nodes[0].cpuMilli", "missing required field 'cpuMilli'");
    check(node("    gpus: {count: 8}\n"), 5, 11, "nodes[0].gpus.model", "missing required field");
    check(node("    gpus: {model: T4}\n"), 5, 11, "nodes[0].gpus.count", "missing required field");
  }

  @Test
  void wrongTypesNameTheExpectedType() {
    check(cluster("nodes: 5\n"), 1, 8, "nodes", "expected a list, got the integer 5");
    check(cluster("nodes: [5]\n"), 1, 9, "nodes[0]", "expected a node (an object), got the integer");
    check(cluster("nodes:\n  - name: [a]\n"), 2, 11, "nodes[0].name", "expected a string, got a list");
    check(cluster("nodes:\n  - {name: n, cpuMilli: abc, memoryMib: 1}\n"), 2, 25,
        "nodes[0].cpuMilli", "expected an integer, got the string 'abc'");
    check(cluster("nodes:\n  - {name: n, cpuMilli: \"8\", memoryMib: 1}\n"), 2, 25,
        "nodes[0].cpuMilli", "Maybe remove the quotes");
    check(cluster("nodes:\n  - {name: n, cpuMilli: 1.5, memoryMib: 1}\n"), 2, 25,
        "nodes[0].cpuMilli", "expected an integer, got the number 1.5");
    check(cluster("nodes:\n  - {name: n, cpuMilli: true, memoryMib: 1}\n"), 2, 25,
        "nodes[0].cpuMilli", "got the boolean true");
    check(cluster("nodes:\n  - {name: n, cpuMilli: 99999999999, memoryMib: 1}\n"), 2, 25,
        "nodes[0].cpuMilli", "out of range");
    check(node("    labels: [a]\n"), 5, 13, "nodes[0].labels", "expected an object");
    check(node("    labels: {rack: }\n"), 5, 19, "nodes[0].labels.rack", "got null");
    check(node("    labels: {rack: [r1]}\n"), 5, 20, "nodes[0].labels.rack", "expected a string");
    check(node("    gpus: 8\n"), 5, 11, "nodes[0].gpus", "expected a GPU group");
    check(node("    gpus: [T4]\n"), 5, 12, "nodes[0].gpus[0]", "expected a GPU (an object)");
  }

  @Test
  void theWrongTypeOfAGpuCountOnTheFourthNode() {
    String yaml = "nodes:\n"
        + "  - {name: a, cpuMilli: 1, memoryMib: 1}\n"
        + "  - {name: b, cpuMilli: 1, memoryMib: 1}\n"
        + "  - {name: c, cpuMilli: 1, memoryMib: 1}\n"
        + "  - name: d\n"
        + "    cpuMilli: 1\n"
        + "    memoryMib: 1\n"
        + "    gpus: {model: A100-80GB, count: eight}\n";
    check(cluster(yaml), 8, 37, "nodes[3].gpus.count", "input:8:37 at nodes[3].gpus.count");
  }

  // --- values the model rejects ------------------------------------------------------------------

  @Test
  void nodeValuesRejectedByTheRecordsPointAtTheField() {
    check(cluster("nodes:\n  - {name: n, cpuMilli: -5, memoryMib: 1}\n"), 2, 25,
        "nodes[0].cpuMilli", "cpuMilli of node n is -5; allowed: >= 0");
    check(cluster("nodes:\n  - {name: ' ', cpuMilli: 1, memoryMib: 1}\n"), 2, 12, "nodes[0].name",
        "a non-blank string");
    check(node("    labels: {' ': x}\n"), 5, 13, "nodes[0].labels", "label key");
    check(node("    gpus: {model: T4, count: -1}\n"), 5, 30, "nodes[0].gpus.count", "0..128");
    check(node("    gpus: {model: T4, count: 2, numaNodes: 0}\n"), 5, 44, "nodes[0].gpus.numaNodes",
        ">= 1");
    check(node("    gpus:\n      - {model: T4, index: 3}\n"), 6, 28, "nodes[0].gpus[0].index",
        "allowed: 0 (GPU index i must sit at position i)");
    check(node("    gpus:\n      - {model: T4, numa: -1}\n"), 6, 27, "nodes[0].gpus[0].numa",
        "numaNode of GPU 0 is -1");
    check(node("    gpus:\n      - {model: T4, uuid: ''}\n"), 6, 27, "nodes[0].gpus[0].uuid",
        "non-blank");
  }

  @Test
  void clusterWideRulesPointAtTheLaterDuplicate() {
    check(cluster("nodes:\n  - {name: a, cpuMilli: 1, memoryMib: 1}\n"
            + "  - {name: a, cpuMilli: 1, memoryMib: 1}\n"), 3, 12, "nodes[1].name",
        "unique node names");
    check(cluster("nodes:\n  - {name: a, cpuMilli: 1, memoryMib: 1, gpus: [{model: T4, uuid: u}]}\n"
            + "  - {name: b, cpuMilli: 1, memoryMib: 1, gpus: [{model: T4, uuid: u}]}\n"),
        3, 67, "nodes[1].gpus[0].uuid", "UUIDs unique in the cluster (also used by a)");
    // the compact form's generated UUID collides: the path stops at the group that generated it
    check(cluster("nodes:\n  - {name: a, cpuMilli: 1, memoryMib: 1, gpus: [{model: T4, uuid: GPU-b-0}]}\n"
            + "  - {name: b, cpuMilli: 1, memoryMib: 1, gpus: {model: T4, count: 1}}\n"),
        3, 48, "nodes[1].gpus", "'GPU-b-0'");
  }

  @Test
  void unknownModelsAreNamedWithTheKnownOnes() {
    check(node("    gpus: {model: A100-80G, count: 1}\n"), 5, 19, "nodes[0].gpus.model",
        "unknown GPU model 'A100-80G'", "known: P100-16GB, ", "Maybe 'A100-80GB'?",
        "define it in the top-level 'models' list");
    check(node("    gpus:\n      - {model: T4}\n      - {model: G9}\n"), 7, 17,
        "nodes[0].gpus[1].model", "unknown GPU model 'G9'");
    // a model of the file is known to its nodes, and a given catalog replaces the built-in one
    String own = "models: [{name: G9, memoryMib: 100}]\nnodes:\n"
        + "  - {name: n, cpuMilli: 1, memoryMib: 1, gpus: {model: G9, count: 1}}\n";
    assertEquals(GpuModel.of("G9", 100),
        ClusterFormat.readCluster(own, Format.YAML).node(0).gpu(0).model());
    ParseException e = fails(() -> ClusterFormat.readCluster(
        "nodes: [{name: n, cpuMilli: 1, memoryMib: 1, gpus: {model: T4, count: 1}}]",
        Format.YAML, "empty-catalog", GpuModelCatalog.empty()));
    check(e, 1, 60, "nodes[0].gpus.model", "empty-catalog:1:60", "unknown GPU model 'T4'");
  }

  @Test
  void modelDefinitionErrors() {
    check(cluster("models:\n  - {memoryMib: 5}\nnodes: []\n"), 2, 5, "models[0].name",
        "missing required field 'name'");
    check(cluster("models:\n  - {name: X, memoryMib: 0}\nnodes: []\n"), 2, 26,
        "models[0].memoryMib", "memoryMib of GPU model X is 0; allowed: >= 1");
    check(cluster("models:\n  - {name: X, memoryMib: 5, computeCapability: [8]}\nnodes: []\n"),
        2, 48, "models[0].computeCapability", "expected a string");
    check(cluster("models:\n  - {name: T4, memoryMib: 5}\nnodes: []\n"), 2, 12, "models[0].name",
        "'T4'", "not already defined differently");
    check(cluster("models:\n  - {name: X, memoryMib: 5}\n  - {name: x, memoryMib: 6}\nnodes: []\n"),
        3, 12, "models[1].name", "not already defined differently");
    String mig = "models:\n  - name: X\n    memoryMib: 5\n    mig:\n";
    check(cluster(mig + "      computeSlices: 7\n      memorySlices: 8\n      profiles: []\n"
        + "nodes: []\n"), 7, 17, "models[0].mig.profiles", "at least one profile");
    check(cluster(mig + "      computeSlices: 0\n      memorySlices: 8\n      profiles:\n"
            + "        - {name: p, computeSlices: 1, memorySlices: 1, memoryMib: 1, maxCount: 1,"
            + " startSlots: [0], placementSize: 1}\nnodes: []\n"), 5, 22, "models[0].mig.computeSlices",
        "1..31");
    check(cluster(mig + "      computeSlices: 7\n      memorySlices: 8\nnodes: []\n"), 5, 7,
        "models[0].mig.profiles", "missing required field 'profiles'");
    check(cluster(mig + "      computeSlices: 7\n      memorySlices: 8\n      sizes: 1\n"
        + "nodes: []\n"), 7, 7, "models[0].mig.sizes", "in a MIG geometry");
    String profile = mig + "      computeSlices: 7\n      memorySlices: 8\n      profiles:\n"
        + "        - name: p\n          computeSlices: 1\n          memorySlices: 1\n"
        + "          memoryMib: 1\n          maxCount: 1\n          placementSize: 1\n";
    check(cluster(profile + "          startSlots: [3, 1]\nnodes: []\n"), 14, 23,
        "models[0].mig.profiles[0].startSlots", "ascending slots");
    check(cluster(profile + "          startSlots: [0, x]\nnodes: []\n"), 14, 27,
        "models[0].mig.profiles[0].startSlots[1]", "expected an integer");
    check(cluster(profile + "          startSlots: [0]\n          mediaExtension: 1\nnodes: []\n"),
        15, 27, "models[0].mig.profiles[0].mediaExtension", "expected a boolean");
    check(cluster(profile + "          startSlots: [0]\n          profileId: -2\nnodes: []\n"),
        15, 22, "models[0].mig.profiles[0].profileId", ">= -1");
    check(cluster(profile.replace("computeSlices: 1", "computeSlices: 9")
            + "          startSlots: [0]\nnodes: []\n"), 2, 5, "models[0]",
        "computeSlices of GPU model X profile p is 9");
  }

  // --- requests ---------------------------------------------------------------------------------

  private static ParseException requests(String yaml) {
    return fails(() -> ClusterFormat.readRequests(yaml, Format.YAML));
  }

  @Test
  void requestErrors() {
    check(requests("nodes: []\n"), 1, 1, "nodes", "unknown field 'nodes' in a request list");
    check(requests("requests: {}\n"), 1, 11, "requests", "expected a list");
    check(requests("requests:\n  - {cpuMilli: 1}\n"), 2, 5, "requests[0].name", "missing");
    check(requests("requests:\n  - {name: r, cpuMili: 1}\n"), 2, 15, "requests[0].cpuMili",
        "Maybe 'cpuMilli'?");
    check(requests("requests:\n  - {name: r, memoryMib: -1}\n"), 2, 26, "requests[0].memoryMib",
        "memoryMib of request r is -1");
    check(requests("requests:\n  - {name: r, priority: 1.0}\n"), 2, 25, "requests[0].priority",
        "expected an integer");
    check(requests("requests:\n  - {name: r, topology: strict}\n"), 2, 25, "requests[0].topology",
        "'strict' is not allowed for topology; allowed: any, preferred, required");
    check(requests("requests:\n  - {name: r, topology: requird}\n"), 2, 25, "requests[0].topology",
        "Maybe 'required'?");
    check(requests("requests:\n  - {name: r, modelInclude: T4}\n"), 2, 29,
        "requests[0].modelInclude", "expected a list");
    check(requests("requests:\n  - {name: r, modelInclude: [T4, {a: 1}]}\n"), 2, 34,
        "requests[0].modelInclude[1]", "expected a string");
    check(requests("requests:\n  - {name: r, uuidExclude: [u, u]}\n"), 2, 32,
        "requests[0].uuidExclude[1]", "duplicate entry 'u'");
    check(requests("requests:\n  - {name: r, modelInclude: [T4], modelExclude: [T4]}\n"), 2, 49,
        "requests[0].modelExclude", "models not also in modelInclude");
    check(requests("requests:\n  - {name: r, uuidInclude: [' ']}\n"), 2, 28,
        "requests[0].uuidInclude", "non-blank");
  }

  @Test
  void gpuDemandErrors() {
    String r = "requests:\n  - name: r\n    gpu: ";
    check(requests(r + "2\n"), 3, 10, "requests[0].gpu", "expected a GPU demand (an object)");
    check(requests(r + "{count: 2}\n"), 3, 10, "requests[0].gpu.type",
        "missing required field 'type' (one of none, whole, shared, mig)");
    check(requests(r + "{type: partial}\n"), 3, 17, "requests[0].gpu.type",
        "'partial' is not allowed for type; allowed: none, whole, shared, mig");
    check(requests(r + "{type: whole, cnt: 2}\n"), 3, 24, "requests[0].gpu.cnt",
        "Maybe 'count'?");
    check(requests(r + "{type: whole, count: 1, computeMilli: 5}\n"), 3, 34,
        "requests[0].gpu.computeMilli", "unknown field 'computeMilli' in a GPU demand of type"
            + " whole; allowed: type, count.");
    check(requests(r + "{type: none, count: 1}\n"), 3, 23, "requests[0].gpu.count",
        "of type none; allowed: type.");
    check(requests(r + "{type: whole}\n"), 3, 10, "requests[0].gpu.count", "missing");
    check(requests(r + "{type: whole, count: 0}\n"), 3, 31, "requests[0].gpu.count",
        "count of whole-GPU demand is 0; allowed: >= 1");
    check(requests(r + "{type: shared, count: 1}\n"), 3, 10, "requests[0].gpu",
        "Maybe this request needs no GPU");
    check(requests(r + "{type: shared, count: 1, computeMilli: 1001}\n"), 3, 49,
        "requests[0].gpu.computeMilli", "0..1000");
    check(requests(r + "{type: mig, count: 1}\n"), 3, 10, "requests[0].gpu.profile", "missing");
    check(requests(r + "{type: mig, profile: '', count: 1}\n"), 3, 31, "requests[0].gpu.profile",
        "non-blank");
  }

  // --- placements -------------------------------------------------------------------------------

  private static final Cluster TWO = Cluster.of(
      Node.builder("a100").cpuMilli(1000).memoryMib(1000)
          .gpus(2, GpuModelCatalog.builtIn().get("A100-80GB")).build(),
      Node.builder("t4").cpuMilli(1000).memoryMib(1000)
          .gpus(1, GpuModelCatalog.builtIn().get("T4")).build(),
      Node.builder("cpu").cpuMilli(1000).memoryMib(1000).build());

  private static ParseException placements(String yaml) {
    return fails(() -> ClusterFormat.readPlacements(yaml, Format.YAML, TWO));
  }

  @Test
  void placementErrors() {
    String p = "placements:\n  - allocationId: p\n    node: a100\n";
    check(placements("placements:\n  - {allocationId: p, node: a10}\n"), 2, 29,
        "placements[0].node", "node 'a10' is not in the cluster (3 nodes).", "Maybe 'a100'?");
    check(placements("placements:\n  - {allocationId: p}\n"), 2, 5, "placements[0].node",
        "missing");
    check(placements("placements:\n  - {node: a100}\n"), 2, 5, "placements[0].allocationId",
        "missing");
    check(placements(p + "    cpuMilli: -1\n"), 4, 15, "placements[0].cpuMilli", ">= 0");
    check(placements(p + "    grants: [{gpuIndex: 0}]\n"), 4, 14, "placements[0].grants[0].type",
        "missing required field 'type' (one of whole, share, mig)");
    check(placements(p + "    grants: [{type: half, gpuIndex: 0}]\n"), 4, 21,
        "placements[0].grants[0].type", "allowed: whole, share, mig");
    check(placements(p + "    grants: [{type: whole, gpuIndex: 2}]\n"), 4, 38,
        "placements[0].grants[0].gpuIndex", "gpuIndex is 2; allowed: 0..1 (the GPUs of node a100)");
    check(placements("placements:\n  - allocationId: p\n    node: cpu\n"
            + "    grants: [{type: whole, gpuIndex: 0}]\n"), 4, 38,
        "placements[0].grants[0].gpuIndex", "none (node cpu has no GPUs)");
    check(placements(p + "    grants: [{type: whole, gpuIndex: 0, startSlot: 1}]\n"), 4, 41,
        "placements[0].grants[0].startSlot", "of type whole; allowed: type, gpuIndex.");
    check(placements(p + "    grants: [{type: share, gpuIndex: 0}]\n"), 4, 14,
        "placements[0].grants[0]", "at least one positive");
    check(placements(p + "    grants: [{type: share, gpuIndex: 0, memoryMib: -1}]\n"), 4, 52,
        "placements[0].grants[0].memoryMib", ">= 0");
    check(placements(p + "    grants: [{type: mig, gpuIndex: 0, profile: 9g.90gb, startSlot: 0}]\n"),
        4, 48, "placements[0].grants[0].profile", "'9g.90gb' is not in the table of GPU model"
            + " A100-80GB; allowed: 1g.10gb");
    check(placements(p + "    grants: [{type: mig, gpuIndex: 0, profile: 3g.40gb, startSlot: 2}]\n"),
        4, 68, "placements[0].grants[0].startSlot",
        "startSlot is 2; allowed for profile 3g.40gb on A100-80GB: [0, 4]");
    check(placements("placements:\n  - allocationId: p\n    node: t4\n"
            + "    grants: [{type: mig, gpuIndex: 0, profile: 1g.5gb, startSlot: 0}]\n"), 4, 48,
        "placements[0].grants[0].profile", "T4, which does not support MIG");
    check(placements(p + "    grants:\n      - {type: whole, gpuIndex: 1}\n"
            + "      - {type: share, gpuIndex: 1, computeMilli: 1}\n"), 6, 33,
        "placements[0].grants[1].gpuIndex", "a GPU not already granted by grants[0]");
    check(placements(p + "  - {allocationId: p, node: t4}\n"), 4, 20,
        "placements[1].allocationId", "already used by placements[0]");
  }

  // --- files and sources ------------------------------------------------------------------------

  @Test
  void fileProblemsAreParseExceptionsNamingTheFile(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("missing.yaml");
    ParseException e = fails(() -> ClusterFormat.readCluster(missing));
    check(e, 0, 0, "", missing.toString(), "cannot read the file", "NoSuchFileException");

    Path txt = dir.resolve("cluster.txt");
    Files.writeString(txt, "nodes: []\n");
    check(fails(() -> ClusterFormat.readCluster(txt)), 0, 0, "", "extension",
        ".json, .yaml or .yml", "Maybe pass the Format explicitly");

    Path bad = dir.resolve("bad.yaml");
    Files.write(bad, new byte[] {'n', 'o', 'd', 'e', 's', ':', ' ', (byte) 0xC3, (byte) 0x28});
    check(fails(() -> ClusterFormat.readCluster(bad)), 1, 8, "", "invalid UTF-8", "0xc3");

    Path json = dir.resolve("r.json");
    Files.writeString(json, "{\"requests\": [{\"name\": \"r\", \"gpu\": {\"type\": \"whole\"}}]}");
    ParseException r = fails(() -> ClusterFormat.readRequests(json));
    check(r, 1, 36, "requests[0].gpu.count", json + ":1:36 at requests[0].gpu.count");
    ParseException named = fails(() -> ClusterFormat.readRequests("x: 1", Format.YAML, "stdin"));
    assertEquals("stdin", named.source());
    assertTrue(named.getMessage().startsWith("stdin:1:1 at x: unknown field"), named.getMessage());
  }

  @Test
  void recordErrorsAreKeptAsTheCause() {
    ParseException e = cluster("nodes:\n  - {name: n, cpuMilli: -5, memoryMib: 1}\n");
    assertInstanceOf(InvalidSpecException.class, e.getCause());
  }

  @Test
  void writersRejectWhatNoFileCanExpress() {
    GpuModel fakeT4 = GpuModel.of("T4", 1);
    Cluster c = Cluster.of(Node.builder("n").gpus(1, fakeT4).build());
    assertThrows(InvalidSpecException.class, () -> ClusterFormat.writeCluster(c, Format.YAML));
    Cluster twoOfOneName = Cluster.of(
        Node.builder("a").gpus(1, GpuModel.of("X", 1)).build(),
        Node.builder("b").gpus(1, GpuModel.of("X", 2)).build());
    assertThrows(
        InvalidSpecException.class, () -> ClusterFormat.writeCluster(twoOfOneName, Format.JSON));
    List<Placement> off = List.of(Placement.builder("p", 7).build());
    assertThrows(InvalidSpecException.class,
        () -> ClusterFormat.writePlacements(off, TWO, Format.YAML));
    // an unpaired surrogate is not Unicode text: YAML cannot hold it, JSON escapes it
    Cluster lone = Cluster.of(Node.builder("n").label("k", "x\ud800").build());
    InvalidSpecException e =
        assertThrows(InvalidSpecException.class, () -> ClusterFormat.writeCluster(lone, Format.YAML));
    assertTrue(e.getMessage().startsWith("nodes[0].labels.k of YAML output is '\\ud800 at index 1'"),
        e.getMessage());
    assertEquals(lone,
        ClusterFormat.readCluster(ClusterFormat.writeCluster(lone, Format.JSON), Format.JSON));
    List<Request> withNull = new java.util.ArrayList<>();
    withNull.add(null);
    assertThrows(
        InvalidSpecException.class, () -> ClusterFormat.writeRequests(withNull, Format.YAML));
  }
}

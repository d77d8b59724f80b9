package io.gpualloc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.gpualloc.core.testing.ViewState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * Every validation path in core's main code, one example each: the exception type, and a message
 * that names the field, the offending value and what is allowed; for the ledger also that the
 * rejected call left all state unchanged. Run with {@code -Dgpualloc.printErrors} to print every
 * message (docs/errors.md quotes them).
 */
class BadInputTest {
  private static final GpuModelCatalog CATALOG = GpuModelCatalog.builtIn();
  private static final GpuModel A100 = CATALOG.get("A100-80GB");
  private static final GpuModel T4 = CATALOG.get("T4");
  private static final MigProfile P1G = new MigProfile(
      "1g.8gb", 1, 1, 1, 8192, 4, List.of(0, 1, 2, 3), 1, false);

  // ---- value types -----------------------------------------------------------------------------

  @TestFactory
  Stream<DynamicTest> valueTypesRejectBadFields() {
    List<DynamicTest> t = new ArrayList<>();
    Gpu gpu = new Gpu(0, "GPU-0", T4, 0);
    // Gpu
    t.add(spec("Gpu.index", () -> new Gpu(-1, "u", T4, 0), "index of GPU is -1", ">= 0"));
    t.add(spec("Gpu.uuid", () -> new Gpu(0, " ", T4, 0), "uuid of GPU 0 is ' '", "non-blank"));
    t.add(spec("Gpu.model", () -> new Gpu(0, "u", null, 0), "model of GPU 0 is null", "not null"));
    t.add(spec("Gpu.numaNode", () -> new Gpu(0, "u", T4, -1), "numaNode of GPU 0 is -1", ">= 0"));
    t.add(spec("Gpu.maxShares", () -> new Gpu(0, "u", T4, 0, null, 0), "maxShares of GPU 0 is 0",
        ">= 1 (shared grants at once); omit it for no cap"));
    // Node
    t.add(spec("Node.name", () -> Node.builder("").build(), "name of node is ''", "non-blank"));
    t.add(spec("Node.labels null", () -> new Node("n", null, 0, 0, List.of()),
        "labels of node n is null", "not null"));
    t.add(spec("Node.label key", () -> Node.builder("n").label(" ", "v").build(),
        "label key of node n is ' '", "non-blank"));
    Map<String, String> nullValue = new HashMap<>();
    nullValue.put("rack", null);
    t.add(spec("Node.label value", () -> new Node("n", nullValue, 0, 0, List.of()),
        "labels['rack'] of node n is null", "not null"));
    t.add(spec("Node.cpuMilli", () -> Node.builder("n").cpuMilli(-1).build(),
        "cpuMilli of node n is -1", ">= 0"));
    t.add(spec("Node.memoryMib", () -> Node.builder("n").memoryMib(-5).build(),
        "memoryMib of node n is -5", ">= 0"));
    t.add(spec("Node.gpus null", () -> new Node("n", Map.of(), 0, 0, null),
        "gpus of node n is null", "not null"));
    t.add(spec("Node.gpus element", () -> new Node("n", Map.of(), 0, 0, Arrays.asList(gpu, null)),
        "gpus[1] of node n is null", "not null"));
    t.add(spec("Node.gpus index", () -> new Node("n", Map.of(), 0, 0,
        List.of(new Gpu(1, "u", T4, 0))), "gpus[0].index of node n is 1", "0 (GPU index i"));
    t.add(spec("Node.gpu(i)", () -> Node.builder("n").gpus(2, T4).build().gpu(2),
        "gpu index of node n is 2", "0..1"));
    t.add(spec("Node.gpu(i) without GPUs", () -> Node.builder("n").build().gpu(0),
        "gpu index of node n is 0", "none (the node has no GPUs)"));
    t.add(spec("Node.Builder.gpus count", () -> Node.builder("n").gpus(-1, T4),
        "gpu count of node n is -1", ">= 0"));
    t.add(spec("Node.Builder.numaNodes", () -> Node.builder("n").gpus(2, T4, 0),
        "numaNodes of node n is 0", ">= 1"));
    // MigProfile
    t.add(spec("MigProfile.name", () -> new MigProfile(" ", 1, 1, 1, 1, 1, List.of(0), 1, false),
        "name of MIG profile is ' '", "non-blank"));
    t.add(spec("MigProfile.profileId", () -> mig(-2, 1, 1, 1, 1, List.of(0), 1),
        "profileId of MIG profile p is -2", ">= -1"));
    t.add(spec("MigProfile.computeSlices", () -> mig(1, 0, 1, 1, 1, List.of(0), 1),
        "computeSlices of MIG profile p is 0", ">= 1"));
    t.add(spec("MigProfile.memorySlices", () -> mig(1, 1, 0, 1, 1, List.of(0), 1),
        "memorySlices of MIG profile p is 0", ">= 1"));
    t.add(spec("MigProfile.memoryMib", () -> mig(1, 1, 1, 0, 1, List.of(0), 1),
        "memoryMib of MIG profile p is 0", ">= 1"));
    t.add(spec("MigProfile.maxCount", () -> mig(1, 1, 1, 1, 0, List.of(0), 1),
        "maxCount of MIG profile p is 0", ">= 1"));
    t.add(spec("MigProfile.placementSize", () -> mig(1, 1, 1, 1, 1, List.of(0), 32),
        "placementSize of MIG profile p is 32", "1..31"));
    t.add(spec("MigProfile.startSlots null", () -> mig(1, 1, 1, 1, 1, null, 1),
        "startSlots of MIG profile p is null", "not null"));
    t.add(spec("MigProfile.startSlots empty", () -> mig(1, 1, 1, 1, 1, List.of(), 1),
        "startSlots of MIG profile p is []", "at least one slot"));
    t.add(spec("MigProfile.startSlots order", () -> mig(1, 1, 1, 1, 1, List.of(2, 1), 1),
        "startSlots of MIG profile p is [2, 1]", "ascending slots with start + placementSize <= 31"));
    t.add(spec("MigProfile.startSlots range", () -> mig(1, 1, 1, 1, 1, List.of(0, 30), 2),
        "startSlots of MIG profile p is [0, 30]", "start + placementSize <= 31"));
    // GpuModel
    t.add(spec("GpuModel.name", () -> GpuModel.of("", 1), "name of GPU model is ''", "non-blank"));
    t.add(spec("GpuModel.memoryMib", () -> GpuModel.of("X", 0),
        "memoryMib of GPU model X is 0", ">= 1"));
    t.add(spec("GpuModel.computeCapability", () -> GpuModel.of("X", 1, null),
        "computeCapability of GPU model X is null", "not null"));
    t.add(spec("GpuModel.migProfiles null", () -> new GpuModel("X", 1, "", 0, 0, null),
        "migProfiles of GPU model X is null", "not null"));
    t.add(spec("GpuModel.slices without MIG", () -> new GpuModel("X", 1, "", 7, 8, List.of()),
        "migComputeSlices/migMemorySlices of GPU model X is '7/8'", "0/0 for a model without MIG"));
    t.add(spec("GpuModel.migComputeSlices", () -> new GpuModel("X", 1, "", 0, 4, List.of(P1G)),
        "migComputeSlices of GPU model X is 0", "1..31"));
    t.add(spec("GpuModel.migMemorySlices", () -> new GpuModel("X", 1, "", 4, 32, List.of(P1G)),
        "migMemorySlices of GPU model X is 32", "1..31"));
    t.add(spec("GpuModel.migProfiles unique", () -> new GpuModel("X", 1, "", 4, 4,
        List.of(P1G, P1G)), "migProfiles of GPU model X is '1g.8gb'", "unique profile names"));
    t.add(spec("GpuModel profile computeSlices", () -> new GpuModel("X", 1, "", 4, 4,
        List.of(new MigProfile("5g", 1, 5, 1, 1, 1, List.of(0), 1, false))),
        "computeSlices of GPU model X profile 5g is 5", "<= 4 (the model's compute slices)"));
    t.add(spec("GpuModel profile startSlots", () -> new GpuModel("X", 1, "", 4, 2, List.of(P1G)),
        "startSlots of GPU model X profile 1g.8gb is [0, 1, 2, 3]",
        "start + placementSize <= 2 (the model's memory slices)"));
    // GpuDemand
    t.add(spec("GpuDemand.Whole.count", () -> GpuDemand.whole(0),
        "count of whole-GPU demand is 0", ">= 1"));
    t.add(spec("GpuDemand.Shared.count", () -> GpuDemand.shared(0, 100, 0),
        "count of shared-GPU demand is 0", ">= 1"));
    t.add(spec("GpuDemand.Shared.computeMilli", () -> GpuDemand.shared(1, 1001, 0),
        "computeMilli of shared-GPU demand is 1001", "0..1000"));
    t.add(spec("GpuDemand.Shared.memoryMib", () -> GpuDemand.shared(1, 100, -1),
        "memoryMib of shared-GPU demand is -1", ">= 0"));
    t.add(spec("GpuDemand.Shared zero", () -> GpuDemand.shared(1, 0, 0),
        "computeMilli/memoryMib of shared-GPU demand is '0/0'", "at least one positive",
        "Maybe this request needs no GPU"));
    t.add(spec("GpuDemand.Mig.profile", () -> GpuDemand.mig("", 1),
        "profile of MIG demand is ''", "non-blank"));
    t.add(spec("GpuDemand.Mig.count", () -> GpuDemand.mig("1g.10gb", 0),
        "count of MIG demand is 0", ">= 1"));
    // GpuGrant
    t.add(spec("GpuGrant.Whole.gpuIndex", () -> GpuGrant.whole(-1),
        "gpuIndex of whole-GPU grant is -1", ">= 0"));
    t.add(spec("GpuGrant.Share.gpuIndex", () -> GpuGrant.share(-1, 1, 1),
        "gpuIndex of GPU share grant is -1", ">= 0"));
    t.add(spec("GpuGrant.Share.computeMilli", () -> GpuGrant.share(0, 1500, 1),
        "computeMilli of GPU share grant is 1500", "0..1000"));
    t.add(spec("GpuGrant.Share.memoryMib", () -> GpuGrant.share(0, 1, -1),
        "memoryMib of GPU share grant is -1", ">= 0"));
    t.add(spec("GpuGrant.Share zero", () -> GpuGrant.share(0, 0, 0),
        "computeMilli/memoryMib of GPU share grant is '0/0'", "at least one positive"));
    t.add(spec("GpuGrant.Mig.gpuIndex", () -> GpuGrant.mig(-1, "1g.10gb", 0),
        "gpuIndex of MIG grant is -1", ">= 0"));
    t.add(spec("GpuGrant.Mig.profile", () -> GpuGrant.mig(0, " ", 0),
        "profile of MIG grant is ' '", "non-blank"));
    t.add(spec("GpuGrant.Mig.startSlot", () -> GpuGrant.mig(0, "1g.10gb", -1),
        "startSlot of MIG grant is -1", ">= 0"));
    // Placement
    t.add(spec("Placement.allocationId", () -> Placement.builder(" ", 0).build(),
        "allocationId of placement is ' '", "non-blank"));
    t.add(spec("Placement.nodeId", () -> Placement.builder("p", -1).build(),
        "nodeId of placement p is -1", ">= 0"));
    t.add(spec("Placement.cpuMilli", () -> Placement.builder("p", 0).cpuMilli(-1).build(),
        "cpuMilli of placement p is -1", ">= 0"));
    t.add(spec("Placement.memoryMib", () -> Placement.builder("p", 0).memoryMib(-1).build(),
        "memoryMib of placement p is -1", ">= 0"));
    t.add(spec("Placement.grants null", () -> new Placement("p", 0, 0, 0, null),
        "grants of placement p is null", "not null"));
    t.add(spec("Placement.grants element", () -> new Placement("p", 0, 0, 0,
        Arrays.asList(GpuGrant.whole(0), null)), "grants[1] of placement p is null", "not null"));
    t.add(spec("Placement same GPU twice", () -> Placement.builder("p", 0).whole(1)
        .share(1, 100, 0).build(), "grants[1].gpuIndex of placement p is 1",
        "a GPU not already granted by grants[0] (only MIG instances may share a GPU"));
    // Request
    t.add(spec("Request.name", () -> Request.builder("").build(), "name of request is ''",
        "non-blank"));
    t.add(spec("Request.cpuMilli", () -> Request.builder("r").cpuMilli(-1).build(),
        "cpuMilli of request r is -1", ">= 0"));
    t.add(spec("Request.memoryMib", () -> Request.builder("r").memoryMib(-1).build(),
        "memoryMib of request r is -1", ">= 0"));
    t.add(spec("Request.gpu", () -> Request.builder("r").gpu(null).build(),
        "gpu of request r is null", "not null"));
    t.add(spec("Request.modelInclude null", () -> new Request("r", 0, 0, GpuDemand.none(), null,
        Set.of(), Set.of(), Set.of(), IntraNodeTopology.ANY, 0),
        "modelInclude of request r is null", "not null"));
    t.add(spec("Request.modelInclude element", () -> Request.builder("r").modelInclude(" ")
        .build(), "modelInclude element of request r is ' '", "non-blank"));
    t.add(spec("Request.modelExclude element", () -> Request.builder("r")
        .modelExclude(List.of("")).build(), "modelExclude element of request r is ''",
        "non-blank"));
    t.add(spec("Request.uuidInclude element", () -> Request.builder("r")
        .uuidInclude(List.of(" ")).build(), "uuidInclude element of request r is ' '",
        "non-blank"));
    t.add(spec("Request.uuidExclude element", () -> Request.builder("r")
        .uuidExclude(List.of("")).build(), "uuidExclude element of request r is ''",
        "non-blank"));
    t.add(spec("Request.topology", () -> Request.builder("r").topology(null).build(),
        "topology of request r is null", "not null"));
    t.add(spec("Request include and exclude", () -> Request.builder("r").modelInclude("T4")
        .modelExclude(List.of("T4")).build(), "modelExclude of request r is 'T4'",
        "models not also in modelInclude"));
    // Decision
    t.add(spec("Decision.Placed.placement", () -> Decision.Placed.of(null, 1.0),
        "placement of decision is null", "not null"));
    t.add(spec("Decision.Placed.breakdown", () -> new Decision.Placed(
        Placement.builder("p", 0).build(), 1.0, null), "breakdown of decision is null",
        "not null"));
    t.add(spec("Decision.Rejected.requestName", () -> Decision.Rejected.because(" ", 1, "x"),
        "requestName of rejection is ' '", "non-blank"));
    t.add(spec("Decision.Rejected.reasonByNode", () -> new Decision.Rejected("r", 1, null,
        Map.of(), ""), "reasonByNode of rejection of r is null", "not null"));
    t.add(spec("Decision.Rejected.counts", () -> new Decision.Rejected("r", 1, List.of(), null,
        ""), "counts of rejection of r is null", "not null"));
    t.add(spec("Decision.Rejected.message", () -> Decision.Rejected.because("r", 1, null),
        "message of rejection of r is null", "non-blank"));
    return t.stream();
  }

  // ---- cluster and catalog lookups -----------------------------------------------------------

  @TestFactory
  Stream<DynamicTest> clusterAndCatalogLookupsRejectUnknownNames() {
    Cluster c = Cluster.of(Node.builder("n0").gpus(4, A100).build(),
        Node.builder("cpu").cpuMilli(1000).build());
    Cluster empty = Cluster.of(List.of());
    List<DynamicTest> t = new ArrayList<>();
    t.add(spec("Cluster.of null", () -> Cluster.of((Collection<Node>) null),
        "nodes of cluster is null", "not null"));
    t.add(spec("Cluster.of null node", () -> Cluster.of(Arrays.asList(c.node(0), null)),
        "nodes[1] of cluster is null", "not null"));
    t.add(spec("Cluster duplicate node", () -> Cluster.of(Node.builder("a").build(),
        Node.builder("a").build()), "nodes[1].name of cluster is 'a'", "unique node names"));
    t.add(spec("Cluster duplicate UUID", () -> Cluster.of(
        Node.builder("a").gpu("GPU-X", T4, 0).build(),
        Node.builder("b").gpu("GPU-X", T4, 0).build()),
        "nodes[1].gpus[0].uuid of cluster is 'GPU-X'",
        "UUIDs unique in the cluster (also used by a)"));
    t.add(spec("Cluster.nodeId", () -> c.nodeId("n9"), "node name of cluster is 'n9'",
        "one of the cluster's 2 node names"));
    t.add(spec("Cluster.node", () -> c.node(2), "node id of cluster is 2", "0..1"));
    t.add(spec("Cluster.node empty", () -> empty.node(0), "node id of cluster is 0",
        "none (the cluster is empty)"));
    t.add(spec("Cluster.gpuOffset", () -> c.gpuOffset(-1), "node id of cluster is -1", "0..1"));
    t.add(spec("Cluster.gpuId index", () -> c.gpuId(0, 4), "gpu index of node n0 is 4", "0..3"));
    t.add(spec("Cluster.gpuId no GPUs", () -> c.gpuId(1, 0), "gpu index of node cpu is 0",
        "none (the node has no GPUs)"));
    t.add(spec("Cluster.gpu", () -> c.gpu(4), "gpu id of cluster is 4", "0..3"));
    t.add(spec("Cluster.nodeOfGpu", () -> c.nodeOfGpu(-1), "gpu id of cluster is -1", "0..3"));
    t.add(spec("Cluster.gpu none", () -> empty.gpu(0), "gpu id of cluster is 0",
        "none (the cluster has no GPUs)"));
    t.add(spec("GpuModelCatalog.with null", () -> CATALOG.with(null),
        "model of GPU model catalog is null", "not null"));
    t.add(spec("GpuModelCatalog.with redefinition", () -> CATALOG.with(GpuModel.of("t4", 1)),
        "model name of GPU model catalog is 't4'", "a name not already defined differently"));
    t.add(dynamicTest("GpuModelCatalog.get unknown", () -> {
      UnknownGpuModelException e = expect(UnknownGpuModelException.class,
          () -> CATALOG.get("G3"));
      contains(e, "GPU model 'G3' is not in the catalog", "known: P100-16GB, V100-16GB",
          "Maybe register it with GpuModelCatalog.with(GpuModel.of(\"G3\", memoryMib))");
      assertTrue(!CATALOG.contains("G3"), "the catalog is unchanged");
    }));
    t.add(dynamicTest("GpuModel.migProfile unknown", () -> contains(
        expect(UnknownGpuModelException.class, () -> A100.migProfile("2g.10gb")),
        "MIG profile '2g.10gb' is not in the table of GPU model A100-80GB",
        "allowed: 1g.10gb, 1g.10gb+me, 1g.20gb, 2g.20gb, 3g.40gb, 4g.40gb, 7g.80gb")));
    t.add(dynamicTest("GpuModel.migProfile without MIG", () -> contains(
        expect(UnknownGpuModelException.class, () -> T4.migProfile("1g.10gb")),
        "MIG profile '1g.10gb' requested on GPU model T4, which does not support MIG")));
    return t.stream();
  }

  // ---- the ledger ------------------------------------------------------------------------------

  /** n0: 4 x A100-80GB (GPU 0 free, 1 shared, 2 whole, 3 MIG), n1: 2 x T4, n2: no GPUs. */
  private static ClusterState busyLedger() {
    GpuModel tiny = new GpuModel("Tiny-MIG", 32768, "", 2, 4, List.of(P1G));
    Cluster c = Cluster.of(
        Node.builder("n0").cpuMilli(16000).memoryMib(65536).gpus(4, A100).build(),
        Node.builder("n1").cpuMilli(8000).memoryMib(32768).gpus(2, T4).build(),
        Node.builder("n2").cpuMilli(1000).memoryMib(1024).build(),
        Node.builder("n3").cpuMilli(1000).memoryMib(1024).gpus(1, tiny).build());
    ClusterState s = new ClusterState(c);
    s.allocate(Placement.builder("s1", 0).cpuMilli(8000).memoryMib(4096)
        .share(1, 700, 20000).build());
    s.allocate(Placement.builder("w1", 0).whole(2).build());
    s.allocate(Placement.builder("m1", 0).mig(3, "3g.40gb", 0).mig(3, "1g.10gb+me", 4).build());
    s.allocate(Placement.builder("t1", 3).mig(0, "1g.8gb", 0).mig(0, "1g.8gb", 1).build());
    return s;
  }

  @TestFactory
  Stream<DynamicTest> ledgerRejectsAndChangesNothing() {
    List<DynamicTest> t = new ArrayList<>();
    // null arguments
    t.add(spec("ClusterState(null)", () -> new ClusterState(null),
        "cluster of cluster state is null", "not null"));
    t.add(ledger("allocate(null)", InvalidSpecException.class, s -> s.allocate(null),
        "placement of cluster state is null", "not null"));
    t.add(ledger("allocateAll(null)", InvalidSpecException.class, s -> s.allocateAll(null),
        "placements of cluster state is null", "not null"));
    t.add(ledger("allocateAll null element", InvalidSpecException.class,
        s -> s.allocateAll(Arrays.asList(Placement.builder("x", 0).build(), null)),
        "placements[1] of cluster state is null", "not null"));
    t.add(ledger("release(null)", InvalidSpecException.class, s -> s.release(null),
        "allocationId of cluster state is null", "not null"));
    // reads with bad ids
    t.add(ledger("freeCpuMilli bad node", InvalidSpecException.class, s -> s.freeCpuMilli(4),
        "node id of cluster is 4", "0..3"));
    t.add(ledger("gpuMode bad GPU", InvalidSpecException.class, s -> s.gpuMode(7),
        "gpu id of cluster is 7", "0..6"));
    t.add(ledger("snapshot bad GPU", InvalidSpecException.class,
        s -> s.snapshot().gpuFreeMemoryMib(-1), "gpu id of cluster is -1", "0..6"));
    t.add(ledger("snapshot bad node", InvalidSpecException.class,
        s -> s.snapshot().nodeVersion(9), "node id of cluster is 9", "0..3"));
    // shape errors (independent of usage)
    t.add(ledger("allocate nodeId", InvalidSpecException.class,
        s -> s.allocate(Placement.builder("x", 4).build()),
        "nodeId of placement x is 4", "0..3"));
    t.add(ledger("allocate gpuIndex", InvalidSpecException.class,
        s -> s.allocate(Placement.builder("x", 1).whole(2).build()),
        "gpuIndex of placement x grants[0] is 2", "0..1 (node n1)"));
    t.add(ledger("allocate gpuIndex on GPU-less node", InvalidSpecException.class,
        s -> s.allocate(Placement.builder("x", 2).share(0, 100, 0).build()),
        "gpuIndex of placement x grants[0] is 0", "none (node n2 has no GPUs)"));
    t.add(ledger("allocate share above GPU memory", InvalidSpecException.class,
        s -> s.allocate(Placement.builder("x", 1).share(0, 100, 20000).build()),
        "memoryMib of placement x grants[0] is 20000", "<= 16384 (T4 capacity)"));
    t.add(ledger("allocate MIG start slot", InvalidSpecException.class,
        s -> s.allocate(Placement.builder("x", 0).mig(0, "3g.40gb", 2).build()),
        "startSlot of placement x grants[0] is 2", "[0, 4] for profile 3g.40gb on A100-80GB"));
    t.add(ledger("allocate unknown MIG profile", UnknownGpuModelException.class,
        s -> s.allocate(Placement.builder("x", 0).mig(0, "3g.20gb", 0).build()),
        "MIG profile '3g.20gb' is not in the table of GPU model A100-80GB", "allowed: 1g.10gb"));
    t.add(ledger("allocate MIG on non-MIG GPU", UnknownGpuModelException.class,
        s -> s.allocate(Placement.builder("x", 1).mig(0, "1g.10gb", 0).build()),
        "MIG profile '1g.10gb' requested on GPU model T4, which does not support MIG"));
    // conflicts with current usage
    t.add(ledger("allocate held id", AllocationConflictException.class,
        s -> s.allocate(Placement.builder("w1", 1).build()),
        "allocationId 'w1' is already allocated (on node n0)", "allowed: an id not held",
        "Maybe release it first"));
    t.add(ledger("allocate CPU", AllocationConflictException.class,
        s -> s.allocate(Placement.builder("x", 0).cpuMilli(9000).whole(0).build()),
        "cpuMilli of placement x on node n0 is 9000", "allowed: <= free CPU 8000"));
    t.add(ledger("allocate memory", AllocationConflictException.class,
        s -> s.allocate(Placement.builder("x", 0).memoryMib(61441).build()),
        "memoryMib of placement x on node n0 is 61441", "allowed: <= free memory 61440"));
    t.add(ledger("whole on a SHARED GPU", AllocationConflictException.class,
        s -> s.allocate(Placement.builder("x", 0).whole(0).whole(1).build()),
        "grants[1].gpuIndex of placement x on node n0 is 1",
        "allowed: a FREE GPU for a whole grant; GPU is SHARED"));
    t.add(ledger("share on a WHOLE GPU", AllocationConflictException.class,
        s -> s.allocate(Placement.builder("x", 0).share(2, 100, 0).build()),
        "grants[0].gpuIndex of placement x on node n0 is 2",
        "allowed: a FREE or SHARED GPU for a share; GPU is WHOLE"));
    t.add(ledger("share compute", AllocationConflictException.class,
        s -> s.allocate(Placement.builder("x", 0).share(1, 400, 0).build()),
        "grants[0].computeMilli of placement x on node n0 is 400",
        "allowed: <= free compute 300 of GPU 1"));
    t.add(ledger("share memory", AllocationConflictException.class,
        s -> s.allocate(Placement.builder("x", 0).share(1, 100, 70000).build()),
        "grants[0].memoryMib of placement x on node n0 is 70000",
        "allowed: <= free memory 61920 MiB of GPU 1"));
    t.add(ledger("MIG on a SHARED GPU", AllocationConflictException.class,
        s -> s.allocate(Placement.builder("x", 0).mig(1, "1g.10gb", 0).build()),
        "grants[0].gpuIndex of placement x on node n0 is 1",
        "allowed: a FREE or MIG GPU for a MIG instance; GPU is SHARED"));
    // the first grant (1g.10gb@6) is applied, then the overlap found and the first rolled back
    t.add(ledger("MIG overlap", AllocationConflictException.class,
        s -> s.allocate(Placement.builder("x", 0).mig(3, "1g.10gb", 6).mig(3, "4g.40gb", 0)
            .build()),
        "grants[1].startSlot of placement x on node n0 is 0",
        "allowed: a slot whose memory slices are free (GPU 3 occupancy 1011111, profile 4g.40gb"
            + " needs 1111)"));
    t.add(ledger("MIG compute slices", AllocationConflictException.class,
        s -> s.allocate(Placement.builder("x", 3).mig(0, "1g.8gb", 2).build()),
        "grants[0].profile of placement x on node n3 is '1g.8gb'",
        "allowed: a profile within the 0 free compute slices of GPU 0"));
    t.add(ledger("second +me instance", AllocationConflictException.class,
        s -> s.allocate(Placement.builder("x", 0).mig(3, "1g.10gb+me", 5).build()),
        "grants[0].profile of placement x on node n0 is '1g.10gb+me'",
        "allowed: at most one +me instance per GPU (GPU 3 has one)"));
    t.add(ledger("allocateAll duplicate ids", AllocationConflictException.class,
        s -> s.allocateAll(List.of(Placement.builder("g", 1).whole(0).build(),
            Placement.builder("g", 1).whole(1).build())),
        "allocationId 'g' appears twice in one allocateAll call", "allowed: distinct ids"));
    t.add(ledger("allocateAll rolls back", AllocationConflictException.class,
        s -> s.allocateAll(List.of(Placement.builder("g0", 1).whole(0).build(),
            Placement.builder("g1", 1).cpuMilli(1000).whole(1).build(),
            Placement.builder("g2", 1).whole(1).build())),
        "grants[0].gpuIndex of placement g2 on node n1 is 1",
        "allowed: a FREE GPU for a whole grant; GPU is WHOLE"));
    t.add(ledger("release unknown", UnknownAllocationException.class, s -> s.release("nope"),
        "allocationId 'nope' is not allocated", "allowed: one of the 4 ids the ledger holds",
        "Maybe it was released already"));
    // membership: every call validates first and a failed call changes nothing
    t.add(ledger("addNode name taken", InvalidSpecException.class,
        s -> s.addNode(Node.builder("n1").build()),
        "name of added node is 'n1'", "allowed: a name no member node has (node id 1 has it)"));
    t.add(ledger("addNode uuid taken", InvalidSpecException.class,
        s -> s.addNode(Node.builder("n9").gpu("GPU-n0-3", T4, 0).build()),
        "gpus[0].uuid of added node n9 is 'GPU-n0-3'",
        "allowed: UUIDs unique in the cluster (also used by node 'n0')"));
    t.add(ledger("addNode null", InvalidSpecException.class, s -> s.addNode(null),
        "node of cluster state is null"));
    t.add(ledger("removeNode unknown", UnknownNodeException.class, s -> s.removeNode("n7"),
        "node name of cluster is 'n7'", "allowed: one of the cluster's 4 node names"));
    t.add(ledger("removeNode removed", UnknownNodeException.class, s -> {
      ClusterState f = s.fork(); // s itself must stay unchanged
      f.removeNode("n2");
      f.removeNode("n2");
    }, "node name of cluster is 'n2'", "(a node named 'n2' was removed)"));
    t.add(ledger("cordon unknown", UnknownNodeException.class, s -> s.cordon("x"),
        "node name of cluster is 'x'"));
    t.add(ledger("uncordon unknown", UnknownNodeException.class, s -> s.uncordon("x"),
        "node name of cluster is 'x'"));
    t.add(ledger("relabel unknown", UnknownNodeException.class, s -> s.relabel("x", Map.of()),
        "node name of cluster is 'x'"));
    t.add(ledger("relabel blank key", InvalidSpecException.class,
        s -> s.relabel("n0", Map.of(" ", "v")), "label key of node n0 is ' '",
        "allowed: a non-blank string"));
    t.add(ledger("relabel null labels", InvalidSpecException.class,
        s -> s.relabel("n0", null), "labels of node n0 is null"));
    t.add(ledger("markGpuUnhealthy index", InvalidSpecException.class,
        s -> s.markGpuUnhealthy("n1", 2), "gpu index of node n1 is 2", "allowed: 0..1"));
    t.add(ledger("markGpuHealthy no GPUs", InvalidSpecException.class,
        s -> s.markGpuHealthy("n2", 0), "gpu index of node n2 is 0",
        "allowed: none (the node has no GPUs)"));
    t.add(ledger("markGpuHealthy unknown", UnknownNodeException.class,
        s -> s.markGpuHealthy("x", 0), "node name of cluster is 'x'"));
    t.add(ledger("allocate on a cordoned node", AllocationConflictException.class, s -> {
      ClusterState f = s.fork();
      f.cordon("n1");
      f.allocate(Placement.builder("c", 1).whole(0).build());
    }, "nodeId of placement c is 1",
        "allowed: a schedulable node (node 'n1' is cordoned). Maybe uncordon it first"));
    t.add(ledger("allocate on an unhealthy GPU", AllocationConflictException.class, s -> {
      ClusterState f = s.fork();
      f.markGpuUnhealthy("n1", 0);
      f.allocate(Placement.builder("u", 1).share(0, 100, 0).build());
    }, "grants[0].gpuIndex of placement u on node n1 is 0",
        "allowed: a healthy GPU (GPU 0 is marked unhealthy)"));
    t.add(ledger("share over the split count", AllocationConflictException.class, s -> {
      ClusterState f = s.fork();
      int id = f.addNode(Node.builder("n4").cpuMilli(1000).memoryMib(1024)
          .gpu(new Gpu(0, "GPU-n4-0", T4, 0, null, 1)).build());
      f.allocate(Placement.builder("a", id).share(0, 100, 0).build());
      f.allocate(Placement.builder("x", id).share(0, 100, 0).build());
    }, "grants[0].gpuIndex of placement x on node n4 is 0",
        "allowed: a GPU below its share cap (gpu 0 of node n4 holds 1/1 shares (split count))"));
    t.add(ledger("allocate on a removed node", UnknownNodeException.class, s -> {
      ClusterState f = s.fork();
      f.removeNode("n1");
      f.addNode(Node.builder("n1").build());
      f.allocate(Placement.builder("r", 1).build());
    }, "nodeId of placement r is 1", "id 1 was node 'n1', which was removed (ids are never"
        + " reused). Maybe the decision was made before the node left: decide again."));
    t.add(ledger("read a removed node", UnknownNodeException.class, s -> {
      ClusterState f = s.fork();
      f.removeNode("n2");
      f.freeCpuMilli(2);
    }, "node id of cluster is 2", "allowed: the id of one of the cluster's 3 member nodes (0..3"
        + " less 1 removed); id 2 was node 'n2', which was removed"));
    t.add(ledger("read a removed GPU", UnknownNodeException.class, s -> {
      ClusterState f = s.fork();
      f.removeNode("n1");
      f.gpuMode(5);
    }, "gpu id of cluster is 5", "allowed: a GPU of a member node; GPU 5 was GPU 1 of node 'n1',"
        + " which was removed"));
    return t.stream();
  }

  @Test
  void releaseTwiceOnAFreshLedgerIsUnknown() {
    ClusterState s = busyLedger();
    Placement w1 = s.allocation("w1");
    assertSame(w1, s.release("w1"));
    ViewState after = ViewState.of(s);
    UnknownAllocationException e = assertThrows(UnknownAllocationException.class,
        () -> s.release("w1"));
    contains(e, "allocationId 'w1' is not allocated", "Maybe it was released already");
    assertEquals(after, ViewState.of(s));
  }

  @Test
  void parseExceptionNamesSourceLineColumnAndPath() {
    ParseException e = new ParseException("cluster.yaml", 12, 5, "nodes[3].gpus[0].model",
        "unknown GPU model 'G9'");
    assertEquals("cluster.yaml:12:5 at nodes[3].gpus[0].model: unknown GPU model 'G9'",
        e.getMessage());
    assertEquals(12, e.line());
    assertEquals(5, e.column());
    assertEquals("nodes[3].gpus[0].model", e.path());
    assertEquals("cluster.yaml", e.source());
    assertEquals("trace.csv: empty file", new ParseException("trace.csv", 0, 3, "", "empty file")
        .getMessage());
    assertTrue(e instanceof GpuallocException);
  }

  @Test
  void corruptionIsNotACallerError() {
    LedgerCorruptionException e = new LedgerCorruptionException("WHOLE mode before releasing");
    assertTrue(e instanceof IllegalStateException);
    assertTrue(!(((Object) e) instanceof GpuallocException));
    assertEquals("gpualloc internal invariant violated (please report): WHOLE mode before"
        + " releasing", e.getMessage());
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static MigProfile mig(int id, int compute, int memSlices, int mib, int max,
      List<Integer> starts, int size) {
    return new MigProfile("p", id, compute, memSlices, mib, max, starts, size, false);
  }

  /** An {@link InvalidSpecException} whose message contains every fragment. */
  private static DynamicTest spec(String name, Executable call, String... fragments) {
    return dynamicTest(name, () -> contains(expect(InvalidSpecException.class, call), fragments));
  }

  private interface LedgerCall {
    void call(ClusterState s) throws Throwable;
  }

  /** A rejected ledger call: type, message, and nothing changed (reads, allocations, version). */
  private static DynamicTest ledger(String name, Class<? extends GpuallocException> type,
      LedgerCall call, String... fragments) {
    return dynamicTest(name, () -> {
      ClusterState s = busyLedger();
      ViewState before = ViewState.of(s);
      Set<Placement> allocationsBefore = Set.copyOf(s.allocations());
      long version = s.version();
      int[] nodeVersions = new int[s.cluster().nodeCount()];
      for (int n = 0; n < nodeVersions.length; n++) {
        nodeVersions[n] = s.nodeVersion(n);
      }
      contains(expect(type, () -> call.call(s)), fragments);
      assertEquals(before, ViewState.of(s), "reads unchanged");
      assertEquals(allocationsBefore, Set.copyOf(s.allocations()), "allocations unchanged");
      assertEquals(version, s.version(), "version unchanged");
      for (int n = 0; n < nodeVersions.length; n++) {
        assertTrue(s.nodeVersion(n) >= nodeVersions[n], "node versions never go back");
      }
    });
  }

  private static <T extends Throwable> T expect(Class<T> type, Executable call) {
    T e = assertThrows(type, call);
    if (System.getProperty("gpualloc.printErrors") != null) {
      System.out.println("[errors] " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    return e;
  }

  private static void contains(Throwable e, String... fragments) {
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), () -> "message of " + e.getClass().getSimpleName()
          + " lacks \"" + f + "\": " + e.getMessage());
    }
  }
}

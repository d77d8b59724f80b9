package io.gpualloc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.testing.LedgerInvariants;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/embedding.md honest: each code block marked {@code <!-- code: NAME -->} there is the
 * region between {@code // doc:begin NAME} and {@code // doc:end} of this file (indentation
 * removed), and the tests below run that code.
 */
class EmbeddingDocTest {
  private static final Path DOCS = Path.of("../docs");
  private static final Path SOURCE =
      Path.of("src/test/java/io/gpualloc/core/EmbeddingDocTest.java");
  private static final GpuModel A100 = GpuModelCatalog.builtIn().get("A100-80GB");

  // doc:begin host
  /** Keeps a ledger in step with the host's node and pod events. */
  final class Host {
    final ClusterState ledger;
    final ConcurrentLinkedQueue<String> toReschedule = new ConcurrentLinkedQueue<>();

    Host(List<Node> nodesAtStartUp) {
      ledger = new ClusterState(Cluster.of(nodesAtStartUp));
    }

    void nodeAdded(Node node) {
      ledger.addNode(node); // a new id; the host keeps using names
    }

    void nodeDeleted(String name) {
      for (Placement lost : ledger.removeNode(name)) {
        toReschedule.add(lost.allocationId()); // its pods lost their node
      }
    }

    void nodeCordoned(String name, boolean unschedulable) {
      if (unschedulable) {
        ledger.cordon(name);
      } else {
        ledger.uncordon(name);
      }
    }

    void nodeLabelsChanged(String name, Map<String, String> labels) {
      ledger.relabel(name, labels);
    }

    void gpuHealthChanged(String name, int gpuIndex, boolean healthy) {
      if (healthy) {
        ledger.markGpuHealthy(name, gpuIndex);
      } else {
        for (Placement affected : ledger.markGpuUnhealthy(name, gpuIndex)) {
          toReschedule.add(affected.allocationId()); // or let them run: host's choice
        }
      }
    }

    void podDeleted(String podUid) {
      if (ledger.allocation(podUid) != null) { // deletes may arrive twice
        ledger.release(podUid);
      }
    }
  }
  // doc:end

  // doc:begin commit
  /** Decides on a snapshot and commits optimistically; safe from many threads at once. */
  static Decision schedule(ClusterState ledger, PlacementPolicy policy, Request pod) {
    for (int attempt = 0; attempt < 3; attempt++) {
      ClusterSnapshot view = ledger.snapshot(); // one consistent picture, no lock held
      Decision decision = policy.place(pod, view);
      if (!(decision instanceof Decision.Placed placed)) {
        return decision; // fits nowhere now: report the reasons
      }
      try {
        ledger.allocate(placed.placement()); // re-checked under the ledger's lock
        return decision;
      } catch (AllocationConflictException | UnknownNodeException raced) {
        // another thread took the capacity, or the node was cordoned, lost a GPU or left
        // between the snapshot and the commit: decide again on a fresh snapshot
      }
    }
    // still racing after 3 attempts: nothing was committed, so say so (the host requeues the pod)
    return Decision.Rejected.because(pod.name(), ledger.cluster().nodeCount(),
        "lost the commit race 3 times to other threads or membership changes; retry later");
  }
  // doc:end

  /** A small first-fit policy (whole GPUs only) for the examples; binpack has the real ones. */
  static final class FirstFitWhole implements PlacementPolicy {
    @Override
    public String name() {
      return "first-fit-whole";
    }

    @Override
    public Decision place(Request r, ClusterView v) {
      return scoreAll(r, v).best();
    }

    @Override
    public NodeScores scoreAll(Request r, ClusterView v) {
      int k = r.gpu().count();
      Cluster c = v.cluster();
      NodeScores.Builder scores = NodeScores.builder(r, c, List.of());
      for (int id = 0; id < c.nodeIdBound(); id++) {
        if (!c.isLive(id)) {
          scores.rejected(id, NodeRejection.of(RejectReason.NODE_REMOVED, "node removed"));
        } else if (!v.isSchedulable(id)) {
          scores.rejected(id, NodeRejection.of(RejectReason.NODE_CORDONED, "node cordoned"));
        } else if (v.freeCpuMilli(id) < r.cpuMilli() || v.freeWholeGpus(id) < k) {
          scores.rejected(id, NodeRejection.of(RejectReason.INSUFFICIENT_GPUS,
              "needs " + k + " free GPUs and " + r.cpuMilli() + "m CPU"));
        } else {
          List<GpuGrant> grants = new java.util.ArrayList<>();
          for (int i = 0; i < c.node(id).gpuCount() && grants.size() < k; i++) {
            if (v.canTakeWhole(c.gpuId(id, i))) {
              grants.add(GpuGrant.whole(i));
            }
          }
          scores.scored(id, 0, new double[0], List.copyOf(grants)); // first fit: ids in order
        }
      }
      return scores.build("no node has " + k + " free GPUs");
    }
  }

  private static Node node(String name) {
    return Node.builder(name).cpuMilli(16000).memoryMib(65536).gpus(4, A100).build();
  }

  private static Request pod(String uid, int gpus) {
    return Request.builder(uid).cpuMilli(1000).memoryMib(1024).gpu(GpuDemand.whole(gpus)).build();
  }

  @Test
  void theHostFollowsItsEvents() {
    Host host = new Host(List.of(node("a"), node("b")));
    PlacementPolicy policy = new FirstFitWhole();
    assertTrue(schedule(host.ledger, policy, pod("p1", 3)).isPlaced());
    assertTrue(schedule(host.ledger, policy, pod("p2", 3)).isPlaced());
    host.nodeAdded(node("c"));
    host.nodeCordoned("c", true);
    assertFalse(schedule(host.ledger, policy, pod("p3", 2)).isPlaced(), "c is cordoned");
    host.nodeCordoned("c", false);
    assertEquals(2, ((Decision.Placed) schedule(host.ledger, policy, pod("p3", 2)))
        .placement().nodeId());
    host.gpuHealthChanged("a", 0, false);
    host.nodeDeleted("b");
    host.nodeLabelsChanged("a", Map.of("rack", "r1"));
    host.podDeleted("p1");
    host.podDeleted("p1");
    // p1 held GPU 0 of a (now unhealthy), p2 was on b (deleted)
    assertEquals(List.of("p1", "p2"), new ArrayList<>(host.toReschedule));
    assertEquals(3, host.ledger.freeWholeGpus(0), "GPU 0 of a is unhealthy");
    LedgerInvariants.checkAll(host.ledger);
  }

  @Test
  void commitsFromManyThreadsNeverOverAllocate() throws Exception {
    ClusterState ledger = new ClusterState(Cluster.of(node("a"), node("b"), node("c")));
    PlacementPolicy policy = new FirstFitWhole();
    AtomicInteger placed = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int id = t;
      threads.add(new Thread(() -> {
        for (int i = 0; i < 50; i++) {
          if (schedule(ledger, policy, pod("t" + id + "-" + i, 1)).isPlaced()) {
            placed.incrementAndGet();
          }
          if (id == 0 && i == 10) {
            ledger.cordon("c");
          }
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(placed.get(), ledger.allocationCount());
    assertTrue(placed.get() <= 12);
    LedgerInvariants.checkAll(ledger);
  }

  @Test
  void theDocShowsThisCode() throws Exception {
    List<String> doc = Files.readAllLines(DOCS.resolve("embedding.md"));
    String source = Files.readString(SOURCE);
    int checked = 0;
    for (int i = 0; i < doc.size(); i++) {
      if (doc.get(i).startsWith("<!-- code: ")) {
        String name = doc.get(i).substring("<!-- code: ".length(), doc.get(i).length() - 4);
        assertEquals(region(source, name), block(doc, i), "docs/embedding.md block " + name);
        checked++;
      }
    }
    assertEquals(2, checked, "docs/embedding.md shows the host and the commit loop");
  }

  private static String block(List<String> lines, int marker) {
    assertTrue(lines.get(marker + 1).startsWith("```"), "no code block after " + lines.get(marker));
    StringBuilder sb = new StringBuilder();
    for (int i = marker + 2; !lines.get(i).equals("```"); i++) {
      sb.append(lines.get(i)).append('\n');
    }
    return sb.toString();
  }

  private static String region(String source, String name) {
    int begin = source.indexOf("// doc:begin " + name + "\n");
    assertTrue(begin >= 0, "no region " + name);
    int from = source.indexOf('\n', begin) + 1;
    int to = source.indexOf("  // doc:end", from);
    StringBuilder sb = new StringBuilder();
    for (String line : source.substring(from, to).split("\n", -1)) {
      if (!line.isEmpty() || sb.length() > 0) {
        sb.append(line.startsWith("  ") ? line.substring(2) : line).append('\n');
      }
    }
    return sb.toString().stripTrailing() + "\n";
  }
}

package io.gpualloc.binpack.defrag;

import io.gpualloc.binpack.TargetWorkload;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.Request;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** What a defragmentation plan must achieve. */
public sealed interface DefragGoal {

  /**
   * One line for people.
   *
   * @return the text
   */
  String describe();

  /**
   * Make pending pods fit: one pod, or a gang of pods that must all fit at once (each on one node,
   * no topology constraint). The plan ends with a placement for every pod.
   *
   * @param pods the pending pods, at least one, distinct names; no MIG demands (MIG layouts are
   *     planned by {@code io.gpualloc.binpack.mig})
   */
  record Fit(List<Request> pods) implements DefragGoal {
    /**
     * Validates and copies the pods.
     *
     * @param pods the pending pods, at least one, distinct names, no MIG demands
     * @throws InvalidSpecException for no pods, a null pod, a repeated name or a MIG demand
     */
    public Fit {
      if (pods == null || pods.isEmpty()) {
        throw InvalidSpecException.of("defrag goal fit", "pods", pods, "at least one request");
      }
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < pods.size(); i++) {
        Request r = pods.get(i);
        if (r == null) {
          throw InvalidSpecException.of("defrag goal fit", "pods[" + i + "]", null, "a request");
        }
        if (!seen.add(r.name())) {
          throw InvalidSpecException.of("defrag goal fit", "pods[" + i + "].name", r.name(),
              "a name not used by an earlier pod");
        }
        if (r.gpu() instanceof io.gpualloc.core.GpuDemand.Mig) {
          throw InvalidSpecException.of("defrag goal fit", "pods[" + i + "].gpu", r.gpu(),
              "none, whole or shared GPUs. Maybe plan MIG layouts with MigPlanners");
        }
      }
      pods = List.copyOf(pods);
    }

    /**
     * One pending pod.
     *
     * @param pod the pod
     * @return the goal
     * @throws InvalidSpecException as the constructor
     */
    public static Fit of(Request pod) {
      return new Fit(java.util.Collections.singletonList(pod));
    }

    @Override
    public String describe() {
      return pods.size() == 1 ? "fit pod " + pods.get(0).name() : "fit gang of " + pods.size()
          + " pods";
    }
  }

  /**
   * Empty at least {@code count} whole nodes (no allocation left on them), for maintenance or
   * scale-in. Nodes already empty count.
   *
   * @param count how many nodes, at least 1
   * @param candidates the names of the nodes that may be emptied; empty: every member node
   */
  record EmptyNodes(int count, Set<String> candidates) implements DefragGoal {
    /**
     * Validates and copies (sorted).
     *
     * @param count how many nodes, at least 1
     * @param candidates the names of the nodes that may be emptied; empty: every member node
     * @throws InvalidSpecException for a count below 1 or null candidates
     */
    public EmptyNodes {
      if (count < 1) {
        throw InvalidSpecException.of("defrag goal empty-nodes", "count", count, ">= 1");
      }
      if (candidates == null || candidates.stream().anyMatch(java.util.Objects::isNull)) {
        throw InvalidSpecException.of("defrag goal empty-nodes", "candidates", candidates,
            "a set of node names (empty: every node)");
      }
      candidates = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(candidates));
    }

    /**
     * Any {@code count} nodes.
     *
     * @param count how many nodes, at least 1
     * @return the goal
     * @throws InvalidSpecException for a count below 1
     */
    public static EmptyNodes any(int count) {
      return new EmptyNodes(count, Set.of());
    }

    @Override
    public String describe() {
      return "empty " + count + " node" + (count == 1 ? "" : "s")
          + (candidates.isEmpty() ? "" : " of " + candidates.size() + " candidates");
    }
  }

  /**
   * Bring FGD's fragmentation measure F(M) of the cluster ({@link
   * io.gpualloc.binpack.Fragmentation#cluster}) to at most {@code targetMilli}.
   *
   * @param workload the target workload M, not empty
   * @param targetMilli the target, milli-GPU, {@code >= 0}
   */
  record ReduceFragmentation(TargetWorkload workload, long targetMilli) implements DefragGoal {
    /**
     * Validates.
     *
     * @param workload the target workload M, not empty
     * @param targetMilli the target, milli-GPU, {@code >= 0}
     * @throws InvalidSpecException for a null or empty workload or a negative target
     */
    public ReduceFragmentation {
      if (workload == null || workload.isEmpty()) {
        throw InvalidSpecException.of("defrag goal reduce-fragmentation", "workload", workload,
            "a non-empty target workload. Maybe TargetWorkload.fromRequests(pods)");
      }
      if (targetMilli < 0) {
        throw InvalidSpecException.of("defrag goal reduce-fragmentation", "targetMilli",
            targetMilli, ">= 0");
      }
    }

    @Override
    public String describe() {
      return "bring fragmentation to <= " + targetMilli + " milli-GPU";
    }
  }
}

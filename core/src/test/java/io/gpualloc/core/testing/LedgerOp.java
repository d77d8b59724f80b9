package io.gpualloc.core.testing;

import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import java.util.List;
import java.util.Map;

/**
 * One step of a random ledger operation sequence. Steps that refer to existing allocations carry a
 * {@code pick} that the runner resolves against the allocations live at that moment (modulo their
 * number), so a sequence stays meaningful when jqwik shrinks it.
 */
public sealed interface LedgerOp {

  /** {@code ClusterState.allocate(placement)}; may be feasible or not. */
  record Allocate(Placement placement) implements LedgerOp {}

  /** {@code ClusterState.allocateAll(placements)}: a gang, all or nothing. */
  record AllocateAll(List<Placement> placements) implements LedgerOp {
    /** Copies the list. */
    public AllocateAll {
      placements = List.copyOf(placements);
    }
  }

  /** Releases a live allocation: the {@code pick}-th (modulo their number) in id order. */
  record ReleaseKnown(int pick) implements LedgerOp {}

  /**
   * Releases an id that was released before and is not live now (a double release); when there is
   * none, a never-allocated id. Must throw {@code UnknownAllocationException}.
   */
  record ReleaseAgain(int pick) implements LedgerOp {}

  /** Releases an id that was never allocated; must throw {@code UnknownAllocationException}. */
  record ReleaseUnknown(String allocationId) implements LedgerOp {}

  /** Takes a snapshot, which later steps must not affect. */
  record Snapshot() implements LedgerOp {}

  /** Forks the ledger and runs {@code onFork} on the fork; parent and fork must not interfere. */
  record Fork(List<LedgerOp> onFork) implements LedgerOp {
    /** Copies the list. */
    public Fork {
      onFork = List.copyOf(onFork);
    }
  }

  /**
   * An allocation drawn at run time against the membership of that moment (so that it can target
   * nodes added since the sequence was drawn, and ids removed since): {@code gang} placements from
   * a random source seeded with {@code seed}; one means {@code allocate}, more {@code allocateAll}.
   */
  record AllocateNow(long seed, int gang) implements LedgerOp {}

  /**
   * {@code addNode(node)}. When {@code stealUuid} is at least 0 and the cluster has a member GPU,
   * the node's GPU 0 takes the UUID of the {@code stealUuid}-th member GPU first (must fail).
   */
  record AddNode(Node node, int stealUuid) implements LedgerOp {}

  /**
   * {@code removeNode} of the {@code pick}-th member by id (modulo their number); when {@code
   * unknown}, of a name no member has (a removed node's, or one never used): must fail.
   */
  record RemoveNode(int pick, boolean unknown) implements LedgerOp {}

  /** {@code cordon} (or {@code uncordon} when {@code on} is false) of the {@code pick}-th member. */
  record Cordon(int pick, boolean on) implements LedgerOp {}

  /**
   * {@code relabel} of the {@code pick}-th member to {@code labels}; a blank key among them must
   * fail.
   */
  record Relabel(int pick, Map<String, String> labels) implements LedgerOp {
    /** Copies the map (which may hold a blank key, to be rejected by the ledger). */
    public Relabel {
      labels = Map.copyOf(labels);
    }
  }

  /**
   * {@code markGpuUnhealthy} (or {@code markGpuHealthy}) of GPU {@code gpuPick} (modulo the node's
   * GPU count plus one, so that one index in range+1 is out of range) of the {@code pick}-th member.
   */
  record GpuHealth(int pick, int gpuPick, boolean healthy) implements LedgerOp {}
}

package io.gpualloc.core.testing;

import io.gpualloc.core.Placement;
import java.util.List;

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
}

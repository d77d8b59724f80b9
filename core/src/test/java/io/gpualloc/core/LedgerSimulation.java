package io.gpualloc.core;

import io.gpualloc.core.testing.LedgerInvariants;
import io.gpualloc.core.testing.LedgerOp;
import io.gpualloc.core.testing.ReferenceLedger;
import io.gpualloc.core.testing.ViewState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Runs a {@link LedgerOp} sequence against a {@link ClusterState} and a {@link ReferenceLedger} side
 * by side, and after every step checks every invariant (in the style of Kafka's Raft event
 * simulation: named invariants, one deterministic sequence per seed). A failure names the step, the
 * operation and the broken invariant; jqwik prints the seed that replays it.
 *
 * <p>Checked after each step:
 *
 * <ul>
 *   <li>CAPACITY, ONE_MODE_PER_GPU, MIG_LAYOUT, WHOLE_EXCLUSIVE ({@link LedgerInvariants});
 *   <li>MATCHES_REFERENCE: every capacity read equals the reference's, and ALLOCATIONS_MATCH: the
 *       recorded placements are exactly the reference's live set; CAN_PLACE_MIG every 16th step (a different GPU each time);
 *   <li>SNAPSHOT_IMMUTABLE: the last two snapshots still read what they read when taken;
 *   <li>FORK_ISOLATED: the last fork still matches its own reference.
 * </ul>
 *
 * The last two are checked every 4th step, when a snapshot or fork is replaced and at the end of
 * the sequence (a copy that saw a change would have to see its exact undo to escape), so the cost
 * stays low enough for a million operations per build.
 *
 * <ul>
 * </ul>
 *
 * Checked at each operation: ACCEPTS_EXACTLY_LEGAL (the ledger accepts a placement iff the
 * reference does, and rejects with the reference's exception type), REJECTED_CHANGES_NOTHING (all
 * reads, the allocations and the version are as before), RELEASE_UNKNOWN_THROWS, VERSION_COUNTS
 * (+1 per recorded or released placement; a touched node's version moves forward, no node's moves
 * back), PARENT_UNTOUCHED_BY_FORK.
 */
final class LedgerSimulation {
  /** Ledger operations executed by all simulations in this JVM. */
  static final AtomicLong OPERATIONS = new AtomicLong();

  private static final int KEEP_SNAPSHOTS = 2;

  private final ClusterState state;
  private final ReferenceLedger ref;
  private final Cluster cluster;
  private final Deque<Frozen> snapshots = new ArrayDeque<>();
  private @Nullable LedgerSimulation fork;
  /** What the ledger read after the last checked step (the state no call has changed since). */
  private @Nullable ViewState lastChecked;
  private int step;

  private record Frozen(ClusterSnapshot snapshot, ViewState view, long version, int takenAt) {}

  LedgerSimulation(Cluster cluster) {
    this(new ClusterState(cluster), new ReferenceLedger(cluster));
  }

  private LedgerSimulation(ClusterState state, ReferenceLedger ref) {
    this.state = state;
    this.ref = ref;
    this.cluster = state.cluster();
  }

  ClusterState state() {
    return state;
  }

  ReferenceLedger reference() {
    return ref;
  }

  /** Runs {@code ops}, checking every invariant after every step. */
  void run(List<LedgerOp> ops) {
    for (LedgerOp op : ops) {
      try {
        apply(op);
        checkAfterStep();
      } catch (AssertionError e) {
        throw new AssertionError("step " + step + " " + op + ": " + e.getMessage(), e);
      }
      step++;
    }
    checkSnapshotsAndFork();
  }

  private void apply(LedgerOp op) {
    OPERATIONS.incrementAndGet();
    if (op instanceof LedgerOp.Allocate a) {
      allocate(List.of(a.placement()), false);
    } else if (op instanceof LedgerOp.AllocateAll all) {
      allocate(all.placements(), true);
    } else if (op instanceof LedgerOp.ReleaseKnown k) {
      List<String> ids = new ArrayList<>(ref.live().keySet());
      if (ids.isEmpty()) {
        releaseMustFail("nothing-live");
      } else {
        release(ids.get(k.pick() % ids.size()));
      }
    } else if (op instanceof LedgerOp.ReleaseAgain again) {
      List<String> ids = ref.releasedNotLive();
      releaseMustFail(ids.isEmpty() ? "never-released" : ids.get(again.pick() % ids.size()));
    } else if (op instanceof LedgerOp.ReleaseUnknown u) {
      releaseMustFail(u.allocationId());
    } else if (op instanceof LedgerOp.Snapshot) {
      ClusterSnapshot snap = state.snapshot();
      ViewState now = ViewState.of(state);
      if (!(ViewState.of(snap).equals(now))) {
        throw new AssertionError("SNAPSHOT_EQUALS_STATE: a fresh snapshot reads "
            + ViewState.of(snap) + " but the ledger " + now);
      }
      if (!(snap.version() == state.version())) {
        throw new AssertionError("SNAPSHOT_EQUALS_STATE: version differs");
      }
      snapshots.addLast(new Frozen(snap, now, snap.version(), step));
      if (snapshots.size() > KEEP_SNAPSHOTS) {
        checkSnapshot(snapshots.removeFirst());
      }
    } else if (op instanceof LedgerOp.Fork f) {
      ViewState parentBefore = ViewState.of(state);
      long versionBefore = state.version();
      LedgerSimulation child = new LedgerSimulation(state.fork(), ref.copy());
      child.checkAfterStep(); // a fresh fork equals its parent
      child.run(f.onFork());
      if (!(ViewState.of(state).equals(parentBefore) && state.version() == versionBefore)) {
        throw new AssertionError("PARENT_UNTOUCHED_BY_FORK: " + f.onFork().size() + " steps on the fork changed the"
                + " parent: " + ViewState.of(state).diff(parentBefore));
      }
      if (fork != null) {
        checkSnapshotsAndFork(); // the fork being replaced gets its last check
      }
      fork = child;
    } else {
      throw new AssertionError("unknown op " + op);
    }
  }

  private void allocate(List<Placement> placements, boolean gang) {
    Class<? extends GpuallocException> expected =
        gang ? ref.rejectionAll(placements) : ref.rejection(placements.get(0));
    ViewState before = lastChecked != null ? lastChecked : ViewState.of(state);
    long version = state.version();
    int[] nodeVersions = nodeVersions();
    try {
      if (gang) {
        state.allocateAll(placements);
      } else {
        state.allocate(placements.get(0));
      }
    } catch (GpuallocException e) {
      if (expected == null) {
        throw new AssertionError("ACCEPTS_EXACTLY_LEGAL: the ledger rejected a legal placement with "
            + e);
      }
      if (!(expected.isInstance(e))) {
        throw new AssertionError("ACCEPTS_EXACTLY_LEGAL: expected a "
            + expected.getSimpleName() + ", got " + e);
      }
      String d = ViewState.of(state).diff(before);
      if (d != null) {
        throw new AssertionError("REJECTED_CHANGES_NOTHING: after " + e.getMessage() + ": " + d);
      }
      if (!(state.version() == version)) {
        throw new AssertionError("REJECTED_CHANGES_NOTHING: version moved from " + version
            + " to " + state.version());
      }
      int[] after = nodeVersions();
      for (int n = 0; n < after.length; n++) {
        if (!(gang ? after[n] >= nodeVersions[n] : after[n] == nodeVersions[n])) {
          throw new AssertionError("VERSION_COUNTS: node " + n + " version " + nodeVersions[n]
              + " -> " + after[n] + " on a rejected call");
        }
      }
      return;
    }
    if (expected != null) {
      throw new AssertionError("ACCEPTS_EXACTLY_LEGAL: the ledger accepted " + placements
          + ", which the reference rejects with " + (expected == null ? "" : expected.getSimpleName()));
    }
    for (Placement p : placements) {
      ref.allocate(p);
    }
    if (!(state.version() == version + placements.size())) {
      throw new AssertionError("VERSION_COUNTS: version " + version
          + " -> " + state.version() + " after recording " + placements.size());
    }
    int[] after = nodeVersions();
    for (Placement p : placements) {
      if (!(after[p.nodeId()] > nodeVersions[p.nodeId()])) {
        throw new AssertionError("VERSION_COUNTS: node " + p.nodeId() + " version did not move");
      }
    }
  }

  private void release(String id) {
    long version = state.version();
    int node = ref.live().get(id).nodeId();
    int nodeVersion = state.nodeVersion(node);
    Placement released = state.release(id);
    Placement expected = ref.release(id);
    if (!(released.equals(expected))) {
      throw new AssertionError("RELEASE_RETURNS_PLACEMENT: got " + released);
    }
    if (!(state.allocation(id) == null)) {
      throw new AssertionError("RELEASE_FORGETS: " + id + " still recorded");
    }
    if (!(state.version() == version + 1)) {
      throw new AssertionError("VERSION_COUNTS: release moved version " + version
          + " -> " + state.version());
    }
    if (!(state.nodeVersion(node) > nodeVersion)) {
      throw new AssertionError("VERSION_COUNTS: release left node version");
    }
  }

  private void releaseMustFail(String id) {
    ViewState before = ViewState.of(state);
    long version = state.version();
    try {
      Placement p = state.release(id);
      throw new AssertionError("RELEASE_UNKNOWN_THROWS: release(" + id + ") returned " + p);
    } catch (UnknownAllocationException e) {
      if (!(e.getMessage().contains("'" + id + "'"))) {
        throw new AssertionError("RELEASE_UNKNOWN_THROWS: message does not name the id: " + e.getMessage());
      }
    }
    if (!(ViewState.of(state).equals(before) && state.version() == version)) {
      throw new AssertionError("REJECTED_CHANGES_NOTHING: a failed release changed the ledger");
    }
  }

  /** Checks everything that must hold between steps. */
  void checkAfterStep() {
    ViewState actual = ViewState.of(state);
    lastChecked = actual;
    LedgerInvariants.checkView(cluster, actual);
    LedgerInvariants.matchesReference(actual, ref);
    List<Placement> recorded = state.allocations();
    boolean same = recorded.size() == ref.live().size();
    for (int i = 0; same && i < recorded.size(); i++) {
      Placement p = recorded.get(i);
      same = ref.live().get(p.allocationId()) == p; // the very placement that was allocated
    }
    if (!same) {
      throw new AssertionError("ALLOCATIONS_MATCH: ledger holds " + recorded + ", reference "
          + ref.live().values());
    }
    LedgerInvariants.migLayoutsValid(cluster, recorded);
    if (step % 16 == 0 && cluster.gpuCount() > 0) {
      int gpu = (step / 16) % cluster.gpuCount();
      LedgerInvariants.canPlaceMigMatches(state, ref, gpu);
    }
    if (step % 4 == 3) {
      checkSnapshotsAndFork();
    }
  }

  /** SNAPSHOT_IMMUTABLE and FORK_ISOLATED (every 4th step, at eviction and at the end). */
  private void checkSnapshotsAndFork() {
    for (Frozen f : snapshots) {
      checkSnapshot(f);
    }
    if (fork != null) {
      LedgerSimulation f = fork;
      String d = ViewState.of(f.state).diff(f.ref.expected());
      if (d != null) {
        throw new AssertionError("FORK_ISOLATED: parent steps changed the fork: " + d);
      }
    }
  }

  private void checkSnapshot(Frozen f) {
    String d = ViewState.of(f.snapshot()).diff(f.view());
    if (d != null || f.snapshot().version() != f.version()) {
      throw new AssertionError("SNAPSHOT_IMMUTABLE: snapshot of step " + f.takenAt()
          + " changed: " + d);
    }
  }

  private int[] nodeVersions() {
    int[] v = new int[cluster.nodeCount()];
    for (int n = 0; n < v.length; n++) {
      v[n] = state.nodeVersion(n);
    }
    return v;
  }

}

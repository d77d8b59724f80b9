package io.gpualloc.core;

import io.gpualloc.core.testing.LedgerGen;
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
 *   <li>CAPACITY, ONE_MODE_PER_GPU (a SHARED GPU within its split count), MIG_LAYOUT,
 *       WHOLE_EXCLUSIVE ({@link LedgerInvariants});
 *   <li>SHARE_CAP every 4th step (a different GPU each time): the GPU's cap as the view reports
 *       it, never more shares than the cap, and {@code canShare} agrees with the reference;
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

  /** Membership calls by kind and outcome ("removeNode ok", "addNode rejected", ...). */
  static final java.util.concurrent.ConcurrentSkipListMap<String, AtomicLong> MEMBERSHIP =
      new java.util.concurrent.ConcurrentSkipListMap<>();

  private static void count(String what) {
    MEMBERSHIP.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
  }

  private static final int KEEP_SNAPSHOTS = 2;

  private final ClusterState state;
  private final ReferenceLedger ref;
  private final int initialBound;
  private final Deque<Frozen> snapshots = new ArrayDeque<>();
  private @Nullable LedgerSimulation fork;
  /** What the ledger read after the last checked step (the state no call has changed since). */
  private @Nullable ViewState lastChecked;
  private int step;
  /** Whether the last step was a membership call (MEMBERSHIP_MATCHES is checked after those). */
  private boolean membershipChanged;

  private record Frozen(ClusterSnapshot snapshot, ViewState view, long version,
      LedgerInvariants.Membership membership, int takenAt) {}

  LedgerSimulation(Cluster cluster) {
    this(new ClusterState(cluster), new ReferenceLedger(cluster));
  }

  private LedgerSimulation(ClusterState state, ReferenceLedger ref) {
    this.state = state;
    this.ref = ref;
    this.initialBound = ref.nodeIdBound();
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
      LedgerInvariants.Membership m = LedgerInvariants.Membership.of(snap.cluster());
      if (snap.cluster() != state.cluster()) {
        throw new AssertionError("SNAPSHOT_EQUALS_STATE: the snapshot's cluster is another value");
      }
      Cluster sc = snap.cluster();
      if (sc.gpuIdBound() > 0 && sc.isLiveGpu(step % sc.gpuIdBound())) {
        LedgerInvariants.shareCapMatches(snap, ref, step % sc.gpuIdBound()); // its own canShare
      }
      snapshots.addLast(new Frozen(snap, now, snap.version(), m, step));
      if (snapshots.size() > KEEP_SNAPSHOTS) {
        checkSnapshot(snapshots.removeFirst());
      }
    } else if (op instanceof LedgerOp.Fork f) {
      ViewState parentBefore = ViewState.of(state);
      long versionBefore = state.version();
      Cluster clusterBefore = state.cluster();
      LedgerInvariants.Membership membershipBefore = LedgerInvariants.Membership.of(clusterBefore);
      LedgerSimulation child = new LedgerSimulation(state.fork(), ref.copy());
      child.checkAfterStep(); // a fresh fork equals its parent
      child.run(f.onFork());
      if (!(ViewState.of(state).equals(parentBefore) && state.version() == versionBefore
          && state.cluster() == clusterBefore
          && LedgerInvariants.Membership.of(clusterBefore).equals(membershipBefore))) {
        throw new AssertionError("PARENT_UNTOUCHED_BY_FORK: " + f.onFork().size() + " steps on the fork changed the"
                + " parent: " + ViewState.of(state).diff(parentBefore));
      }
      if (fork != null) {
        checkSnapshotsAndFork(); // the fork being replaced gets its last check
      }
      fork = child;
    } else if (op instanceof LedgerOp.AllocateNow now) {
      java.util.Random r = new java.util.Random(now.seed());
      List<Placement> ps = new ArrayList<>();
      for (int i = 0; i < now.gang(); i++) {
        ps.add(LedgerGen.placement(state.cluster(), r, LedgerGen.id(r)));
      }
      allocate(ps, ps.size() > 1);
    } else if (op instanceof LedgerOp.AddNode add) {
      addNode(add);
    } else if (op instanceof LedgerOp.RemoveNode rm) {
      removeNode(rm);
    } else if (op instanceof LedgerOp.Cordon c) {
      String name = c.on() ? member(c.pick()) : cordonedMember(c.pick());
      if (name == null) {
        membershipMustFail("cordon", UnknownNodeException.class, "ghost",
            () -> state.cordon("ghost"));
      } else {
        int id = ref.liveId(name);
        boolean changed = ref.isCordoned(id) != c.on();
        membershipCall(c.on() ? "cordon" : "uncordon", id, changed ? 1 : 0, 0, () -> {
          boolean answer = c.on() ? state.cordon(name) : state.uncordon(name);
          ref.setCordoned(id, c.on());
          return answer == changed ? null : "cordon(" + name + ", " + c.on() + ") answered "
              + answer;
        });
      }
    } else if (op instanceof LedgerOp.Relabel rl) {
      String name = member(rl.pick());
      if (name == null) {
        membershipMustFail("relabel", UnknownNodeException.class, "ghost",
            () -> state.relabel("ghost", rl.labels()));
      } else if (rl.labels().containsKey(" ")) {
        membershipMustFail("relabel", InvalidSpecException.class, "label key",
            () -> state.relabel(name, rl.labels()));
      } else {
        int id = ref.liveId(name);
        boolean changed = !new java.util.TreeMap<>(rl.labels()).equals(ref.node(id).labels());
        membershipCall("relabel", id, changed ? 1 : 0, changed ? 1 : 0, () -> {
          boolean answer = state.relabel(name, rl.labels());
          ref.relabel(id, rl.labels());
          return answer == changed ? null : "relabel answered " + answer;
        });
      }
    } else if (op instanceof LedgerOp.GpuHealth h) {
      String name = member(h.pick());
      if (name == null) {
        membershipMustFail("gpuHealth", UnknownNodeException.class, "ghost",
            () -> state.markGpuHealthy("ghost", 0));
        return;
      }
      int id = ref.liveId(name);
      int count = ref.node(id).gpuCount();
      int index = h.gpuPick() % (count + 1);
      if (index == count) {
        membershipMustFail("gpuHealth", InvalidSpecException.class, "gpu index",
            () -> {
              if (h.healthy()) {
                state.markGpuHealthy(name, index);
              } else {
                state.markGpuUnhealthy(name, index);
              }
            });
        return;
      }
      boolean changed = ref.isHealthy(ref.gpuId(id, index)) != h.healthy();
      membershipCall(h.healthy() ? "markGpuHealthy" : "markGpuUnhealthy", id, changed ? 1 : 0, 0,
          () -> {
        if (h.healthy()) {
          boolean answer = state.markGpuHealthy(name, index);
          ref.setHealthy(id, index, true);
          return answer == changed ? null : "markGpuHealthy answered " + answer;
        }
        List<Placement> affected = state.markGpuUnhealthy(name, index);
        ref.setHealthy(id, index, false);
        List<Placement> expected = ref.onGpu(id, index);
        return affected.equals(expected) ? null : "markGpuUnhealthy returned " + affected
            + ", expected " + expected;
      });
    } else {
      throw new AssertionError("unknown op " + op);
    }
  }

  /** The {@code pick}-th cordoned member (so that uncordon finds one), else any member. */
  private @Nullable String cordonedMember(int pick) {
    List<String> names = new ArrayList<>();
    for (String n : ref.liveNames()) {
      if (ref.isCordoned(ref.liveId(n))) {
        names.add(n);
      }
    }
    return names.isEmpty() || pick % 4 == 0 ? member(pick) : names.get(pick % names.size());
  }

  /** The name of the {@code pick}-th member by id, or null when there is none. */
  private @Nullable String member(int pick) {
    List<String> names = ref.liveNames();
    return names.isEmpty() ? null : names.get(pick % names.size());
  }

  private void addNode(LedgerOp.AddNode add) {
    Node node = add.node();
    if (add.stealUuid() >= 0 && node.gpuCount() > 0) {
      List<String> uuids = new ArrayList<>();
      for (int k = 0; k < ref.gpuIdBound(); k++) {
        int owner = ref.nodeOfGpu(k);
        if (ref.isLive(owner)) {
          uuids.add(ref.node(owner).gpu(k - ref.gpuId(owner, 0)).uuid());
        }
      }
      if (!uuids.isEmpty()) {
        List<Gpu> gpus = new ArrayList<>(node.gpus());
        Gpu g0 = gpus.get(0);
        gpus.set(0, new Gpu(0, uuids.get(add.stealUuid() % uuids.size()), g0.model(),
            g0.numaNode()));
        node = new Node(node.name(), node.labels(), node.cpuMilli(), node.memoryMib(), gpus);
      }
    }
    Node added = node;
    Class<? extends GpuallocException> expected = ref.addRejection(added);
    if (expected != null) {
      membershipMustFail("addNode", expected, added.name(), () -> state.addNode(added));
      return;
    }
    int expectedId = ref.nodeIdBound();
    membershipCall("addNode", -1, 1, 1, () -> {
      int id = state.addNode(added);
      ref.addNode(added);
      if (id != expectedId) {
        return "addNode issued id " + id + ", expected " + expectedId + " (ids are never reused)";
      }
      return state.nodeVersion(id) == 0 ? null : "a new node's version is " + state.nodeVersion(id);
    });
  }

  private void removeNode(LedgerOp.RemoveNode rm) {
    String name = rm.unknown() ? null : member(rm.pick());
    if (name == null) {
      String ghost = rm.unknown() && ref.nodeIdBound() > 0
          && !ref.isLive(rm.pick() % ref.nodeIdBound())
          && ref.liveId(ref.node(rm.pick() % ref.nodeIdBound()).name()) < 0
          ? ref.node(rm.pick() % ref.nodeIdBound()).name() : "ghost-" + (rm.pick() % 10);
      membershipMustFail("removeNode", UnknownNodeException.class, ghost,
          () -> state.removeNode(ghost));
      return;
    }
    int id = ref.liveId(name);
    List<Placement> expected = ref.onNode(id);
    membershipCall(expected.isEmpty() ? "removeNode empty" : "removeNode holding", id,
        expected.size() + 1, 1, () -> {
      List<Placement> released = state.removeNode(name);
      ref.removeNode(id);
      if (!released.equals(expected)) {
        return "removeNode returned " + released + ", expected " + expected;
      }
      for (Placement p : released) {
        if (state.allocation(p.allocationId()) != null) {
          return "removeNode left " + p.allocationId() + " recorded";
        }
      }
      return null;
    });
  }

  /**
   * Runs a membership call expected to succeed and checks its versions: {@code version()} moves by
   * {@code versionDelta}, the membership version by {@code membershipDelta} (and {@code cluster()}
   * is a new value exactly then), {@code node}'s version moves iff anything changed (when it is
   * still a member), no other node's moves. {@code call} returns a complaint or null.
   */
  private void membershipCall(String what, int node, int versionDelta, int membershipDelta,
      java.util.function.Supplier<@Nullable String> call) {
    membershipChanged = true;
    long version = state.version();
    Cluster before = state.cluster();
    int[] nodeVersions = nodeVersions();
    count(what + (versionDelta == 0 ? " no-op" : " ok"));
    String complaint;
    try {
      complaint = call.get();
    } catch (GpuallocException e) {
      throw new AssertionError("MEMBERSHIP_ACCEPTS_VALID: the ledger rejected a valid call: " + e,
          e);
    }
    if (complaint != null) {
      throw new AssertionError("MEMBERSHIP_RETURNS: " + complaint);
    }
    if (state.version() != version + versionDelta) {
      throw new AssertionError("VERSION_COUNTS: version " + version + " -> " + state.version()
          + ", expected +" + versionDelta);
    }
    if (state.membershipVersion() != before.membershipVersion() + membershipDelta
        || (membershipDelta == 0) != (state.cluster() == before)) {
      throw new AssertionError("VERSION_COUNTS: membership version "
          + before.membershipVersion() + " -> " + state.membershipVersion() + ", expected +"
          + membershipDelta + " and a new cluster() value exactly then");
    }
    for (int n = 0; n < nodeVersions.length; n++) {
      if (nodeVersions[n] < 0 || !state.cluster().isLive(n)) {
        continue;
      }
      boolean moved = state.nodeVersion(n) != nodeVersions[n];
      if (moved != (n == node && versionDelta > 0) || state.nodeVersion(n) < nodeVersions[n]) {
        throw new AssertionError("VERSION_COUNTS: node " + n + " version " + nodeVersions[n]
            + " -> " + state.nodeVersion(n) + " (the call concerned node " + node + ")");
      }
    }
  }

  /** A membership call that must throw {@code expected} naming {@code value}, changing nothing. */
  private void membershipMustFail(String what, Class<? extends GpuallocException> expected,
      String value, Runnable call) {
    count(what + " rejected");
    ViewState before = lastChecked != null ? lastChecked : ViewState.of(state);
    long version = state.version();
    Cluster cluster = state.cluster();
    int[] nodeVersions = nodeVersions();
    try {
      call.run();
      throw new AssertionError("MEMBERSHIP_REJECTS_INVALID: the call succeeded; expected a "
          + expected.getSimpleName());
    } catch (GpuallocException e) {
      if (!expected.isInstance(e)) {
        throw new AssertionError("MEMBERSHIP_REJECTS_INVALID: expected a "
            + expected.getSimpleName() + ", got " + e, e);
      }
      if (!e.getMessage().contains(value) || !e.getMessage().contains("allowed: ")) {
        throw new AssertionError("MEMBERSHIP_REJECTS_INVALID: the message does not name '"
            + value + "' and what was allowed: " + e.getMessage());
      }
    }
    String d = ViewState.of(state).diff(before);
    if (d != null || state.version() != version || state.cluster() != cluster
        || !java.util.Arrays.equals(nodeVersions, nodeVersions())) {
      throw new AssertionError("REJECTED_CHANGES_NOTHING: a failed membership call changed the"
          + " ledger: " + (d != null ? d : "versions or cluster()"));
    }
  }

  private void allocate(List<Placement> placements, boolean gang) {
    Class<? extends GpuallocException> expected =
        gang ? ref.rejectionAll(placements) : ref.rejection(placements.get(0));
    for (Placement p : placements) {
      if (p.nodeId() < ref.nodeIdBound() && !ref.isLive(p.nodeId())) {
        count("allocate naming a removed id");
      } else if (ref.isLive(p.nodeId()) && ref.isCordoned(p.nodeId())) {
        count("allocate on a cordoned node");
      } else if (p.nodeId() >= initialBound && ref.isLive(p.nodeId()) && expected == null) {
        count("allocate on an added node ok");
      }
    }
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
      if (e.getMessage().contains("shares (split count)")) {
        count("allocate refused at a split count");
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
      for (int n = 0; n < Math.min(after.length, nodeVersions.length); n++) {
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
    Cluster cluster = state.cluster();
    LedgerInvariants.checkView(cluster, actual);
    LedgerInvariants.matchesReference(actual, ref);
    if (membershipChanged || step % 16 == 0) {
      LedgerInvariants.membershipMatches(cluster, ref);
      membershipChanged = false;
    }
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
    if (step % 16 == 0 && cluster.gpuIdBound() > 0) {
      int gpu = (step / 16) % cluster.gpuIdBound();
      if (cluster.isLiveGpu(gpu)) {
        LedgerInvariants.canPlaceMigMatches(state, ref, gpu);
      }
    }
    if (step % 4 == 1 && cluster.gpuIdBound() > 0) {
      int gpu = (step / 4) % cluster.gpuIdBound();
      if (cluster.isLiveGpu(gpu)) {
        LedgerInvariants.shareCapMatches(state, ref, gpu);
      }
    }
    if (step % 16 == 0 && cluster.gpuIdBound() > 0) {
      LedgerInvariants.removedIdsRejected(state);
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
    if (d == null) {
      d = LedgerInvariants.Membership.of(f.snapshot().cluster()).diff(f.membership());
    }
    if (d != null || f.snapshot().version() != f.version()) {
      throw new AssertionError("SNAPSHOT_IMMUTABLE: snapshot of step " + f.takenAt()
          + " changed: " + d);
    }
  }

  /** Every member's node version by id; -1 for removed ids. */
  private int[] nodeVersions() {
    Cluster cluster = state.cluster();
    int[] v = new int[cluster.nodeIdBound()];
    for (int n = 0; n < v.length; n++) {
      v[n] = cluster.isLive(n) ? state.nodeVersion(n) : -1;
    }
    return v;
  }

}

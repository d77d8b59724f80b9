package io.gpualloc.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ledger's allocation map: allocation id to placement, open addressing with linear probing and
 * backward-shift deletion, in parallel arrays. Each node's allocations are also threaded into a
 * doubly linked list through the slots ({@code next}/{@code prev} slot indexes, {@code head} per
 * node id), so that removing a node finds its allocations without scanning the table. Copying the
 * table is array clones, which keeps {@link ClusterState#fork()} cheap at tens of thousands of
 * allocations.
 */
final class AllocationTable {
  private static final int NONE = -1;
  private String[] keys;
  private Placement[] values;
  private int[] next;
  private int[] prev;
  private int[] head;
  private int size;

  AllocationTable() {
    keys = new String[16];
    values = new Placement[16];
    next = new int[16];
    prev = new int[16];
    head = new int[0];
  }

  AllocationTable(AllocationTable o) {
    keys = o.keys.clone();
    values = o.values.clone();
    next = o.next.clone();
    prev = o.prev.clone();
    head = o.head.clone();
    size = o.size;
  }

  int size() {
    return size;
  }

  /** Makes room for node ids below {@code bound}. */
  void ensureNodes(int bound) {
    if (bound > head.length) {
      int old = head.length;
      head = Arrays.copyOf(head, Math.max(bound, old * 2));
      Arrays.fill(head, old, head.length, NONE);
    }
  }

  Placement get(String key) {
    int mask = keys.length - 1;
    for (int i = spread(key.hashCode()) & mask; ; i = (i + 1) & mask) {
      String k = keys[i];
      if (k == null) {
        return null;
      }
      if (k.equals(key)) {
        return values[i];
      }
    }
  }

  boolean containsKey(String key) {
    return get(key) != null;
  }

  /** Inserts a key that is not present; its node id must be below {@link #ensureNodes}' bound. */
  void putNew(String key, Placement value) {
    if ((size + 1) * 2 > keys.length) {
      resize(keys.length * 2);
    }
    link(insert(keys, values, key, value));
    size++;
  }

  Placement remove(String key) {
    int mask = keys.length - 1;
    int i = spread(key.hashCode()) & mask;
    while (true) {
      String k = keys[i];
      if (k == null) {
        return null;
      }
      if (k.equals(key)) {
        break;
      }
      i = (i + 1) & mask;
    }
    Placement removed = values[i];
    unlink(i);
    // backward-shift deletion: move later entries of the probe run into the hole
    int hole = i;
    for (int j = (hole + 1) & mask; keys[j] != null; j = (j + 1) & mask) {
      int home = spread(keys[j].hashCode()) & mask;
      // entry j may fill the hole if its home is not within (hole, j] cyclically
      boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
      if (movable) {
        move(j, hole);
        hole = j;
      }
    }
    keys[hole] = null;
    values[hole] = null;
    size--;
    return removed;
  }

  /** The placements on node {@code nodeId}, in no particular order. */
  List<Placement> onNode(int nodeId) {
    List<Placement> out = new ArrayList<>();
    if (nodeId < head.length) {
      for (int i = head[nodeId]; i != NONE; i = next[i]) {
        out.add(values[i]);
      }
    }
    return out;
  }

  List<Placement> values() {
    List<Placement> out = new ArrayList<>(size);
    for (Placement p : values) {
      if (p != null) {
        out.add(p);
      }
    }
    return out;
  }

  private void link(int slot) {
    int node = values[slot].nodeId();
    int h = head[node];
    next[slot] = h;
    prev[slot] = NONE;
    if (h != NONE) {
      prev[h] = slot;
    }
    head[node] = slot;
  }

  private void unlink(int slot) {
    int n = next[slot];
    int p = prev[slot];
    if (p != NONE) {
      next[p] = n;
    } else {
      head[values[slot].nodeId()] = n;
    }
    if (n != NONE) {
      prev[n] = p;
    }
  }

  /** Moves the entry at {@code from} to the empty slot {@code to}, keeping its list links. */
  private void move(int from, int to) {
    keys[to] = keys[from];
    values[to] = values[from];
    int n = next[from];
    int p = prev[from];
    next[to] = n;
    prev[to] = p;
    if (p != NONE) {
      next[p] = to;
    } else {
      head[values[to].nodeId()] = to;
    }
    if (n != NONE) {
      prev[n] = to;
    }
  }

  private void resize(int capacity) {
    String[] ok = keys;
    Placement[] ov = values;
    keys = new String[capacity];
    values = new Placement[capacity];
    next = new int[capacity];
    prev = new int[capacity];
    Arrays.fill(head, NONE);
    for (int i = 0; i < ok.length; i++) {
      if (ok[i] != null) {
        link(insert(keys, values, ok[i], ov[i]));
      }
    }
  }

  private static int insert(String[] ks, Placement[] vs, String key, Placement value) {
    int mask = ks.length - 1;
    int i = spread(key.hashCode()) & mask;
    while (ks[i] != null) {
      i = (i + 1) & mask;
    }
    ks[i] = key;
    vs[i] = value;
    return i;
  }

  private static int spread(int h) {
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}

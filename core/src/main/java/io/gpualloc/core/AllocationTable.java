package io.gpualloc.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The ledger's allocation map: allocation id to placement, open addressing with linear probing and
 * backward-shift deletion, in two parallel arrays. Copying it is two array clones, which keeps
 * {@link ClusterState#fork()} cheap at tens of thousands of allocations.
 */
final class AllocationTable {
  private String[] keys;
  private Placement[] values;
  private int size;

  AllocationTable() {
    keys = new String[16];
    values = new Placement[16];
  }

  AllocationTable(AllocationTable o) {
    keys = o.keys.clone();
    values = o.values.clone();
    size = o.size;
  }

  int size() {
    return size;
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

  /** Inserts a key that is not present. */
  void putNew(String key, Placement value) {
    if ((size + 1) * 2 > keys.length) {
      resize(keys.length * 2);
    }
    insert(keys, values, key, value);
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
    // backward-shift deletion: move later entries of the probe run into the hole
    int hole = i;
    for (int j = (hole + 1) & mask; keys[j] != null; j = (j + 1) & mask) {
      int home = spread(keys[j].hashCode()) & mask;
      // entry j may fill the hole if its home is not within (hole, j] cyclically
      boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
      if (movable) {
        keys[hole] = keys[j];
        values[hole] = values[j];
        hole = j;
      }
    }
    keys[hole] = null;
    values[hole] = null;
    size--;
    return removed;
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

  private void resize(int capacity) {
    String[] nk = new String[capacity];
    Placement[] nv = new Placement[capacity];
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != null) {
        insert(nk, nv, keys[i], values[i]);
      }
    }
    keys = nk;
    values = nv;
  }

  private static void insert(String[] ks, Placement[] vs, String key, Placement value) {
    int mask = ks.length - 1;
    int i = spread(key.hashCode()) & mask;
    while (ks[i] != null) {
      i = (i + 1) & mask;
    }
    ks[i] = key;
    vs[i] = value;
  }

  private static int spread(int h) {
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}

package io.gpualloc.binpack.internal;

import java.util.Arrays;

/** A small open-addressing map from non-negative {@code long} keys to {@code long} values. */
final class LongLongMap {
  private static final long EMPTY = -1L;
  private long[] keys = new long[1 << 10];
  private long[] values = new long[1 << 10];
  private int size;

  LongLongMap() {
    Arrays.fill(keys, EMPTY);
  }

  /** The value of {@code key}, or {@code missing} when absent. */
  long get(long key, long missing) {
    int mask = keys.length - 1;
    int i = mix(key) & mask;
    while (true) {
      long k = keys[i];
      if (k == key) {
        return values[i];
      }
      if (k == EMPTY) {
        return missing;
      }
      i = (i + 1) & mask;
    }
  }

  /** Puts {@code key -> value}; the key must be non-negative. */
  void put(long key, long value) {
    if (2 * (size + 1) > keys.length) {
      grow();
    }
    int mask = keys.length - 1;
    int i = mix(key) & mask;
    while (keys[i] != EMPTY && keys[i] != key) {
      i = (i + 1) & mask;
    }
    if (keys[i] == EMPTY) {
      size++;
    }
    keys[i] = key;
    values[i] = value;
  }

  int size() {
    return size;
  }

  private void grow() {
    long[] ok = keys;
    long[] ov = values;
    keys = new long[ok.length * 2];
    values = new long[ok.length * 2];
    Arrays.fill(keys, EMPTY);
    size = 0;
    for (int i = 0; i < ok.length; i++) {
      if (ok[i] != EMPTY) {
        put(ok[i], ov[i]);
      }
    }
  }

  private static int mix(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 29));
  }
}

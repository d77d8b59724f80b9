package io.gpualloc.binpack.packing;

import io.gpualloc.core.InvalidSpecException;
import java.util.List;

/**
 * A kind of bin: its capacity per dimension, the cost of using one, and how many are available.
 *
 * @param name the type's name, for messages and reports
 * @param capacity capacity per dimension, each at least 0 (a node without GPUs has GPU capacity 0);
 *     an instance needs some bin type with a positive capacity in every dimension
 * @param cost cost of one bin of this type, at least 0 (1 for plain bin packing)
 * @param available how many bins of this type exist, at least 1; {@link #UNLIMITED} for no limit
 */
public record BinType(String name, List<Integer> capacity, long cost, int available) {

  /** {@code available} value meaning "as many as needed". */
  public static final int UNLIMITED = Integer.MAX_VALUE;

  /**
   * Validates the fields and copies the capacity.
   *
   * @param name the type's name, for messages and reports
   * @param capacity capacity per dimension, each at least 0 (a node without GPUs has GPU capacity
   *     0); an instance needs some bin type with a positive capacity in every dimension
   * @param cost cost of one bin of this type, at least 0 (1 for plain bin packing)
   * @param available how many bins of this type exist, at least 1; {@link #UNLIMITED} for no limit
   */
  public BinType {
    if (name == null || name.isBlank()) {
      throw InvalidSpecException.of("bin type", "name", name, "a non-blank string");
    }
    String owner = "bin type " + name;
    if (capacity == null || capacity.isEmpty()) {
      throw InvalidSpecException.of(owner, "capacity", capacity, "at least one dimension");
    }
    capacity = List.copyOf(capacity);
    for (int d = 0; d < capacity.size(); d++) {
      if (capacity.get(d) < 0) {
        throw InvalidSpecException.of(owner, "capacity[" + d + "]", capacity.get(d), ">= 0");
      }
    }
    if (cost < 0) {
      throw InvalidSpecException.of(owner, "cost", cost, ">= 0");
    }
    if (available < 1) {
      throw InvalidSpecException.of(
          owner, "available", available, ">= 1 (BinType.UNLIMITED for no limit)");
    }
  }

  /**
   * An unlimited bin type of cost 1: the classic bin packing bin.
   *
   * @param capacity capacity per dimension, each at least 0 (a node without GPUs has GPU capacity
   *     0); an instance needs some bin type with a positive capacity in every dimension
   * @return an unlimited bin type of cost 1: the classic bin packing bin
   */
  public static BinType of(int... capacity) {
    return new BinType("bin", toList(capacity), 1, UNLIMITED);
  }

  /**
   * Number of dimensions.
   *
   * @return the number of dimensions
   */
  public int dimensions() {
    return capacity.size();
  }

  /**
   * Capacity in dimension {@code d}.
   *
   * @param d the dimension, 0-based
   * @return the capacity in dimension {@code d}
   */
  public int capacity(int d) {
    return capacity.get(d);
  }

  static List<Integer> toList(int[] values) {
    Integer[] boxed = new Integer[values.length];
    for (int i = 0; i < values.length; i++) {
      boxed[i] = values[i];
    }
    return List.of(boxed);
  }
}

package io.gpualloc.binpack.packing;

import io.gpualloc.core.InvalidSpecException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable (vector) bin packing instance: {@code n} items, each with an integer size per
 * dimension, and one or more bin types. The objective is the total cost of the bins used (the
 * number of bins when there is one bin type of cost 1).
 *
 * <p>Every item must fit alone in at least one bin type in every dimension, or the instance is
 * infeasible (solvers report that, they do not throw). Every item needs a positive size in at least
 * one dimension.
 */
public final class PackingInstance {
  private final String name;
  private final int dims;
  private final int[][] sizes;
  private final List<BinType> binTypes;

  private PackingInstance(String name, int dims, int[][] sizes, List<BinType> binTypes) {
    this.name = name;
    this.dims = dims;
    this.sizes = sizes;
    this.binTypes = binTypes;
  }

  /**
   * A one-dimensional instance with a single unlimited bin type of cost 1.
   *
   * @param name instance name
   * @param capacity the bin capacity
   * @param weights the item weights
   * @return the instance
   */
  public static PackingInstance oneDimensional(String name, int capacity, int... weights) {
    Builder b = builder(name, BinType.of(capacity));
    for (int w : weights) {
      b.item(w);
    }
    return b.build();
  }

  /**
   * Starts a builder with the given bin types (all with the same number of dimensions).
   *
   * @param name instance name
   * @param binTypes the bin types, at least one
   * @return a new builder
   */
  public static Builder builder(String name, BinType... binTypes) {
    return new Builder(name, List.of(binTypes));
  }

  /**
   * Starts a builder with the given bin types (all with the same number of dimensions).
   *
   * @param name instance name
   * @param binTypes the bin types, at least one
   * @return a new builder
   */
  public static Builder builder(String name, List<BinType> binTypes) {
    return new Builder(name, binTypes);
  }

  /**
   * The instance's name.
   *
   * @return the instance's name
   */
  public String name() {
    return name;
  }

  /**
   * Number of dimensions.
   *
   * @return the number of dimensions
   */
  public int dimensions() {
    return dims;
  }

  /**
   * Number of items.
   *
   * @return the number of items
   */
  public int itemCount() {
    return sizes.length;
  }

  /**
   * Size of item {@code item} in dimension {@code d}.
   *
   * @param item the item index, 0-based
   * @param d the dimension, 0-based
   * @return the size of item {@code item} in dimension {@code d}
   */
  public int size(int item, int d) {
    return sizes[item][d];
  }

  /**
   * A copy of item {@code item}'s size vector.
   *
   * @param item the item index, 0-based
   * @return a copy of item {@code item}'s size vector
   */
  public int[] sizes(int item) {
    return sizes[item].clone();
  }

  /**
   * The bin types, in the order given.
   *
   * @return the bin types, in the order given
   */
  public List<BinType> binTypes() {
    return binTypes;
  }

  /**
   * Whether there is a single bin type with unlimited availability (classic bin packing).
   *
   * @return whether there is a single bin type with unlimited availability (classic bin packing)
   */
  public boolean isClassic() {
    return binTypes.size() == 1 && binTypes.get(0).available() == BinType.UNLIMITED;
  }

  /**
   * The largest capacity of any bin type in dimension {@code d}.
   *
   * @param d the dimension, 0-based
   * @return the largest capacity of any bin type in dimension {@code d}
   */
  public int maxCapacity(int d) {
    int m = 0;
    for (BinType t : binTypes) {
      m = Math.max(m, t.capacity(d));
    }
    return m;
  }

  /**
   * Whether item {@code item} fits alone into an empty bin of type {@code type}.
   *
   * @param item the item index, 0-based
   * @param type the bin type index, 0-based
   * @return whether item {@code item} fits alone into an empty bin of type {@code type}
   */
  public boolean fits(int item, int type) {
    BinType t = binTypes.get(type);
    for (int d = 0; d < dims; d++) {
      if (sizes[item][d] > t.capacity(d)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Sum of the item sizes in dimension {@code d}.
   *
   * @param d the dimension, 0-based
   * @return the sum of the item sizes in dimension {@code d}
   */
  public long totalSize(int d) {
    long s = 0;
    for (int[] row : sizes) {
      s += row[d];
    }
    return s;
  }

  @Override
  public String toString() {
    return "PackingInstance[" + name + ", n=" + sizes.length + ", d=" + dims + ", binTypes="
        + binTypes + "]";
  }

  /** Builds a {@link PackingInstance}. */
  public static final class Builder {
    private final String name;
    private final List<BinType> binTypes;
    private final List<int[]> items = new ArrayList<>();

    private Builder(String name, List<BinType> binTypes) {
      if (name == null || name.isBlank()) {
        throw InvalidSpecException.of("packing instance", "name", name, "a non-blank string");
      }
      if (binTypes == null || binTypes.isEmpty()) {
        throw InvalidSpecException.of(
            "packing instance " + name, "binTypes", binTypes, "at least one bin type");
      }
      int d = binTypes.get(0).dimensions();
      for (int t = 0; t < binTypes.size(); t++) {
        if (binTypes.get(t).dimensions() != d) {
          throw InvalidSpecException.of(
              "packing instance " + name, "binTypes[" + t + "].capacity.size",
              binTypes.get(t).dimensions(), String.valueOf(d) + " (as binTypes[0])");
        }
      }
      for (int k = 0; k < d; k++) {
        int max = 0;
        for (BinType t : binTypes) {
          max = Math.max(max, t.capacity(k));
        }
        if (max < 1) {
          throw InvalidSpecException.of("packing instance " + name, "capacity[" + k + "]", 0,
              ">= 1 in at least one bin type. Maybe drop dimension " + k);
        }
      }
      this.name = name;
      this.binTypes = List.copyOf(binTypes);
    }

    /**
     * Adds one item with the given size per dimension.
     *
     * @param size the item's size in each dimension, each at least 0
     * @return this builder
     */
    public Builder item(int... size) {
      int d = binTypes.get(0).dimensions();
      String owner = "item " + items.size() + " of packing instance " + name;
      if (size.length != d) {
        throw InvalidSpecException.of(owner, "size.length", size.length, String.valueOf(d));
      }
      boolean positive = false;
      for (int k = 0; k < d; k++) {
        if (size[k] < 0) {
          throw InvalidSpecException.of(owner, "size[" + k + "]", size[k], ">= 0");
        }
        positive |= size[k] > 0;
      }
      if (!positive) {
        throw InvalidSpecException.of(
            owner, "size", Arrays.toString(size), "a positive size in at least one dimension");
      }
      items.add(size.clone());
      return this;
    }

    /**
     * Adds {@code copies} identical items.
     *
     * @param copies how many items of this size
     * @param size the item's size in each dimension, each at least 0
     * @return this builder
     */
    public Builder items(int copies, int... size) {
      for (int i = 0; i < copies; i++) {
        item(size);
      }
      return this;
    }

    /**
     * Builds the instance.
     *
     * @return the packing instance built
     */
    public PackingInstance build() {
      return new PackingInstance(
          name, binTypes.get(0).dimensions(), items.toArray(new int[0][]), binTypes);
    }
  }
}

package io.gpualloc.binpack.packing;

import io.gpualloc.core.InvalidSpecException;
import java.util.ArrayList;
import java.util.List;

/**
 * An assignment of items to bins. A packing may leave items unpacked (when no bin can take them);
 * it is complete when {@link #unpacked()} is empty.
 *
 * @param bins the bins used, each with its type and items (item indices of the instance)
 * @param unpacked items not placed in any bin
 */
public record Packing(List<Bin> bins, List<Integer> unpacked) {

  /**
   * Copies the lists.
   *
   * @param bins the bins used, each with its type and items (item indices of the instance)
   * @param unpacked items not placed in any bin
   */
  public Packing {
    bins = List.copyOf(bins);
    unpacked = List.copyOf(unpacked);
  }

  /**
   * One used bin.
   *
   * @param binType index into {@link PackingInstance#binTypes()}
   * @param items item indices, at least one
   */
  public record Bin(int binType, List<Integer> items) {
    /**
     * Validates and copies.
     *
     * @param binType index into {@link PackingInstance#binTypes()}
     * @param items item indices, at least one
     */
    public Bin {
      if (binType < 0) {
        throw InvalidSpecException.of("bin", "binType", binType, ">= 0");
      }
      items = List.copyOf(items);
    }
  }

  /**
   * Number of bins used.
   *
   * @return the number of bins used
   */
  public int binCount() {
    return bins.size();
  }

  /**
   * Whether every item is packed.
   *
   * @return whether every item is packed
   */
  public boolean isComplete() {
    return unpacked.isEmpty();
  }

  /**
   * Total cost of the bins used under {@code instance}'s bin types.
   *
   * @param instance the packing instance
   * @return the total cost of the bins used under {@code instance}'s bin types
   */
  public long cost(PackingInstance instance) {
    long c = 0;
    for (Bin b : bins) {
      c += instance.binTypes().get(b.binType()).cost();
    }
    return c;
  }

  /**
   * Everything wrong with this packing for {@code instance}: capacity exceeded, bin type overused,
   * item missing or packed twice, unknown indices. Empty when the packing is feasible (unpacked
   * items are reported too, so empty also means complete).
   *
   * @param instance the packing instance
   * @return one line per violation; empty when the packing is feasible and complete
   */
  public List<String> violations(PackingInstance instance) {
    List<String> out = new ArrayList<>();
    int n = instance.itemCount();
    int dims = instance.dimensions();
    int[] seen = new int[n];
    int[] typeUse = new int[instance.binTypes().size()];
    for (int b = 0; b < bins.size(); b++) {
      Bin bin = bins.get(b);
      if (bin.binType() >= typeUse.length) {
        out.add("bin " + b + " has unknown type " + bin.binType());
        continue;
      }
      typeUse[bin.binType()]++;
      if (bin.items().isEmpty()) {
        out.add("bin " + b + " is empty");
      }
      long[] load = new long[dims];
      for (int item : bin.items()) {
        if (item < 0 || item >= n) {
          out.add("bin " + b + " holds unknown item " + item);
          continue;
        }
        seen[item]++;
        for (int d = 0; d < dims; d++) {
          load[d] += instance.size(item, d);
        }
      }
      BinType t = instance.binTypes().get(bin.binType());
      for (int d = 0; d < dims; d++) {
        if (load[d] > t.capacity(d)) {
          out.add("bin " + b + " load " + load[d] + " exceeds capacity " + t.capacity(d)
              + " in dimension " + d);
        }
      }
    }
    for (int t = 0; t < typeUse.length; t++) {
      int avail = instance.binTypes().get(t).available();
      if (typeUse[t] > avail) {
        out.add("bin type " + t + " used " + typeUse[t] + " times, available " + avail);
      }
    }
    for (int item : unpacked) {
      if (item >= 0 && item < n) {
        seen[item]++;
      }
    }
    for (int i = 0; i < n; i++) {
      if (seen[i] != 1) {
        out.add("item " + i + " appears " + seen[i] + " times");
      }
    }
    for (int item : unpacked) {
      out.add("item " + item + " is unpacked");
    }
    return out;
  }
}

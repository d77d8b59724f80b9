package io.gpualloc.binpack.packing;

/**
 * A packing heuristic: turns an instance into a packing quickly, without a quality proof. Every
 * implementation is deterministic and returns a feasible packing; items that fit no available bin
 * are listed as unpacked rather than thrown.
 */
public interface BinPacker {

  /**
   * The heuristic's name, for example {@code ffd-sum}.
   *
   * @return the heuristic's name, for example {@code ffd-sum}
   */
  String name();

  /**
   * Packs {@code instance}.
   *
   * @param instance the packing instance
   * @return the packing; items that fit no bin are listed in {@link Packing#unpacked()}
   */
  Packing pack(PackingInstance instance);
}

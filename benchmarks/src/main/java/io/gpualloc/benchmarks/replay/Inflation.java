package io.gpualloc.benchmarks.replay;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The FGD paper's workload tuning: sort the pods by name, shuffle them with the seed, then append
 * uniformly random copies (with replacement) until the requested GPU reaches {@code tune} times the
 * cluster's GPU capacity, or remove random pods while it exceeds it.
 *
 * <p>As in the reference simulator, appending stops at the first copy that would overshoot, and the
 * overshoot test adds the copy's per-GPU share ({@code gpu_milli}), not {@code num_gpu *
 * gpu_milli}; {@link Mode#EXACT} uses the full request instead.
 */
public final class Inflation {

  /** How the overshoot test counts a candidate copy. */
  public enum Mode {
    /** The reference simulator's rule: the copy's per-GPU share. */
    REFERENCE,
    /** The copy's whole request, {@code num_gpu * gpu_milli}. */
    EXACT
  }

  private Inflation() {}

  /**
   * The arrival sequence for one seed.
   *
   * @param pods the trace's pods
   * @param seed the run's seed
   * @param capacityMilli the cluster's GPU capacity in milli-GPU
   * @param tune target requested GPU as a multiple of capacity (the paper uses 1.3)
   * @param mode the overshoot rule
   * @return the pods in arrival order; copies are renamed {@code <name>-copy<N>}
   */
  public static List<OpenbPod> inflate(
      List<OpenbPod> pods, long seed, long capacityMilli, double tune, Mode mode) {
    if (!(tune > 0) || Double.isInfinite(tune)) {
      throw new IllegalArgumentException("tune is " + tune + "; allowed: a finite value > 0");
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    List<OpenbPod> order = new ArrayList<>(pods);
    order.sort(Comparator.comparing(OpenbPod::name));
    shuffle(order, rnd);
    long target = (long) Math.floor(tune * capacityMilli);
    long total = 0;
    for (OpenbPod p : order) {
      total += p.gpuRequestMilli();
    }
    if (total < target && !order.isEmpty()) {
      List<OpenbPod> original = List.copyOf(order);
      int copies = 0;
      while (true) {
        OpenbPod p = original.get(rnd.nextInt(original.size()));
        long step = mode == Mode.REFERENCE ? p.gpuMilli() : p.gpuRequestMilli();
        if (total + step > target) {
          break;
        }
        total += p.gpuRequestMilli();
        order.add(rename(p, p.name() + "-copy" + copies++));
      }
    } else {
      while (total > target && !order.isEmpty()) {
        OpenbPod removed = order.remove(rnd.nextInt(order.size()));
        total -= removed.gpuRequestMilli();
      }
    }
    return order;
  }

  private static OpenbPod rename(OpenbPod p, String name) {
    return new OpenbPod(name, p.cpuMilli(), p.memoryMib(), p.numGpu(), p.gpuMilli(), p.gpuSpec(),
        p.creationTime(), p.deletionTime());
  }

  private static <T> void shuffle(List<T> list, SplittableRandom rnd) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      T t = list.get(i);
      list.set(i, list.get(j));
      list.set(j, t);
    }
  }
}

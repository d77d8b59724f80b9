package io.gpualloc.binpack.gang.internal;

/**
 * The choices that tell the greedy placer and the baselines apart (see {@code docs/gangs.md}).
 *
 * @param name the placer's name
 * @param largestFirst pod sets largest first (else in the gang's order)
 * @param permute try every other order of the pod sets when the first fails
 * @param allCandidates try every sufficient domain of a gang or co-location level in turn (else
 *     only the first in the order)
 * @param top how the domain at a constrained level is chosen
 * @param climbFromLowest look for one domain from the lowest level up to the constraint level
 *     (Slurm's lowest switch, Volcano's tier gradients), else start at the constraint level
 * @param domains how children of a domain are consumed
 * @param nodes how the nodes of a bottom domain are consumed
 * @param flatten below the chosen domain, take its nodes directly (no per-level descent) unless
 *     the pod set has slices
 */
record Rules(String name, boolean largestFirst, boolean permute, boolean allCandidates, Top top,
    boolean climbFromLowest, Take domains, Take nodes, boolean flatten) {

  /** How a domain is chosen among the sufficient ones. */
  enum Top {
    /** The smallest room that suffices, then the lowest id. */
    SMALLEST,
    /** The highest share of GPUs already in use (tightest), then the lowest id. */
    MOST_USED
  }

  /** How children (or nodes) are consumed. */
  enum Take {
    /** Largest first while none suffices alone, the last the smallest that suffices. */
    FEWEST,
    /** Least room first (then fewest free GPUs, then id), each as far as it goes. */
    ASCENDING
  }

  static final Rules GREEDY =
      new Rules("greedy", true, true, true, Top.SMALLEST, false, Take.FEWEST, Take.ASCENDING,
          false);
  /** Kueue TAS BestFit: most room first, the last domain tight; pod sets in order. */
  static final Rules KUEUE_BEST_FIT = new Rules("kueue-best-fit", false, false, false,
      Top.SMALLEST, false, Take.FEWEST, Take.FEWEST, false);
  /** Kueue TAS LeastFreeCapacity: domains and nodes from the least free. */
  static final Rules KUEUE_LEAST_FREE = new Rules("kueue-least-free", false, false, false,
      Top.SMALLEST, false, Take.ASCENDING, Take.ASCENDING, false);
  /** Slurm topology/tree: the lowest switch level that fits, then best-fit leaves. */
  static final Rules SLURM_TREE = new Rules("slurm-tree", false, false, false, Top.SMALLEST,
      true, Take.FEWEST, Take.FEWEST, false);
  /** Volcano network-topology hard mode: tiers from the lowest, the tightest hypernode, binpack. */
  static final Rules VOLCANO_HARD = new Rules("volcano-hard", false, false, true, Top.MOST_USED,
      true, Take.ASCENDING, Take.ASCENDING, true);
}

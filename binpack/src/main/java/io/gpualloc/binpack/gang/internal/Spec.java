package io.gpualloc.binpack.gang.internal;

import io.gpualloc.binpack.gang.CoLocation;
import io.gpualloc.binpack.gang.Gang;
import io.gpualloc.binpack.gang.PodSet;
import io.gpualloc.binpack.gang.TopologyConstraint;
import io.gpualloc.binpack.gang.TopologyMode;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.topology.TopologyLevels;

/**
 * A gang resolved against topology levels: level indexes instead of label keys, checked once.
 * Level {@code -1} means no constraint.
 */
final class Spec {
  final Gang gang;
  final int levels;
  final int gangLevel;
  final boolean gangRequired;
  final PodSet[] sets;
  final int[] level;
  final boolean[] required;
  final int[] sliceSize;
  final int[] sliceLevel;
  final int[] partner; // index of the co-located pod set, or -1
  final int[] coLevel; // level of the co-location, or -1

  Spec(Gang gang, TopologyLevels levels) {
    this.gang = gang;
    this.levels = levels.size();
    String owner = "gang " + gang.name();
    TopologyConstraint gt = gang.topology();
    gangLevel = gt == null ? -1 : index(levels, owner, "topology.level", gt.level());
    gangRequired = gt != null && gt.mode() == TopologyMode.REQUIRED;
    int n = gang.podSets().size();
    sets = gang.podSets().toArray(new PodSet[0]);
    level = new int[n];
    required = new boolean[n];
    sliceSize = new int[n];
    sliceLevel = new int[n];
    partner = new int[n];
    coLevel = new int[n];
    for (int i = 0; i < n; i++) {
      PodSet p = sets[i];
      String po = owner + " pod set " + p.name();
      TopologyConstraint t = p.topology();
      level[i] = t == null ? -1 : index(levels, po, "topology.level", t.level());
      required[i] = t != null && t.mode() == TopologyMode.REQUIRED;
      sliceSize[i] = p.slices() == null ? 1 : p.slices().size();
      sliceLevel[i] = p.slices() == null ? -1 : index(levels, po, "slices.level",
          p.slices().level());
      if (p.slices() != null && level[i] >= 0 && sliceLevel[i] >= level[i]) {
        throw InvalidSpecException.of(po, "slices.level", p.slices().level(),
            "a level below the pod set's constraint level " + t.level() + " ("
                + String.join(" < ", levels.labelKeys()) + ")");
      }
      partner[i] = -1;
      coLevel[i] = -1;
    }
    for (CoLocation c : gang.coLocations()) {
      int a = indexOf(c.first());
      int b = indexOf(c.second());
      int l = index(levels, owner + " co-location " + c.first() + "+" + c.second(), "level",
          c.level());
      partner[a] = b;
      partner[b] = a;
      coLevel[a] = l;
      coLevel[b] = l;
    }
  }

  private int indexOf(String name) {
    for (int i = 0; i < sets.length; i++) {
      if (sets[i].name().equals(name)) {
        return i;
      }
    }
    throw new io.gpualloc.core.LedgerCorruptionException("co-location names a pod set of the gang: " + name);
  }

  private static int index(TopologyLevels levels, String owner, String field, String key) {
    int i = levels.labelKeys().indexOf(key);
    if (i < 0) {
      throw InvalidSpecException.of(owner, field, key,
          "a level of the topology: " + String.join(", ", levels.labelKeys()));
    }
    return i;
  }
}

package io.gpualloc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The layout enumeration against an independent brute force: for every profile, every subset of
 * its start slots, kept when the whole choice satisfies the validity rule as stated (no two
 * intervals overlap, compute within the model's, at most one {@code +me}). Models are random
 * geometries with random profile tables, plus the built-in MIG models.
 */
class MigLayoutProperties {

  @Provide
  Arbitrary<GpuModel> models() {
    Arbitrary<GpuModel> random = Combinators.combine(
            Arbitraries.integers().between(1, 8),
            Arbitraries.integers().between(1, 8),
            Arbitraries.longs().between(0, Long.MAX_VALUE))
        .as(MigLayoutProperties::randomModel);
    List<GpuModel> builtIn = new ArrayList<>();
    for (GpuModel m : GpuModelCatalog.builtIn().models()) {
      if (m.supportsMig() && m.migMemorySlices() <= 4) {
        builtIn.add(m);
      }
    }
    return Arbitraries.oneOf(random, Arbitraries.of(builtIn));
  }

  private static GpuModel randomModel(int memorySlices, int computeSlices, long seed) {
    java.util.Random r = new java.util.Random(seed);
    int count = 1 + r.nextInt(4);
    List<MigProfile> profiles = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      int size = 1 + r.nextInt(memorySlices);
      List<Integer> starts = new ArrayList<>();
      for (int s = 0; s + size <= memorySlices; s++) {
        if (r.nextInt(3) > 0) {
          starts.add(s);
        }
      }
      if (starts.isEmpty()) {
        starts.add(0);
      }
      int compute = 1 + r.nextInt(computeSlices);
      profiles.add(new MigProfile("p" + k, k, compute, size, 1024 * size,
          Math.max(1, memorySlices / size), starts, size, r.nextInt(4) == 0));
    }
    return new GpuModel("random", 1024 * memorySlices, "", computeSlices, memorySlices, profiles);
  }

  /** Brute force: every subset of every profile's start slots, filtered by the rule as stated. */
  private static Set<Set<MigInstance>> bruteForce(GpuModel m) {
    Set<Set<MigInstance>> out = new HashSet<>();
    choose(m, 0, new ArrayList<>(), out);
    return out;
  }

  private static void choose(GpuModel m, int profile, List<MigInstance> chosen,
      Set<Set<MigInstance>> out) {
    if (profile == m.migProfiles().size()) {
      if (satisfiesRule(m, chosen)) {
        out.add(Set.copyOf(chosen));
      }
      return;
    }
    MigProfile p = m.migProfiles().get(profile);
    List<Integer> starts = p.startSlots();
    for (int subset = 0; subset < 1 << starts.size(); subset++) {
      int before = chosen.size();
      for (int i = 0; i < starts.size(); i++) {
        if ((subset >>> i & 1) != 0) {
          chosen.add(new MigInstance(p, starts.get(i)));
        }
      }
      choose(m, profile + 1, chosen, out);
      chosen.subList(before, chosen.size()).clear();
    }
  }

  private static boolean satisfiesRule(GpuModel m, List<MigInstance> xs) {
    int compute = 0;
    int me = 0;
    for (int i = 0; i < xs.size(); i++) {
      MigInstance a = xs.get(i);
      compute += a.profile().computeSlices();
      me += a.profile().mediaExtension() ? 1 : 0;
      for (int j = i + 1; j < xs.size(); j++) {
        MigInstance b = xs.get(j);
        if (a.start() < b.end() && b.start() < a.end()) {
          return false;
        }
      }
    }
    return compute <= m.migComputeSlices() && me <= 1;
  }

  private static boolean maximalByRule(GpuModel m, Set<MigInstance> layout) {
    for (MigProfile p : m.migProfiles()) {
      for (int s : p.startSlots()) {
        List<MigInstance> more = new ArrayList<>(layout);
        more.add(new MigInstance(p, s));
        if (satisfiesRule(m, more)) {
          return false;
        }
      }
    }
    return true;
  }

  @Property(tries = 150)
  void enumerationEqualsBruteForce(@ForAll("models") GpuModel m) {
    Set<Set<MigInstance>> expected = bruteForce(m);
    List<MigLayout> all = MigLayouts.all(m);
    Set<Set<MigInstance>> got = new HashSet<>();
    for (MigLayout l : all) {
      got.add(Set.copyOf(l.instances()));
    }
    assertEquals(all.size(), got.size(), "no layout twice");
    assertEquals(expected, got);

    Set<Set<MigInstance>> expectedMax = new HashSet<>();
    for (Set<MigInstance> l : expected) {
      if (maximalByRule(m, l)) {
        expectedMax.add(l);
      }
    }
    Set<Set<MigInstance>> gotMax = new HashSet<>();
    for (MigLayout l : MigLayouts.maximal(m)) {
      gotMax.add(Set.copyOf(l.instances()));
    }
    assertEquals(expectedMax, gotMax);
  }

  @Property(tries = 150)
  void freeStartsAreExactlyTheAdditionsThatStayValid(@ForAll("models") GpuModel m,
      @ForAll("indexes") int pick) {
    List<MigLayout> all = MigLayouts.all(m);
    MigLayout l = all.get(Math.floorMod(pick, all.size()));
    for (MigProfile p : m.migProfiles()) {
      List<Integer> expected = new ArrayList<>();
      for (int s : p.startSlots()) {
        List<MigInstance> more = new ArrayList<>(l.instances());
        more.add(new MigInstance(p, s));
        if (satisfiesRule(m, more)) {
          expected.add(s);
        }
      }
      assertEquals(expected, l.freeStarts(p), l + " + " + p.name());
      for (int s : expected) {
        assertTrue(all.contains(l.with(new MigInstance(p, s))));
      }
    }
    assertEquals(l, MigLayout.parse(m, l.toString().replace("[", "").replace("]", "")));
  }

  @Provide
  Arbitrary<Integer> indexes() {
    return Arbitraries.integers().between(0, 1_000_000);
  }
}

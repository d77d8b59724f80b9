package io.gpualloc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Vendor facts of MIG layouts pinned by hand (NVIDIA MIG User Guide placement tables, {@code
 * ../shared/notes/mig-dra.md} section 1.3) and layout counts computed independently of this code.
 */
class MigLayoutTest {
  private static final GpuModelCatalog C = GpuModelCatalog.builtIn();
  private static final GpuModel H100 = C.get("H100-80GB-SXM");
  private static final GpuModel A30 = C.get("A30");

  private static MigProfile p(GpuModel m, String name) {
    return m.migProfile(name);
  }

  @Test
  void threeGPlusThreeGPlusOneGIsInvalidAlthoughComputeAddsUpToSeven() {
    MigLayout twoThrees = MigLayout.parse(H100, "3g.40gb@0, 3g.40gb@4");
    assertEquals(6, twoThrees.computeSlices());
    assertEquals(0xFF, twoThrees.occupancy());
    assertEquals(List.of(), twoThrees.freeStarts(p(H100, "1g.10gb")));
    assertTrue(twoThrees.isMaximal());
    for (int s : p(H100, "1g.10gb").startSlots()) {
      int start = s;
      InvalidSpecException e = assertThrows(InvalidSpecException.class,
          () -> twoThrees.with(new MigInstance(p(H100, "1g.10gb"), start)));
      assertTrue(e.getMessage().contains("not already taken"), e.getMessage());
    }
    for (MigLayout l : MigLayouts.all(H100)) {
      assertFalse(l.profileCounts().equals(Map.of("3g.40gb", 2, "1g.10gb", 1)), l.toString());
    }
  }

  @Test
  void fourGPlusThreeGIsValidOnlyAsFourAtZeroThreeAtFour() {
    MigLayout l = MigLayout.parse(H100, "3g.40gb@4, 4g.40gb@0");
    assertEquals("[4g.40gb@0, 3g.40gb@4]", l.toString());
    assertEquals(7, l.computeSlices());
    assertTrue(l.isMaximal());
    assertThrows(InvalidSpecException.class, () -> MigLayout.parse(H100, "4g.40gb@0, 3g.40gb@0"));
    long found = MigLayouts.all(H100).stream()
        .filter(x -> x.profileCounts().equals(Map.of("3g.40gb", 1, "4g.40gb", 1))).count();
    assertEquals(1, found);
  }

  @Test
  void sevenOneGInstancesFitAndLeaveSliceSevenIdle() {
    MigLayout l = MigLayout.empty(H100);
    for (int s = 0; s < 7; s++) {
      assertEquals(s, l.freeStarts(p(H100, "1g.10gb")).get(0));
      l = l.with(new MigInstance(p(H100, "1g.10gb"), s));
    }
    assertEquals(7, l.size());
    assertEquals(0x7F, l.occupancy());
    assertTrue(l.isMaximal());
    assertEquals(Map.of("1g.10gb", 7), l.profileCounts());
    // slice 7 is never a 1g start slot
    assertThrows(InvalidSpecException.class, () -> new MigInstance(p(H100, "1g.10gb"), 7));
  }

  @Test
  void freeStartsOnAnEmptyGpuAreTheVendorsStartSlots() {
    MigLayout empty = MigLayout.empty(H100);
    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), empty.freeStarts(p(H100, "1g.10gb")));
    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), empty.freeStarts(p(H100, "1g.10gb+me")));
    assertEquals(List.of(0, 2, 4, 6), empty.freeStarts(p(H100, "1g.20gb")));
    assertEquals(List.of(0, 2, 4), empty.freeStarts(p(H100, "2g.20gb")));
    assertEquals(List.of(0, 4), empty.freeStarts(p(H100, "3g.40gb")));
    assertEquals(List.of(0), empty.freeStarts(p(H100, "4g.40gb")));
    assertEquals(List.of(0), empty.freeStarts(p(H100, "7g.80gb")));
    MigLayout a30 = MigLayout.empty(A30);
    assertEquals(List.of(0, 1, 2, 3), a30.freeStarts(p(A30, "1g.6gb")));
    assertEquals(List.of(0, 2), a30.freeStarts(p(A30, "2g.12gb")));
    assertEquals(List.of(0), a30.freeStarts(p(A30, "4g.24gb")));
  }

  @Test
  void freeStartsFollowTheInstancesInPlace() {
    // 1g instances at slices 0-3 block 4g and the 3g at 0 (notes section 1.3, consequence 5)
    MigLayout l = MigLayout.parse(H100, "1g.10gb@0, 1g.10gb@1, 1g.10gb@2, 1g.10gb@3");
    assertEquals(List.of(), l.freeStarts(p(H100, "4g.40gb")));
    assertEquals(List.of(4), l.freeStarts(p(H100, "3g.40gb")));
    assertEquals(List.of(4), l.freeStarts(p(H100, "2g.20gb")));
    assertEquals(List.of(4, 6), l.freeStarts(p(H100, "1g.20gb")));
    assertEquals(List.of(), l.freeStarts(p(H100, "7g.80gb")));
    MigLayout twoG = MigLayout.parse(H100, "2g.20gb@0, 2g.20gb@2, 2g.20gb@4");
    assertEquals(List.of(6), twoG.freeStarts(p(H100, "1g.10gb")));
  }

  @Test
  void atMostOneMediaExtensionInstance() {
    MigLayout l = MigLayout.parse(H100, "1g.10gb+me@0");
    assertEquals(List.of(), l.freeStarts(p(H100, "1g.10gb+me")));
    InvalidSpecException e = assertThrows(InvalidSpecException.class,
        () -> MigLayout.parse(H100, "1g.10gb+me@0, 1g.10gb+me@1"));
    assertTrue(e.getMessage().contains("at most one +me"), e.getMessage());
  }

  @Test
  void layoutCountsMatchAnIndependentCount() {
    // counted by a separate script over subsets of (profile, start) pairs, see the class comment
    assertEquals(2319, MigLayouts.all(H100).size());
    assertEquals(239, MigLayouts.maximal(H100).size());
    assertEquals(2319, MigLayouts.all(C.get("A100-40GB")).size());
    assertEquals(76, MigLayouts.all(A30).size());
    assertEquals(17, MigLayouts.maximal(A30).size());
    assertEquals(MigLayout.empty(H100), MigLayouts.all(H100).get(0));
  }

  @Test
  void maximalLayoutsOfThePlainProfilesAreTheGuidesNineteen() {
    List<MigProfile> plain = new ArrayList<>();
    for (MigProfile q : H100.migProfiles()) {
      if (List.of(19, 14, 9, 5, 0).contains(q.profileId())) {
        plain.add(q);
      }
    }
    GpuModel m = new GpuModel("plain", H100.memoryMib(), "9.0", 7, 8, plain);
    assertEquals(List.of("1g.10gb", "2g.20gb", "3g.40gb", "4g.40gb", "7g.80gb"),
        plain.stream().map(MigProfile::name).toList());
    List<MigLayout> max = MigLayouts.maximal(m);
    assertEquals(19, max.size());
    assertEquals(16, max.stream().filter(l -> l.computeSlices() == 7).count());
    assertEquals(java.util.Set.of("[3g.40gb@0, 3g.40gb@4]", "[3g.40gb@0, 2g.20gb@4, 1g.10gb@6]",
            "[3g.40gb@0, 1g.10gb@4, 1g.10gb@5, 1g.10gb@6]"),
        max.stream().filter(l -> l.computeSlices() == 6).map(Object::toString)
            .collect(java.util.stream.Collectors.toSet()));
    assertEquals(298, MigLayouts.all(m).size());
  }

  @Test
  void profilesAreFoundByIdAsNvidiaSmiPrintsThem() {
    assertEquals("3g.40gb", H100.migProfileById(9).name());
    assertEquals("1g.20gb", H100.migProfileById(15).name());
    assertEquals("2g.12gb", A30.migProfileById(5).name());
    UnknownGpuModelException e =
        assertThrows(UnknownGpuModelException.class, () -> H100.migProfileById(42));
    assertTrue(e.getMessage().contains("9 (3g.40gb)"), e.getMessage());
  }

  @Test
  void badLayoutsAreTypedErrorsNamingTheRule() {
    InvalidSpecException overlap = assertThrows(InvalidSpecException.class,
        () -> MigLayout.parse(H100, "4g.40gb@0, 2g.20gb@2"));
    assertTrue(overlap.getMessage().contains("2g.20gb@2"), overlap.getMessage());
    assertThrows(InvalidSpecException.class, () -> MigLayout.parse(H100, "3g.40gb"));
    assertThrows(InvalidSpecException.class, () -> MigLayout.parse(H100, "3g.40gb@x"));
    assertThrows(InvalidSpecException.class, () -> MigLayout.parse(H100, "3g.40gb@2"));
    assertThrows(UnknownGpuModelException.class, () -> MigLayout.parse(H100, "5g.50gb@0"));
    assertThrows(InvalidSpecException.class, () -> MigLayout.empty(C.get("T4")));
    MigInstance foreign = new MigInstance(A30.migProfile("1g.6gb"), 0);
    assertThrows(InvalidSpecException.class, () -> MigLayout.of(H100, List.of(foreign)));
    assertFalse(MigLayout.empty(H100).canAdd(foreign.profile(), 0));
    MigLayout l = MigLayout.parse(H100, "7g.80gb@0");
    assertThrows(InvalidSpecException.class,
        () -> l.without(new MigInstance(p(H100, "3g.40gb"), 0)));
    assertEquals(MigLayout.empty(H100), l.without(l.instances().get(0)));
  }
}

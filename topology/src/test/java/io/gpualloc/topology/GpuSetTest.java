package io.gpualloc.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.InvalidSpecException;
import org.junit.jupiter.api.Test;

class GpuSetTest {
  @Test
  void setAlgebraAcrossWordBoundaries() {
    GpuSet a = GpuSet.of(0, 63, 64, 71);
    GpuSet b = GpuSet.range(65);
    assertEquals(4, a.size());
    assertEquals(72, a.bound());
    assertArrayEquals(new int[] {0, 63, 64}, a.intersect(b).toArray());
    assertArrayEquals(new int[] {71}, a.minus(b).toArray());
    assertEquals(66, a.union(b).size());
    assertTrue(GpuSet.of(0, 64).isSubsetOf(a));
    assertFalse(a.isSubsetOf(b));
    assertEquals(GpuSet.empty(), a.minus(a));
    assertEquals(GpuSet.of(3, 1), GpuSet.of(1, 3, 3));
    assertEquals("{1, 3}", GpuSet.of(3, 1).toString());
    assertFalse(a.contains(-1));
    assertFalse(a.contains(500));
    assertThrows(InvalidSpecException.class, () -> GpuSet.of(-2));
  }
}

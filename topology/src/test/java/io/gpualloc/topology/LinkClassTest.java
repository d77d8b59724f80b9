package io.gpualloc.topology;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LinkClassTest {
  @Test
  void orderedBestFirst() {
    assertTrue(LinkClass.NVSWITCH.compareTo(LinkClass.NVLINK) < 0);
    assertTrue(LinkClass.PIX.compareTo(LinkClass.SYS) < 0);
  }
}

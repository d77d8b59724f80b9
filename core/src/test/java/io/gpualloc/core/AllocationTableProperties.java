package io.gpualloc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The open-addressing allocation table behaves as a map, and its per-node lists hold exactly each
 * node's entries, across growth and deletions.
 */
class AllocationTableProperties {

  @Property(tries = 200)
  void behavesLikeAHashMap(
      @ForAll @Size(max = 400) List<@IntRange(min = 0, max = 120) Integer> ops) {
    AllocationTable table = new AllocationTable();
    table.ensureNodes(7);
    Map<String, Placement> model = new HashMap<>();
    for (int op : ops) {
      String key = "a" + (op % 60);
      if (op < 60) {
        if (!model.containsKey(key)) {
          Placement p = Placement.builder(key, op % 7).cpuMilli(op).build();
          table.putNew(key, p);
          model.put(key, p);
        }
      } else {
        assertEquals(model.remove(key), table.remove(key));
      }
      assertEquals(model.size(), table.size());
      for (int k = 0; k < 60; k++) {
        assertEquals(model.get("a" + k), table.get("a" + k));
      }
      for (int node = 0; node < 7; node++) {
        int n = node;
        assertEquals(
            model.values().stream().filter(p -> p.nodeId() == n)
                .map(Placement::allocationId).sorted().toList(),
            table.onNode(node).stream().map(Placement::allocationId).sorted().toList(),
            "per-node list of node " + node);
      }
    }
    AllocationTable copy = new AllocationTable(table);
    assertEquals(model.size(), copy.values().size());
    for (int node = 0; node < 7; node++) {
      assertEquals(table.onNode(node).size(), copy.onNode(node).size());
    }
  }
}

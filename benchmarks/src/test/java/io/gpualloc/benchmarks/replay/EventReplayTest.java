package io.gpualloc.benchmarks.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.core.Cluster;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventReplayTest {

  @Test
  void departuresFreeCapacitySoALightLoadNeverFails() {
    // one GPU; 500-milli pods living 10 s, offered load 0.5 -> arrivals every 10 s: never two at once
    Cluster cluster = OpenbModels.cluster(List.of(new OpenbNode("n0", 8000, 8192, 1, "T4")));
    OpenbPod pod = new OpenbPod("a", 1000, 100, 1, 500, List.of(), 0, 10);
    Replay.Trace trace = Replay.Trace.of("tiny", cluster, List.of(pod));
    RunResult r = EventReplay.run(trace, "first-fit", 1, 0.5, 200);
    assertEquals(0, r.failedTotal());
    assertEquals(50.0, r.allocationPct()[50], 1e-9);
  }

  @Test
  void overloadFailsAndIsDeterministic() {
    Cluster cluster = OpenbModels.cluster(SyntheticOpenb.nodes().subList(0, 40));
    Replay.Trace trace = Replay.Trace.of("small", cluster, SyntheticOpenb.pods(9).subList(0, 300));
    RunResult a = EventReplay.run(trace, "best-fit", 7, 1.5, 900);
    RunResult b = EventReplay.run(trace, "best-fit", 7, 1.5, 900);
    assertEquals(a, b);
    assertTrue(a.failedTotal() > 0, "an offered load of 150% must turn pods away");
    String table = new ReplayReport(List.of(a)).eventsTable();
    assertTrue(table.contains("best-fit"), table);
  }
}

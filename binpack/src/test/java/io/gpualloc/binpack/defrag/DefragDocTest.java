package io.gpualloc.binpack.defrag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gpualloc.binpack.packing.SolverOptions;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.Request;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/defrag.md honest: its code block marked {@code <!-- code: usage -->} is the region
 * between {@code // doc:begin usage} and {@code // doc:end} of this file (indentation removed),
 * and the test below runs it.
 */
class DefragDocTest {
  private static final Path DOCS = Path.of("../docs");
  private static final Path SOURCE =
      Path.of("src/test/java/io/gpualloc/binpack/defrag/DefragDocTest.java");

  // doc:begin usage
  static String plan(ClusterState ledger, Request waitingPod, Map<String, Request> requests) {
    DefragProblem problem = DefragProblem.builder(ledger, DefragGoal.Fit.of(waitingPod))
        .requests(requests) // priorities, and where each allocation may be re-placed
        .allowEviction(true) // default false: migration only
        .build(); // validates, and takes a copy of the ledger
    DefragPlan plan = DefragPlanners.named("cp-sat", SolverOptions.defaults()).plan(problem);
    StringBuilder out = new StringBuilder(plan.summary()).append('\n');
    if (plan instanceof DefragPlan.Planned p) {
      for (DefragStep s : p.steps()) { // Move(allocation, from, to, placement) or Evict
        out.append("  ").append(s).append('\n');
      }
      out.append("  then ").append(p.placements()).append('\n'); // the pending pod(s)
      // replay on the live ledger, which may have moved since the problem was built
      out.append("  ").append(DryRun.check(ledger, problem, p).detail());
    } else {
      out.append(((DefragPlan.Rejected) plan).reason()); // why no plan exists
    }
    return out.toString();
  }
  // doc:end

  @Test
  void theDocumentedCallPlansTheChain() {
    DefragExamplesTest.Three t = new DefragExamplesTest.Three();
    String out = plan(t.ledger, DefragExamplesTest.pod("p", 4), t.requests);
    assertTrue(out.startsWith("cp-sat OPTIMAL: cost 2"), out);
    assertTrue(out.endsWith("all 1 pending pods placed after 2 steps"), out);
  }

  @Test
  void theDocShowsThisCode() throws Exception {
    List<String> doc = Files.readAllLines(DOCS.resolve("defrag.md"));
    String source = Files.readString(SOURCE);
    int at = doc.indexOf("<!-- code: usage -->");
    assertTrue(at >= 0, "docs/defrag.md has no <!-- code: usage --> block");
    assertTrue(doc.get(at + 1).startsWith("```"));
    StringBuilder block = new StringBuilder();
    for (int i = at + 2; !doc.get(i).equals("```"); i++) {
      block.append(doc.get(i)).append('\n');
    }
    int begin = source.indexOf("// doc:begin usage\n");
    int from = source.indexOf('\n', begin) + 1;
    int to = source.indexOf("  // doc:end", from);
    StringBuilder region = new StringBuilder();
    for (String line : source.substring(from, to).split("\n")) {
      region.append(line.startsWith("  ") ? line.substring(2) : line).append('\n');
    }
    assertEquals(region.toString(), block.toString(), "docs/defrag.md block usage");
  }
}
